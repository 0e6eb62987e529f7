// Contacts sealed on a device open only with the office's key; whatever else arrives in their
// place (another key, a damaged or truncated box, not base64) opens to nothing, never throws.
#include <catch2/catch.hpp>

#include "allervers/crypto/base64.hpp"
#include "allervers/crypto/sealed_box.hpp"

using namespace allervers;

TEST_CASE("a contact sealed for the office opens with the office key, and with no other") {
  const auto office = crypto::OfficeKey::generate();
  const auto sealer = crypto::ContactSealer::from_base64(office.public_key_base64());
  REQUIRE(sealer);
  const std::string contact = "Léa Martin, 06 12 34 56 78";
  const std::string sealed = sealer->seal(contact);
  CHECK(sealed.find("Martin") == std::string::npos);
  CHECK(sealer->seal(contact) != sealed);  // a fresh ephemeral key each time
  CHECK(office.open(sealed) == contact);
  CHECK_FALSE(crypto::OfficeKey::generate().open(sealed));
}

TEST_CASE("the office key survives being kept as text in the server's database") {
  const auto office = crypto::OfficeKey::generate();
  const auto again = crypto::OfficeKey::from_base64(office.secret_key_base64());
  REQUIRE(again);
  CHECK(again->public_key_base64() == office.public_key_base64());
  const auto sealer = crypto::ContactSealer::from_base64(office.public_key_base64());
  CHECK(again->open(sealer->seal("x@example.fr")) == "x@example.fr");
  CHECK_FALSE(crypto::OfficeKey::from_base64("c2hvcnQ="));
  CHECK_FALSE(crypto::OfficeKey::from_base64("not base64 at all"));
}

TEST_CASE("what is not a sealed contact opens to nothing") {
  const auto office = crypto::OfficeKey::generate();
  const std::string sealed = crypto::ContactSealer::from_base64(office.public_key_base64())->seal("contact");
  auto box = *crypto::from_base64(sealed);
  box[box.size() / 2] ^= 1;
  CHECK_FALSE(office.open(crypto::to_base64(box)));                  // damaged
  CHECK_FALSE(office.open(sealed.substr(0, 40)));                    // truncated
  CHECK_FALSE(office.open(crypto::to_base64(std::string_view("x"))));  // shorter than a box
  CHECK_FALSE(office.open("%%%"));
  CHECK_FALSE(office.open(""));
}

TEST_CASE("a device reads the office key as it was sent, or not at all") {
  const auto office = crypto::OfficeKey::generate();
  const std::string key = office.public_key_base64();
  CHECK(crypto::ContactSealer::from_base64(" " + key + "\n"));  // pasted with white space
  CHECK_FALSE(crypto::ContactSealer::from_base64(key.substr(4)));
  CHECK_FALSE(crypto::ContactSealer::from_base64(""));
  CHECK_FALSE(crypto::ContactSealer::from_base64("c2NyZWVu"));
}

TEST_CASE("personal data is overwritten before it is released") {
  std::string contact = "lea@example.fr";
  crypto::wipe(contact);
  CHECK(contact.empty());
}
