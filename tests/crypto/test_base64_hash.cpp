// The small tools every room uses: start-up from many threads, base64 in both alphabets
// (and what is refused), BLAKE2b hashes against published values, random numbers in range.
#include <catch2/catch.hpp>

#include <set>
#include <thread>
#include <vector>

#include "allervers/crypto/base64.hpp"
#include "allervers/crypto/hash.hpp"
#include "allervers/crypto/random.hpp"
#include "allervers/crypto/start.hpp"

using namespace allervers;

TEST_CASE("libsodium starts once, from any thread") {
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) threads.emplace_back([] { crypto::start(); });
  for (auto& t : threads) t.join();
  CHECK_NOTHROW(crypto::start());
}

TEST_CASE("base64: the original alphabet with padding, the URL-safe one without") {
  CHECK(crypto::to_base64(std::string_view("foobar")) == "Zm9vYmFy");
  CHECK(crypto::to_base64(std::string_view("fo")) == "Zm8=");
  CHECK(crypto::to_base64(std::string_view("")).empty());
  const std::vector<std::uint8_t> bytes{0xfb, 0xff, 0xfe};
  CHECK(crypto::to_base64(bytes) == "+//+");
  CHECK(crypto::to_base64(bytes, crypto::Base64::url_safe_unpadded) == "-__-");
  CHECK(crypto::to_base64(std::string_view("fo"), crypto::Base64::url_safe_unpadded) == "Zm8");
  CHECK(crypto::from_base64("+//+") == bytes);
  CHECK(crypto::from_base64("-__-", crypto::Base64::url_safe_unpadded) == bytes);
}

TEST_CASE("base64: a text that is not wholly base64 is refused, not half read") {
  CHECK_FALSE(crypto::from_base64("Zm9v YmFy"));          // a space where none is allowed
  CHECK(crypto::from_base64("Zm9v YmFy\n", crypto::Base64::original, " \n"));  // unless told to skip it
  CHECK_FALSE(crypto::from_base64("Zm8"));                // padding missing
  CHECK_FALSE(crypto::from_base64("Zm8=x"));              // something after the end
  CHECK_FALSE(crypto::from_base64("-__-"));               // the other alphabet
  CHECK_FALSE(crypto::from_base64("Zm8=", crypto::Base64::url_safe_unpadded));
  CHECK_FALSE(crypto::from_base64("é=="));
}

TEST_CASE("base64: a key is exactly its size") {
  const std::array<std::uint8_t, 32> key{1, 2, 3};
  const std::string text = crypto::to_base64(key);
  CHECK(crypto::from_base64_exact<32>(text) == key);
  CHECK_FALSE(crypto::from_base64_exact<31>(text));
  CHECK_FALSE(crypto::from_base64_exact<33>(text));
  CHECK_FALSE(crypto::from_base64_exact<32>(text.substr(4)));
}

TEST_CASE("hashes: BLAKE2b as published, keyed or not, and sizes checked") {
  // RFC 7693 / libsodium test vectors for the empty message.
  CHECK(crypto::hash_hex("") == "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  CHECK(crypto::hash_hex("", 16) == "cae66941d9efbd404e4d88758ea67670");
  const std::array<std::uint8_t, 16> key_a{1}, key_b{2};
  CHECK(crypto::hash_hex("1234", 32, key_a) != crypto::hash_hex("1234", 32, key_b));
  CHECK(crypto::hash_hex("1234", 32, key_a) != crypto::hash_hex("1234"));
  CHECK(crypto::hash_hex("1234", 32, key_a) == crypto::hash_hex("1234", 32, key_a));
  CHECK_THROWS_AS(crypto::hash_hex("x", 8), crypto::CryptoError);
  const std::array<std::uint8_t, 4> short_key{};
  CHECK_THROWS_AS(crypto::hash_hex("x", 32, short_key), crypto::CryptoError);
}

TEST_CASE("random values: in range and not repeating") {
  std::set<std::uint32_t> seen;
  for (int i = 0; i < 1000; ++i) {
    const auto n = crypto::random_below(32);
    CHECK(n < 32);
    seen.insert(n);
  }
  CHECK(seen.size() == 32);
  std::array<std::uint8_t, 32> a{}, b{};
  crypto::random_fill(a);
  crypto::random_fill(b);
  CHECK(a != b);
}
