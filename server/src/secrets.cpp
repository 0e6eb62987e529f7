#include "allervers/server/secrets.hpp"

#include <array>

#include "allervers/crypto/base64.hpp"
#include "allervers/crypto/hash.hpp"
#include "allervers/crypto/random.hpp"
#include "allervers/sync/tuning.hpp"

namespace allervers::server {
namespace {

constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

}  // namespace

std::string new_device_token() {
  std::array<std::uint8_t, sync::tuning::token_bytes> bytes{};
  crypto::random_fill(bytes);
  return crypto::to_base64(bytes, crypto::Base64::url_safe_unpadded);
}

std::string new_enrol_code() {
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i > 0 && i % 4 == 0) out.push_back('-');
    out.push_back(kCrockford[crypto::random_below(32)]);
  }
  return out;
}

std::string normalise_enrol_code(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == '-' || c == ' ') continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c == 'O') c = '0';
    if (c == 'I' || c == 'L') c = '1';
    out.push_back(c);
  }
  return out;
}

std::string hash_secret(std::string_view secret) { return crypto::hash_hex(secret, 32); }

std::string short_hash(std::string_view data) { return crypto::hash_hex(data, 16); }

}  // namespace allervers::server
