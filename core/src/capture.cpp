#include "allervers/core/capture.hpp"

#include <set>

#include "allervers/core/capture_json.hpp"
#include "allervers/core/limits.hpp"
#include "allervers/core/text.hpp"

namespace allervers::core {

using nlohmann::json;

const char* to_string(CaptureKind kind) {
  switch (kind) {
    case CaptureKind::opinion: return "opinion";
    case CaptureKind::idea: return "idea";
    case CaptureKind::signin: return "signin";
  }
  return "?";
}

std::optional<CaptureKind> capture_kind_from(const std::string& name) {
  for (auto k : {CaptureKind::opinion, CaptureKind::idea, CaptureKind::signin})
    if (name == to_string(k)) return k;
  return std::nullopt;
}

const char* to_string(Channel channel) {
  switch (channel) {
    case Channel::door_to_door: return "door_to_door";
    case Channel::market: return "market";
    case Channel::kiosk: return "kiosk";
    case Channel::assembly: return "assembly";
    case Channel::school: return "school";
    case Channel::other: return "other";
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

// Reads a record field by field, collecting shape errors instead of stopping at the first.
class Reader {
 public:
  Reader(const json& record, std::vector<ValidationError>& errors) : record_(record), errors_(errors) {}

  void error(const std::string& field, const std::string& code, const std::string& message) {
    errors_.push_back({field, code, message});
  }

  const json* get(const json& object, const std::string& key) {
    auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
  }

  std::optional<std::string> string(const json& object, const std::string& key, const std::string& field) {
    const json* v = get(object, key);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      error(field, "wrong_type", "expected a text");
      return std::nullopt;
    }
    return v->get<std::string>();
  }

  void reject_unknown_keys(const json& object, const std::set<std::string>& known, const std::string& prefix) {
    for (auto it = object.begin(); it != object.end(); ++it)
      if (!known.count(it.key()))
        error(prefix + it.key(), "unknown_field", "unknown field (a typing mistake?)");
  }

  const json& record_;
  std::vector<ValidationError>& errors_;
};

std::optional<AnswerValue> answer_from(const json& v, const std::string& field, Reader& r) {
  if (v.is_string()) return AnswerValue(v.get<std::string>());
  if (v.is_boolean()) return AnswerValue(v.get<bool>());
  if (v.is_number_integer()) return AnswerValue(v.get<std::int64_t>());
  if (v.is_array()) {
    std::vector<std::string> ids;
    for (const auto& e : v) {
      if (!e.is_string()) {
        r.error(field, "wrong_type", "a multiple-choice answer is a list of option ids (texts)");
        return std::nullopt;
      }
      ids.push_back(e.get<std::string>());
    }
    return AnswerValue(std::move(ids));
  }
  r.error(field, "wrong_type", "an answer is a text, a list of option ids, a whole number or true/false");
  return std::nullopt;
}

Opinion opinion_from(const json& record, Reader& r) {
  Opinion opinion;
  const json* answers = r.get(record, "answers");
  if (!answers) {
    r.error("answers", "required", "an opinion needs its answers (an object keyed by question id)");
    return opinion;
  }
  if (!answers->is_object()) {
    r.error("answers", "wrong_type", "expected an object keyed by question id");
    return opinion;
  }
  for (auto it = answers->begin(); it != answers->end(); ++it) {
    if (it->is_null()) continue;  // an explicit null is a skipped question
    if (auto value = answer_from(*it, "answers." + it.key(), r)) opinion.answers[it.key()] = std::move(*value);
  }
  return opinion;
}

Idea idea_from(const json& record, Reader& r) {
  Idea idea;
  const json* j = r.get(record, "idea");
  if (!j || !j->is_object()) {
    r.error("idea", j ? "wrong_type" : "required", "an idea needs an \"idea\" object (title, description, theme, neighbourhood)");
    return idea;
  }
  r.reject_unknown_keys(*j, {"title", "description", "theme", "neighbourhood", "place", "estimated_cost_eur", "contact"},
                        "idea.");
  idea.title = r.string(*j, "title", "idea.title").value_or("");
  idea.description = r.string(*j, "description", "idea.description").value_or("");
  idea.theme = r.string(*j, "theme", "idea.theme").value_or("");
  idea.neighbourhood = r.string(*j, "neighbourhood", "idea.neighbourhood").value_or("");
  idea.place = r.string(*j, "place", "idea.place").value_or("");
  if (const json* cost = r.get(*j, "estimated_cost_eur")) {
    if (cost->is_number_integer()) idea.estimated_cost_eur = cost->get<std::int64_t>();
    else r.error("idea.estimated_cost_eur", "wrong_type", "expected a whole number of euros");
  }
  if (const json* contact = r.get(*j, "contact")) {
    if (!contact->is_object()) {
      r.error("idea.contact", "wrong_type", "expected an object {consent, sealed}");
    } else {
      r.reject_unknown_keys(*contact, {"consent", "sealed"}, "idea.contact.");
      SealedContact sc;
      const json* consent = r.get(*contact, "consent");
      if (consent && !consent->is_boolean()) r.error("idea.contact.consent", "wrong_type", "expected true or false");
      sc.consent = consent && consent->is_boolean() && consent->get<bool>();
      sc.sealed = r.string(*contact, "sealed", "idea.contact.sealed").value_or("");
      idea.contact = std::move(sc);
    }
  }
  return idea;
}

SignIn signin_from(const json& record, Reader& r) {
  SignIn s;
  const json* j = r.get(record, "signin");
  if (!j || !j->is_object()) {
    r.error("signin", j ? "wrong_type" : "required", "a sign-in needs a \"signin\" object (assembly, pass …)");
    return s;
  }
  r.reject_unknown_keys(*j, {"assembly", "pass", "neighbourhood", "age_bracket", "invite_consent"}, "signin.");
  s.assembly = r.string(*j, "assembly", "signin.assembly").value_or("");
  s.pass = r.string(*j, "pass", "signin.pass").value_or("");
  s.neighbourhood = r.string(*j, "neighbourhood", "signin.neighbourhood").value_or("");
  s.age_bracket = r.string(*j, "age_bracket", "signin.age_bracket").value_or("");
  if (const json* consent = r.get(*j, "invite_consent")) {
    if (consent->is_boolean()) s.invite_consent = consent->get<bool>();
    else r.error("signin.invite_consent", "wrong_type", "expected true or false");
  }
  return s;
}

json answer_to_json(const AnswerValue& value) {
  return std::visit([](const auto& v) { return json(v); }, value);
}

}  // namespace

ParsedCapture capture_from_json(const json& record, const CaptureDefaults& defaults) {
  ParsedCapture out;
  if (!record.is_object()) {
    out.errors.push_back({"record", "wrong_type", "a capture is a JSON object"});
    return out;
  }
  Reader r(record, out.errors);
  r.reject_unknown_keys(record, {"id", "kind", "device", "consultation", "version", "channel", "language",
                                 "captured_at", "answers", "idea", "signin"},
                        "");
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
  const auto kind = kind_name ? capture_kind_from(*kind_name) : std::nullopt;
  if (!kind_name) {
    if (!r.get(record, "kind")) r.error("kind", "required", "say which kind of capture: opinion, idea or signin");
  } else if (!kind) {
    r.error("kind", "unknown_kind", "\"" + kind_name->substr(0, 40) + "\" is not a kind of capture (opinion, idea, signin)");
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
    c.kind = *kind;
    switch (c.kind) {
      case CaptureKind::opinion: c.body = opinion_from(record, r); break;
      case CaptureKind::idea: c.body = idea_from(record, r); break;
      case CaptureKind::signin: c.body = signin_from(record, r); break;
    }
    const char* wrong[] = {"answers", "idea", "signin"};
    for (std::size_t i = 0; i < 3; ++i)
      if (i != static_cast<std::size_t>(c.kind) && r.get(record, wrong[i]))
        r.error(wrong[i], "unexpected_field", std::string("does not belong to a capture of kind ") + to_string(c.kind));
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

json capture_to_json(const Capture& c) {
  json j{{"id", c.id.str()},
         {"kind", to_string(c.kind)},
         {"device", c.device.str()},
         {"channel", to_string(c.channel)},
         {"language", c.language},
         {"captured_at", format_instant(c.captured_at)}};
  if (!c.consultation.empty()) {
    j["consultation"] = c.consultation;
    j["version"] = c.version;
  }
  if (const Opinion* o = c.opinion()) {
    j["answers"] = json::object();
    for (const auto& [question, value] : o->answers) j["answers"][question] = answer_to_json(value);
  } else if (const Idea* i = c.idea()) {
    json idea{{"title", i->title}, {"description", i->description}, {"theme", i->theme},
              {"neighbourhood", i->neighbourhood}};
    if (!i->place.empty()) idea["place"] = i->place;
    if (i->estimated_cost_eur) idea["estimated_cost_eur"] = *i->estimated_cost_eur;
    if (i->contact) idea["contact"] = {{"consent", i->contact->consent}, {"sealed", i->contact->sealed}};
    j["idea"] = std::move(idea);
  } else if (const SignIn* s = c.signin()) {
    json signin{{"assembly", s->assembly}, {"invite_consent", s->invite_consent}};
    if (!s->pass.empty()) signin["pass"] = s->pass;
    if (!s->neighbourhood.empty()) signin["neighbourhood"] = s->neighbourhood;
    if (!s->age_bracket.empty()) signin["age_bracket"] = s->age_bracket;
    j["signin"] = std::move(signin);
  }
  return j;
}

std::string canonical_json(const Capture& capture) {
  return capture_to_json(capture).dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace allervers::core
