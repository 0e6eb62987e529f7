#include "allervers/server/secrets.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

namespace allervers::server {
namespace {

void ensure_sodium() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
}

std::string hex(const unsigned char* data, std::size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, n);
  out.pop_back();
  return out;
}

constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

}  // namespace

std::string new_device_token() {
  ensure_sodium();
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  out.resize(out.find('\0'));
  return out;
}

std::string new_enrol_code() {
  ensure_sodium();
  std::string out;
  for (int i = 0; i < 16; ++i) {
    if (i > 0 && i % 4 == 0) out.push_back('-');
    out.push_back(kCrockford[randombytes_uniform(32)]);
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

std::string hash_secret(std::string_view secret) {
  ensure_sodium();
  std::array<unsigned char, 32> h{};
  crypto_generichash(h.data(), h.size(), reinterpret_cast<const unsigned char*>(secret.data()), secret.size(), nullptr, 0);
  return hex(h.data(), h.size());
}

std::string short_hash(std::string_view data) {
  ensure_sodium();
  std::array<unsigned char, 16> h{};
  crypto_generichash(h.data(), h.size(), reinterpret_cast<const unsigned char*>(data.data()), data.size(), nullptr, 0);
  return hex(h.data(), h.size());
}

}  // namespace allervers::server
