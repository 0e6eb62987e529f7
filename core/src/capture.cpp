#include "allervers/core/capture.hpp"

#include <set>
#include <utility>

#include "allervers/core/capture_json.hpp"
#include "allervers/core/consultation.hpp"
#include "allervers/core/json_text.hpp"
#include "allervers/core/limits.hpp"
#include "kinds/kinds.hpp"

namespace allervers::core {

using nlohmann::json;

const char* to_string(Channel channel) {
  switch (channel) {
    case Channel::door_to_door: return "door_to_door";
    case Channel::market: return "market";
    case Channel::kiosk: return "kiosk";
    case Channel::assembly: return "assembly";
    case Channel::school: return "school";
    case Channel::other: return "other";
    case Channel::web: return "web";
  }
  return "?";
}

std::optional<Channel> channel_from(const std::string& name) {
  for (auto c : kAllChannels)
    if (name == to_string(c)) return c;
  return std::nullopt;
}

std::string answer_text(const AnswerValue& value) {
  struct Visitor {
    std::string operator()(const std::string& s) const { return s; }
    std::string operator()(const std::vector<std::string>& v) const {
      std::string out;
      for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
      return out;
    }
    std::string operator()(std::int64_t n) const { return std::to_string(n); }
    std::string operator()(bool b) const { return b ? "true" : "false"; }
  };
  return std::visit(Visitor{}, value);
}

namespace {

// The body of kind `index`, read by that kind's reader (core/src/kinds/).
template <std::size_t... I>
CaptureBody read_body(std::size_t index, const json* body, RecordReader& r, std::index_sequence<I...>) {
  CaptureBody out;
  ((index == I ? (void)(out = kinds::read(std::type_identity<std::variant_alternative_t<I, CaptureBody>>{}, body, r)) : void()),
   ...);
  return out;
}

}  // namespace

ParsedCapture capture_from_json(const json& record, const CaptureDefaults& defaults) {
  ParsedCapture out;
  if (!record.is_object()) {
    out.errors.push_back({"record", "wrong_type", "a capture is a JSON object"});
    return out;
  }
  RecordReader r(out.errors);
  std::set<std::string> known{"id", "kind", "device", "consultation", "version", "channel", "language", "captured_at"};
  for (const auto& k : kCaptureKinds) known.emplace(k.body_key);
  r.reject_unknown_keys(record, known, "");
  Capture c;
  if (auto id = r.string(record, "id", "id")) {
    out.id_given = true;
    if (auto uuid = Uuid::parse(*id)) c.id = *uuid;
    else r.error("id", "invalid_id", "\"" + id->substr(0, 40) + "\" is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
  } else if (defaults.ids) {
    c.id = defaults.ids->next(defaults.now.utc_ms);
  } else {
    r.error("id", "required", "every record needs its id");
  }

  if (!defaults.device.is_nil()) {
    c.device = defaults.device;
  } else if (auto device = r.string(record, "device", "device")) {
    if (auto uuid = Uuid::parse(*device)) c.device = *uuid;
    else r.error("device", "invalid_id", "not a UUID");
  }

  const auto kind_name = r.string(record, "kind", "kind");
  const CaptureKindInfo* kind = kind_name ? find_capture_kind(*kind_name) : nullptr;
  if (!kind_name) {
    if (!r.get(record, "kind")) r.error("kind", "required", "say which kind of capture: " + capture_kind_names(" or "));
  } else if (!kind) {
    r.error("kind", "unknown_kind",
            "\"" + kind_name->substr(0, 40) + "\" is not a kind of capture (" + capture_kind_names() + ")");
  }

  c.consultation = r.string(record, "consultation", "consultation").value_or("");
  if (const json* v = r.get(record, "version")) {
    if (v->is_number_integer() && v->get<std::int64_t>() >= 1 && v->get<std::int64_t>() <= 1'000'000)
      c.version = static_cast<std::int32_t>(v->get<std::int64_t>());
    else r.error("version", "wrong_type", "expected the consultation's version number (a whole number from 1)");
  }

  c.channel = defaults.channel;
  if (auto name = r.string(record, "channel", "channel")) {
    if (auto ch = channel_from(*name)) c.channel = *ch;
    else r.error("channel", "unknown_channel",
                 "\"" + name->substr(0, 40) + "\" is not a channel (door_to_door, market, kiosk, assembly, school, other)");
  }
  c.language = r.string(record, "language", "language").value_or(defaults.language);

  c.captured_at = defaults.now;
  if (auto when = r.string(record, "captured_at", "captured_at")) {
    if (auto instant = parse_instant(*when)) {
      c.captured_at = *instant;
    } else if (auto day = parse_instant(*when + "T12:00:00Z"); day && when->size() == 10) {
      // A paper questionnaire carries only its date: noon, local time.
      const auto offset = local_offset_minutes(day->utc_ms);
      c.captured_at = Instant{day->utc_ms - std::int64_t{offset} * 60'000, offset};
    } else {
      r.error("captured_at", "invalid_time",
              "\"" + when->substr(0, 40) + "\" is not a date-time like 2026-11-23T10:15:00+01:00 or a date like 2026-11-23");
    }
  }

  if (kind) {
    const std::string body_key(kind->body_key);
    c.body = read_body(static_cast<std::size_t>(kind->kind), r.get(record, body_key), r,
                       std::make_index_sequence<kCaptureKindCount>{});
    for (const auto& other : kCaptureKinds)
      if (other.kind != kind->kind && r.get(record, std::string(other.body_key)))
        r.error(std::string(other.body_key), "unexpected_field",
                "does not belong to a capture of kind " + std::string(kind->name));
  }
  if (out.errors.empty()) out.capture = std::move(c);
  return out;
}

ParsedCapture capture_from_json_text(std::string_view text, const CaptureDefaults& defaults) {
  if (text.size() > limits::capture_json_bytes) {
    ParsedCapture out;
    out.errors.push_back({"record", "too_long", "a capture record is at most " +
                                                    std::to_string(limits::capture_json_bytes / 1024) + " KiB of JSON"});
    return out;
  }
  // The JSON reader stops at a NUL byte as at the end: what follows one would be dropped unseen.
  if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
    ParsedCapture out;
    out.errors.push_back({"record", "invalid_json", "holds a NUL byte at byte " + std::to_string(nul + 1) + ": not a line of text"});
    return out;
  }
  json record;
  try {
    record = json::parse(text);
  } catch (const json::parse_error& e) {
    ParsedCapture out;
    out.errors.push_back({"record", "invalid_json", std::string("not valid JSON (") + e.what() + ")"});
    return out;
  }
  return capture_from_json(record, defaults);
}

namespace {

// A capture's fields, for both forms (kinds/fields.hpp).
void write_capture(const Capture& c, kinds::Fields& out) {
  out.text("id", c.id.str());
  out.text("kind", std::string(to_string(c.kind())));
  out.text("device", c.device.str());
  out.text("channel", std::string(to_string(c.channel)));
  out.text("language", c.language);
  out.text("captured_at", format_instant(c.captured_at));
  if (!c.consultation.empty()) out.text("consultation", c.consultation);
  // 0 is "not given" (the device then takes the newest version it holds): written as absent, so
  // that what is written reads back (fuzz: capture_line, a date-only paper capture).
  if (!c.consultation.empty() && c.version > 0) out.number("version", c.version);
  out.object(info(c.kind()).body_key, [&](kinds::Fields& body) { std::visit([&](const auto& b) { kinds::write(b, body); }, c.body); });
}

}  // namespace

json capture_to_json(const Capture& c) {
  json j = json::object();
  kinds::JsonFields fields(j);
  write_capture(c, fields);
  return j;
}

std::string canonical_json(const Capture& capture) {
  kinds::TextFields fields;
  write_capture(capture, fields);
  return fields.str();
}

}  // namespace allervers::core
