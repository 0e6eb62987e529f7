// The consultation editor in-process: roles and CSRF; a new consultation built with plain form
// posts (a question, an option added by re-rendering), each fault refused in French with its
// place and nothing published; published as a catalog version devices sync; an existing
// consultation edited into version 2 while answers to version 1 stay accepted and exported;
// a stale form refused; the catalog JSON exported and imported (a bad file named where); the
// quartiers and channels ticked, checked in French, published to devices and exported, and a
// catalog without them still imported; the preview in another language and hostile text inert.
#include <catch2/catch.hpp>

#include "console_fixture.hpp"

using namespace allervers;
using nlohmann::json;

namespace {

using test::kPassword;
using test::kNb;
using test::form_escape;
using test::as_html;

using Rig = test::ConsoleRig;
using test::has;

struct Browser : test::ConsoleBrowser {
  using ConsoleBrowser::ConsoleBrowser;
  server::HttpResponse upload(const std::string& file) {
    const std::string b = "----grenouille42";
    std::string body = "--" + b + "\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + csrf + "\r\n--" + b +
                       "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.json\"\r\nContent-Type: application/json\r\n\r\n" +
                       file + "\r\n--" + b + "--\r\n";
    return request("POST", "/office/editor/import", {}, body, "multipart/form-data; boundary=" + b);
  }
  // The editor's form with boxes ticked: `ticked` fields repeat (neighbourhoods=a&neighbourhoods=b).
  server::HttpResponse post_ticked(const std::map<std::string, std::string>& fields, const std::vector<std::pair<std::string, std::string>>& ticked) {
    std::string body = "csrf=" + form_escape(csrf);
    for (const auto& [k, v] : fields) body += "&" + form_escape(k) + "=" + form_escape(v);
    for (const auto& [k, v] : ticked) body += "&" + form_escape(k) + "=" + form_escape(v);
    return request("POST", "/office/editor", {}, body);
  }
};

// The boxes a consultation's JSON ticks (its quartiers and channels).
std::vector<std::pair<std::string, std::string>> ticked_of(const json& c) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const char* name : {"neighbourhoods", "channels"})
    for (const auto& v : c.value(name, json::array())) out.emplace_back(name, v.get<std::string>());
  return out;
}

// The editor's fields for a consultation's JSON (as a person's browser would send the page).
void add_texts(std::map<std::string, std::string>& f, const std::string& name, const json& texts) {
  if (texts.is_string()) f[name + ".fr"] = texts.get<std::string>();
  else if (texts.is_object())
    for (const auto& [lang, v] : texts.items()) f[name + "." + lang] = v.get<std::string>();
}
std::map<std::string, std::string> fields_of(const json& c, bool is_new, int base_version) {
  std::map<std::string, std::string> f;
  json base = c;
  for (const char* shown : {"questions", "neighbourhoods", "channels"}) base.erase(shown);
  f["base"] = base.dump();
  f["base_version"] = std::to_string(base_version);
  if (is_new) f["is_new"] = "1";
  f["id"] = c.value("id", "");
  f["opens"] = c.value("opens", "");
  f["closes"] = c.value("closes", "");
  add_texts(f, "title", c.value("title", json::object()));
  add_texts(f, "summary", c.value("summary", json::object()));
  const json qs = c.value("questions", json::array());
  f["questions"] = std::to_string(qs.size());
  for (std::size_t i = 0; i < qs.size(); ++i) {
    const std::string q = "q" + std::to_string(i);
    const json& question = qs[i];
    f[q + ".id"] = question["id"];
    f[q + ".type"] = question["type"];
    if (question.value("required", true)) f[q + ".required"] = "1";
    add_texts(f, q + ".label", question["label"]);
    if (question.contains("help")) add_texts(f, q + ".help", question["help"]);
    const json os = question.value("options", json::array());
    f[q + ".options"] = std::to_string(os.size());
    for (std::size_t j = 0; j < os.size(); ++j) {
      f[q + ".o" + std::to_string(j) + ".id"] = os[j]["id"];
      add_texts(f, q + ".o" + std::to_string(j) + ".label", os[j]["label"]);
    }
    for (const char* k : {"min_choices", "max_choices", "max_length"})
      if (question.contains(k)) f[q + "." + k] = std::to_string(question[k].get<int>());
    if (question.contains("show_if")) {
      f[q + ".show_if"] = question["show_if"]["question"];
      std::string values;
      for (const auto& v : question["show_if"]["any_of"]) values += (values.empty() ? "" : ",") + v.get<std::string>();
      f[q + ".show_values"] = values;
    }
  }
  return f;
}

