// The registry's look-ups; the entries themselves are in capture_kinds.hpp.
#include "allervers/core/capture_kinds.hpp"

#include "allervers/core/consultation.hpp"

namespace allervers::core {

namespace detail {
bool offers_survey(const Consultation& consultation) { return consultation.has_survey(); }
bool offers_ideas(const Consultation& consultation) { return consultation.ideas.enabled; }
}  // namespace detail

const CaptureKindInfo* find_capture_kind(std::string_view name) {
  for (const auto& k : kCaptureKinds)
    if (k.name == name) return &k;
  return nullptr;
}

const char* to_string(CaptureKind kind) { return info(kind).name.data(); }  // names are literals

std::optional<CaptureKind> capture_kind_from(std::string_view name) {
  if (const auto* k = find_capture_kind(name)) return k->kind;
  return std::nullopt;
}

std::vector<CaptureKind> offered_kinds(const Consultation& consultation) {
  std::vector<CaptureKind> out;
  for (const auto& k : kCaptureKinds)
    if (k.offered_by && k.offered_by(consultation)) out.push_back(k.kind);
  return out;
}

std::string capture_kind_names(std::string_view last) {
  std::string out;
  for (std::size_t i = 0; i < kCaptureKinds.size(); ++i) {
    if (i > 0) out += i + 1 == kCaptureKinds.size() ? last : ", ";
    out += kCaptureKinds[i].name;
  }
  return out;
}

}  // namespace allervers::core
