// Whole flows through the real screens, driven by touches at the widgets' rectangles, then
// checked in storage: what the resident confirmed on screen is on disk, with the right answers.
#include <catch2/catch.hpp>

#include "allervers/core/receipt.hpp"
#include "allervers/crypto/sealed_box.hpp"
#include "harness.hpp"

using namespace allervers;
using allervers::test::Harness;
using allervers::test::HarnessOptions;

namespace {

std::vector<storage::StoredCapture> captures(Harness& h) {
  std::vector<storage::StoredCapture> out;
  h.store().for_each_capture([&](const storage::StoredCapture& c) { out.push_back(c); });
  return out;
}

// The office's side of sealed contacts, to check what the device sealed.
struct OfficeKeys {
  crypto::OfficeKey key = crypto::OfficeKey::generate();
  std::string public_base64() const { return key.public_key_base64(); }
  std::string open(const std::string& sealed_base64) const {
    const auto clear = key.open(sealed_base64);
    REQUIRE(clear);
    return *clear;
  }
};

OfficeKeys make_office_keys() { return OfficeKeys{}; }

void start_consultation(Harness& h, const std::string& language, const std::string& consultation) {
  if (h.view().screen == app::Screen::staff) h.tap("close");  // agent home → welcome
  REQUIRE(h.view().screen == app::Screen::welcome);
  h.tap("language:" + language);
  REQUIRE(h.view().screen == app::Screen::consultation_choice);
  h.tap("consultation:" + consultation);
}

}  // namespace

TEST_CASE("a resident answers the whole survey, one question per screen, and it is stored") {
  Harness h;
  h.tap("channel:market");
  start_consultation(h, "fr", "place-jean-jaures");
  REQUIRE(h.view().screen == app::Screen::survey);

  // frequence: single choice, required: "Next" waits for an answer.
  CHECK_FALSE(h.can_tap("next"));
  CHECK_FALSE(h.can_tap("skip"));
  h.tap("answer:chaque-semaine");
  h.tap("answer:parfois");  // changing one's mind keeps the last choice
  h.tap("next");
  // usages: multiple choice, optional; tapping twice unticks.
  h.tap("answer:marche");
  h.tap("answer:terrasse");
  h.tap("answer:enfants");
  h.tap("answer:terrasse");
  h.tap("next");
  // satisfaction: smileys.
  h.tap("answer:4");
  h.tap("next");
  // arbres: yes/no. "No" asks why (show_if).
  h.tap("answer:no");
  h.tap("next");
  REQUIRE(h.view().survey.index == 4);  // arbres-pourquoi
  h.type("Les racines abîment le trottoir");
  h.tap("next");
  // priorites: at most three; a fourth tap is refused.
  h.tap("answer:ombre");
  h.tap("answer:bancs");
  h.tap("answer:velos");
  h.tap("answer:jeux");
  h.tap("next");
  // stationnement: 1–5 scale. Back and forth keeps answers.
  h.tap("answer:2");
  h.tap("back");
  h.tap("next");
  CHECK(h.can_tap("next"));
  h.tap("next");
  // quartier (optional), age (optional, skipped), commentaire (optional, skipped: the last one sends).
  h.tap("answer:gare");
  h.tap("next");
  h.tap("skip");
  REQUIRE(h.view().screen == app::Screen::survey);
  h.tap("skip");

  INFO(h.on_screen());
  REQUIRE(h.view().screen == app::Screen::thanks);
  CHECK(h.driver().visible("online_qr"));  // the consultation's online page, as a QR code
  const auto stored = captures(h);
  REQUIRE(stored.size() == 1);
  const auto& c = stored[0].capture;
  CHECK(c.kind() == core::CaptureKind::opinion);
  CHECK(c.consultation == "place-jean-jaures");
  CHECK(c.version == 1);
  CHECK(c.channel == core::Channel::market);
  CHECK(c.language == "fr");
  CHECK(c.device == h.store().identity().device);
  CHECK(c.captured_at == test::harness_start());
  const std::map<std::string, core::AnswerValue> expected = {
      {"frequence", std::string("parfois")},
      {"usages", std::vector<std::string>{"marche", "enfants"}},
      {"satisfaction", std::int64_t{4}},
      {"arbres", false},
      {"arbres-pourquoi", std::string("Les racines abîment le trottoir")},
      {"priorites", std::vector<std::string>{"ombre", "bancs", "velos"}},
      {"stationnement", std::int64_t{2}},
      {"quartier", std::string("gare")},
  };
  CHECK(c.opinion()->answers == expected);
  CHECK(h.view().status.captures_today == 1);
  CHECK(h.view().status.pending == 1);

  // The next resident starts from nothing.
  h.tap("finish");
  CHECK(h.view().screen == app::Screen::welcome);
  CHECK(h.view().survey.answers.empty());
}

