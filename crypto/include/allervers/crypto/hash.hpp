#pragma once
// BLAKE2b (libsodium's crypto_generichash), written in lower-case hex: hashes of random
// secrets kept instead of the secrets (device tokens, enrolment codes), ETags, and keyed
// hashes (the staff PIN, keyed by the device's id).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace allervers::crypto {

// `bytes` from 16 to 64; `key` empty or 16 to 64 bytes. Throws CryptoError otherwise.
std::string hash_hex(std::string_view data, std::size_t bytes = 32, std::span<const std::uint8_t> key = {});

// SHA-256 in lower-case hex (64 characters): the name of a media file (pictures, pictograms),
// SHA-256 rather than BLAKE2b because anyone can recompute it with `sha256sum`.
std::string sha256_hex(std::string_view data);

}  // namespace allervers::crypto
