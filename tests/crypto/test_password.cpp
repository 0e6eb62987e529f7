// Passwords (argon2id through libsodium), secrets compared in constant time, random tokens.
#include <catch2/catch.hpp>

#include <set>

#include "allervers/crypto/password.hpp"

using namespace allervers;

TEST_CASE("passwords: argon2id strings that verify only their password") {
  const auto h = crypto::hash_password("correct horse battery");
  CHECK(h.rfind("$argon2id$", 0) == 0);
  CHECK(crypto::verify_password(h, "correct horse battery"));
  CHECK_FALSE(crypto::verify_password(h, "correct horse batterY"));
  CHECK_FALSE(crypto::verify_password(h, ""));
  CHECK_FALSE(crypto::verify_password("", "correct horse battery"));          // no password set yet
  CHECK_FALSE(crypto::verify_password("$argon2id$garbage", "correct horse battery"));
  CHECK(crypto::hash_password("correct horse battery") != h);  // salted
  CHECK_FALSE(crypto::password_needs_rehash(h));
}

TEST_CASE("passwords: secrets compared by length and bytes, tokens random and URL-safe") {
  CHECK(crypto::equal_secrets("abc", "abc"));
  CHECK(crypto::equal_secrets("", ""));
  CHECK_FALSE(crypto::equal_secrets("abc", "abd"));
  CHECK_FALSE(crypto::equal_secrets("abc", "abcd"));
  std::set<std::string> seen;
  for (int i = 0; i < 50; ++i) {
    const auto t = crypto::random_token();
    CHECK(t.size() == 43);  // 32 bytes, base64 unpadded
    CHECK(t.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == std::string::npos);
    seen.insert(t);
  }
  CHECK(seen.size() == 50);
}
