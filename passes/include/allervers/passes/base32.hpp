#pragma once
// Crockford base32: the one alphabet of passes. Upper-case digits and letters without I, L,
// O, U fit the QR code's alphanumeric mode (5.5 bits a character instead of 8) and read
// aloud without confusion, so the same alphabet serves the QR payload and the code
// printed for a person to type.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "allervers/core/crockford.hpp"

namespace allervers::passes::base32 {

inline constexpr std::string_view alphabet = core::crockford::alphabet;

// Bytes to characters, most significant bit first, the last character zero-padded.
std::string encode(std::span<const std::uint8_t> bytes);

// Strict inverse of encode(): upper-case alphabet only, the padding bits of the last
// character zero, and a length that encode() can produce. Anything else is nothing, so a
// code has exactly one spelling and a flipped bit can never spell the same bytes.
std::optional<std::vector<std::uint8_t>> decode(std::string_view text);

// Value 0..31 of a character typed by a person (core/crockford.hpp: shared with receipt codes).
using core::crockford::typed_value;

// A check character over symbol values (Luhn mod 32): catches every single wrong character
// and every swap of two neighbours that changes the code.
char luhn_check(std::span<const int> values);

}  // namespace allervers::passes::base32
