// The wire format on its own: what the device encodes, the server decodes, and back.
#include <catch2/catch.hpp>

#include "allervers/sync/protocol.hpp"
#include "allervers/sync/tuning.hpp"

using namespace allervers;
namespace protocol = allervers::sync::protocol;

namespace {
const core::Uuid kDevice = *core::Uuid::parse("01a206a8-5b1f-701e-adb5-16f490b6ce17");
const core::Instant kNow{1'795'000'000'000, 60};
}  // namespace

TEST_CASE("a batch encodes the canonical records as they are and decodes back") {
  protocol::BatchRequest b{kDevice, kNow, -1500, 42, {{7, R"({"id":"a","kind":"opinion"})"}, {8, R"({"x":[1,2]})"}}};
  const auto text = protocol::encode_batch(b);
  CHECK(text.find(R"({"seq":7,"capture":{"id":"a","kind":"opinion"}})") != std::string::npos);
  const auto parsed = protocol::decode_batch(text, 10);
  CHECK(parsed.device == kDevice);
  CHECK(parsed.sent_at == kNow);
  CHECK(parsed.clock_offset_ms == -1500);
  CHECK(parsed.pending_after == 42);
  REQUIRE(parsed.records.size() == 2);
  CHECK(parsed.records[0].seq == 7);
  CHECK(parsed.records[1].capture["x"][1] == 2);
  CHECK_THROWS_AS(protocol::decode_batch(text, 1), protocol::ProtocolError);  // over the record limit
}

TEST_CASE("a batch envelope with a wrong type names the field") {
  auto field_of = [](const std::string& body) {
    try {
      protocol::decode_batch(body, 10);
    } catch (const protocol::ProtocolError& e) {
      return e.field();
    }
    return std::string("(accepted)");
  };
  CHECK(field_of("{") == "body");
  CHECK(field_of("[]") == "body");
  CHECK(field_of(R"({"sent_at":"2026-11-23T10:00:00.000+01:00","records":[]})") == "device");
  CHECK(field_of(R"({"device":"01a206a8-5b1f-701e-adb5-16f490b6ce17","sent_at":"hier","records":[]})") == "sent_at");
  CHECK(field_of(R"({"device":"01a206a8-5b1f-701e-adb5-16f490b6ce17","sent_at":"2026-11-23T10:00:00.000+01:00","records":{}})") == "records");
  CHECK(field_of(R"({"device":"01a206a8-5b1f-701e-adb5-16f490b6ce17","sent_at":"2026-11-23T10:00:00.000+01:00","records":[5,{"seq":-1}]})") ==
        "(accepted)");  // bad records are the per-record rules' business, not the envelope's
  CHECK(field_of("{\"a\":" + std::string(40, '[') + std::string(40, ']') + "}") == "body");
}

TEST_CASE("a batch response round-trips and counts each status") {
  protocol::BatchResponse r;
  r.batch = "b1";
  r.server_time = kNow;
  r.results = {{"id-1", 1, protocol::RecordStatus::accepted, "", ""},
               {"id-2", 2, protocol::RecordStatus::duplicate, "", ""},
               {"id-3", 3, protocol::RecordStatus::rejected, "unknown_consultation", "consultation: \"x\" is not known"}};
  const auto back = protocol::decode_batch_response(protocol::encode_batch_response(r));
  CHECK(back.accepted == 1);
  CHECK(back.duplicates == 1);
  CHECK(back.rejected == 1);
  CHECK(back.results[2].code == "unknown_consultation");
  CHECK(back.results[2].reason == "consultation: \"x\" is not known");
  CHECK_THROWS_AS(protocol::decode_batch_response(R"({"batch":"b","server_time":"2026-11-23T10:00:00.000+01:00","results":[{"id":"x","seq":1,"status":"maybe"}]})"),
                  protocol::ProtocolError);
}

