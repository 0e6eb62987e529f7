#pragma once
// Contact details are sealed for the office (libsodium crypto_box_seal with the office's
// public key): the device that captured them cannot read them back. Without a configured
// office key, the app does not offer the contact step at all.
#include <array>
#include <optional>
#include <string>

namespace allervers::app {

// The device setting holding the office public key: base64 (original variant) of 32 bytes.
inline constexpr const char* kOfficeKeySetting = "office_public_key";

class ContactSealer {
 public:
  // Nothing when the text is not base64 of a 32-byte Curve25519 public key.
  static std::optional<ContactSealer> from_base64(const std::string& public_key_base64);
  // base64 of the sealed box holding `contact` (UTF-8).
  std::string seal(const std::string& contact) const;

 private:
  std::array<unsigned char, 32> public_key_{};
};

// Overwrites a string holding personal data before it is released.
void wipe(std::string& text);

}  // namespace allervers::app
