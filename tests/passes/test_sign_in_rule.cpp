#include <catch2/catch.hpp>

#include "allervers/passes/sign_in_rule.hpp"

using namespace allervers::passes;
using allervers::core::Instant;

TEST_CASE("on one device, a second scan at the same assembly says when, and records nothing") {
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
