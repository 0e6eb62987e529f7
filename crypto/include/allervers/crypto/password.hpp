#pragma once
// Passwords of the office console's accounts: argon2id through libsodium's crypto_pwhash_str
// (the encoded string carries its salt and cost, so costs can rise later and old hashes still
// verify), and comparing secrets in constant time. Unlike device tokens (random, 256 bits:
// a fast hash is enough, docs/server.md), a password is chosen by a person and guessable, so
// its hash must be slow.
#include <string>
#include <string_view>

namespace allervers::crypto {

// An argon2id string ("$argon2id$v=19$m=…") for `password`, at libsodium's interactive
// cost (64 MiB, ~0.1 s). Throws CryptoError when memory runs out.
std::string hash_password(std::string_view password);
// True when `password` matches `encoded`; false for a wrong password or a malformed string.
bool verify_password(std::string_view encoded, std::string_view password);
// True when `encoded` was made with a lower cost than hash_password uses now.
bool password_needs_rehash(std::string_view encoded);

// Equal length and bytes, in time that depends only on the length.
bool equal_secrets(std::string_view a, std::string_view b);

// A random secret for a URL or a cookie: `bytes` random bytes, URL-safe base64 unpadded.
std::string random_token(std::size_t bytes = 32);

}  // namespace allervers::crypto
