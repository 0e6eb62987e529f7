#pragma once
// Signed tokens of the residents' public pages (docs/web.md, "The public pages"): a form's state
// (which consultation, the capture id it will store, when it was issued, the assembly it is
// attributed to, the answers so far) and an assembly's QR code. A token is base64url(JSON) "."
// keyed BLAKE2b of a purpose and that JSON, under a key the server makes once and keeps in its
// database (server_secrets "public_form_key"): the page cannot be forged or altered, and a token
// made for one purpose is refused for another. Replays are the caller's: a form token's id is
// the capture's id, kept as used once the capture is stored.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace allervers::web {

class TokenSigner {
 public:
  explicit TokenSigner(const std::array<std::uint8_t, 32>& key) : key_(key) {}
  // The key's text as kept in server_secrets (base64 of 32 random bytes) and back.
  static std::string make_key_text();
  static std::optional<TokenSigner> from_key_text(std::string_view text);

  std::string sign(std::string_view purpose, const nlohmann::json& payload) const;
  // The payload, or nothing when `token` was not signed by this key for `purpose` (forged,
  // altered, cut, made for another purpose) or is not an object.
  std::optional<nlohmann::json> open(std::string_view purpose, std::string_view token) const;
  // A keyed hash of `data` for `purpose` (hex): what is kept instead of a client's address.
  std::string digest(std::string_view purpose, std::string_view data) const { return mac(purpose, data); }

 private:
  std::string mac(std::string_view purpose, std::string_view body) const;
  std::array<std::uint8_t, 32> key_;
};

// The purposes, named once.
namespace token_purposes {
inline constexpr std::string_view form = "allervers.public.form/1";
inline constexpr std::string_view assembly = "allervers.public.assembly/1";
inline constexpr std::string_view address = "allervers.public.address/1";
inline constexpr std::string_view unsubscribe = "allervers.public.unsubscribe/1";  // mails about an idea (idea_mail.hpp)
}  // namespace token_purposes

}  // namespace allervers::web