const json kNew = json::parse(R"({"id": "velo-2027", "title": {"fr": "Le vélo en ville", "en": "Cycling in town"}, "opens": "2027-01-01",
  "closes": "2027-03-31", "questions": [
    {"id": "pratique", "type": "single_choice", "label": {"fr": "Faites-vous du vélo ?"},
     "options": [{"id": "souvent", "label": {"fr": "Souvent"}}, {"id": "jamais", "label": {"fr": "Jamais"}}]},
    {"id": "pourquoi", "type": "short_text", "label": {"fr": "Pourquoi jamais ?"}, "required": false, "max_length": 300,
     "show_if": {"question": "pratique", "any_of": ["jamais"]}},
    {"id": "note", "type": "smiley", "label": {"fr": "Les pistes vous plaisent-elles ?"}},
    {"id": "quartier", "type": "neighbourhood", "label": {"fr": "Votre quartier"}}]})");

}  // namespace

TEST_CASE("consultation editor: a new consultation built with plain forms, refused in French where wrong, published") {
  test::TempDir dir;
  Rig rig((dir.path() / "editor.db").string());
  rig.account("Claire", server::Role::coordinator);
  rig.account("Victor", server::Role::viewer);
  Browser claire{rig}, victor{rig};
  REQUIRE(claire.login("Claire").status == 303);
  REQUIRE(victor.login("Victor").status == 303);
  const std::size_t documents = rig.store->catalogs().size();

  CHECK(victor.get("/office/consultations").status == 403);
  CHECK(victor.get("/office/editor").status == 403);
  auto r = claire.get("/office/consultations");
  REQUIRE(r.status == 200);
  CHECK(has(r, "Réaménagement de la place Jean-Jaurès"));
  r = claire.get("/office/editor");
  REQUIRE(r.status == 200);
  CHECK(victor.post("/office/editor", fields_of(kNew, true, 0)).status == 403);

  // Adding an option and a question: re-rendered, nothing published.
  auto f = fields_of(kNew, true, 0);
  f["action"] = "add_option.0";
  r = claire.post("/office/editor", f);
  CHECK(r.status == 200);
  CHECK(has(r, "name=\"q0.o2.id\""));
  CHECK(has(r, "name=\"q0.options\" value=\"3\""));
  f["action"] = "add_question";
  r = claire.post("/office/editor", f);
  CHECK(has(r, "name=\"q4.id\""));
  // The preview: as the resident sees each question.
  CHECK(has(r, "<li>○ Souvent</li>"));
  CHECK(has(r, "<li>○ 😀 Très content</li>"));  // the public form's words
  CHECK(has(r, "<li>○ Quartier de la Gare</li>"));
  CHECK(has(r, "<li>○ J’habite hors de la commune</li>"));  // no quartier ticked: the whole town's list
  CHECK(has(r, as_html("Posée seulement selon la réponse à «" + kNb + "pratique" + kNb + "».")));
  // Texts missing per language: English has the title only.
  f["action"] = "preview";
  r = claire.post("/office/editor", f);
  CHECK(has(r, "Anglais" + kNb + ": <span class=\"text-danger\">"));
  CHECK(has(r, "Français (obligatoire)" + kNb + ": <span class=\"text-success\">complet</span>"));
  CHECK(rig.store->catalogs().size() == documents);

  // Faults, each named where it is; nothing published.
  struct Bad {
    std::map<std::string, std::string> change;
    std::string says;
  };
  const std::vector<Bad> bad = {
      // core's reason in French too (web/src/catalog_reasons.cpp), not as core writes it for logs.
      {{{"q0.o1.id", "Jamais !"}},
       "question 1, choix 2, Identifiant" + kNb + ": un identifiant ne peut contenir que des lettres minuscules sans accent, des "
       "chiffres, «" + kNb + "-" + kNb + "» et «" + kNb + "_" + kNb + "» («" + kNb + "Jamais !" + kNb + "» ne convient pas)"},
      {{{"q2.label.fr", ""}}, "question 3, Libellé" + kNb + ":"},
      {{{"q1.show_if", "note"}}, "question 2, Poser seulement si la question" + kNb + ":"},
      {{{"q0.type", "slider"}}, "question 1, Type" + kNb + ":"},
      {{{"id", "place-jean-jaures"}}, "«" + kNb + "place-jean-jaures" + kNb + "» est déjà celui d’une consultation publiée"},
  };
  for (const auto& b : bad) {
    auto fields = fields_of(kNew, true, 0);
    for (const auto& [k, v] : b.change) fields[k] = v;
    fields["action"] = "publish";
    INFO(b.says);
    r = claire.post("/office/editor", fields);
    CHECK(r.status == 400);
    CHECK(has(r, as_html(b.says)));
    CHECK_FALSE(has(r, "an id "));
    CHECK_FALSE(has(r, "expected"));
  }
  CHECK(rig.store->catalogs().size() == documents);
  CHECK(rig.audits("consultation.publish") == 0);

  f = fields_of(kNew, true, 0);
  f["action"] = "check";
  r = claire.post("/office/editor", f);
  CHECK(r.status == 200);
  CHECK(has(r, "Vérifiée"));
  CHECK(rig.store->catalogs().size() == documents);
  f["action"] = "publish";
  r = claire.post("/office/editor", f);
  REQUIRE(r.status == 303);
  CHECK(rig.audits("consultation.publish") == 1);
  const auto catalog = server::merge_catalogs(rig.store->catalogs()).catalog;
  const core::Consultation* velo = catalog.latest("velo-2027");
  REQUIRE(velo);
  CHECK(velo->version == 1);
  REQUIRE(velo->questions.size() == 4);
  CHECK(velo->questions[1].show_if->question == "pratique");
  CHECK(velo->title.in("en") == "Cycling in town");
  // What a device syncs: the merged catalog's document holds it.
  CHECK(server::merge_catalogs(rig.store->catalogs()).json.find("\"velo-2027\"") != std::string::npos);
}

