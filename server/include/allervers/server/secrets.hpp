#pragma once
// Device tokens and enrolment codes. Only hashes are stored.
//
// Why crypto_generichash (BLAKE2b) and not crypto_pwhash_str (Argon2): both secrets are
// random, not chosen by people — a token is 256 random bits, a code 80 random bits used once
// within a day — so no dictionary or brute-force attack benefits from a slow hash, and a slow
// one would cost ~0.1 s of CPU and 64 MB of memory on every batch. A keyed-less BLAKE2b of a
// high-entropy secret is as strong as the secret.
#include <string>
#include <string_view>

namespace allervers::server {

std::string new_device_token();      // 32 random bytes, base64url without padding
std::string new_enrol_code();        // "ABCD-EFGH-JKMN-PQRS": 16 Crockford base32 characters, 80 bits
std::string normalise_enrol_code(std::string_view code);  // upper case, no separators, O→0, I/L→1
std::string hash_secret(std::string_view secret);          // hex BLAKE2b-256
std::string short_hash(std::string_view data);             // hex BLAKE2b-128 (ETags, batch ids)

}  // namespace allervers::server
