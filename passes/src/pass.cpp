#include "allervers/passes/pass.hpp"

#include <array>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "allervers/core/text.hpp"
#include "allervers/crypto/random.hpp"
#include "allervers/passes/base32.hpp"
#include "bytes.hpp"

namespace allervers::passes {

namespace {

constexpr std::string_view pass_domain = "allervers pass v1\n";
constexpr std::size_t id_bytes = 7;
constexpr std::size_t town_body = 1 + 2 + id_bytes;
constexpr std::size_t device_body = town_body + 4;
constexpr std::size_t signature_bytes = 64;
constexpr int id_chars = 10;

std::string body_of(const Pass& pass) {
  std::string out;
  detail::put(out, static_cast<std::uint8_t>(pass.issuer));
  detail::put(out, pass.town_key);
  for (int shift = static_cast<int>(id_bytes - 1) * 8; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((pass.id.value() >> shift) & 0xFFu));
  if (pass.issuer == Issuer::device) detail::put(out, pass.certificate);
  return out;
}

std::string encode_pass(const Pass& pass, const SecretKey& key) {
  const std::string body = body_of(pass);
  const auto signature = key.sign(std::string(pass_domain) + body);
  std::string raw = body;
  raw.append(reinterpret_cast<const char*>(signature.data()), signature.size());
  return std::string(pass_prefix) + base32::encode(std::span(reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size()));
}

}  // namespace

// ---- PassId --------------------------------------------------------------------------------

PassId::PassId(std::uint64_t value) : value_(value) {
  if (value > mask) throw std::invalid_argument("a pass id has 50 bits");
}

PassId PassId::random() {
  std::array<std::uint8_t, 8> bytes{};
  crypto::random_fill(bytes);
  std::uint64_t value = 0;
  std::memcpy(&value, bytes.data(), sizeof value);
  return PassId(value & mask);
}

std::string PassId::str() const {
  std::string out(id_chars, '0');
  for (int i = id_chars - 1, shift = 0; i >= 0; --i, shift += 5)
    out[static_cast<std::size_t>(i)] = base32::alphabet[(value_ >> shift) & 31u];
  return out;
}

std::optional<PassId> PassId::parse(std::string_view text) {
  if (text.size() != id_chars) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    const auto pos = base32::alphabet.find(c);
    if (pos == std::string_view::npos) return std::nullopt;
    value = (value << 5) | pos;
  }
  return PassId(value);
}

std::string PassId::fallback_code() const {
  const std::string id = str();
  int values[id_chars];
  for (int i = 0; i < id_chars; ++i)
    values[i] = static_cast<int>(base32::alphabet.find(id[static_cast<std::size_t>(i)]));
  const char check = base32::luhn_check(values);
  return id.substr(0, 4) + "-" + id.substr(4, 4) + "-" + id.substr(8, 2) + check;
}

FallbackRead read_fallback_code(std::string_view typed) {
  std::vector<int> values;
  for (char c : typed) {
    if (c == ' ' || c == '-') continue;
    const auto value = base32::typed_value(c);
    if (!value) return {FallbackProblem::bad_character, std::nullopt};
    values.push_back(*value);
  }
  if (values.size() != id_chars + 1) return {FallbackProblem::wrong_length, std::nullopt};
  const int check = values.back();
  values.pop_back();
  if (base32::luhn_check(values) != base32::alphabet[static_cast<std::size_t>(check)])
    return {FallbackProblem::wrong_check, std::nullopt};
  std::uint64_t value = 0;
  for (int v : values) value = (value << 5) | static_cast<std::uint64_t>(v);
  return {FallbackProblem::none, PassId(value)};
}

// ---- Issuing -------------------------------------------------------------------------------

std::string issue_town_pass(const TownKey& town, const PassId& id) {
  return encode_pass(Pass{id, Issuer::town, town.public_key().id(), 0}, town.secret());
}

DevicePassIssuer::DevicePassIssuer(SecretKey device_key, DeviceCertificate certificate)
    : key_(std::move(device_key)), certificate_(std::move(certificate)) {
  if (key_.public_bytes() != certificate_.device_public_key)
    throw KeyError("device certificate " + std::to_string(certificate_.serial) + " is for another device key");
}

std::string DevicePassIssuer::issue(const PassId& id, std::int64_t now_unix_s) const {
  if (!certificate_.valid_at(now_unix_s))
    throw KeyError("device certificate " + std::to_string(certificate_.serial) +
                   " is not valid now: ask the office to renew this device's enrolment");
  return encode_pass(Pass{id, Issuer::device, certificate_.town_key, certificate_.serial}, key_);
}

