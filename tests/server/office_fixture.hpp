#pragma once
// Varied captures for the office's tests — opinions, ideas and sign-ins for the demo catalog,
// from three devices, over five weeks, on every channel, some just after local midnight, some
// in summer time — sent through the real API, and kept as sent so that a test can count them
// itself and compare with what the dashboard and the exports say.
#include <map>
#include <random>
#include <set>

#include "allervers/crypto/sealed_box.hpp"
#include "allervers/server/capture_filter.hpp"
#include "allervers/server/pass_keys.hpp"
#include "server_fixture.hpp"

namespace allervers::test {

// Comments residents leave (the "commentaire" free text), and whether each holds "école"
// whatever its case and accents: the test's own reckoning of a search.
struct Comment {
  const char* text;
  bool mentions_ecole;
};
inline constexpr Comment kComments[] = {
    {"Plus d’ombre l’été, s’il vous plaît !", false},
    {"Près de l’École Jules-Ferry, il faut des bancs", true},
    {"ÉCOLE : sécuriser la sortie", true},
    {"les enfants de l'ecole jouent ici", true},
    {"Des arbres, encore des arbres", false},
    {"=1+1 n’est pas une formule", false},
    {"@maire merci", false},
    {"-- trop de voitures", false},
    {"Bancs cassés depuis l’hiver; à réparer", false},
};

struct SentCapture {
  core::Capture capture;
  std::string device_name;
  std::string neighbourhood, age_bracket;  // what the capture says, "" when nothing
  std::string comment;                      // opinions' free text, "" when none
  bool mentions_ecole = false;
  std::string day;                          // the town's day, as core::local_day says it
};

struct OfficeData {
  std::vector<SentCapture> sent;
  std::vector<std::pair<core::Uuid, std::string>> devices;  // id, name
  std::string office_secret;                                // to open contacts
};

// `count` captures through `rig`'s API, from "Tablette 1" (the rig's device), "Tablette 2" and
// "Borne du hall", in batches of up to `batch` captures a device. All are accepted (the test
// fails otherwise).
inline OfficeData send_varied_captures(ApiRig& rig, int count, std::uint32_t seed = 7, std::size_t batch = 150) {
  OfficeData out;
  out.devices.emplace_back(rig.device, "Tablette 1");
  std::vector<std::string> tokens{rig.token};
  for (const char* name : {"Tablette 2", "Borne du hall"}) {
    auto [id, token] = rig.enrol(name);
    out.devices.emplace_back(id, name);
    tokens.push_back(token);
  }
  const auto now = rig.clock.now();
  out.office_secret = server::office_secret_key(*rig.store, now);
  const auto sealer = crypto::ContactSealer::from_base64(server::office_public_key(*rig.store, now));
  if (!sealer) throw std::runtime_error("no office key");

  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint32_t>(n)); };
  const char* quartiers[] = {"centre", "gare", "bois-joli", "pres-fleuris", "bords-de-loire", "hors-commune"};
  const char* ages[] = {"moins-18", "18-29", "30-44", "45-59", "60-74", "75-plus"};
  const char* frequences[] = {"tous-les-jours", "chaque-semaine", "parfois", "jamais"};
  const char* usages[] = {"marche", "traverser", "enfants", "terrasse", "stationner"};
  const char* priorites[] = {"ombre", "bancs", "jeux", "velos", "voitures", "evenements"};
  const char* themes[] = {"cadre-de-vie", "nature", "mobilites", "sport-loisirs", "solidarite", "culture"};
  const char* assemblies[] = {"conseil-centre-2026-12", "assemblee-bois-joli-2026-12"};
  const char* languages[] = {"fr", "fr", "fr", "en", "ar"};

  std::vector<std::int64_t> seq(out.devices.size(), 0);
  std::vector<std::vector<std::pair<std::int64_t, std::string>>> pending(out.devices.size());
  auto flush = [&](std::size_t d) {
    if (pending[d].empty()) return;
    sync::protocol::BatchRequest b;
    b.device = out.devices[d].first;
    b.sent_at = rig.clock.now();
    b.clock_offset_ms = 0;
    for (auto& [s, json] : pending[d]) b.records.push_back({s, json});
    const auto r = rig.api.handle(ApiRig::post("/api/v1/batches", sync::protocol::encode_batch(b), tokens[d]));
    if (r.status != 200) throw std::runtime_error("batch refused: " + r.body);
    const auto answer = sync::protocol::decode_batch_response(r.body);
    for (const auto& result : answer.results)
      if (result.status != sync::protocol::RecordStatus::accepted) throw std::runtime_error("capture refused: " + result.reason);
    pending[d].clear();
  };

  for (int i = 0; i < count; ++i) {
    const std::size_t d = static_cast<std::size_t>(pick(3));
    SentCapture s;
    core::Capture& c = s.capture;
    c.id = rig.ids.next(now.utc_ms);
    c.device = out.devices[d].first;
    s.device_name = out.devices[d].second;
    c.channel = core::kAllChannels[pick(6)];
    c.language = languages[pick(5)];
    // Within the last five weeks; one in five at 00:30 local (the day before in UTC); summer
    // time (+02:00) for some, as a device in another season would say.
    const std::int32_t offset = pick(4) == 0 ? 120 : 60;
    std::int64_t local_ms = now.utc_ms + offset * 60'000LL - (1 + pick(35)) * 86'400'000LL;
    if (pick(5) == 0) local_ms = local_ms - local_ms % 86'400'000LL + 30 * 60'000LL;
    c.captured_at = {local_ms - offset * 60'000LL, offset};
    const int kind = pick(20);
    if (kind < 14) {
      c.consultation = "place-jean-jaures";
      c.version = 1;
      core::Opinion o;
      o.answers["frequence"] = std::string(frequences[pick(4)]);
      if (pick(3) != 0) {
        std::vector<std::string> chosen;
        for (const char* u : usages)
          if (pick(2) == 0) chosen.push_back(u);
        if (!chosen.empty()) o.answers["usages"] = chosen;
      }
      o.answers["satisfaction"] = std::int64_t{1 + pick(5)};
      const bool trees = pick(3) != 0;
      o.answers["arbres"] = trees;
      if (!trees && pick(2) == 0) o.answers["arbres-pourquoi"] = std::string("Trop de feuilles à l’automne");
      std::vector<std::string> prio;
      for (const char* p : priorites)
        if (prio.size() < 3 && pick(3) == 0) prio.push_back(p);
      if (prio.empty()) prio.push_back(priorites[pick(6)]);
      o.answers["priorites"] = prio;
      o.answers["stationnement"] = std::int64_t{1 + pick(5)};
      if (pick(4) != 0) o.answers["quartier"] = s.neighbourhood = quartiers[pick(6)];
      if (pick(4) != 0) o.answers["age"] = s.age_bracket = ages[pick(6)];
      if (pick(2) == 0) {
        const Comment& m = kComments[pick(static_cast<int>(std::size(kComments)))];
        o.answers["commentaire"] = s.comment = m.text;
        s.mentions_ecole = m.mentions_ecole;
      }
      c.body = std::move(o);
    } else if (kind < 17) {
      c.consultation = "budget-participatif-2027";
      c.version = 1;
      core::Idea idea;
      idea.title = i % 7 == 0 ? "=HYPERLINK(\"http://x\";\"clic\")" : "Un jardin partagé n°" + std::to_string(i);
      idea.description = "Planter des légumes avec les voisins; \"ensemble\".\nDeuxième ligne.";
      idea.theme = themes[pick(6)];
      idea.neighbourhood = s.neighbourhood = quartiers[pick(5)];
      if (pick(2) == 0) idea.place = "Square Victor-Hugo";
      if (pick(2) == 0) idea.estimated_cost_eur = 1000 * (1 + pick(100));
      if (pick(3) == 0) idea.contact = core::SealedContact{true, sealer->seal("marie.dupont@example.org")};
      c.body = std::move(idea);
    } else {
      core::SignIn signin;
      signin.assembly = assemblies[pick(2)];
      if (pick(2) == 0) signin.pass = "PASS" + std::to_string(i);
      if (pick(3) != 0) signin.neighbourhood = s.neighbourhood = quartiers[pick(6)];
      if (pick(3) != 0) signin.age_bracket = s.age_bracket = ages[pick(6)];
      signin.invite_consent = pick(2) == 0;
      c.body = std::move(signin);
    }
    s.day = core::local_day(c.captured_at);
    pending[d].emplace_back(++seq[d], core::canonical_json(c));
    out.sent.push_back(std::move(s));
    if (pending[d].size() >= batch) flush(d);
  }
  for (std::size_t d = 0; d < pending.size(); ++d) flush(d);
  return out;
}

// Whether the test's own reading of a filter keeps a capture.
inline bool keeps(const server::CaptureFilter& f, const SentCapture& s) {
  const core::Capture& c = s.capture;
  if (!f.consultation.empty() && c.consultation != f.consultation) return false;
  if (f.from_day && s.day < server::day_text(*f.from_day)) return false;
  if (f.to_day && s.day > server::day_text(*f.to_day)) return false;
  if (!f.neighbourhood.empty() && s.neighbourhood != f.neighbourhood) return false;
  if (!f.channel.empty() && core::to_string(c.channel) != f.channel) return false;
  if (!f.device.empty() && c.device.str() != f.device) return false;
  if (!f.kind.empty() && core::to_string(c.kind()) != f.kind) return false;
  return true;
}

}  // namespace allervers::test