TEST_CASE("an answer to a question that is no longer asked is not stored") {
  Harness h;
  start_consultation(h, "fr", "place-jean-jaures");
  h.tap("answer:jamais");
  h.tap("next");
  h.tap("skip");
  h.tap("answer:1");
  h.tap("next");
  h.tap("answer:no");
  h.tap("next");
  h.type("Trop d'ombre");
  h.tap("next");
  h.tap("back");  // back to "why not?"
  h.tap("back");  // back to "more trees?"
  h.tap("answer:yes");
  h.tap("next");
  REQUIRE(h.view().survey.index == 5);  // "why not?" is skipped now
  h.tap("answer:bancs");
  h.tap("next");
  h.tap("answer:5");
  h.tap("next");
  h.tap("skip");
  h.tap("skip");
  h.tap("skip");
  REQUIRE(h.view().screen == app::Screen::thanks);
  const auto stored = captures(h);
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].capture.opinion()->answers.count("arbres-pourquoi") == 0);
  CHECK(std::get<bool>(stored[0].capture.opinion()->answers.at("arbres")));
}

TEST_CASE("an idea with contact details: consent in the resident's language, contact sealed for the office") {
  const auto keys = make_office_keys();
  HarnessOptions options;
  options.office_public_key = keys.public_base64();
  Harness h(options);
  start_consultation(h, "en", "budget-participatif-2027");
  REQUIRE(h.view().screen == app::Screen::idea);
  REQUIRE(h.view().idea.step == app::IdeaStep::title);

  // Too short a title is refused with a sentence, and the step stays.
  h.type("Un");
  h.tap("next");
  REQUIRE(h.view().idea.step == app::IdeaStep::title);
  REQUIRE_FALSE(h.view().errors.empty());
  CHECK(h.view().errors.front().field == "idea.title");
  CHECK(h.driver().visible("error"));  // the sentence is on screen
  h.type(" jardin partagé");
  h.tap("next");
  REQUIRE(h.view().idea.step == app::IdeaStep::description);
  h.type("Des bacs de légumes près de l’école, entretenus par les habitants.");
  h.tap("next");
  REQUIRE(h.view().idea.step == app::IdeaStep::theme);
  CHECK_FALSE(h.can_tap("next"));
  h.tap("answer:nature");
  h.tap("next");
  h.tap("answer:gare");
  h.tap("next");
  REQUIRE(h.view().idea.step == app::IdeaStep::place);
  h.type("Square Pasteur");
  h.tap("next");
  REQUIRE(h.view().idea.step == app::IdeaStep::cost);
  // The digit pad: letters cannot be typed into a cost.
  h.type("12a");
  for (const char* key : {"key:5", "key:0", "key:0"}) h.tap(key);
  CHECK(h.view().idea.cost == "12500");
  h.tap("next");
  REQUIRE(h.view().idea.step == app::IdeaStep::contact_offer);
  h.tap("contact:yes");
  REQUIRE(h.view().idea.step == app::IdeaStep::consent);
  h.tap("consent:yes");
  REQUIRE(h.view().idea.step == app::IdeaStep::contact);
  h.type("elodie@example.fr");
  h.tap("next");

  INFO(h.on_screen());
  REQUIRE(h.view().screen == app::Screen::thanks);
  CHECK(h.view().idea.contact.empty());
  const auto stored = captures(h);
  REQUIRE(stored.size() == 1);
  const auto& c = stored[0].capture;
  CHECK(c.kind() == core::CaptureKind::idea);
  CHECK(c.language == "en");
  CHECK(c.channel == core::Channel::door_to_door);
  const auto* idea = c.idea();
  REQUIRE(idea);
  CHECK(idea->title == "Un jardin partagé");
  CHECK(idea->description == "Des bacs de légumes près de l’école, entretenus par les habitants.");
  CHECK(idea->theme == "nature");
  CHECK(idea->neighbourhood == "gare");
  CHECK(idea->place == "Square Pasteur");
  CHECK(idea->estimated_cost_eur == std::optional<std::int64_t>(12500));
  REQUIRE(idea->contact);
  CHECK(idea->contact->consent);
  CHECK(keys.open(idea->contact->sealed) == "elodie@example.fr");
  // Never in clear on the device.
  h.store().set_setting("probe", "flush");
  std::string everything;
  for (const auto& entry : std::filesystem::directory_iterator(h.dir() / "device"))
    everything += test::read_file(entry.path());
  CHECK(everything.find("elodie@example.fr") == std::string::npos);
}

