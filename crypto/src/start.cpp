#include "allervers/crypto/start.hpp"

#include <sodium.h>

namespace allervers::crypto {

void start() {
  // sodium_init() is thread-safe and idempotent; its result is kept so later calls cost nothing.
  static const bool started = sodium_init() >= 0;
  if (!started) throw CryptoError("libsodium could not start (no source of randomness?)");
}

}  // namespace allervers::crypto
