#include "allervers/app/staff_pin.hpp"

#include <array>
#include <stdexcept>

#include <sodium.h>

namespace allervers::app {

bool is_acceptable_pin(const std::string& pin) {
  if (pin.size() < kPinMinDigits || pin.size() > kPinMaxDigits) return false;
  for (char c : pin)
    if (c < '0' || c > '9') return false;
  return true;
}

std::string hash_pin(const std::string& pin, const core::Uuid& device) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not start");
  std::array<unsigned char, 32> out{};
  const auto& key = device.bytes();
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(pin.data()), pin.size(),
                     key.data(), key.size());
  std::array<char, 65> hex{};
  sodium_bin2hex(hex.data(), hex.size(), out.data(), out.size());
  return std::string(hex.data());
}

}  // namespace allervers::app