// ---- Revocation and certificates -----------------------------------------------------------

std::string RevocationList::to_json() const {
  nlohmann::json j;
  j["passes"] = nlohmann::json::array();
  for (const auto& id : passes) j["passes"].push_back(id.str());
  j["certificates"] = certificates;
  return j.dump();
}

RevocationList RevocationList::from_json(std::string_view json) {
  RevocationList list;
  try {
    const auto j = nlohmann::json::parse(json);
    for (const auto& item : j.at("passes")) {
      const auto id = PassId::parse(item.get<std::string>());
      if (!id) throw KeyError("revocation list: \"" + item.get<std::string>() + "\" is not a pass id");
      list.passes.insert(*id);
    }
    for (const auto& item : j.at("certificates")) list.certificates.insert(item.get<std::uint32_t>());
  } catch (const nlohmann::json::exception& e) {
    throw KeyError(std::string("revocation list: ") + e.what());
  }
  return list;
}

const TownPublicKey* CertificateStore::town_key(KeyId id) const {
  if (town_.id() == id) return &town_;
  for (const auto& key : retired_)
    if (key.id() == id) return &key;
  return nullptr;
}

void CertificateStore::add(const DeviceCertificate& certificate) {
  const TownPublicKey* town = town_key(certificate.town_key);
  if (!town || !certificate.signed_by(*town))
    throw KeyError("device certificate " + std::to_string(certificate.serial) + " is not signed by this town's key");
  by_serial_[certificate.serial] = certificate;
}

const DeviceCertificate* CertificateStore::find(std::uint32_t serial) const {
  const auto it = by_serial_.find(serial);
  return it == by_serial_.end() ? nullptr : &it->second;
}

// ---- Verification --------------------------------------------------------------------------

const char* to_string(PassProblem problem) {
  switch (problem) {
    case PassProblem::none: return "ok";
    case PassProblem::oversized: return "oversized";
    case PassProblem::not_text: return "not_text";
    case PassProblem::wrong_prefix: return "wrong_prefix";
    case PassProblem::truncated: return "truncated";
    case PassProblem::malformed: return "malformed";
    case PassProblem::other_town: return "other_town";
    case PassProblem::unknown_certificate: return "unknown_certificate";
    case PassProblem::bad_signature: return "bad_signature";
    case PassProblem::revoked_pass: return "revoked_pass";
    case PassProblem::revoked_certificate: return "revoked_certificate";
  }
  return "unknown";
}

const char* explain(PassProblem problem) {
  switch (problem) {
    case PassProblem::none: return "Pass valide";
    case PassProblem::oversized: return "Ce code est bien trop long pour être un pass";
    case PassProblem::not_text: return "Ce code ne contient pas de texte : ce n’est pas un pass";
    case PassProblem::wrong_prefix: return "Ce code n’est pas un pass des assemblées de quartier";
    case PassProblem::truncated: return "Code incomplet : réessayez en montrant tout le code";
    case PassProblem::malformed: return "Code abîmé ou mal lu : réessayez";
    case PassProblem::other_town: return "Ce pass a été émis par une autre ville";
    case PassProblem::unknown_certificate:
      return "Pass émis par un appareil encore inconnu de cette borne : synchronisez-la ou utilisez le code de secours";
    case PassProblem::bad_signature: return "Signature invalide : pass modifié ou contrefait";
    case PassProblem::revoked_pass: return "Ce pass a été révoqué par la mairie";
    case PassProblem::revoked_certificate: return "Ce pass vient d’un appareil révoqué : un nouveau pass peut être remis";
  }
  return "Code non reconnu";
}

