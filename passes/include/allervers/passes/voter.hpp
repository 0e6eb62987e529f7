#pragma once
// The secret ballot's two values made on the device: the voter's keyed hash (one per pass and
// per vote: what the duplicate checks compare, never the pass id) and the receipt code. The
// threat model is in docs/security.md, "The secret ballot".
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "allervers/core/vote.hpp"

namespace allervers::passes {

// BLAKE2b-256 keyed by the vote's voter_key over "allervers vote v1\n" · vote id · "\n" · pass
// id, in lower-case hex. Without the key (held by the server and the devices the vote was
// published to), a ballot's voter cannot be matched to a pass id, even by trying every one.
// A vote's voter_key (64 lower-case hex digits) as its 32 bytes; std::invalid_argument otherwise.
std::array<std::uint8_t, 32> voter_key_bytes(const std::string& voter_key);

std::string voter_hash(const core::Vote& vote, std::string_view pass_id);

// A fresh receipt code: 8 random characters of Crockford base32 (40 bits), stored without dash.
std::string new_receipt();

// A fresh voter_key for a new vote: 32 random bytes in lower-case hex (the server makes it).
std::string new_voter_key();

}  // namespace allervers::passes
