// The capture line format: what a file or a batch may hold, and how shape errors are said.
#include <catch2/catch.hpp>

#include <random>

#include "allervers/core/capture_json.hpp"

using namespace allervers::core;

namespace {

CaptureDefaults defaults(UuidGenerator& ids) {
  return CaptureDefaults{ids.next(1'795'000'000'000), Instant{1'795'000'000'000, 60}, Channel::kiosk, "fr", &ids};
}

std::vector<std::string> fields(const ParsedCapture& p) {
  std::vector<std::string> out;
  for (const auto& e : p.errors) out.push_back(e.field + ":" + e.code);
  return out;
}

}  // namespace

TEST_CASE("a minimal opinion line takes its id, time, channel and device from the defaults", "[capture_json]") {
  UuidGenerator ids(3);
  const auto d = defaults(ids);
  const auto p = capture_from_json_text(R"({"kind":"opinion","consultation":"c","answers":{"q":"a","n":3,"b":true,"m":["x","y"],"skip":null}})", d);
  REQUIRE(p.capture);
  CHECK_FALSE(p.id_given);
  CHECK(p.capture->id.version() == 7);
  CHECK(p.capture->device == d.device);
  CHECK(p.capture->channel == Channel::kiosk);
  CHECK(p.capture->captured_at == d.now);
  CHECK(p.capture->version == 0);  // the caller picks the consultation's current version
  const auto& answers = p.capture->opinion()->answers;
  CHECK(answers.size() == 4);
  CHECK(std::get<std::int64_t>(answers.at("n")) == 3);
  CHECK(std::get<bool>(answers.at("b")));
  CHECK(std::get<std::vector<std::string>>(answers.at("m")).size() == 2);
}

TEST_CASE("captures round-trip through canonical JSON byte for byte", "[capture_json]") {
  UuidGenerator ids(4);
  const auto d = defaults(ids);
  const char* lines[] = {
      R"({"kind":"idea","consultation":"b","version":2,"language":"en","channel":"school","captured_at":"2026-11-19T16:40:00+01:00","idea":{"title":"T","description":"D","theme":"t","neighbourhood":"n","place":"P","estimated_cost_eur":12,"contact":{"consent":true,"sealed":"abc="}}})",
      R"({"kind":"signin","signin":{"assembly":"a","pass":"p","neighbourhood":"n","age_bracket":"x","invite_consent":true}})",
      R"({"kind":"opinion","consultation":"c","version":1,"answers":{"q":"é « » ’"}})",
      R"({"kind":"ballot","ballot":{"vote":"v","projects":["b","a"],"voter":"00ff","receipt":"K7M29QXD","age_confirmed":true,"paper":true}})"};
  for (const char* line : lines) {
    const auto first = capture_from_json_text(line, d);
    REQUIRE(first.capture);
    const std::string canonical = canonical_json(*first.capture);
    CaptureDefaults keep;  // read back without overriding anything
    const auto second = capture_from_json_text(canonical, keep);
    REQUIRE(second.capture);
    CHECK(*second.capture == *first.capture);
    CHECK(canonical_json(*second.capture) == canonical);
  }
}

// The server compares a re-sent capture's canonical text with the one it stored, perhaps years
// ago: written directly (not through a JSON value) it must stay the dump of the capture's JSON
// value, byte for byte, whatever the kind, the optional fields and the text in them.
TEST_CASE("canonical JSON is the capture's JSON value dumped, for every kind and optional field", "[capture_json]") {
  std::mt19937 rng(12);
  const std::vector<std::string> texts = {"", "a", "é « » ’", "ب ؟", "😀", "\"q\" \\ /", "\n\t\x01\x7f", "\xFF\xC3", "ok",
                                          "\xED\xA0\x80", std::string("nul\0byte", 8), "Place Jean-Jaurès"};
  const auto text = [&] { return texts[std::uniform_int_distribution<std::size_t>(0, texts.size() - 1)(rng)]; };
  const auto coin = [&] { return std::uniform_int_distribution<int>(0, 1)(rng) == 1; };
  const auto number = [&] { return std::uniform_int_distribution<std::int64_t>(INT64_MIN, INT64_MAX)(rng) >> (rng() % 64); };
  const auto some = [&] {
    std::vector<std::string> out;
    for (int n = std::uniform_int_distribution<int>(0, 3)(rng); n > 0; --n) out.push_back(text());
    return out;
  };
  UuidGenerator ids(9);
  for (int i = 0; i < 20'000; ++i) {
    Capture c;
    c.id = ids.next(1'795'000'000'000 + i);
    c.device = ids.next(1'795'000'000'000);
    c.channel = kAllChannels[static_cast<std::size_t>(i) % std::size(kAllChannels)];
    c.language = text();
    c.captured_at = Instant{number() >> 20, std::uniform_int_distribution<int>(-840, 840)(rng)};
    c.consultation = coin() ? text() : "";
    c.version = std::uniform_int_distribution<std::int32_t>(-1, 3)(rng);
    switch (i % 4) {
      case 0: {
        Opinion o;
        for (int n = std::uniform_int_distribution<int>(0, 6)(rng); n > 0; --n) {
          switch (rng() % 4) {
            case 0: o.answers[text()] = text(); break;
            case 1: o.answers[text()] = some(); break;
            case 2: o.answers[text()] = number(); break;
            default: o.answers[text()] = coin();
          }
        }
        c.body = o;
        break;
      }
      case 1: {
        Idea idea{text(), text(), text(), text(), coin() ? text() : "", {}, {}};
        if (coin()) idea.estimated_cost_eur = number();
        if (coin()) idea.contact = SealedContact{coin(), text()};
        c.body = idea;
        break;
      }
      case 2: c.body = SignIn{text(), coin() ? text() : "", coin() ? text() : "", coin() ? text() : "", coin()}; break;
      default: {
        Ballot b;
        b.vote = text();
        b.projects = some();
        b.voter = text();
        b.receipt = text();
        b.age_confirmed = coin();
        b.paper = coin();
        c.body = b;
      }
    }
    const std::string dumped = capture_to_json(c).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    INFO(dumped);
    REQUIRE(canonical_json(c) == dumped);
  }
}