TEST_CASE("refusing consent sends the idea without contact details") {
  const auto keys = make_office_keys();
  HarnessOptions options;
  options.office_public_key = keys.public_base64();
  Harness h(options);
  start_consultation(h, "fr", "budget-participatif-2027");
  h.type("Des toilettes publiques");
  h.tap("next");
  h.type("Près du marché couvert, ouvertes le samedi.");
  h.tap("next");
  h.tap("answer:cadre-de-vie");
  h.tap("next");
  h.tap("answer:centre");
  h.tap("next");
  h.tap("skip");
  h.tap("skip");
  h.tap("contact:yes");
  h.tap("consent:no");
  REQUIRE(h.view().screen == app::Screen::thanks);
  const auto stored = captures(h);
  REQUIRE(stored.size() == 1);
  CHECK_FALSE(stored[0].capture.idea()->contact);
  CHECK_FALSE(stored[0].capture.idea()->estimated_cost_eur);
  CHECK(stored[0].capture.idea()->place.empty());
}

TEST_CASE("without an office key the contact step is not offered") {
  Harness h;
  REQUIRE_FALSE(h.view().contact_offered);
  start_consultation(h, "fr", "budget-participatif-2027");
  h.type("Un composteur");
  h.tap("next");
  h.type("Un composteur collectif au pied des immeubles.");
  h.tap("next");
  h.tap("answer:nature");
  h.tap("next");
  h.tap("answer:bois-joli");
  h.tap("next");
  h.tap("skip");
  h.type("2000");
  h.tap("next");  // the cost is the last step: it sends
  REQUIRE(h.view().screen == app::Screen::thanks);
  const auto stored = captures(h);
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].capture.idea()->estimated_cost_eur == std::optional<std::int64_t>(2000));
  CHECK_FALSE(stored[0].capture.idea()->contact);
}

TEST_CASE("a cost above the consultation's ceiling is refused at its step") {
  Harness h;
  start_consultation(h, "fr", "budget-participatif-2027");
  h.type("Une piscine");
  h.tap("next");
  h.type("Une piscine olympique couverte pour tous.");
  h.tap("next");
  h.tap("answer:sport-loisirs");
  h.tap("next");
  h.tap("answer:centre");
  h.tap("next");
  h.tap("skip");
  h.type("9000000");
  h.tap("next");
  CHECK(h.view().screen == app::Screen::idea);
  CHECK(h.view().idea.step == app::IdeaStep::cost);
  REQUIRE_FALSE(h.view().errors.empty());
  CHECK(h.view().errors.front().code == "out_of_range");
  CHECK(captures(h).empty());
}

