#pragma once
// A resident's pass: what its QR code holds, how it is issued (by the town or, offline, by a
// certified device), how any device verifies it offline, and the short fallback code printed
// under it for a person to type.
//
// Sections: PassId and fallback code · the QR payload · issuing · revocation and
// certificates · verification. Formats in docs/passes.md.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "allervers/passes/keys.hpp"

namespace allervers::passes {

// ---- PassId and fallback code --------------------------------------------------------------

// 50 random bits, nothing personal. Its text is 10 Crockford base32 characters: the form kept
// with a sign-in (core::SignIn::pass) and the heart of the fallback code.
class PassId {
 public:
  static constexpr int bits = 50;
  static constexpr std::uint64_t mask = (std::uint64_t{1} << bits) - 1;
  PassId() = default;
  explicit PassId(std::uint64_t value);  // throws std::invalid_argument above 50 bits
  static PassId random();
  static std::optional<PassId> parse(std::string_view text);  // the exact 10-character form
  std::uint64_t value() const { return value_; }
  std::string str() const;
  // "ABCD-EFGH-JKC": the id plus a check character, in groups a person can copy.
  std::string fallback_code() const;
  friend auto operator<=>(const PassId&, const PassId&) = default;

 private:
  std::uint64_t value_ = 0;
};

// Reading a fallback code typed by a person: spaces and hyphens ignored, any case, O for 0 and
// I/L for 1. A wrong check character means a typo, not a pass.
enum class FallbackProblem { none, wrong_length, bad_character, wrong_check };
struct FallbackRead {
  FallbackProblem problem = FallbackProblem::none;
  std::optional<PassId> id;
};
FallbackRead read_fallback_code(std::string_view typed);

// ---- The QR payload ------------------------------------------------------------------------

// "AV1-" + base32 of: kind (1 byte) · town key id (2) · pass id (7) · [device certificate
// serial (4), device-issued only] · Ed25519 signature (64). 123 characters for a town pass,
// 129 for a device pass: QR version 6 at error correction level Q in alphanumeric mode.
inline constexpr std::string_view pass_prefix = "AV1-";
enum class Issuer : std::uint8_t { town = 1, device = 2 };

struct Pass {
  PassId id;
  Issuer issuer = Issuer::town;
  KeyId town_key = 0;
  std::uint32_t certificate = 0;  // device-issued only: the DeviceCertificate serial
  friend bool operator==(const Pass&, const Pass&) = default;
};

// Anything longer than this is not one of our codes; checked before any other work.
inline constexpr std::size_t max_code_bytes = 256;

// ---- Issuing -------------------------------------------------------------------------------

// A town pass, signed by the town key: printed on invitation letters.
std::string issue_town_pass(const TownKey& town, const PassId& id);

// Issues passes on a device, offline, with the device's own key and certificate.
class DevicePassIssuer {
 public:
  DevicePassIssuer(SecretKey device_key, DeviceCertificate certificate);
  // Throws KeyError when `now_unix_s` is outside the certificate's validity.
  std::string issue(const PassId& id, std::int64_t now_unix_s) const;
  const DeviceCertificate& certificate() const { return certificate_; }

 private:
  SecretKey key_;
  DeviceCertificate certificate_;
};

// ---- Revocation and certificates (received at sync) ----------------------------------------

struct RevocationList {
  std::set<PassId> passes;
  std::set<std::uint32_t> certificates;  // a lost device: every pass it issued is refused
  // JSON {"passes": ["ID", ...], "certificates": [serial, ...]}; throws KeyError when malformed.
  std::string to_json() const;
  static RevocationList from_json(std::string_view json);
};

// The device certificates a device knows of, each checked against the town key when added.
// After `rotate-key town`, the keys the town retired stay trusted beside the current one
// (docs/passes.md, "Rotating the town key"): passes printed and certificates signed before
// still verify, until the office drops the retired keys.
class CertificateStore {
 public:
  explicit CertificateStore(TownPublicKey town, std::vector<TownPublicKey> retired = {})
      : town_(std::move(town)), retired_(std::move(retired)) {}
  // Throws KeyError when the certificate is signed by none of the town's keys.
  void add(const DeviceCertificate& certificate);
  const DeviceCertificate* find(std::uint32_t serial) const;
  std::size_t size() const { return by_serial_.size(); }
  const TownPublicKey& town() const { return town_; }  // the current key
  const std::vector<TownPublicKey>& retired() const { return retired_; }
  // The current or a retired key with this id; nothing for another town's.
  const TownPublicKey* town_key(KeyId id) const;

 private:
  TownPublicKey town_;
  std::vector<TownPublicKey> retired_;
  std::map<std::uint32_t, DeviceCertificate> by_serial_;
};

// ---- Verification --------------------------------------------------------------------------

enum class PassProblem {
  none,
  oversized,             // longer than max_code_bytes
  not_text,              // invalid UTF-8 (raw binary, a foreign code)
  wrong_prefix,          // not an Aller-vers pass (a URL, a product code...)
  truncated,             // shorter than its kind requires
  malformed,             // bad characters, unknown kind, extra data
  other_town,            // signed for another town's key
  unknown_certificate,   // issued by a device whose certificate this device has not received
  bad_signature,         // altered or forged
  revoked_pass,
  revoked_certificate,   // issued by a device the office revoked
};
const char* to_string(PassProblem problem);  // "bad_signature": the stable key for translations
// A sentence for the person at the kiosk, in French (the app's default before translations).
const char* explain(PassProblem problem);
// The same in English, for command-line tools and logs (see docs/decisions.md).
const char* describe(PassProblem problem);

struct PassCheck {
  PassProblem problem = PassProblem::none;
  std::optional<Pass> pass;  // set once the payload could be parsed, even when refused
  bool ok() const { return problem == PassProblem::none; }
};

// Parses without checking any signature: the structure and the reason it cannot be a pass.
PassCheck parse_pass(std::string_view code);

class PassVerifier {
 public:
  PassVerifier(CertificateStore certificates, RevocationList revoked = {})
      : certificates_(std::move(certificates)), revoked_(std::move(revoked)) {}
  PassCheck verify(std::string_view code) const;
  void set_revocations(RevocationList revoked) { revoked_ = std::move(revoked); }
  const RevocationList& revocations() const { return revoked_; }
  CertificateStore& certificates() { return certificates_; }

 private:
  CertificateStore certificates_;
  RevocationList revoked_;
};

}  // namespace allervers::passes
