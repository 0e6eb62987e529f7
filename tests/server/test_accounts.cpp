// The console's accounts, roles and audit log over both databases: users with one-time
// password links, sessions with idle and absolute expiry, the one throttle (store/throttle.hpp), the audit log.
#include <catch2/catch.hpp>

#include "allervers/crypto/password.hpp"
#include "allervers/server/accounts.hpp"
#include "allervers/server/roles.hpp"
#include "allervers/server/secrets.hpp"
#include "allervers/server/store.hpp"
#include "pg_instance.hpp"
#include "test_support.hpp"

using namespace allervers;
using server::Permission;
using server::Reach;
using server::Role;

namespace {

const core::Instant kNow{1'790'000'000'000, 60};
const server::Actor kCli{"cli", "local"};

core::Instant later(std::int64_t ms) { return {kNow.utc_ms + ms, kNow.offset_minutes}; }

void exercise_accounts(server::ServerStore& store) {
  // A new account has no password and a one-time link.
  const auto link = server::add_user(store, "Marie Dupont", Role::coordinator, kCli, kNow);
  CHECK(link.expires.utc_ms == kNow.utc_ms + server::kPasswordLinkLifetimeMs);
  auto user = store.user_by_name("Marie Dupont");
  REQUIRE(user);
  CHECK(user->role == Role::coordinator);
  CHECK(user->password_hash.empty());
  CHECK(user->active());
  CHECK_THROWS_WITH(server::add_user(store, "Marie Dupont", Role::viewer, kCli, kNow), Catch::Contains("already"));
  CHECK_THROWS_WITH(server::add_user(store, "  ", Role::viewer, kCli, kNow), Catch::Contains("user name"));
  CHECK_THROWS_WITH(server::add_user(store, "a\nb", Role::viewer, kCli, kNow), Catch::Contains("one line"));

  // Setting the password: too short refused, a wrong token refused, then once only.
  CHECK_THROWS_WITH(server::set_password_with_link(store, link.token, "court", kCli, kNow),
                    Catch::Contains("at least 12"));
  CHECK_THROWS_WITH(server::set_password_with_link(store, link.token + "x", "un mot de passe long", kCli, kNow),
                    Catch::Contains("already used or expired"));
  CHECK(server::set_password_with_link(store, link.token, "un mot de passe long", {"", "203.0.113.7"}, later(1000)) == "Marie Dupont");
  CHECK_THROWS_WITH(server::set_password_with_link(store, link.token, "un autre mot de passe", kCli, later(2000)),
                    Catch::Contains("already used"));
  user = store.user_by_name("Marie Dupont");
  CHECK(crypto::verify_password(user->password_hash, "un mot de passe long"));
  CHECK_FALSE(crypto::verify_password(user->password_hash, "un autre mot de passe"));

  // An expired link is refused.
  server::add_user(store, "Paul", Role::viewer, kCli, kNow);
  const auto paul_link = server::new_password_link(store, "Paul", kCli, kNow);
  CHECK_THROWS_WITH(server::set_password_with_link(store, paul_link.token, "un mot de passe long", kCli,
                                                   later(server::kPasswordLinkLifetimeMs + 1)),
                    Catch::Contains("expired"));

  // Sessions: idle expiry, absolute expiry, ending.
  const std::int64_t idle = 30 * 60'000, max = 12 * 3600'000, resolution = 30'000;
  store.add_session("s1", user->id, "csrf1", "203.0.113.7", kNow.utc_ms);
  auto s = store.touch_session("s1", kNow.utc_ms + idle - 1, idle, max, resolution);
  REQUIRE(s);
  CHECK(s->user.name == "Marie Dupont");
  CHECK(s->csrf_token == "csrf1");
  CHECK(s->last_seen_ms == kNow.utc_ms + idle - 1);
  CHECK_FALSE(store.touch_session("s1", kNow.utc_ms + 2 * idle, idle, max, resolution));  // idle too long after the last touch
  store.add_session("s2", user->id, "csrf2", "203.0.113.7", kNow.utc_ms);
  std::int64_t t = kNow.utc_ms;
  for (; t < kNow.utc_ms + max - idle; t += idle / 2) CHECK(store.touch_session("s2", t, idle, max, resolution));
  CHECK_FALSE(store.touch_session("s2", kNow.utc_ms + max, idle, max, resolution));  // absolute expiry despite activity
  store.add_session("s3", user->id, "csrf3", "203.0.113.7", kNow.utc_ms);
  store.end_session("s3", kNow.utc_ms + 1);
  CHECK_FALSE(store.touch_session("s3", kNow.utc_ms + 2, idle, max, resolution));

  // Last seen is written once it is `resolution` old: requests in between (a live page's polls)
  // read only, and the session still ends idle counted from the time written.
  store.add_session("s5", user->id, "csrf5", "203.0.113.7", kNow.utc_ms);
  for (std::int64_t dt = 3'000; dt < resolution; dt += 3'000)
    CHECK(store.touch_session("s5", kNow.utc_ms + dt, idle, max, resolution)->last_seen_ms == kNow.utc_ms);
  CHECK(store.touch_session("s5", kNow.utc_ms + resolution, idle, max, resolution)->last_seen_ms == kNow.utc_ms + resolution);
  CHECK(store.touch_session("s5", kNow.utc_ms + resolution + idle - 1, idle, max, resolution));
  // The clock stepped back: a stored time ahead of now is written over.
  CHECK(store.touch_session("s5", kNow.utc_ms + resolution + 1, idle, max, resolution)->last_seen_ms ==
        kNow.utc_ms + resolution + 1);
  CHECK_FALSE(store.touch_session("s5", kNow.utc_ms + 2 * resolution + 2 * idle, idle, max, resolution));

  // Disabling ends sessions and refuses the name afterwards.
  store.add_session("s4", user->id, "csrf4", "203.0.113.7", kNow.utc_ms);
  server::disable_user(store, "Marie Dupont", kCli, later(10));
  CHECK_FALSE(store.touch_session("s4", kNow.utc_ms + 20, idle, max, resolution));
  CHECK_FALSE(store.user_by_name("Marie Dupont")->active());
  CHECK_THROWS_WITH(server::disable_user(store, "Marie Dupont", kCli, later(20)), Catch::Contains("no active account"));
  CHECK_THROWS_WITH(server::disable_user(store, "Personne", kCli, later(20)), Catch::Contains("no active account"));
  CHECK(store.users().size() == 2);

  // The one throttle counts per purpose and subject, with a growing delay, in the database.
  const server::ThrottlePolicy policy{2, 1000, 3000, 60'000};
  const auto paul = server::throttle_subjects::account("Paul");
  const auto login = server::throttle_purposes::login;
  CHECK(store.throttle_wait_ms(login, paul, policy, kNow.utc_ms) == 0);
  store.throttle_record(login, paul, policy, kNow.utc_ms);
  store.throttle_record(login, paul, policy, kNow.utc_ms + 5);
  CHECK(store.throttle_count(login, paul, policy, kNow.utc_ms + 5) == 2);
  CHECK(store.throttle_wait_ms(login, paul, policy, kNow.utc_ms + 5) == 0);  // two free
  store.throttle_record(login, paul, policy, kNow.utc_ms + 10);
  CHECK(store.throttle_wait_ms(login, paul, policy, kNow.utc_ms + 10) == 1000);
  CHECK(store.throttle_wait_ms(login, paul, policy, kNow.utc_ms + 510) == 500);
  store.throttle_record(login, paul, policy, kNow.utc_ms + 1010);
  CHECK(store.throttle_wait_ms(login, paul, policy, kNow.utc_ms + 1010) == 2000);  // doubled
  store.throttle_record(login, paul, policy, kNow.utc_ms + 3010);
  CHECK(store.throttle_wait_ms(login, paul, policy, kNow.utc_ms + 3010) == 3000);  // the ceiling
  // Purposes and subjects never mix.
  CHECK(store.throttle_wait_ms(server::throttle_purposes::enrol, paul, policy, kNow.utc_ms + 3010) == 0);
  CHECK(store.throttle_wait_ms(server::throttle_purposes::public_submission, paul, policy, kNow.utc_ms + 3010) == 0);
  CHECK(store.throttle_wait_ms(login, server::throttle_subjects::address("Paul"), policy, kNow.utc_ms + 3010) == 0);
  // Success forgives; a long silence forgets (and the row goes at the next record).
  store.throttle_clear(login, paul);
  CHECK(store.throttle_count(login, paul, policy, kNow.utc_ms + 3010) == 0);
  const auto ip = server::throttle_subjects::address("192.0.2.1");
  for (int i = 0; i < 5; ++i) store.throttle_record(login, ip, policy, kNow.utc_ms);
  CHECK(store.throttle_wait_ms(login, ip, policy, kNow.utc_ms + 2999) == 1);
  CHECK(store.throttle_count(login, ip, policy, kNow.utc_ms + 60'000) == 5);
  CHECK(store.throttle_count(login, ip, policy, kNow.utc_ms + 60'001) == 0);
  store.throttle_record(login, paul, policy, kNow.utc_ms + 60'001);
  CHECK(store.throttle_count(login, ip, policy, kNow.utc_ms) == 0);  // dropped, not merely ignored
  CHECK(store.throttle_count(login, paul, policy, kNow.utc_ms + 60'001) == 1);
  // delay_ms alone.
  CHECK(policy.delay_ms(0) == 0);
  CHECK(policy.delay_ms(2) == 0);
  CHECK(policy.delay_ms(3) == 1000);
  CHECK(policy.delay_ms(1000) == 3000);

  // The audit log holds every change, newest first, filtered by actor and action prefix.
  const auto filter = [](auto set) {
    server::AuditFilter f;
    set(f);
    return f;
  };
  const auto all = store.audit_entries({}, 100);
  REQUIRE(all.size() == 5);  // add, set_password, add, password_link, disable
  CHECK(all.front().action == "user.disable");
  CHECK(all.back().action == "user.add");
  CHECK(all.back().detail == "role=coordinator");
  CHECK(all.back().client == "local");
  const auto set = store.audit_entries(filter([](auto& f) { f.actor = "Marie Dupont"; }), 100);
  REQUIRE(set.size() == 1);
  CHECK(set[0].action == "user.set_password");
  CHECK(set[0].client == "203.0.113.7");
  CHECK(store.audit_entries(filter([](auto& f) { f.action = "user.add"; }), 100).size() == 2);
  CHECK(store.audit_entries(filter([](auto& f) { f.action = "user."; }), 100).size() == 5);
  CHECK(store.audit_entries(filter([](auto& f) { f.action = "user%"; }), 100).empty());  // no wildcards
  CHECK(store.audit_entries(filter([](auto& f) { f.action = "user"; }), 100).empty());   // a prefix ends with "."
  CHECK(store.audit_entries(filter([](auto& f) { f.since_ms = kNow.utc_ms + 5; }), 100).size() == 2);
  int seen = 0;
  store.for_each_audit_entry({}, [&](const server::AuditEntry& e) { CHECK(e.id > seen); seen = static_cast<int>(e.id); });
  CHECK(seen > 0);

  // Machine tokens: scoped, revocable.
  store.add_office_token(server::hash_secret("tok"), "écran mairie", kNow.utc_ms);
  auto tok = store.office_by_token(server::hash_secret("tok"));
  REQUIRE(tok);
  CHECK(tok->scope == server::kAttendanceScope);
  CHECK(store.revoke_office_token(server::hash_secret("tok"), kNow.utc_ms + 1));
  CHECK_FALSE(store.revoke_office_token(server::hash_secret("tok"), kNow.utc_ms + 2));
  CHECK_FALSE(store.office_by_token(server::hash_secret("tok")));
  CHECK(store.office_tokens().size() == 1);
}

}  // namespace

TEST_CASE("accounts: roles reach what the one table says") {
  CHECK(server::allows(Role::viewer, Permission::view_dashboard));
  CHECK_FALSE(server::allows(Role::viewer, Permission::read_captures));
  CHECK_FALSE(server::allows(Role::viewer, Permission::manage_assemblies));
  CHECK(server::allows(Role::coordinator, Permission::manage_assemblies));
  CHECK(server::allows(Role::coordinator, Permission::export_captures));
  CHECK_FALSE(server::allows(Role::coordinator, Permission::open_contacts));
  CHECK_FALSE(server::allows(Role::coordinator, Permission::manage_users));
  for (auto p : {Permission::open_contacts, Permission::manage_devices, Permission::manage_users, Permission::manage_tokens,
                 Permission::read_audit})
    CHECK(server::reach(Role::admin, p) == Reach::all);
  CHECK(server::role_named("coordinator") == Role::coordinator);
  CHECK(std::string(server::to_string(Role::admin)) == "admin");
  CHECK_FALSE(server::role_named("root"));
  CHECK_FALSE(server::role_named("Admin"));
}

TEST_CASE("accounts: password rules and link URLs") {
  CHECK_FALSE(server::password_problem("douze caractères"));
  CHECK(server::password_problem("onze carac."));
  CHECK(server::password_problem(std::string(2000, 'a')));
  CHECK(server::password_problem("un mot de passe\navec une ligne"));
  CHECK(server::password_link_url("https://mairie.example/", "TOK") == "https://mairie.example/office/set-password?token=TOK");
}

TEST_CASE("accounts: users, links, sessions, throttling and the audit log on SQLite") {
  test::TempDir dir;
  auto store = server::open_store("sqlite:" + (dir.path() / "s.db").string());
  exercise_accounts(*store);
}

TEST_CASE("accounts: users, links, sessions, throttling and the audit log on PostgreSQL") {
  test::PgInstance pg;
  auto store = server::open_store(pg.create_database("accounts"));
  exercise_accounts(*store);
}
