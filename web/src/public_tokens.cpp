// Signed tokens of the public pages.
#include "allervers/web/public_tokens.hpp"

#include "allervers/crypto/base64.hpp"
#include "allervers/crypto/hash.hpp"
#include "allervers/crypto/password.hpp"
#include "allervers/crypto/random.hpp"

namespace allervers::web {

std::string TokenSigner::make_key_text() {
  std::array<std::uint8_t, 32> key{};
  crypto::random_fill(key);
  return crypto::to_base64(std::span<const std::uint8_t>(key));
}

std::optional<TokenSigner> TokenSigner::from_key_text(std::string_view text) {
  auto key = crypto::from_base64_exact<32>(text);
  if (!key) return std::nullopt;
  return TokenSigner(*key);
}

std::string TokenSigner::mac(std::string_view purpose, std::string_view body) const {
  std::string data(purpose);
  data += '\n';
  data += body;
  return crypto::hash_hex(data, 32, key_);
}

std::string TokenSigner::sign(std::string_view purpose, const nlohmann::json& payload) const {
  const std::string body = crypto::to_base64(payload.dump(), crypto::Base64::url_safe_unpadded);
  return body + "." + mac(purpose, body);
}

std::optional<nlohmann::json> TokenSigner::open(std::string_view purpose, std::string_view token) const {
  const auto dot = token.rfind('.');
  if (dot == std::string_view::npos || token.size() > 64 * 1024) return std::nullopt;
  const std::string_view body = token.substr(0, dot);
  if (!crypto::equal_secrets(mac(purpose, body), token.substr(dot + 1))) return std::nullopt;
  const auto bytes = crypto::from_base64(body, crypto::Base64::url_safe_unpadded);
  if (!bytes) return std::nullopt;
  auto payload = nlohmann::json::parse(bytes->begin(), bytes->end(), nullptr, false);
  if (payload.is_discarded() || !payload.is_object()) return std::nullopt;
  return payload;
}

}  // namespace allervers::web