TEST_CASE("contact details are an e-mail or a French phone number, else said in words and nothing is sent") {
  const auto keys = make_office_keys();
  HarnessOptions options;
  options.office_public_key = keys.public_base64();
  Harness h(options);
  start_consultation(h, "fr", "budget-participatif-2027");
  h.type("Un jardin partagé");
  h.tap("next");
  h.type("Des bacs de légumes près de l’école.");
  h.tap("next");
  h.tap("answer:nature");
  h.tap("next");
  h.tap("answer:gare");
  h.tap("next");
  h.tap("skip");
  h.tap("skip");
  h.tap("contact:yes");
  h.tap("consent:yes");
  REQUIRE(h.view().idea.step == app::IdeaStep::contact);
  const auto retype = [&](const std::string& text) {
    while (!h.view().idea.contact.empty()) h.driver().press_key(ImGuiKey_Backspace);
    h.type(text);
    h.tap("next");
  };
  for (const auto& [typed, code] : std::vector<std::pair<std::string, std::string>>{
           {"marie", "not_a_contact"}, {"marie@exemple", "not_an_email"}, {"06 12 34 56", "not_a_phone"}}) {
    INFO(typed);
    retype(typed);
    REQUIRE(h.view().screen == app::Screen::idea);
    CHECK(h.view().idea.step == app::IdeaStep::contact);
    REQUIRE(h.view().errors.size() == 1);
    CHECK(h.view().errors.front().code == code);
    CHECK(h.driver().visible("error"));  // the sentence, in French, under the field
    CHECK(captures(h).empty());
  }
  retype("06.12.34.56.78");
  REQUIRE(h.view().screen == app::Screen::thanks);
  const auto stored = captures(h);
  REQUIRE(stored.size() == 1);
  CHECK(keys.open(stored[0].capture.idea()->contact->sealed) == "06 12 34 56 78");  // as core writes it
}

TEST_CASE("every refusal is said in words: a fourth priority, Next without an answer, a letter in a cost") {
  Harness h;
  start_consultation(h, "fr", "place-jean-jaures");
  // Next before any answer: nothing moves, and the screen says why.
  h.tap("next");
  CHECK(h.view().survey.index == 0);
  REQUIRE(h.view().notice);
  CHECK(h.view().notice->key == "survey.refused.required");
  CHECK(h.driver().visible("notice"));
  // The notice goes after a few seconds, and with the next screen.
  h.advance_seconds(6);
  CHECK_FALSE(h.view().notice);
  CHECK_FALSE(h.driver().visible("notice"));
  while (h.engine().consultation()->questions[h.view().survey.index].id != "priorites") {
    if (h.driver().visible("skip")) h.tap("skip");
    else if (h.engine().consultation()->questions[h.view().survey.index].id == "frequence") { h.tap("answer:jamais"); h.tap("next"); }
    else if (h.engine().consultation()->questions[h.view().survey.index].id == "arbres") { h.tap("answer:yes"); h.tap("next"); }
    else if (h.engine().consultation()->questions[h.view().survey.index].id == "satisfaction") { h.tap("answer:3"); h.tap("next"); }
    else FAIL("no way past " << h.on_screen());
  }
  for (const char* option : {"answer:ombre", "answer:bancs", "answer:velos"}) h.tap(option);
  REQUIRE(h.view().survey.answers.count("priorites"));
  h.tap("answer:jeux");  // a fourth: refused, said, and nothing unticked
  CHECK(std::get<std::vector<std::string>>(h.view().survey.answers.at("priorites")) ==
        std::vector<std::string>{"ombre", "bancs", "velos"});
  REQUIRE(h.view().notice);
  CHECK(h.view().notice->key == "survey.max_reached");
  CHECK(h.view().notice->values.at("max") == "3");
  CHECK(h.driver().visible("notice"));
}

