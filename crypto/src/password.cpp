#include "allervers/crypto/password.hpp"

#include <sodium.h>

#include <vector>

#include "allervers/crypto/base64.hpp"
#include "allervers/crypto/random.hpp"
#include "allervers/crypto/start.hpp"

namespace allervers::crypto {

std::string hash_password(std::string_view password) {
  start();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    throw CryptoError("hash_password: argon2id ran out of memory (it needs 64 MiB)");
  return out;
}

bool verify_password(std::string_view encoded, std::string_view password) {
  start();
  if (encoded.empty() || encoded.size() >= crypto_pwhash_STRBYTES) return false;
  const std::string z(encoded);  // NUL-terminated, as libsodium wants it
  return crypto_pwhash_str_verify(z.c_str(), password.data(), password.size()) == 0;
}

bool password_needs_rehash(std::string_view encoded) {
  start();
  const std::string z(encoded);
  return crypto_pwhash_str_needs_rehash(z.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

bool equal_secrets(std::string_view a, std::string_view b) {
  start();
  if (a.size() != b.size()) return false;
  return a.empty() || sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string random_token(std::size_t bytes) {
  std::vector<std::uint8_t> raw(bytes);
  random_fill(raw);
  return to_base64(raw, Base64::url_safe_unpadded);
}

}  // namespace allervers::crypto
