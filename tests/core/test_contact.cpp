// The contact rule (part of validation): an e-mail address or a French phone number, said
// plainly when it is neither.
#include <catch2/catch.hpp>

#include "allervers/core/contact.hpp"

using namespace allervers::core;

namespace {
std::string accepted(std::string_view text) {
  const auto r = check_contact(text);
  INFO(text << ": " << (r.error ? r.error->message : ""));
  REQUIRE(r.contact);
  CHECK_FALSE(r.error);
  return r.contact->text;
}
std::string refused(std::string_view text) {
  const auto r = check_contact(text);
  INFO(text);
  REQUIRE(r.error);
  CHECK_FALSE(r.contact);
  CHECK(r.error->field == "idea.contact");
  CHECK_FALSE(r.error->message.empty());
  return r.error->code;
}
}  // namespace

TEST_CASE("e-mail addresses: accepted as typed, the domain in lower case", "[validation][contact]") {
  CHECK(accepted("marie.dupont@exemple.fr") == "marie.dupont@exemple.fr");
  CHECK(accepted("  Marie+assos@Mairie-Saint-Loup.FR ") == "Marie+assos@mairie-saint-loup.fr");
  CHECK(accepted("élodie@école.fr") == "élodie@école.fr");
  CHECK(check_contact("a@b.fr").contact->kind == ContactKind::email);
  for (const char* bad : {"marie@", "@exemple.fr", "marie@exemple", "marie@@exemple.fr", "marie @exemple.fr",
                          "marie@exemple.f", "marie@-exemple.fr", "marie@exemple..fr", "marie@exemple.fr.",
                          ".marie@exemple.fr", "marie@192.168.0.1", "marie@exem ple.fr"})
    CHECK(refused(bad) == "not_an_email");
  CHECK(refused(std::string(250, 'a') + "@exemple.fr") == "not_an_email");
}

TEST_CASE("French phone numbers: ten digits, or with +33 and the overseas codes", "[validation][contact]") {
  CHECK(accepted("06 12 34 56 78") == "06 12 34 56 78");
  CHECK(accepted("0612345678") == "06 12 34 56 78");
  CHECK(accepted("01.23.45.67.89") == "01 23 45 67 89");
  CHECK(accepted("07-12-34-56-78") == "07 12 34 56 78");
  CHECK(accepted("+33 6 12 34 56 78") == "+33 6 12 34 56 78");
  CHECK(accepted("+33 (0)6 12 34 56 78") == "+33 6 12 34 56 78");
  CHECK(accepted("0033612345678") == "+33 6 12 34 56 78");
  CHECK(accepted("+262 692 12 34 56") == "+262 6 92 12 34 56");
  CHECK(accepted("0692 12 34 56") == "06 92 12 34 56");
  CHECK(check_contact("0612345678").contact->kind == ContactKind::phone);
  for (const char* bad : {"06 12 34 56", "06 12 34 56 78 9", "00 12 34 56 78", "6 12 34 56 78", "+33 06 12 34 56 7",
                          "+44 20 7946 0958", "+33 0 12 34 56 78", "06 12 34 56 7a", "+1 555 0100"})
    CHECK(refused(bad) == "not_a_phone");
}

TEST_CASE("neither: said in words, with an example of each", "[validation][contact]") {
  CHECK(refused("marie") == "not_a_contact");
  CHECK(refused("Marie Dupont, rue des Lilas") == "not_a_contact");
  CHECK(refused("   ") == "required");
  CHECK(refused("") == "required");
  const auto r = check_contact("marie");
  CHECK_THAT(r.error->message, Catch::Contains("name@example.fr") && Catch::Contains("06 12 34 56 78"));
  CHECK(check_contact("x", "web.contact").error->field == "web.contact");
}
