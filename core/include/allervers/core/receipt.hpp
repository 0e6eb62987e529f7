#pragma once
// An idea's receipt code: what the resident takes home to ask later "où en est mon idée ?".
// Derived from the capture's id alone, so the device shows it on the thank-you screen with no
// network and the server, the kiosk's lookup and the public pages all find the same code.
//
// Form: 8 characters of Crockford base32 in two groups, "K7QM-2XHD" — 40 bits of a hash of the
// 16 bytes of the capture id (the id is a UUIDv7 whose leading bits are a timestamp shared by
// the ideas of one minute, so the code hashes the whole id rather than cutting a part of it).
//
// Collisions: two ideas share a code with probability about n² / 2⁴¹ for n ideas — 5·10⁻⁵ for
// 10,000 ideas, 5·10⁻³ for 100,000. A code is not a key: the server keeps every idea under
// its capture id, a lookup by code answers every idea holding it (the rare shared code shows
// both answers, each with its title), and docs/server.md says what the office sees.
// A mistyped code finds nothing (a random 40-bit code hits one of 10,000 ideas once in 10⁸),
// so no check character is needed.
#include <optional>
#include <string>
#include <string_view>

#include "allervers/core/uuid.hpp"

namespace allervers::core {

inline constexpr std::size_t kReceiptChars = 8;  // without the hyphen

// "K7QM-2XHD" for an idea's capture id.
std::string receipt_code(const Uuid& capture_id);

// A code as a person typed or a scanner read it, in its canonical form "K7QM-2XHD": any case,
// spaces and hyphens anywhere, O read as 0, I and L read as 1. Nothing when it is not 8
// characters of the alphabet.
std::optional<std::string> read_receipt_code(std::string_view typed);

}  // namespace allervers::core
