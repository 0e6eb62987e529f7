#pragma once
// Capture ids: UUIDs made on the device, time-ordered (RFC 9562 version 7), so no record
// needs the server to exist and the text form sorts in creation order.
#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace allervers::core {

class Uuid {
 public:
  Uuid() = default;  // the nil UUID
  explicit Uuid(const std::array<std::uint8_t, 16>& bytes) : bytes_(bytes) {}

  // Canonical lower-case form "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"; upper case accepted on input.
  static std::optional<Uuid> parse(std::string_view text);
  std::string str() const;

  const std::array<std::uint8_t, 16>& bytes() const { return bytes_; }
  int version() const { return bytes_[6] >> 4; }
  bool is_nil() const;
  std::int64_t v7_unix_ms() const;  // meaningful for version 7 only

  friend auto operator<=>(const Uuid&, const Uuid&) = default;

 private:
  std::array<std::uint8_t, 16> bytes_{};
};

// Makes version 7 UUIDs, strictly increasing even within one millisecond or when the clock
// steps back (the 12-bit rand_a field serves as a counter). Thread-safe.
class UuidGenerator {
 public:
  UuidGenerator();
  explicit UuidGenerator(std::uint64_t seed);  // deterministic, for tests
  Uuid next(std::int64_t unix_ms);

 private:
  std::mutex mutex_;
  std::mt19937_64 random_;
  std::int64_t last_ms_ = 0;
  std::uint16_t counter_ = 0;
};

}  // namespace allervers::core
