#include "allervers/crypto/random.hpp"

#include <sodium.h>

#include "allervers/crypto/start.hpp"

namespace allervers::crypto {

void random_fill(std::span<std::uint8_t> out) {
  start();
  randombytes_buf(out.data(), out.size());
}

std::uint32_t random_below(std::uint32_t upper_bound) {
  start();
  return randombytes_uniform(upper_bound);
}

}  // namespace allervers::crypto
