#include "allervers/app/sealing.hpp"

#include <stdexcept>
#include <vector>

#include <sodium.h>

namespace allervers::app {

std::optional<ContactSealer> ContactSealer::from_base64(const std::string& text) {
  if (sodium_init() < 0) return std::nullopt;
  ContactSealer s;
  std::size_t len = 0;
  if (sodium_base642bin(s.public_key_.data(), s.public_key_.size(), text.data(), text.size(), " \n\r\t", &len,
                        nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len != crypto_box_PUBLICKEYBYTES)
    return std::nullopt;
  return s;
}

std::string ContactSealer::seal(const std::string& contact) const {
  std::vector<unsigned char> box(contact.size() + crypto_box_SEALBYTES);
  if (crypto_box_seal(box.data(), reinterpret_cast<const unsigned char*>(contact.data()), contact.size(),
                      public_key_.data()) != 0)
    throw std::runtime_error("sealing the contact for the office failed");
  std::string out(sodium_base64_ENCODED_LEN(box.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), box.data(), box.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.find('\0'));
  return out;
}

void wipe(std::string& text) {
  if (!text.empty()) sodium_memzero(text.data(), text.size());
  text.clear();
}

}  // namespace allervers::app
