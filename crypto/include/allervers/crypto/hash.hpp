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

}  // namespace allervers::crypto