TEST_CASE("consultation editor: version 2 published, answers to version 1 still accepted and exported; export and import") {
  test::TempDir dir;
  Rig rig((dir.path() / "editor2.db").string());
  rig.account("Claire", server::Role::coordinator);
  Browser claire{rig};
  REQUIRE(claire.login("Claire").status == 303);
  auto catalog = server::merge_catalogs(rig.store->catalogs()).catalog;
  const core::Consultation* place = catalog.latest("place-jean-jaures");
  REQUIRE(place);
  REQUIRE(place->version == 1);

  // An answer to version 1 arrives.
  auto r1 = rig.send_batch(rig.batch({{1, core::canonical_json(rig.opinion(1, "Avant la version 2"))}}));
  REQUIRE(r1.status == 200);

  auto r = claire.get("/office/editor", {{"id", "place-jean-jaures"}});
  REQUIRE(r.status == 200);
  core::Catalog one;
  one.town = catalog.town;
  one.consultations.push_back(*place);
  json c = json::parse(core::catalog_to_json(one))["consultations"][0];
  auto f = fields_of(c, false, 1);
  f["q0.label.fr"] = "Combien de fois passez-vous sur la place ?";
  f["action"] = "publish";
  r = claire.post("/office/editor", f);
  if (r.status != 303) FAIL(r.body);
  catalog = server::merge_catalogs(rig.store->catalogs()).catalog;
  REQUIRE(catalog.latest("place-jean-jaures")->version == 2);
  CHECK(catalog.find("place-jean-jaures", 1));  // version 1 stays
  CHECK(catalog.latest("place-jean-jaures")->questions[0].label.in("fr") == "Combien de fois passez-vous sur la place ?");
  r = claire.get("/office/editor", {{"id", "place-jean-jaures"}, {"done", "published"}});
  CHECK(has(r, "Version 2 publiée"));

  // The same form again (based on version 1): someone published meanwhile.
  r = claire.post("/office/editor", f);
  CHECK(r.status == 400);
  CHECK(has(r, "publiée par quelqu"));

  // An answer made with version 1 after that: still accepted, and both exported.
  auto late = rig.opinion(2, "Après la version 2");
  r1 = rig.send_batch(rig.batch({{2, core::canonical_json(late)}}));
  REQUIRE(r1.status == 200);
  CHECK(sync::protocol::decode_batch_response(r1.body).results[0].status == sync::protocol::RecordStatus::accepted);
  std::ostringstream exported;
  server::export_captures(*rig.store, exported, {});
  CHECK(exported.str().find("Avant la version 2") != std::string::npos);
  CHECK(exported.str().find("Après la version 2") != std::string::npos);

  // Export: a catalog document with both versions.
  r = claire.get("/office/editor/export", {{"id", "place-jean-jaures"}});
  REQUIRE(r.status == 200);
  CHECK(rig.audits("consultation.export") == 1);
  const core::Catalog file = core::parse_catalog(r.body);
  CHECK(file.consultations.size() == 2);

  // Import: the newest version opens in the editor, nothing published.
  const std::size_t documents = rig.store->catalogs().size();
  json doc = json::parse(r.body);
  doc["consultations"][1]["id"] = "place-copie";
  claire.get("/office/consultations");
  r = claire.upload(doc.dump());
  CHECK(r.status == 200);
  CHECK(has(r, "importée"));
  CHECK(has(r, "name=\"id\" maxlength=\"64\" value=\"place-copie\""));  // a new one: its id editable
  CHECK(has(r, "value=\"Combien de fois passez-vous sur la place ?\""));
  CHECK(rig.store->catalogs().size() == documents);
  r = claire.upload("{\"consultations\": [");
  CHECK(r.status == 400);
  CHECK(has(r, "Ce fichier n’a pas été importé. À l’endroit $" + kNb + ":"));
  doc["consultations"][1]["questions"][0]["type"] = "slider";
  r = claire.upload(doc.dump());
  CHECK(r.status == 400);
  CHECK(has(r, "$.consultations[1].questions[0].type" + kNb + ": «" + kNb + "slider" + kNb + "» n’est pas un type de question connu"));
  CHECK(rig.store->catalogs().size() == documents);
}

