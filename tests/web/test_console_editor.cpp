// The consultation editor in-process: roles and CSRF; a new consultation built with plain form
// posts (a question, an option added by re-rendering), each fault refused in French with its
// place and nothing published; published as a catalog version devices sync; an existing
// consultation edited into version 2 while answers to version 1 stay accepted and exported;
// a stale form refused; the catalog JSON exported and imported (a bad file named where).
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
};

// The editor's fields for a consultation's JSON (as a person's browser would send the page).
void add_texts(std::map<std::string, std::string>& f, const std::string& name, const json& texts) {
  if (texts.is_string()) f[name + ".fr"] = texts.get<std::string>();
  else if (texts.is_object())
    for (const auto& [lang, v] : texts.items()) f[name + "." + lang] = v.get<std::string>();
}
std::map<std::string, std::string> fields_of(const json& c, bool is_new, int base_version) {
  std::map<std::string, std::string> f;
  json base = c;
  base.erase("questions");
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
  CHECK(has(r, "<li>○ Très content</li>"));
  CHECK(has(r, "<li>▸ Quartier de la Gare</li>"));
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
      {{{"q0.o1.id", "Jamais !"}}, "question 1, choix 2, Identifiant" + kNb + ":"},
      {{{"q2.label.fr", ""}}, "question 3, Libellé" + kNb + ":"},
      {{{"q1.show_if", "note"}}, "question 2, Poser seulement si la question" + kNb + ":"},
      {{{"q0.type", "slider"}}, "question 1, Type" + kNb + ":"},
      {{{"id", "place-jean-jaures"}}, "«" + kNb + "place-jean-jaures" + kNb + "» est déjà celui d'une consultation publiée"},
  };
  for (const auto& b : bad) {
    auto fields = fields_of(kNew, true, 0);
    for (const auto& [k, v] : b.change) fields[k] = v;
    fields["action"] = "publish";
    INFO(b.says);
    r = claire.post("/office/editor", fields);
    CHECK(r.status == 400);
    CHECK(has(r, as_html(b.says)));
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
  CHECK(has(r, "Ce fichier n&#39;a pas été importé. À l&#39;endroit $" + kNb + ":"));
  doc["consultations"][1]["questions"][0]["type"] = "slider";
  r = claire.upload(doc.dump());
  CHECK(r.status == 400);
  CHECK(has(r, "$.consultations[1].questions[0].type"));
  CHECK(rig.store->catalogs().size() == documents);
}