TEST_CASE("a letter typed into a cost, and a full field, are refused in words") {
  Harness h;
  start_consultation(h, "fr", "budget-participatif-2027");
  h.type("Un jardin partagé");
  h.tap("next");
  h.type("Des bacs de légumes près de l’école.");
  h.tap("next");
  h.tap("answer:nature");
  h.tap("next");
  h.tap("answer:gare");
  h.tap("next");
  h.tap("skip");
  REQUIRE(h.view().idea.step == app::IdeaStep::cost);
  h.type("a");
  CHECK(h.view().idea.cost.empty());
  REQUIRE(h.view().notice);
  CHECK(h.view().notice->key == "keyboard.refused.digits");
  h.type("123456789");
  h.type("0");  // ten digits: the field holds nine
  CHECK(h.view().idea.cost == "123456789");
  REQUIRE(h.view().notice);
  CHECK(h.view().notice->key == "keyboard.full");
}

TEST_CASE("an idea's thank-you shows its receipt code, derived from the stored id with no network; an opinion's shows none") {
  Harness h;
  start_consultation(h, "fr", "budget-participatif-2027");
  h.idea_words("Un abri à vélos", "Devant la médiathèque, couvert.", "mobilites");
  h.tap("answer:gare");
  h.tap("next");
  h.tap("skip");
  h.tap("skip");
  if (h.view().screen != app::Screen::thanks) h.tap("contact:no");
  REQUIRE(h.view().screen == app::Screen::thanks);
  const auto stored = captures(h);
  REQUIRE(stored.size() == 1);
  const std::string code = core::receipt_code(stored[0].capture.id);
  CHECK(h.view().receipt == code);
  h.frame();
  CHECK(h.words().find(code) != std::string::npos);
  CHECK(h.words().find("Votre code de suivi") != std::string::npos);
  CHECK(h.view().receipt_url.empty());  // the server named no public pages: no QR code for the receipt
  h.tap("finish");
  CHECK(h.view().receipt.empty());  // the next resident never sees it
}

TEST_CASE("a device lists a consultation only on the channels it is offered on; its ideas go in its quartiers") {
  // The place's survey is held at the market and on the web; the budget's ideas on kiosks and at
  // the doors, for two quartiers.
  const auto edit = [](nlohmann::json& catalog) {
    for (auto& c : catalog["consultations"]) {
      if (c["id"] == "place-jean-jaures") c["channels"] = {"market", "web"};
      if (c["id"] == "budget-participatif-2027") {
        c["channels"] = {"kiosk", "door_to_door"};
        c["neighbourhoods"] = {"gare", "centre"};
      }
    }
  };
  HarnessOptions kiosk;
  kiosk.kiosk = true;
  kiosk.edit_catalog = edit;
  Harness h(kiosk);
  REQUIRE(h.view().screen == app::Screen::welcome);
  h.tap("language:fr");
  // One consultation offered on a kiosk: it opens at once, no choice between consultations.
  CHECK(h.view().screen == app::Screen::idea);
  CHECK(h.view().consultation == "budget-participatif-2027");
  h.idea_words("Un abri vélo", "Un abri vélo couvert devant la gare.", "mobilites");
  REQUIRE(h.view().idea.step == app::IdeaStep::neighbourhood);
  CHECK(h.can_tap("answer:gare"));
  CHECK(h.can_tap("answer:centre"));
  CHECK_FALSE(h.can_tap("answer:bois-joli"));
  CHECK_FALSE(h.can_tap("answer:hors-commune"));

  // An agent's tablet: at the doors the budget alone; at the market the place alone.
  HarnessOptions agent;
  agent.edit_catalog = edit;
  Harness a(agent);
  REQUIRE(a.view().screen == app::Screen::staff);
  REQUIRE(a.view().channel == core::Channel::door_to_door);
  CHECK_FALSE(a.can_tap("featured:place-jean-jaures"));
  a.tap("featured:budget-participatif-2027");
  REQUIRE(a.view().featured_consultation == "budget-participatif-2027");
  a.tap("channel:market");  // not offered at the market: featured no more
  CHECK(a.view().featured_consultation.empty());
  CHECK(a.can_tap("featured:place-jean-jaures"));
  CHECK_FALSE(a.can_tap("featured:budget-participatif-2027"));
  a.tap("close");
  a.tap("language:fr");
  CHECK(a.view().screen == app::Screen::survey);
  CHECK(a.view().consultation == "place-jean-jaures");
}