TEST_CASE("consultation editor: quartiers and channels ticked, refused in French when unknown, published to devices, exported and imported") {
  test::TempDir dir;
  Rig rig((dir.path() / "editor3.db").string());
  rig.account("Claire", server::Role::coordinator);
  Browser claire{rig};
  REQUIRE(claire.login("Claire").status == 303);
  const std::size_t documents = rig.store->catalogs().size();

  // The boxes: the town's quartiers (not its « outside ») and the channels captures carry.
  auto r = claire.get("/office/editor");
  REQUIRE(r.status == 200);
  CHECK(has(r, "name=\"neighbourhoods\" value=\"gare\""));
  CHECK(has(r, "name=\"neighbourhoods\" value=\"bords-de-loire\""));
  CHECK_FALSE(has(r, "name=\"neighbourhoods\" value=\"hors-commune\""));
  for (const char* channel : {"door_to_door", "market", "kiosk", "assembly", "school", "other", "web"})
    CHECK(has(r, std::string("name=\"channels\" value=\"") + channel + "\""));
  CHECK(has(r, ">formulaire web</label>"));
  CHECK(has(r, ">porte-à-porte</label>"));
  CHECK(has(r, "<script src=\"/static/app/editor.js\" defer></script>"));

  // Unknown ones (a hand-made post, as an imported file may bring): refused in French, naming the field.
  json velo = kNew;
  velo["neighbourhoods"] = {"gare", "lune"};
  auto f = fields_of(velo, true, 0);
  f["action"] = "publish";
  r = claire.post_ticked(f, ticked_of(velo));
  CHECK(r.status == 400);
  CHECK(has(r, as_html("Rien n’a été publié. À corriger — Quartiers" + kNb + ": «" + kNb + "lune" + kNb + "» n’est pas un quartier de la commune")));
  velo["neighbourhoods"] = {"hors-commune"};
  r = claire.post_ticked(f, ticked_of(velo));
  CHECK(r.status == 400);
  CHECK(has(r, as_html("Quartiers" + kNb + ": «" + kNb + "hors-commune" + kNb + "» n’est pas un quartier de la commune")));
  velo["neighbourhoods"] = {"gare", "centre"};
  velo["channels"] = {"kiosk", "fax"};
  r = claire.post_ticked(f, ticked_of(velo));
  CHECK(r.status == 400);
  CHECK(has(r, as_html("Canaux" + kNb + ": «" + kNb + "fax" + kNb + "» n’est pas un canal connu")));
  CHECK(rig.store->catalogs().size() == documents);

  // Re-rendered (a button that is not « Publier »): the boxes stay ticked, the quartier
  // question's preview offers the ticked quartiers only.
  velo["channels"] = {"kiosk", "market"};
  f["action"] = "preview";
  r = claire.post_ticked(f, ticked_of(velo));
  CHECK(r.status == 200);
  CHECK(has(r, "name=\"neighbourhoods\" value=\"gare\" aria-describedby=\"c-quartiers-help\" checked>"));
  CHECK(has(r, "name=\"neighbourhoods\" value=\"bois-joli\" aria-describedby=\"c-quartiers-help\">"));
  CHECK(has(r, "name=\"channels\" value=\"market\" aria-describedby=\"c-channels-help\" checked>"));
  CHECK(has(r, "<li>○ Quartier de la Gare</li>"));
  CHECK_FALSE(has(r, "<li>○ Les Bois-Joli</li>"));
  CHECK_FALSE(has(r, "<li>○ J’habite hors de la commune</li>"));

  // Published: what a device syncs (the merged catalog's JSON, read by core as devices read it)
  // holds them, and they mean something there.
  f["action"] = "publish";
  r = claire.post_ticked(f, ticked_of(velo));
  if (r.status != 303) FAIL(r.body);
  const core::Catalog device = core::parse_catalog(server::merge_catalogs(rig.store->catalogs()).json);
  const core::Consultation* published = device.latest("velo-2027");
  REQUIRE(published);
  CHECK(published->neighbourhoods == std::vector<std::string>{"gare", "centre"});
  CHECK(published->channels == std::vector<core::Channel>{core::Channel::kiosk, core::Channel::market});
  CHECK(published->offered_on(core::Channel::kiosk));
  CHECK_FALSE(published->offered_on(core::Channel::web));
  CHECK_FALSE(published->offered_on(core::Channel::door_to_door));
  std::vector<std::string> offered;
  for (const auto& o : published->find_question("quartier")->options) offered.push_back(o.id);
  CHECK(offered == std::vector<std::string>{"centre", "gare"});  // the town's order
  std::vector<std::string> on_kiosks, at_doors;
  for (const auto* c : device.offered_on(core::Channel::kiosk)) on_kiosks.push_back(c->id);
  for (const auto* c : device.offered_on(core::Channel::door_to_door)) at_doors.push_back(c->id);
  CHECK(std::find(on_kiosks.begin(), on_kiosks.end(), "velo-2027") != on_kiosks.end());
  CHECK(std::find(at_doors.begin(), at_doors.end(), "velo-2027") == at_doors.end());
  CHECK(std::find(at_doors.begin(), at_doors.end(), "place-jean-jaures") != at_doors.end());  // names none: everywhere

  // The list says where each runs and is offered.
  r = claire.get("/office/consultations");
  CHECK(has(r, "<td>Centre-ville, Quartier de la Gare</td><td>borne, marché</td>"));
  CHECK(has(r, "<td>toute la commune</td><td>tous</td>"));

  // Opened again: the boxes as published.
  r = claire.get("/office/editor", {{"id", "velo-2027"}});
  CHECK(has(r, "name=\"neighbourhoods\" value=\"centre\" aria-describedby=\"c-quartiers-help\" checked>"));
  CHECK(has(r, "name=\"channels\" value=\"kiosk\" aria-describedby=\"c-channels-help\" checked>"));
  CHECK(has(r, "name=\"channels\" value=\"web\" aria-describedby=\"c-channels-help\">"));

  // Exported: the catalog JSON carries them; imported back, they are ticked.
  r = claire.get("/office/editor/export", {{"id", "velo-2027"}});
  REQUIRE(r.status == 200);
  json doc = json::parse(r.body);
  CHECK(doc["consultations"][0]["neighbourhoods"] == json({"gare", "centre"}));
  CHECK(doc["consultations"][0]["channels"] == json({"kiosk", "market"}));
  doc["consultations"][0]["id"] = "velo-copie";
  claire.get("/office/consultations");
  r = claire.upload(doc.dump());
  CHECK(r.status == 200);
  CHECK(has(r, "name=\"channels\" value=\"market\" aria-describedby=\"c-channels-help\" checked>"));

  // A file from a town with another quartier: shown ticked and named, never dropped silently.
  doc["town"]["neighbourhoods"].push_back({{"id", "lune"}, {"label", {{"fr", "La Lune"}}}});
  doc["consultations"][0]["neighbourhoods"] = {"lune"};
  r = claire.upload(doc.dump());
  CHECK(r.status == 200);
  CHECK(has(r, "name=\"neighbourhoods\" value=\"lune\" aria-describedby=\"c-quartiers-help\" checked>"));
  CHECK(has(r, "lune (inconnu ici)"));

  // A catalog written before these fields (none of them) still imports, and publishes for
  // the whole town on every channel.
  doc["consultations"][0].erase("neighbourhoods");
  doc["consultations"][0].erase("channels");
  r = claire.upload(doc.dump());
  CHECK(r.status == 200);
  CHECK(has(r, "importée"));
  CHECK_FALSE(has(r, "aria-describedby=\"c-quartiers-help\" checked>"));
  CHECK_FALSE(has(r, "aria-describedby=\"c-channels-help\" checked>"));
  json old = doc["consultations"][0];
  auto g = fields_of(old, true, 0);
  g["action"] = "publish";
  r = claire.post_ticked(g, ticked_of(old));
  if (r.status != 303) FAIL(r.body);
  const core::Catalog after = core::parse_catalog(server::merge_catalogs(rig.store->catalogs()).json);
  REQUIRE(after.latest("velo-copie"));
  CHECK(after.latest("velo-copie")->offered_on(core::Channel::web));
  CHECK(after.latest("velo-copie")->neighbourhoods.empty());
}

