// Receipt codes: 40 bits of a hash of the capture id, in Crockford base32.
#include "allervers/core/receipt.hpp"

#include <cstdint>

#include "allervers/core/crockford.hpp"

namespace allervers::core {
namespace {

// FNV-1a over the 16 bytes, then SplitMix64's finaliser so every input bit moves every output
// bit. Not a cryptographic hash: a code only has to be spread evenly, never secret (it is
// printed on a thank-you screen), and core stays free of libsodium. Never change it: codes
// already given to residents must keep finding their idea.
std::uint64_t mix(const std::array<std::uint8_t, 16>& bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (auto b : bytes) {
    h ^= b;
    h *= 0x100000001b3ULL;
  }
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

}  // namespace

std::string receipt_code(const Uuid& capture_id) {
  const std::uint64_t bits = mix(capture_id.bytes()) >> 24;  // the top 40 bits
  std::string out(kReceiptChars + 1, '-');
  for (std::size_t i = 0; i < kReceiptChars; ++i) {
    const auto value = (bits >> (5 * (kReceiptChars - 1 - i))) & 31u;
    out[i < 4 ? i : i + 1] = crockford::alphabet[value];
  }
  return out;
}

std::optional<std::string> read_receipt_code(std::string_view typed) {
  std::string out;
  for (char c : typed) {
    if (c == ' ' || c == '-') continue;
    const auto value = crockford::typed_value(c);
    if (!value || out.size() == kReceiptChars) return std::nullopt;
    out.push_back(crockford::alphabet[static_cast<std::size_t>(*value)]);
  }
  if (out.size() != kReceiptChars) return std::nullopt;
  return out.substr(0, 4) + "-" + out.substr(4);
}

}  // namespace allervers::core
