// Crockford base32 as passes use it: decode() is strict, so whatever it accepts encodes back to
// the same text; and any bytes encode then decode to themselves.
#include <vector>

#include "allervers/passes/base32.hpp"
#include "harness.hpp"

using namespace allervers;
namespace base32 = passes::base32;

ALLERVERS_FUZZ_TARGET(base32) {
  const auto text = fuzz::text_of(data, size);
  if (const auto bytes = base32::decode(text)) fuzz::require(base32::encode(*bytes) == text, "a base32 text has two spellings");
  const std::vector<std::uint8_t> bytes(data, data + size);
  const auto back = base32::decode(base32::encode(bytes));
  fuzz::require(back && *back == bytes, "bytes do not survive base32");
  for (char c : text) {
    const auto v = base32::typed_value(c);
    fuzz::require(!v || (*v >= 0 && *v < 32), "a typed character outside the alphabet");
  }
  return 0;
}