// The answer is written directly: the same bytes as the JSON value it once was built as.
TEST_CASE("a batch response is the JSON a value of its fields would dump, escapes included") {
  protocol::BatchResponse r;
  r.batch = "b1";
  r.server_time = kNow;
  r.accepted = 1;
  r.duplicates = 1;
  r.rejected = 2;
  r.results = {{"id-1", 1, protocol::RecordStatus::accepted, "", ""},
               {"id-2", 2, protocol::RecordStatus::duplicate, "", ""},
               {"\xFF\"id\n", 3, protocol::RecordStatus::rejected, "invalid", "answers.\"é\": \x01 \\ ؟ 😀"},
               {"", -1, protocol::RecordStatus::rejected, "invalid_seq", "seq: every record needs one"}};
  nlohmann::json results = nlohmann::json::array();
  for (const auto& rr : r.results) {
    nlohmann::json e{{"id", rr.id}, {"seq", rr.seq}, {"status", protocol::to_string(rr.status)}};
    if (rr.status == protocol::RecordStatus::rejected) {
      e["code"] = rr.code;
      e["reason"] = rr.reason;
    }
    results.push_back(std::move(e));
  }
  const nlohmann::json value{{"batch", r.batch},  {"server_time", core::format_instant(r.server_time)}, {"accepted", r.accepted},
                             {"duplicates", r.duplicates}, {"rejected", r.rejected}, {"results", results}};
  CHECK(protocol::encode_batch_response(r) == value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  r.results.clear();
  CHECK(nlohmann::json::parse(protocol::encode_batch_response(r))["results"] == nlohmann::json::array());
}

TEST_CASE("error bodies: ours are read - anything else becomes http_<status>") {
  const auto e = protocol::decode_error(401, protocol::encode_error({"unknown_token", "not known", "token"}));
  CHECK(e.error == "unknown_token");
  CHECK(e.field == "token");
  const auto proxy = protocol::decode_error(502, "<html>Bad Gateway</html>");
  CHECK(proxy.error == "http_502");
  CHECK(proxy.message.find("Bad Gateway") != std::string::npos);
}

TEST_CASE("enrolment links from the QR code") {
  const auto link = protocol::enrol_link("https://mairie.example/allervers", "ABCD-EFGH-JKMN-PQRS");
  CHECK(link == "allervers-enrol:https://mairie.example/allervers#ABCD-EFGH-JKMN-PQRS");
  const auto parsed = protocol::parse_enrol_link(link);
  REQUIRE(parsed);
  CHECK(parsed->first == "https://mairie.example/allervers");
  CHECK(parsed->second == "ABCD-EFGH-JKMN-PQRS");
  CHECK_FALSE(protocol::parse_enrol_link("https://mairie.example#CODE"));
  CHECK_FALSE(protocol::parse_enrol_link("allervers-enrol:https://x#"));
  const auto request = protocol::decode_enrol_request(protocol::encode_enrol_request({"CODE", kDevice, "Tablette"}));
  CHECK(request.device == kDevice);
  CHECK(request.device_name == "Tablette");
}

TEST_CASE("gzip: round trip - corrupt and truncated streams - and a size cap") {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += R"({"kind":"opinion","answers":{"q":)" + std::to_string(i) + "}}";
  const auto zipped = protocol::gzip_compress(text, sync::tuning::gzip_level);
  CHECK(zipped.size() < text.size() / 5);
  CHECK(protocol::gzip_decompress(zipped, text.size()) == text);
  CHECK_THROWS_AS(protocol::gzip_decompress(zipped, text.size() - 1), std::length_error);
  CHECK_THROWS_AS(protocol::gzip_decompress(zipped.substr(0, zipped.size() / 2), text.size()), protocol::ProtocolError);
  CHECK_THROWS_AS(protocol::gzip_decompress("plain text", 100), protocol::ProtocolError);
  CHECK_THROWS_AS(protocol::gzip_decompress(zipped + "x", text.size()), protocol::ProtocolError);
  CHECK(protocol::gzip_decompress(protocol::gzip_compress("", 6), 10).empty());
}

TEST_CASE("bundle header and records") {
  const auto header = protocol::decode_bundle_header(protocol::encode_bundle_header({kDevice, "Tablette 3", kNow, 12, "", ""}));
  CHECK(header.device == kDevice);
  CHECK(header.records == 12);
  CHECK_THROWS_AS(protocol::decode_bundle_header(R"({"format":"allervers.bundle/9"})"), protocol::ProtocolError);
  CHECK_THROWS_WITH(protocol::decode_bundle_header(R"({"format":"allervers.bundle/1"})"), Catch::Contains("unsigned"));
  CHECK(protocol::encode_bundle_record({3, "{}"}) == R"({"seq":3,"capture":{}})");
  const auto signed_header =
      protocol::decode_bundle_header(protocol::encode_bundle_header({kDevice, "Tablette 3", kNow, 12, "AVC1-X", "b2ZmaWNl"}));
  CHECK(signed_header.certificate == "AVC1-X");
  CHECK(signed_header.sealed_for == "b2ZmaWNl");
  CHECK(protocol::decode_bundle_signature(protocol::encode_bundle_signature("c2ln")) == "c2ln");
  CHECK(protocol::decode_bundle_signature(protocol::encode_bundle_signature("")).empty());
  CHECK_THROWS_AS(protocol::decode_bundle_signature(R"({"seq":1,"capture":{}})"), protocol::ProtocolError);
  CHECK(protocol::bundle_signed_text("h", "s") == "h\ns");
}

TEST_CASE("passes on the wire: enrolment with a device key - pass keys - certificates - older bodies still read") {
  protocol::EnrolRequest request{"CODE", kDevice, "Borne", "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE="};
  CHECK(protocol::decode_enrol_request(protocol::encode_enrol_request(request)).device_public_key == request.device_public_key);
  // An older device sends no key; an older server sends no keys back.
  CHECK(protocol::decode_enrol_request(R"({"code":"C","device":")" + kDevice.str() + R"("})").device_public_key.empty());
  const auto old = protocol::decode_enrol_response(R"({"device":")" + kDevice.str() +
                                                   R"(","name":"T","token":"t","server_time":"2026-11-23T10:15:00.000+00:00"})");
  CHECK(old.town_key.empty());
  CHECK(old.device_certificate.empty());
  protocol::EnrolResponse response{kDevice, "T", "t", {1'800'000'000'000, 0}, "AVK1-X", "b2ZmaWNl", "AVC1-Y"};
  const auto back = protocol::decode_enrol_response(protocol::encode_enrol_response(response));
  CHECK(back.town_key == "AVK1-X");
  CHECK(back.office_public_key == "b2ZmaWNl");
  CHECK(back.device_certificate == "AVC1-Y");
  CHECK_THROWS_AS(protocol::decode_enrol_request(R"({"code":"C","device":")" + kDevice.str() + R"(","device_public_key":3})"),
                  protocol::ProtocolError);

  protocol::PassKeys keys;
  keys.town_key = "AVK1-X";
  keys.office_public_key = "b2ZmaWNl";
  keys.certificates = {"AVC1-A", "AVC1-B"};
  keys.revocations = {{"passes", {"0123456789"}}, {"certificates", {3}}};
  const auto keys_back = protocol::decode_pass_keys(protocol::encode_pass_keys(keys));
  CHECK(keys_back.certificates == keys.certificates);
  CHECK(keys_back.revocations == keys.revocations);
  CHECK_THROWS_AS(protocol::decode_pass_keys(R"({"town_key":"AVK1-X","certificates":[1],"revocations":{"passes":[],"certificates":[]}})"),
                  protocol::ProtocolError);
  CHECK_THROWS_AS(protocol::decode_pass_keys(R"({"town_key":"AVK1-X","certificates":[],"revocations":[]})"), protocol::ProtocolError);
  CHECK(protocol::decode_certificate_response(protocol::encode_certificate_response({"AVC1-Z"})).device_certificate == "AVC1-Z");
  CHECK_THROWS_AS(protocol::decode_certificate_request("{}"), protocol::ProtocolError);
}

