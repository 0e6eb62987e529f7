#include "allervers/core/uuid.hpp"

#include "allervers/core/hex.hpp"

namespace allervers::core {
namespace {

std::uint64_t seed_from_device() {
  std::random_device rd;
  return (std::uint64_t{rd()} << 32) ^ rd();
}

}  // namespace

std::optional<Uuid> Uuid::parse(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  std::array<std::uint8_t, 16> b{};
  std::size_t j = 0;
  for (std::size_t i = 0; i < 36;) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    const int hi = hex_digit_value(text[i]);
    const int lo = hex_digit_value(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    b[j++] = static_cast<std::uint8_t>(hi * 16 + lo);
    i += 2;
  }
  return Uuid(b);
}

std::string Uuid::str() const {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(digits[bytes_[i] >> 4]);
    out.push_back(digits[bytes_[i] & 0xF]);
  }
  return out;
}

bool Uuid::is_nil() const {
  for (auto b : bytes_)
    if (b != 0) return false;
  return true;
}

std::int64_t Uuid::v7_unix_ms() const {
  std::int64_t ms = 0;
  for (std::size_t i = 0; i < 6; ++i) ms = (ms << 8) | bytes_[i];
  return ms;
}

UuidGenerator::UuidGenerator() : random_(seed_from_device()) {}
UuidGenerator::UuidGenerator(std::uint64_t seed) : random_(seed) {}

Uuid UuidGenerator::next(std::int64_t unix_ms) {
  std::lock_guard lock(mutex_);
  if (unix_ms > last_ms_) {
    last_ms_ = unix_ms;
    counter_ = static_cast<std::uint16_t>(random_() & 0x3FF);  // random start, room to count up
  } else if (++counter_ > 0xFFF) {  // same (or earlier) millisecond: count; borrow the next ms if full
    ++last_ms_;
    counter_ = 0;
  }
  std::array<std::uint8_t, 16> b{};
  for (std::size_t i = 0; i < 6; ++i) b[i] = static_cast<std::uint8_t>(last_ms_ >> (8 * (5 - i)));
  b[6] = static_cast<std::uint8_t>(0x70 | (counter_ >> 8));
  b[7] = static_cast<std::uint8_t>(counter_ & 0xFF);
  const std::uint64_t r = random_();
  for (std::size_t i = 8; i < 16; ++i) b[i] = static_cast<std::uint8_t>(r >> (8 * (i - 8)));
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3F) | 0x80);  // RFC 9562 variant
  return Uuid(b);
}

}  // namespace allervers::core
