#include <catch2/catch.hpp>

#include "allervers/passes/sign_in_rule.hpp"
#include "allervers/passes/pass.hpp"

using namespace allervers::passes;
using allervers::core::Instant;

TEST_CASE("on one device a second scan at the same assembly says when and records nothing") {
  MemorySignInHistory history;
  const DuplicateRule rule(history);
  const Instant at{1'795'000'000'000 + 17 * 3'600'000 + 42 * 60'000, 60};  // 17:42 UTC, Paris winter

  auto first = rule.decide("assemblee-nord", "K7QM2XPA9D");
  CHECK(first.kind == SignInVerdict::Kind::welcome);
  CHECK(first.record());
  CHECK(first.message() == "Bienvenue");
  history.record("assemblee-nord", "K7QM2XPA9D", at);

  auto again = rule.decide("assemblee-nord", "K7QM2XPA9D");
  CHECK(again.kind == SignInVerdict::Kind::already_signed_in);
  CHECK_FALSE(again.record());
  CHECK(again.first_at == at);
  CHECK(again.message() == "Déjà enregistré·e à " + local_hour_minute(at));

  // Another assembly, another pass: welcome.
  CHECK(rule.decide("assemblee-sud", "K7QM2XPA9D").record());
  CHECK(rule.decide("assemblee-nord", "0000000000").record());
  // Without a pass nobody can be recognised: every on-screen sign-in is new.
  CHECK(rule.decide("assemblee-nord", "").record());

  // The earliest time is kept.
  history.record("assemblee-nord", "K7QM2XPA9D", Instant{at.utc_ms + 600'000, 60});
  CHECK(rule.decide("assemblee-nord", "K7QM2XPA9D").first_at == at);
  CHECK(history.size() == 1);
}

TEST_CASE("the time shown is the local time of the first sign-in") {
  const std::int64_t midnight_utc = 1'795'046'400'000;  // a day boundary, UTC
  CHECK(midnight_utc % 86'400'000 == 0);
  CHECK(local_hour_minute({midnight_utc + 18 * 3'600'000 + 42 * 60'000, 0}) == "18:42");
  CHECK(local_hour_minute({midnight_utc + 17 * 3'600'000 + 42 * 60'000, 60}) == "18:42");
  CHECK(local_hour_minute({midnight_utc + 16 * 3'600'000 + 42 * 60'000, 120}) == "18:42");
  CHECK(local_hour_minute({midnight_utc + 23 * 3'600'000 + 30 * 60'000, 60}) == "00:30");
}

#include "allervers/passes/sign_in_desk.hpp"

TEST_CASE("the sign-in desk says welcome or already signed in or refused with a reason and reads typed codes") {
  const TownKey town = TownKey::generate();
  PassVerifier verifier{CertificateStore(town.public_key())};
  MemorySignInHistory history;
  const DuplicateRule rule(history);
  const PassId id = PassId::random();
  const std::string code = issue_town_pass(town, id);

  auto first = judge_scan(verifier, rule, "nord", code);
  CHECK(first.kind == ScanVerdict::Kind::welcome);
  CHECK(first.headline == "Bienvenue");
  CHECK(first.record());
  CHECK(first.pass == id);
  CHECK_FALSE(first.typed);
  history.record("nord", first.pass->str(), Instant{1'795'046'400'000 + 18 * 3'600'000 + 42 * 60'000, 0});

  auto again = judge_scan(verifier, rule, "nord", code);
  CHECK(again.kind == ScanVerdict::Kind::already_signed_in);
  CHECK(again.headline == "Déjà enregistré·e à 18:42");
  CHECK_FALSE(again.record());

  // The same person typing the fallback code is recognised as the same pass.
  auto typed = judge_typed_code(verifier, rule, "nord", id.fallback_code());
  CHECK(typed.kind == ScanVerdict::Kind::already_signed_in);
  CHECK(typed.typed);
  CHECK(judge_typed_code(verifier, rule, "sud", id.fallback_code()).record());

  auto forged = judge_scan(verifier, rule, "nord", issue_town_pass(TownKey::generate(), id));
  CHECK(forged.kind == ScanVerdict::Kind::refused);
  CHECK(forged.headline == "Code non reconnu");
  CHECK(forged.problem == PassProblem::other_town);
  CHECK_FALSE(forged.detail.empty());
  CHECK_FALSE(forged.record());

  std::string typo = id.fallback_code();
  typo[0] = typo[0] == 'A' ? 'B' : 'A';
  CHECK(judge_typed_code(verifier, rule, "nord", typo).detail == "Faute de frappe probable : vérifiez le code de secours");
  CHECK(judge_typed_code(verifier, rule, "nord", "K7QM").problem == PassProblem::truncated);

  RevocationList revoked;
  revoked.passes.insert(id);
  verifier.set_revocations(revoked);
  CHECK(judge_scan(verifier, rule, "sud", code).problem == PassProblem::revoked_pass);
  CHECK(judge_typed_code(verifier, rule, "sud", id.fallback_code()).problem == PassProblem::revoked_pass);
}
