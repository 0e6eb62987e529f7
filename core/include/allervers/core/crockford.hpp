#pragma once
// Crockford's base32 alphabet, the one alphabet of every code a person reads or types: pass
// ids and fallback codes (passes/base32.hpp), ideas' receipt codes (receipt.hpp). Upper-case
// digits and letters without I, L, O, U read aloud without confusion and fit a QR code's
// alphanumeric mode.
#include <optional>
#include <string_view>

namespace allervers::core::crockford {

inline constexpr std::string_view alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// Value 0..31 of a character typed by a person: case-insensitive, O read as 0, I and L read
// as 1 (Crockford's rule). Nothing for any other character.
std::optional<int> typed_value(char c);

}  // namespace allervers::core::crockford
