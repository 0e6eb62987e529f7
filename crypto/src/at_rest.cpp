#include "allervers/crypto/at_rest.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "allervers/crypto/base64.hpp"
#include "allervers/crypto/start.hpp"

namespace allervers::crypto {
namespace {

constexpr std::string_view kPrefix = "AVE1:";
constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == 32);

}  // namespace

AtRestKey AtRestKey::generate() {
  start();
  AtRestKey key;
  crypto_aead_xchacha20poly1305_ietf_keygen(key.key_.data());
  return key;
}

AtRestKey AtRestKey::read_file(const std::filesystem::path& path) {
  start();
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    throw CryptoError("cannot read the secrets key " + path.string() + ": " + std::strerror(errno));
  if ((st.st_mode & 077) != 0)
    throw CryptoError("the secrets key " + path.string() + " can be read by others (mode " +
                      std::to_string(st.st_mode & 0777) + " in decimal): chmod 600 it, and make a new one if it was copied");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw CryptoError("cannot read the secrets key " + path.string());
  std::string body = text.str();
  const auto first = body.find_first_not_of(" \t\r\n");
  const auto last = body.find_last_not_of(" \t\r\n");
  const auto bytes = first == std::string::npos ? std::nullopt : from_base64_exact<32>(std::string_view(body).substr(first, last - first + 1));
  sodium_memzero(body.data(), body.size());
  if (!bytes) throw CryptoError("the secrets key " + path.string() + " is not base64 of 32 bytes (make one with allervers-server secrets-key new FILE)");
  AtRestKey key;
  key.key_ = *bytes;
  return key;
}

AtRestKey AtRestKey::create_file(const std::filesystem::path& path) {
  AtRestKey key = generate();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw CryptoError("cannot create the secrets key " + path.string() + ": " + std::strerror(errno));
  const std::string text = to_base64(std::span<const std::uint8_t>(key.key_)) + "\n";
  const bool ok = ::fchmod(fd, 0600) == 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    throw CryptoError("cannot write the secrets key " + path.string());
  }
  return key;
}

AtRestKey::AtRestKey(AtRestKey&& other) noexcept : key_(other.key_) { sodium_memzero(other.key_.data(), other.key_.size()); }
AtRestKey& AtRestKey::operator=(AtRestKey&& other) noexcept {
  key_ = other.key_;
  sodium_memzero(other.key_.data(), other.key_.size());
  return *this;
}
AtRestKey::~AtRestKey() { sodium_memzero(key_.data(), key_.size()); }

std::string AtRestKey::encrypt(std::string_view name, std::string_view value) const {
  std::string out(kNonce + value.size() + kTag, '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(p, kNonce);
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_encrypt(p + kNonce, &written, reinterpret_cast<const unsigned char*>(value.data()),
                                                 value.size(), reinterpret_cast<const unsigned char*>(name.data()), name.size(),
                                                 nullptr, p, key_.data()) != 0)
    throw CryptoError("encrypting a secret failed");
  return std::string(kPrefix) + to_base64(out);
}

std::optional<std::string> AtRestKey::decrypt(std::string_view name, std::string_view text) const {
  if (!is_encrypted_at_rest(text)) return std::nullopt;
  const auto bytes = from_base64(text.substr(kPrefix.size()));
  if (!bytes || bytes->size() < kNonce + kTag) return std::nullopt;
  const unsigned char* p = bytes->data();
  std::string out(bytes->size() - kNonce - kTag, '\0');
  unsigned long long read = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(out.data()), &read, nullptr, p + kNonce,
                                                 bytes->size() - kNonce, reinterpret_cast<const unsigned char*>(name.data()),
                                                 name.size(), p, key_.data()) != 0)
    return std::nullopt;
  return out;
}

bool is_encrypted_at_rest(std::string_view text) { return text.starts_with(kPrefix); }

}  // namespace allervers::crypto
