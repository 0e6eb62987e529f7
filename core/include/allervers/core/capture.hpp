#pragma once
// The three kinds of capture — an opinion (survey response), an idea for the participatory
// budget, a sign-in at an assembly — and what every capture records about where it came from.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "allervers/core/time.hpp"
#include "allervers/core/uuid.hpp"

namespace allervers::core {

enum class CaptureKind { opinion, idea, signin };
const char* to_string(CaptureKind kind);
std::optional<CaptureKind> capture_kind_from(const std::string& name);

enum class Channel { door_to_door, market, kiosk, assembly, school, other };
const char* to_string(Channel channel);
std::optional<Channel> channel_from(const std::string& name);
inline constexpr Channel kAllChannels[] = {Channel::door_to_door, Channel::market, Channel::kiosk,
                                           Channel::assembly,     Channel::school, Channel::other};

// One answer: an option id or free text (string), several option ids (multiple choice),
// a number (scale, smiley) or yes/no.
using AnswerValue = std::variant<std::string, std::vector<std::string>, std::int64_t, bool>;
std::string answer_text(const AnswerValue& value);  // "a", "a,b", "3", "true": the show_if form

struct Opinion {
  std::map<std::string, AnswerValue> answers;  // by question id; a skipped question is absent
  friend bool operator==(const Opinion&, const Opinion&) = default;
};

// Contact details are sealed for the office on the device (the device cannot read them back);
// core only carries the sealed text and the resident's explicit consent.
struct SealedContact {
  bool consent = false;
  std::string sealed;  // base64 of a sealed box for the town's office key
  friend bool operator==(const SealedContact&, const SealedContact&) = default;
};

struct Idea {
  std::string title;
  std::string description;
  std::string theme;          // id among the consultation's themes
  std::string neighbourhood;  // id among the town's neighbourhoods
  std::string place;          // optional
  std::optional<std::int64_t> estimated_cost_eur;
  std::optional<SealedContact> contact;
  friend bool operator==(const Idea&, const Idea&) = default;
};

struct SignIn {
  std::string assembly;       // id among the catalog's assemblies
  std::string pass;           // the pass's id when one was shown, else empty
  std::string neighbourhood;  // optional
  std::string age_bracket;    // optional
  bool invite_consent = false;
  friend bool operator==(const SignIn&, const SignIn&) = default;
};

struct Capture {
  Uuid id;
  CaptureKind kind = CaptureKind::opinion;
  Uuid device;
  std::string consultation;  // empty for a sign-in
  std::int32_t version = 0;  // the consultation version it was made with
  Channel channel = Channel::other;
  std::string language = "fr";
  Instant captured_at;
  std::variant<Opinion, Idea, SignIn> body;

  friend bool operator==(const Capture&, const Capture&) = default;
  const Opinion* opinion() const { return std::get_if<Opinion>(&body); }
  const Idea* idea() const { return std::get_if<Idea>(&body); }
  const SignIn* signin() const { return std::get_if<SignIn>(&body); }
};

}  // namespace allervers::core
