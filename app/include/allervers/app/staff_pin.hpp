#pragma once
// The staff PIN that guards leaving the kiosk and its settings. Only a keyed hash is kept in
// the device's settings (core::settings::staff_pin_hash, keyed with the device id), never the
// PIN itself.
#include <string>

#include "allervers/core/uuid.hpp"

namespace allervers::app {

inline constexpr std::size_t kPinMinDigits = 4;
inline constexpr std::size_t kPinMaxDigits = 8;

bool is_acceptable_pin(const std::string& pin);  // 4 to 8 digits
std::string hash_pin(const std::string& pin, const core::Uuid& device);

}  // namespace allervers::app
