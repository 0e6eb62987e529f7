#include "allervers/crypto/base64.hpp"

#include <sodium.h>

#include "allervers/crypto/start.hpp"

namespace allervers::crypto {
namespace {

int sodium_variant(Base64 variant) {
  return variant == Base64::original ? sodium_base64_VARIANT_ORIGINAL : sodium_base64_VARIANT_URLSAFE_NO_PADDING;
}

}  // namespace

std::string to_base64(std::span<const std::uint8_t> bytes, Base64 variant) {
  start();
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_variant(variant)), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), sodium_variant(variant));
  out.resize(std::strlen(out.c_str()));  // the encoded length counts the final NUL
  return out;
}

std::string to_base64(std::string_view bytes, Base64 variant) {
  return to_base64(std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()), variant);
}

std::optional<std::vector<std::uint8_t>> from_base64(std::string_view text, Base64 variant, const char* ignore) {
  start();
  std::vector<std::uint8_t> out(text.size() / 4 * 3 + 3);
  std::size_t len = 0;
  // No end pointer: libsodium then refuses a text it cannot decode to its end.
  if (sodium_base642bin(out.data(), out.size(), text.data(), text.size(), ignore, &len, nullptr, sodium_variant(variant)) != 0)
    return std::nullopt;
  out.resize(len);
  return out;
}

}  // namespace allervers::crypto
