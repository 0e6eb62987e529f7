#pragma once
// The device's database answering the duplicate rule: "has this pass already signed in at
// this assembly on this device, and when?" (DeviceStore::first_sign_in). The Engine holds
// one; the rule itself is passes::DuplicateRule.
#include "allervers/passes/sign_in_rule.hpp"

namespace allervers::storage {
class DeviceStore;
}

namespace allervers::app {

class StoreSignInHistory final : public passes::SignInHistory {
 public:
  explicit StoreSignInHistory(const storage::DeviceStore& store) : store_(store) {}
  std::optional<core::Instant> first_sign_in(std::string_view assembly, std::string_view pass) const override;

 private:
  const storage::DeviceStore& store_;
};

}  // namespace allervers::app
