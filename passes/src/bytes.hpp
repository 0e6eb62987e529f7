#pragma once
// Big-endian byte packing for the binary forms of passes and certificates (private header).
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

namespace allervers::passes {

namespace detail {

template <typename T>
void put(std::string& out, T value) {
  static_assert(std::is_unsigned_v<T>);
  for (int shift = static_cast<int>(sizeof(T) * 8) - 8; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((static_cast<std::uint64_t>(value) >> shift) & 0xFFu));
}

// Reads fixed-size fields; callers check the total length first.
class Reader {
 public:
  Reader(const std::vector<std::uint8_t>& bytes, std::size_t at) : bytes_(bytes), at_(at) {}
  template <typename T>
  T get() {
    T value = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) value = static_cast<T>((value << 8) | bytes_.at(at_++));
    return value;
  }
  template <std::size_t N>
  void copy(std::array<std::uint8_t, N>& out) {
    if (at_ + N > bytes_.size()) throw std::out_of_range("reader past the end");
    std::memcpy(out.data(), bytes_.data() + at_, N);
    at_ += N;
  }
  std::size_t position() const { return at_; }

 private:
  const std::vector<std::uint8_t>& bytes_;
  std::size_t at_;
};

}  // namespace detail
}  // namespace allervers::passes
