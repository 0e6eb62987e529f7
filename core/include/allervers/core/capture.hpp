#pragma once
// The kinds of capture — an opinion (survey response), an idea for the participatory budget,
// a sign-in at an assembly — and what every capture records about where it came from. What
// differs by kind is declared once, in capture_kinds.hpp.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "allervers/core/capture_kinds.hpp"
#include "allervers/core/channel.hpp"
#include "allervers/core/time.hpp"
#include "allervers/core/uuid.hpp"

namespace allervers::core {

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

// A ballot of a participatory-budget vote (vote.hpp). It holds no pass id: `voter` is a keyed
// hash of the pass id, specific to the vote (docs/security.md, "The secret ballot"), the same
// for every ballot one pass casts in that vote, so a second one is refused on the device and
// flagged by the server.
struct Ballot {
  std::string vote;                   // id among the catalog's votes
  std::vector<std::string> projects;  // the basket: project ids, in the order chosen
  std::string voter;                  // 64 lower-case hex characters
  std::string receipt;                // the voter's receipt code (vote.hpp, is_receipt)
  bool age_confirmed = false;         // the voter said they have the vote's minimum age
  bool paper = false;                 // a paper ballot typed in later
  friend bool operator==(const Ballot&, const Ballot&) = default;
};

// One alternative per kind, in CaptureKind's order.
using CaptureBody = std::variant<Opinion, Idea, SignIn, Ballot>;
static_assert(std::variant_size_v<CaptureBody> == kCaptureKindCount, "one body type per entry of kCaptureKinds");

// The kind of a body type: CaptureKind's value at the type's position in CaptureBody.
template <class Body, std::size_t I = 0>
constexpr CaptureKind kind_of() {
  if constexpr (std::is_same_v<Body, std::variant_alternative_t<I, CaptureBody>>) return static_cast<CaptureKind>(I);
  else return kind_of<Body, I + 1>();
}
static_assert(kind_of<Opinion>() == CaptureKind::opinion && kind_of<Idea>() == CaptureKind::idea &&
              kind_of<SignIn>() == CaptureKind::signin && kind_of<Ballot>() == CaptureKind::ballot, "CaptureBody lists the bodies in CaptureKind's order");

struct Capture {
  Uuid id;
  Uuid device;
  std::string consultation;  // empty for a sign-in
  std::int32_t version = 0;  // the consultation version it was made with
  Channel channel = Channel::other;
  std::string language = "fr";
  Instant captured_at;
  CaptureBody body;  // its kind: kind()

  friend bool operator==(const Capture&, const Capture&) = default;
  CaptureKind kind() const { return static_cast<CaptureKind>(body.index()); }
  const Opinion* opinion() const { return std::get_if<Opinion>(&body); }
  const Idea* idea() const { return std::get_if<Idea>(&body); }
  const SignIn* signin() const { return std::get_if<SignIn>(&body); }
  const Ballot* ballot() const { return std::get_if<Ballot>(&body); }
};

}  // namespace allervers::core