namespace {

// A hand scanner with Caps Lock on types the whole code in lower case: accept that, but
// never a mix, so a single flipped case bit is still a change.
std::string unshifted(std::string_view code) {
  std::string text(code);
  bool has_upper = false;
  for (char c : text) has_upper = has_upper || (c >= 'A' && c <= 'Z');
  if (!has_upper)
    for (char& c : text)
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return text;
}

PassCheck parse(std::string_view code, std::array<std::uint8_t, 64>& signature) {
  if (code.size() > max_code_bytes) return {PassProblem::oversized, std::nullopt};
  if (const auto problem = core::find_text_problem(code, core::Lines::single);
      problem && problem->kind == core::TextProblem::Kind::invalid_utf8)
    return {PassProblem::not_text, std::nullopt};
  const std::string text = unshifted(code);
  if (text.size() < pass_prefix.size() && pass_prefix.substr(0, text.size()) == text && !text.empty())
    return {PassProblem::truncated, std::nullopt};
  if (text.substr(0, pass_prefix.size()) != pass_prefix) return {PassProblem::wrong_prefix, std::nullopt};
  const auto payload = std::string_view(text).substr(pass_prefix.size());
  const auto raw = base32::decode(payload);
  if (!raw) {
    // A cut code usually ends mid-character; say "truncated" when it is shorter than any pass.
    for (char c : payload)
      if (base32::alphabet.find(c) == std::string_view::npos) return {PassProblem::malformed, std::nullopt};
    if (payload.size() * 5 < (town_body + signature_bytes) * 8) return {PassProblem::truncated, std::nullopt};
    return {PassProblem::malformed, std::nullopt};
  }
  if (raw->empty()) return {PassProblem::truncated, std::nullopt};
  const auto kind = (*raw)[0];
  if (kind != static_cast<std::uint8_t>(Issuer::town) && kind != static_cast<std::uint8_t>(Issuer::device))
    return {PassProblem::malformed, std::nullopt};
  const std::size_t expected = (kind == static_cast<std::uint8_t>(Issuer::town) ? town_body : device_body) + signature_bytes;
  if (raw->size() < expected) return {PassProblem::truncated, std::nullopt};
  if (raw->size() > expected) return {PassProblem::malformed, std::nullopt};

  detail::Reader in(*raw, 1);
  Pass pass;
  pass.issuer = static_cast<Issuer>(kind);
  pass.town_key = in.get<std::uint16_t>();
  std::uint64_t id = 0;
  for (std::size_t i = 0; i < id_bytes; ++i) id = (id << 8) | in.get<std::uint8_t>();
  if (id > PassId::mask) return {PassProblem::malformed, std::nullopt};
  pass.id = PassId(id);
  if (pass.issuer == Issuer::device) pass.certificate = in.get<std::uint32_t>();
  in.copy(signature);
  return {PassProblem::none, pass};
}

}  // namespace

const char* describe(PassProblem problem) {
  switch (problem) {
    case PassProblem::none: return "valid pass";
    case PassProblem::oversized: return "far too long to be a pass";
    case PassProblem::not_text: return "not text (invalid UTF-8): not a pass";
    case PassProblem::wrong_prefix: return "not an Aller-vers pass (no AV1- prefix)";
    case PassProblem::truncated: return "cut short: part of the code is missing";
    case PassProblem::malformed: return "damaged: characters or length a pass cannot have";
    case PassProblem::other_town: return "issued for another town's key";
    case PassProblem::unknown_certificate: return "issued by a device whose certificate this device has not received";
    case PassProblem::bad_signature: return "signature does not match: altered or forged";
    case PassProblem::revoked_pass: return "revoked by the office";
    case PassProblem::revoked_certificate: return "issued by a revoked device";
  }
  return "not recognised";
}

PassCheck parse_pass(std::string_view code) {
  std::array<std::uint8_t, 64> signature{};
  return parse(code, signature);
}

PassCheck PassVerifier::verify(std::string_view code) const {
  std::array<std::uint8_t, 64> signature{};
  PassCheck check = parse(code, signature);
  if (!check.ok()) return check;
  const Pass& pass = *check.pass;
  const TownPublicKey* town = certificates_.town_key(pass.town_key);
  if (!town) return {PassProblem::other_town, pass};

  std::array<std::uint8_t, 32> signer = town->bytes();
  if (pass.issuer == Issuer::device) {
    if (revoked_.certificates.contains(pass.certificate)) return {PassProblem::revoked_certificate, pass};
    const DeviceCertificate* certificate = certificates_.find(pass.certificate);
    if (!certificate) return {PassProblem::unknown_certificate, pass};
    signer = certificate->device_public_key;
  }
  // The signed bytes are re-derived from the parsed fields: the text has exactly one spelling.
  if (!verify_signature(signer, std::string(pass_domain) + body_of(pass), signature))
    return {PassProblem::bad_signature, pass};
  if (revoked_.passes.contains(pass.id)) return {PassProblem::revoked_pass, pass};
  return check;
}

}  // namespace allervers::passes