TEST_CASE("transport: https - http to this machine - plain http elsewhere - anything else") {
  using allervers::sync::protocol::Transport;
  using allervers::sync::protocol::transport_of;
  CHECK(transport_of("https://mairie.example.fr") == Transport::https);
  CHECK(transport_of("HTTPS://mairie.example.fr:8443/") == Transport::https);
  CHECK(transport_of("http://127.0.0.1:8080") == Transport::loopback_http);
  CHECK(transport_of("http://127.3.2.1/") == Transport::loopback_http);
  CHECK(transport_of("http://localhost:8080") == Transport::loopback_http);
  CHECK(transport_of("http://LOCALHOST") == Transport::loopback_http);
  CHECK(transport_of("http://[::1]:8080") == Transport::loopback_http);
  CHECK(transport_of("http://mairie.example.fr") == Transport::plain_http);
  CHECK(transport_of("http://192.168.1.10:8080") == Transport::plain_http);
  CHECK(transport_of("http://127.0.0.1.evil.example") == Transport::plain_http);
  CHECK(transport_of("http://127.0.0.1@evil.example") == Transport::plain_http);  // user info, then the host
  CHECK(transport_of("http://localhost.evil.example") == Transport::plain_http);
  CHECK(transport_of("http://[2001:db8::1]:8080") == Transport::plain_http);
  CHECK(transport_of("http://1270.0.0.1") == Transport::plain_http);
  CHECK(transport_of("ftp://mairie.example.fr") == Transport::unsupported);
  CHECK(transport_of("mairie.example.fr") == Transport::unsupported);
  CHECK(transport_of("http://") == Transport::unsupported);
}