TEST_CASE("a date alone means noon, local time (paper questionnaires)", "[capture_json]") {
  UuidGenerator ids(5);
  const auto p = capture_from_json_text(R"({"kind":"signin","captured_at":"2026-11-20","signin":{"assembly":"a"}})", defaults(ids));
  REQUIRE(p.capture);
  CHECK(local_day(p.capture->captured_at) == "2026-11-20");
}

TEST_CASE("shape errors name each field", "[capture_json]") {
  UuidGenerator ids(6);
  const auto d = defaults(ids);
  CHECK(fields(capture_from_json_text("[1,2]", d)) == std::vector<std::string>{"record:wrong_type"});
  CHECK(fields(capture_from_json_text("{\"kind\":", d)) == std::vector<std::string>{"record:invalid_json"});
  CHECK(fields(capture_from_json_text(R"({"kind":"vote"})", d)) == std::vector<std::string>{"kind:unknown_kind"});
  CHECK(fields(capture_from_json_text(R"({"answers":{}})", d)) == std::vector<std::string>{"kind:required"});
  CHECK(fields(capture_from_json_text(R"({"kind":"opinion","id":"42","answers":{}})", d)) ==
        std::vector<std::string>{"id:invalid_id"});
  CHECK(fields(capture_from_json_text(R"({"kind":"opinion","answers":{"q":{"nested":1}}})", d)) ==
        std::vector<std::string>{"answers.q:wrong_type"});
  CHECK(fields(capture_from_json_text(R"({"kind":"opinion","answers":{},"idea":{}})", d)) ==
        std::vector<std::string>{"idea:unexpected_field"});
  CHECK(fields(capture_from_json_text(R"({"kind":"opinion","answers":{},"channel":"tiktok","captured_at":"hier","versoin":2})", d)) ==
        std::vector<std::string>{"versoin:unknown_field", "channel:unknown_channel", "captured_at:invalid_time"});
  CHECK(fields(capture_from_json_text(R"({"kind":"idea","idea":{"title":5,"estimated_cost_eur":"12 €","extra":1}})", d)) ==
        std::vector<std::string>{"idea.extra:unknown_field", "idea.title:wrong_type", "idea.estimated_cost_eur:wrong_type"});
  CHECK(fields(capture_from_json_text(R"({"kind":"opinion","version":0,"answers":{}})", d)) ==
        std::vector<std::string>{"version:wrong_type"});
}

TEST_CASE("hostile records are refused without harm", "[capture_json]") {
  UuidGenerator ids(8);
  const auto d = defaults(ids);
  CHECK(fields(capture_from_json_text(std::string(1024 * 1024, '['), d)) == std::vector<std::string>{"record:too_long"});
  CHECK(fields(capture_from_json_text("{\"kind\":\"opinion\",\"answers\":{\"q\":\"\xff\"}}", d)) ==
        std::vector<std::string>{"record:invalid_json"});  // invalid UTF-8 never gets past the JSON reader
  CHECK(fields(capture_from_json_text(R"({"kind":"opinion","answers":{"q":"\ud800"}})", d)) ==
        std::vector<std::string>{"record:invalid_json"});  // a lone surrogate either
  // A NUL escaped in JSON gets through the reader: validation refuses it (see test_validation).
  const auto nul = capture_from_json_text(R"({"kind":"opinion","answers":{"q":"a\u0000b"}})", d);
  REQUIRE(nul.capture);
  CHECK(std::get<std::string>(nul.capture->opinion()->answers.at("q")).size() == 3);
  // A raw NUL byte: the JSON reader would stop there as at the end and drop what follows unseen.
  using namespace std::string_literals;
  const auto raw = capture_from_json_text("{\"kind\":\"opinion\",\"answers\":{\"q\":\"a\"}}\0 and what follows"s, d);
  CHECK(fields(raw) == std::vector<std::string>{"record:invalid_json"});
  REQUIRE_FALSE(raw.errors.empty());
  CHECK(raw.errors[0].message.find("NUL byte at byte 39") != std::string::npos);
}
