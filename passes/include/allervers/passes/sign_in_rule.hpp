#pragma once
// The duplicate rule on one device: the first scan of a pass at an assembly is a welcome and
// a sign-in to record; any later scan of the same pass at the same assembly records nothing
// and says when the person signed in. Independent of storage: the device's database answers
// through SignInHistory (the lead wires it); MemorySignInHistory serves tests and demos.
// Across devices the server counts people by (assembly, pass) — see docs/passes.md.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "allervers/core/time.hpp"

namespace allervers::passes {

class SignInHistory {
 public:
  virtual ~SignInHistory() = default;
  // When this pass first signed in at this assembly on this device, if it did.
  virtual std::optional<core::Instant> first_sign_in(std::string_view assembly, std::string_view pass) const = 0;
};

class MemorySignInHistory final : public SignInHistory {
 public:
  // Keeps the earliest instant when the same pair is recorded twice.
  void record(std::string_view assembly, std::string_view pass, core::Instant at);
  std::optional<core::Instant> first_sign_in(std::string_view assembly, std::string_view pass) const override;
  std::size_t size() const { return first_.size(); }

 private:
  std::map<std::pair<std::string, std::string>, core::Instant, std::less<>> first_;
};

struct SignInVerdict {
  enum class Kind { welcome, already_signed_in };
  Kind kind = Kind::welcome;
  std::optional<core::Instant> first_at;  // set for already_signed_in
  bool record() const { return kind == Kind::welcome; }
  // "Bienvenue" / "Déjà enregistré·e à 18:42" (local time of the first sign-in).
  std::string message() const;
};

class DuplicateRule {
 public:
  explicit DuplicateRule(const SignInHistory& history) : history_(history) {}
  // An empty pass (a sign-in on screen without a pass) is never a duplicate: people are
  // counted by pass, and a person without one cannot be recognised.
  SignInVerdict decide(std::string_view assembly, std::string_view pass) const;

 private:
  const SignInHistory& history_;
};

// "18:42": the local wall-clock time of an instant (its own UTC offset).
std::string local_hour_minute(const core::Instant& at);

}  // namespace allervers::passes
