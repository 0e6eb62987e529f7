#pragma once
// Random values from the system's source (libsodium's randombytes): ids, tokens, codes.
#include <cstdint>
#include <span>

namespace allervers::crypto {

void random_fill(std::span<std::uint8_t> out);
// Uniform in [0, upper_bound), without modulo bias.
std::uint32_t random_below(std::uint32_t upper_bound);

}  // namespace allervers::crypto
