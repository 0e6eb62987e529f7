// A device's pass settings, as sync stores them, turned into a verifier.
#include <catch2/catch.hpp>

#include "allervers/passes/device_settings.hpp"

using namespace allervers::passes;

TEST_CASE("a verifier from the device's settings", "[settings]") {
  const auto town = TownKey::generate();
  CHECK_FALSE(verifier_from_settings("", std::nullopt, std::nullopt));
  auto verifier = verifier_from_settings(town.public_key().str(), std::string("[]"), std::nullopt);
  REQUIRE(verifier);
  CHECK(verifier->certificates().size() == 0);
  CHECK_THROWS(verifier_from_settings("AVK1-nonsense", std::nullopt, std::nullopt));
  CHECK_THROWS_AS(verifier_from_settings(town.public_key().str(), std::string("{\"not\":\"a list\"}"), std::nullopt),
                  std::invalid_argument);
  CHECK_THROWS_AS(verifier_from_settings(town.public_key().str(), std::string("[42]"), std::nullopt), std::invalid_argument);
}