TEST_CASE("consultation editor: the preview in the language chosen, hostile text shown as text") {
  test::TempDir dir;
  Rig rig((dir.path() / "editor4.db").string());
  rig.account("Claire", server::Role::coordinator);
  Browser claire{rig};
  REQUIRE(claire.login("Claire").status == 303);
  claire.get("/office/editor");
  json velo = kNew;
  velo["questions"][0]["label"] = {{"fr", "<img src=x onerror=alert(1)>"}, {"ar", "هل تركب الدراجة؟"}};
  velo["questions"][0]["options"][0]["label"] = {{"fr", "Souvent"}, {"en", "Often"}};
  auto f = fields_of(velo, true, 0);
  f["action"] = "preview";
  auto r = claire.post("/office/editor", f);
  CHECK(r.status == 200);
  CHECK_FALSE(has(r, "<img src=x"));
  CHECK(has(r, "<p class=\"fw-bold mb-1\">&lt;img src=x onerror=alert(1)&gt;</p>"));
  // The JavaScript's data: the town's lists in every language, escaped in its attribute.
  CHECK(has(r, "data-preview-data=\"{&quot;ages&quot;:"));
  f["preview_lang"] = "ar";
  r = claire.post("/office/editor", f);
  CHECK(has(r, "<option value=\"ar\" selected>Arabe</option>"));
  CHECK(has(r, "lang=\"ar\" dir=\"rtl\" data-preview-body>"));
  CHECK(has(r, "<p class=\"fw-bold mb-1\">هل تركب الدراجة؟</p>"));
  CHECK(has(r, "<li>○ Souvent</li>"));  // no Arabic: French, as residents are shown it
  CHECK(has(r, "<li>○ حي المحطة</li>"));  // the town's quartier in Arabic
  CHECK(has(r, "<li>○ 😠 غير راضٍ إطلاقًا</li>"));  // the public form's words in Arabic
  f["preview_lang"] = "en";
  r = claire.post("/office/editor", f);
  CHECK(has(r, "<li>○ Often</li>"));
  CHECK(has(r, "<li>○ 😀 Very happy</li>"));  // the public form's words in English
  CHECK(has(r, "<p class=\"fw-bold mb-1\">&lt;img src=x onerror=alert(1)&gt;</p>"));  // no English: French
}