// The outcomes are written as text directly (they go to every device at each sync); their bytes,
// and so their ETag, are those of the JSON values' dump, whatever the text holds.
TEST_CASE("outcomes on the wire: the text written directly is the JSON dump's, byte for byte") {
  auto as_json = [](const protocol::Outcomes& o) {
    nlohmann::json ideas = nlohmann::json::array(), ballots = nlohmann::json::array();
    for (const auto& i : o.ideas) {
      nlohmann::json j{{"key", i.key}, {"title", i.title}, {"state", i.state}, {"updated_ms", i.updated_ms}};
      if (!i.answer.empty()) j["answer"] = i.answer;
      if (!i.merged_into.empty()) j["merged_into"] = i.merged_into;
      nlohmann::json milestones = nlohmann::json::array();
      for (const auto& m : i.milestones) milestones.push_back({{"day", m.day}, {"text", m.text}});
      if (!milestones.empty()) j["milestones"] = milestones;
      ideas.push_back(j);
    }
    for (const auto& b : o.ballots) ballots.push_back({{"vote", b.vote}, {"counted", b.counted}, {"flagged", b.flagged}});
    nlohmann::json j{{"ideas", ideas}, {"ballots", ballots}};
    if (!o.public_url.empty()) j["public_url"] = o.public_url;
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  };
  protocol::Outcomes o;
  CHECK(protocol::encode_outcomes(o) == as_json(o));  // nothing yet, no public pages
  o.public_url = "https://participer.ville.fr/a\"b";
  o.ideas.push_back({"0a1b2c3d4", "Un \"banc\"\n<script>", "en_travaux", "Accepté — « bancs »\tposés\x01", "", {{"2027-03-01", "Début"}, {"", ""}}, 42});
  o.ideas.push_back({"ffffffff0", std::string("Mal form\xC3", 9) + "\xFF\xFE", "faisable", "", "Un banc\\", {}, -7});
  o.ideas.push_back({"", "", "", "", "", {}, 0});
  o.ballots.push_back({"budget-2027", {"111111111", "222222222"}, {"333333333"}});
  o.ballots.push_back({"vide", {}, {}});
  CHECK(protocol::encode_outcomes(o) == as_json(o));
  // One idea's entry alone, as the device keeps it: the same bytes as in the document.
  const auto document = nlohmann::json::parse(as_json(o));
  for (std::size_t k = 0; k < o.ideas.size(); ++k)
    CHECK(protocol::encode_idea_outcome(o.ideas[k]) == document["ideas"][k].dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  o.public_url.clear();
  o.ballots.clear();
  CHECK(protocol::encode_outcomes(o) == as_json(o));
}

TEST_CASE("outcomes on the wire: ideas and ballots under their keys round-trip - a wrong shape names the field") {
  protocol::Outcomes o;
  o.public_url = "https://participer.ville.fr";
  o.ideas.push_back({"0a1b2c3d4", "Un banc", "en_travaux", "Accepté — « bancs » posés en mai", "", {{"2027-03-01", "Début"}}, 42});
  o.ideas.push_back({"ffffffff0", "Des bancs", "en_travaux", "", "Un banc", {}, 0});
  o.ballots.push_back({"budget-2027", {"111111111", "222222222"}, {"333333333"}});
  const auto back = protocol::decode_outcomes(protocol::encode_outcomes(o));
  CHECK(back.public_url == o.public_url);
  REQUIRE(back.ideas.size() == 2);
  CHECK(back.ideas[0].answer == o.ideas[0].answer);
  REQUIRE(back.ideas[0].milestones.size() == 1);
  CHECK(back.ideas[0].milestones[0].text == "Début");
  CHECK(back.ideas[0].updated_ms == 42);
  CHECK(back.ideas[1].merged_into == "Un banc");
  REQUIRE(back.ballots.size() == 1);
  CHECK(back.ballots[0].counted == o.ballots[0].counted);
  CHECK(back.ballots[0].flagged == o.ballots[0].flagged);
  // One idea's entry alone, as the device keeps it.
  CHECK(protocol::decode_idea_outcome(protocol::encode_idea_outcome(o.ideas[0])).title == "Un banc");
  // An older server's answer without public pages, and unknown fields: still read.
  CHECK(protocol::decode_outcomes(R"({"ideas":[],"ballots":[],"later":1})").public_url.empty());
  auto field_of = [](const std::string& body) {
    try {
      (void)protocol::decode_outcomes(body);
    } catch (const protocol::ProtocolError& e) {
      return e.field();
    }
    return std::string("(read)");
  };
  CHECK(field_of(R"({"ballots":[]})") == "ideas");
  CHECK(field_of(R"({"ideas":[{"key":"1","title":"t"}],"ballots":[]})") == "state");
  CHECK(field_of(R"({"ideas":[],"ballots":[{"vote":"v","counted":[1]}]})") == "counted");
  CHECK(field_of(R"({"ideas":[{"key":"1","title":"t","state":"recue","milestones":{}}],"ballots":[]})") == "milestones");
  CHECK(field_of("[]") == "body");
}
