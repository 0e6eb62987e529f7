#pragma once
// libsodium starts here, once, for every room. Each function of this room starts it itself;
// code that calls libsodium directly (passes/ signs with it) calls start() first.
#include <stdexcept>

namespace allervers::crypto {

// libsodium could not start (no source of randomness), or an operation failed.
class CryptoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thread-safe and cheap after the first call. Throws CryptoError when libsodium cannot start.
void start();

}  // namespace allervers::crypto