TEST_CASE("consultation editor: a text in letters the kiosks cannot draw is named each time the consultation is opened") {
  test::TempDir dir;
  Rig rig((dir.path() / "editor5.db").string());
  rig.account("Claire", server::Role::coordinator);
  Browser claire{rig};
  REQUIRE(claire.login("Claire").status == 303);
  claire.get("/office/editor");
  json velo = kNew;
  velo["questions"][0]["label"]["fr"] = "Faites-vous du vélo ? 🚲";  // an emoji: no kiosk font has it
  auto f = fields_of(velo, true, 0);
  f["action"] = "publish";
  REQUIRE(claire.post("/office/editor", f).status == 303);  // published: a warning, not a refusal
  auto r = claire.get("/office/editor", {{"id", "velo-2027"}});
  REQUIRE(r.status == 200);
  CHECK(has(r, "class=\"alert alert-warning\" role=\"status\">Les bornes ne savent pas afficher certaines lettres de «\u00a0question "
               "pratique\u00a0» (fr)\u00a0: U+1F6B2 🚲"));
  // Version 2 without the emoji: nothing to say any more.
  f = fields_of(kNew, false, 1);
  f["action"] = "publish";
  REQUIRE(claire.post("/office/editor", f).status == 303);
  r = claire.get("/office/editor", {{"id", "velo-2027"}});
  REQUIRE(r.status == 200);
  CHECK(server::merge_catalogs(rig.store->catalogs()).catalog.latest("velo-2027")->version == 2);
  CHECK_FALSE(has(r, "alert-warning"));
}
