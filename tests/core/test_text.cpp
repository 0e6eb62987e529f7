// Text rules: what a resident may type, and what hostile input must not get through.
#include <catch2/catch.hpp>

#include "allervers/core/names.hpp"
#include "allervers/core/text.hpp"

using namespace allervers::core;

TEST_CASE("valid UTF-8 in French, emoji and right-to-left scripts passes", "[text]") {
  for (const char* ok : {"Élodie à l’école", "« Oui » — 15 €", "œuvre ŒUF", "👍🏽 merci", "مرحبا بكم", "שלום", "日本語"}) {
    CAPTURE(ok);
    CHECK_FALSE(find_text_problem(ok, Lines::single));
  }
}

TEST_CASE("invalid UTF-8 is found with its byte offset", "[text]") {
  struct Case {
    std::string text;
    std::size_t offset;
  };
  const Case cases[] = {
      {"abc\xff", 3},              // not a lead byte
      {"ab\xc3", 2},               // truncated sequence
      {"\xc0\xaf", 0},             // overlong '/'
      {"x\xed\xa0\x80", 1},        // UTF-16 surrogate
      {"\xf4\x90\x80\x80", 0},     // beyond U+10FFFF
      {"ok \xe2\x82", 3},          // cut euro sign
  };
  for (const auto& c : cases) {
    auto problem = find_text_problem(c.text, Lines::multi);
    REQUIRE(problem);
    CHECK(problem->kind == TextProblem::Kind::invalid_utf8);
    CHECK(problem->offset == c.offset);
  }
}

TEST_CASE("NUL bytes and control characters are refused — line breaks only where allowed", "[text]") {
  const std::string with_nul("ab\0cd", 5);
  CHECK(find_text_problem(with_nul, Lines::multi)->kind == TextProblem::Kind::nul_byte);
  CHECK(find_text_problem("bell\a", Lines::multi)->code_point == U'\a');
  CHECK(find_text_problem("esc\x1b[31m", Lines::multi)->kind == TextProblem::Kind::control_character);
  CHECK(find_text_problem("del\x7f", Lines::multi));
  CHECK(find_text_problem("c1 \xc2\x85", Lines::multi)->code_point == 0x85);
  CHECK_FALSE(find_text_problem("deux\nlignes\tet tab", Lines::multi));
  CHECK(find_text_problem("deux\nlignes", Lines::single));
  CHECK(find_text_problem("carriage\rreturn", Lines::multi));
}

TEST_CASE("length is counted in characters, not bytes", "[text]") {
  CHECK(code_point_count("été") == 3);
  CHECK(code_point_count("👍🏽") == 2);
  CHECK(code_point_count("") == 0);
  CHECK(is_blank(" \t\n"));
  CHECK_FALSE(is_blank(" a "));
}

TEST_CASE("append_utf8 writes every plane", "[text]") {
  std::string s;
  for (char32_t cp : {U'a', U'é', U'€', U'😀'}) append_utf8(s, cp);
  CHECK(s == "aé€😀");
}

TEST_CASE("decode_utf8 reads what append_utf8 writes, and marks broken bytes", "[text]") {
  CHECK(decode_utf8("aé€😀") == U"aé€😀");
  CHECK(decode_utf8("") == U"");
  // A lone continuation byte, a cut sequence and an overlong '/' each become one U+FFFD per
  // byte; decoding goes on after them.
  CHECK(decode_utf8("a\x80" "b") == U"a\uFFFD" "b");
  CHECK(decode_utf8("\xC3") == U"\uFFFD");
  CHECK(decode_utf8("\xC0\xAFx") == U"\uFFFD\uFFFDx");
}

TEST_CASE("enum names: one table read both ways", "[names]") {
  enum class Colour { red, green, blue };
  static constexpr EnumName<Colour> names[] = {{Colour::red, "red"}, {Colour::green, "green"}};
  CHECK(std::string(name_of(names, Colour::green)) == "green");
  CHECK(std::string(name_of(names, Colour::blue)) == "?");  // a table that misses a value
  CHECK(value_named(names, "red") == Colour::red);
  CHECK_FALSE(value_named(names, "blue"));
}

TEST_CASE("localized text falls back to French", "[text]") {
  LocalizedText t("Bonjour");
  t.set("en", "Hello");
  CHECK(t.in("en") == "Hello");
  CHECK(t.in("de") == "Bonjour");
  CHECK(LocalizedText().in("fr").empty());
}

TEST_CASE("search folding: case, accents, ligatures and typographic marks set aside", "[text]") {
  CHECK(fold_for_search("École ÉCOLE école ecole") == "ecole ecole ecole ecole");
  CHECK(fold_for_search("Œuvre cœur Ærø straße") == "oeuvre coeur aero strasse");
  CHECK(fold_for_search("l’été « chaud » — très") == "l'ete \" chaud \" - tres");
  CHECK(fold_for_search("  deux\t\nespaces\xC2\xA0insécables  ") == "deux espaces insecables");
  CHECK(fold_for_search("ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŸ") == "aaaaaaceeeeiiiinoooooouuuuyy");
  CHECK(fold_for_search("ĀăĄćČďĐēĘěğĦıĲĹłŃňŐœŘśŞšŢťŪůűŴŶźŻžſ") == "aaaccddeeeghiijllnnooersssttuuuwyzzzs");
  CHECK(fold_for_search("ΑΒΓ Привет مرحبا") == "αβγ привет مرحبا");  // other scripts keep their letters
  CHECK(fold_for_search("a\xff" "b") == "ab");                        // invalid bytes dropped
  CHECK(fold_for_search("") == "");
  CHECK(fold_for_search("× ÷") == "× ÷");  // signs are not letters
}

TEST_CASE("trim_ows takes HTTP's spaces and tabs off both ends, nothing else") {
  CHECK(trim_ows(" \tgzip ; q=1\t ") == "gzip ; q=1");
  CHECK(trim_ows("") == "");
  CHECK(trim_ows(" \t ") == "");
  CHECK(trim_ows("\r\nvalue\r\n") == "\r\nvalue\r\n");  // line ends are not white space in a header value
}
