// Receipt codes: derived from the capture id alone, read back as a person types them.
#include <catch2/catch.hpp>

#include <set>

#include "allervers/core/receipt.hpp"

using namespace allervers::core;

TEST_CASE("a receipt code is 8 Crockford characters in two groups, the same for the same id") {
  UuidGenerator ids(42);
  const Uuid id = ids.next(1'790'000'000'000);
  const std::string code = receipt_code(id);
  REQUIRE(code.size() == 9);
  CHECK(code[4] == '-');
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (i == 4) continue;
    CHECK(std::string_view("0123456789ABCDEFGHJKMNPQRSTVWXYZ").find(code[i]) != std::string_view::npos);
  }
  CHECK(receipt_code(id) == code);
  CHECK(receipt_code(*Uuid::parse(id.str())) == code);
  // Pinned: codes already printed must keep finding their idea if the function is touched.
  CHECK(receipt_code(*Uuid::parse("01890a5d-ac96-774b-bcce-b302099a8057")) == receipt_code(*Uuid::parse("01890A5D-AC96-774B-BCCE-B302099A8057")));
  CHECK(receipt_code(*Uuid::parse("01890a5d-ac96-774b-bcce-b302099a8057")) == "GZSZ-5VGE");
}

TEST_CASE("ideas of the same millisecond get different codes, spread over the alphabet") {
  UuidGenerator ids(7);
  std::set<std::string> codes;
  std::set<char> first_chars;
  for (int i = 0; i < 20'000; ++i) {
    const auto code = receipt_code(ids.next(1'790'000'000'000));  // one millisecond: only the counter and random bits differ
    codes.insert(code);
    first_chars.insert(code[0]);
  }
  // 20,000 ideas in 2^40 codes: a collision here has probability ~2e-4, and the seed is fixed.
  CHECK(codes.size() == 20'000);
  CHECK(first_chars.size() == 32);
}

TEST_CASE("a typed receipt code is read as a person means it") {
  CHECK(read_receipt_code("K7QM-2XHD") == "K7QM-2XHD");
  CHECK(read_receipt_code("k7qm2xhd") == "K7QM-2XHD");
  CHECK(read_receipt_code(" k7 qm - 2x hd ") == "K7QM-2XHD");
  CHECK(read_receipt_code("OIL0-0000") == "0110-0000");  // O as 0, I and L as 1
  CHECK_FALSE(read_receipt_code("K7QM-2XH"));            // too short
  CHECK_FALSE(read_receipt_code("K7QM-2XHDD"));          // too long
  CHECK_FALSE(read_receipt_code("K7QM-2XHU"));           // U is not in the alphabet
  CHECK_FALSE(read_receipt_code("K7QM_2XHD"));
  CHECK_FALSE(read_receipt_code(""));
  UuidGenerator ids(1);
  const auto code = receipt_code(ids.next(1));
  CHECK(read_receipt_code(code) == code);
}
