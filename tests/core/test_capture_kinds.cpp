// The registry of capture kinds: one entry per body type, in order, and everything that is
// said by kind — the record's "kind", the key of its body, what a consultation offers — read
// from it. A new kind that forgets part of its entry fails here.
#include <catch2/catch.hpp>

#include <set>
#include <utility>

#include "allervers/core/capture_json.hpp"
#include "allervers/core/consultation.hpp"
#include "test_support.hpp"

using namespace allervers::core;

namespace {

// A capture of every kind, each with a default body: the registry's order, checked by type.
template <std::size_t... I>
std::vector<Capture> one_of_each(std::index_sequence<I...>) {
  UuidGenerator ids(11);
  std::vector<Capture> out;
  (out.push_back(Capture{ids.next(1'795'000'000'000), ids.next(1'795'000'000'000), "c", 1, Channel::kiosk, "fr",
                         Instant{1'795'000'000'000, 60}, CaptureBody(std::in_place_index<I>)}),
   ...);
  return out;
}

}  // namespace

TEST_CASE("each kind has one entry, in the order of the body types, with its own names", "[kinds]") {
  std::set<std::string_view> names, keys;
  for (std::size_t i = 0; i < kCaptureKinds.size(); ++i) {
    const CaptureKindInfo& k = kCaptureKinds[i];
    CHECK(static_cast<std::size_t>(k.kind) == i);
    CHECK(&info(k.kind) == &k);
    CHECK(find_capture_kind(k.name) == &k);
    CHECK(capture_kind_from(k.name) == k.kind);
    CHECK(to_string(k.kind) == k.name);
    CHECK_FALSE(k.plural.empty());
    // Every kind names its app screen (the ballot's is the vote booth, docs/app.md).
    CHECK_FALSE(k.screen.empty());
    CHECK(names.insert(k.name).second);
    CHECK(keys.insert(k.body_key).second);
  }
  CHECK_FALSE(find_capture_kind("vote"));
  CHECK(capture_kind_names() == "opinion, idea, signin, ballot");
  CHECK(capture_kind_names(" or ") == "opinion, idea, signin or ballot");
}

TEST_CASE("a capture of each kind is written under its kind's key and read back the same", "[kinds]") {
  for (const Capture& c : one_of_each(std::make_index_sequence<kCaptureKindCount>{})) {
    const CaptureKindInfo& k = info(c.kind());
    const nlohmann::json j = capture_to_json(c);
    CHECK(j.at("kind") == k.name);
    CHECK(j.contains(std::string(k.body_key)));
    for (const auto& other : kCaptureKinds)
      if (other.kind != k.kind) CHECK_FALSE(j.contains(std::string(other.body_key)));
    const auto back = capture_from_json_text(canonical_json(c), CaptureDefaults{});
    REQUIRE(back.capture);
    CHECK(back.capture->kind() == c.kind());
    CHECK(*back.capture == c);
  }
}

TEST_CASE("a record's body must be under its kind's key, and only there", "[kinds]") {
  for (const auto& k : kCaptureKinds) {
    const std::string base = R"({"id":"019ab0c2-5e00-7000-8000-00000000a001","device":"019ab0c2-5e00-7000-8000-00000000a002","kind":")" +
                             std::string(k.name) + "\"";
    const auto missing = capture_from_json_text(base + "}", CaptureDefaults{});
    REQUIRE(missing.errors.size() == 1);
    CHECK(missing.errors[0].field == k.body_key);
    CHECK(missing.errors[0].code == "required");
    for (const auto& other : kCaptureKinds) {
      if (other.kind == k.kind) continue;
      const auto misplaced = capture_from_json_text(base + ",\"" + std::string(other.body_key) + "\":{}}", CaptureDefaults{});
      bool said = false;
      for (const auto& e : misplaced.errors) said = said || (e.field == other.body_key && e.code == "unexpected_field");
      CHECK(said);
    }
  }
}

TEST_CASE("what a consultation offers residents is read from the registry", "[kinds]") {
  const Catalog catalog = parse_catalog(allervers::test::read_file(allervers::test::assets_dir() / "demo/catalog.json"));
  CHECK(offered_kinds(*catalog.latest("place-jean-jaures")) == std::vector{CaptureKind::opinion});
  CHECK(offered_kinds(*catalog.latest("budget-participatif-2027")) == std::vector{CaptureKind::idea});
  Consultation both = *catalog.latest("place-jean-jaures");
  both.ideas.enabled = true;
  CHECK(offered_kinds(both) == std::vector{CaptureKind::opinion, CaptureKind::idea});
  both.questions.clear();
  both.ideas.enabled = false;
  CHECK(offered_kinds(both).empty());
  CHECK_FALSE(info(CaptureKind::signin).consultation_required);
  CHECK(info(CaptureKind::idea).sealed_contact == "contact");
}
