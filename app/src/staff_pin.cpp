#include "allervers/app/staff_pin.hpp"

#include "allervers/crypto/hash.hpp"

namespace allervers::app {

bool is_acceptable_pin(const std::string& pin) {
  if (pin.size() < kPinMinDigits || pin.size() > kPinMaxDigits) return false;
  for (char c : pin)
    if (c < '0' || c > '9') return false;
  return true;
}

std::string hash_pin(const std::string& pin, const core::Uuid& device) {
  return crypto::hash_hex(pin, 32, device.bytes());
}

}  // namespace allervers::app
