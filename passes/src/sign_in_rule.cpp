#include "allervers/passes/sign_in_rule.hpp"

#include <cstdio>

namespace allervers::passes {

void MemorySignInHistory::record(std::string_view assembly, std::string_view pass, core::Instant at) {
  auto key = std::make_pair(std::string(assembly), std::string(pass));
  const auto it = first_.find(key);
  if (it == first_.end())
    first_.emplace(std::move(key), at);
  else if (at.utc_ms < it->second.utc_ms)
    it->second = at;
}

std::optional<core::Instant> MemorySignInHistory::first_sign_in(std::string_view assembly,
                                                                std::string_view pass) const {
  const auto it = first_.find(std::make_pair(std::string(assembly), std::string(pass)));
  if (it == first_.end()) return std::nullopt;
  return it->second;
}

std::string local_hour_minute(const core::Instant& at) {
  constexpr std::int64_t day_ms = 24LL * 3600 * 1000;
  std::int64_t local_ms = at.utc_ms + std::int64_t{at.offset_minutes} * 60'000;
  local_ms = ((local_ms % day_ms) + day_ms) % day_ms;
  const auto minutes = local_ms / 60'000;
  char text[8];
  std::snprintf(text, sizeof text, "%02d:%02d", static_cast<int>(minutes / 60), static_cast<int>(minutes % 60));
  return text;
}

std::string SignInVerdict::message() const {
  if (kind == Kind::welcome || !first_at) return "Bienvenue";
  return "Déjà enregistré·e à " + local_hour_minute(*first_at);
}

SignInVerdict DuplicateRule::decide(std::string_view assembly, std::string_view pass) const {
  if (pass.empty()) return {};
  if (auto first = history_.first_sign_in(assembly, pass))
    return {SignInVerdict::Kind::already_signed_in, first};
  return {};
}

}  // namespace allervers::passes
