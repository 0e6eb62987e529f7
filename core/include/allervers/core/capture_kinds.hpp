#pragma once
// The kinds of capture, declared once. Everything that differs by kind — its name on the wire
// and in the databases, the JSON key of its body, its label in counts, whether it belongs to a
// consultation, which of its fields are personal data, the app screen that makes it — is read
// from its entry here; the kind of a capture is the type of its body (Capture::kind()), so the
// two cannot disagree. Its rules and JSON form live in core/src/kinds/<name>.cpp.
//
// Adding a kind (docs/contributing.md): its body struct in capture.hpp (and in CaptureBody),
// a value here in the same position, one entry in kCaptureKinds, core/src/kinds/<name>.cpp,
// its screen and its translations. The static_asserts below hold the three lists together.
#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace allervers::core {

struct Consultation;

// In the order of CaptureBody's alternatives (capture.hpp).
enum class CaptureKind { opinion, idea, signin, ballot };

struct CaptureKindInfo {
  CaptureKind kind;
  // The "kind" of a capture record, the `kind` column of the device's and the server's
  // databases and of exports. Never renamed once shipped: stored data holds it.
  std::string_view name;
  // The key of a capture record that holds the body; also the CSV export's "details".
  std::string_view body_key;
  // For people, in counts: "opinions 3, ideas 2, sign-ins 1" (the command-line tools' English).
  std::string_view plural;
  // Whether a capture must name a consultation (validated against its version), or may name
  // one (checked to exist when it does).
  bool consultation_required;
  // Whether a consultation offers this kind to residents (the activity choice lists the kinds
  // it offers); nullptr: not chosen per consultation (sign-ins happen at the assembly desk).
  bool (*offered_by)(const Consultation& consultation);
  // Keys of the body holding personal data: left out of exports made without personal data.
  std::span<const std::string_view> personal_fields;
  // The key of the body holding a SealedContact ({consent, sealed}) the office may open
  // (written beside it as "<key>_opened"); empty when the kind has none.
  std::string_view sealed_contact;
  // The touch app: the screen that makes a capture of this kind (app::to_string(Screen)), the
  // translation keys of its button on the activity choice (empty: not offered there) and of
  // its thank-you (empty: the screen answers in its own way, e.g. the desk's verdict).
  std::string_view screen;
  std::string_view activity_label_key;
  std::string_view thanks_key;
};

namespace detail {
bool offers_survey(const Consultation& consultation);
bool offers_ideas(const Consultation& consultation);
inline constexpr std::string_view kIdeaPersonalFields[] = {"contact"};
// A ballot's voter hash and receipt are pseudonyms of a person: out of exports without personal data.
inline constexpr std::string_view kBallotPersonalFields[] = {"voter", "receipt"};
}  // namespace detail

inline constexpr std::array kCaptureKinds{
    CaptureKindInfo{CaptureKind::opinion, "opinion", "answers", "opinions", true, &detail::offers_survey, {}, "",
                    "survey", "activity.opinion", "thanks.opinion"},
    CaptureKindInfo{CaptureKind::idea, "idea", "idea", "ideas", true, &detail::offers_ideas,
                    detail::kIdeaPersonalFields, "contact", "idea", "activity.idea", "thanks.idea"},
    CaptureKindInfo{CaptureKind::signin, "signin", "signin", "sign-ins", false, nullptr, {}, "", "sign_in", "", ""},
    // Cast at the app's vote booth (offered on the activity choice by the catalog's votes, not
    // per consultation), or typed in with allervers-device capture --file (paper ballots).
    CaptureKindInfo{CaptureKind::ballot, "ballot", "ballot", "ballots", false, nullptr, detail::kBallotPersonalFields, "", "vote", "", "thanks.ballot"},
};
inline constexpr std::size_t kCaptureKindCount = kCaptureKinds.size();

constexpr bool capture_kinds_in_order() {
  for (std::size_t i = 0; i < kCaptureKinds.size(); ++i)
    if (static_cast<std::size_t>(kCaptureKinds[i].kind) != i) return false;
  return true;
}
static_assert(capture_kinds_in_order(), "kCaptureKinds lists the kinds in CaptureKind's order");

constexpr const CaptureKindInfo& info(CaptureKind kind) { return kCaptureKinds[static_cast<std::size_t>(kind)]; }
// The entry named `name` ("opinion"), or nullptr.
const CaptureKindInfo* find_capture_kind(std::string_view name);

const char* to_string(CaptureKind kind);  // its name
std::optional<CaptureKind> capture_kind_from(std::string_view name);
// The kinds `consultation` offers residents, in the registry's order: the activity choice lists
// them when there are several, a consultation offering none cannot be chosen.
std::vector<CaptureKind> offered_kinds(const Consultation& consultation);

// The kinds' names for messages: "opinion, idea, signin", or with `last` before the last one.
std::string capture_kind_names(std::string_view last = ", ");

}  // namespace allervers::core
