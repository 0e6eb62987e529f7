#include <catch2/catch.hpp>

#include "allervers/app/keyboard.hpp"
#include "allervers/core/text.hpp"

using namespace allervers::app;

namespace {
Key find_key(const KeyboardModel& model, TextKind kind, const std::string& label) {
  const Key none{};
  for (const auto& row : model.rows(kind))
    for (const auto& key : row)
      if (key.label == label) return key;
  FAIL("no key " << label);
  return none;
}
}  // namespace

TEST_CASE("the AZERTY letters, the accents and the digits layouts") {
  KeyboardModel model;
  const auto letters = model.rows(TextKind::single_line);
  REQUIRE(letters.size() == 4);
  CHECK(letters[0][0].label == "a");
  CHECK(letters[0][1].label == "z");
  CHECK(letters[1][0].label == "q");
  CHECK(letters[1][9].label == "m");
  model.set_layout(KeyboardLayout::accents);
  std::string all;
  for (const auto& row : model.rows(TextKind::single_line))
    for (const auto& key : row) all += key.label;
  for (const char* needed : {"é", "è", "à", "ù", "ç", "â", "ê", "î", "ô", "û", "ë", "ï", "œ", "«", "»", "’"})
    CHECK(all.find(needed) != std::string::npos);
  CHECK(model.rows(TextKind::digits_only).size() == 4);
}

TEST_CASE("shift is one-shot and capitalises accented letters") {
  KeyboardModel model;
  model.set_layout(KeyboardLayout::accents);
  std::string text;
  model.press(find_key(model, TextKind::single_line, "⇧"), text, TextKind::single_line, 0);
  CHECK(model.shifted());
  model.press(find_key(model, TextKind::single_line, "Ç"), text, TextKind::single_line, 0);
  CHECK_FALSE(model.shifted());
  model.press(find_key(model, TextKind::single_line, "à"), text, TextKind::single_line, 0);
  CHECK(text == "Çà");
  CHECK(to_upper_french("œ") == "Œ");
  CHECK(to_upper_french("z") == "Z");
}

TEST_CASE("limits, digits-only fields, backspace on multi-byte letters") {
  KeyboardModel model;
  std::string text = "é";
  CHECK(append_typed(text, U'a', TextKind::single_line, 2));
  CHECK_FALSE(append_typed(text, U'b', TextKind::single_line, 2));  // 2 characters, 3 bytes
  CHECK_FALSE(append_typed(text, U'\n', TextKind::single_line, 0));
  CHECK(append_typed(text, U'\n', TextKind::multi_line, 0));
  CHECK_FALSE(append_typed(text, U'\t', TextKind::multi_line, 0));
  std::string digits;
  CHECK_FALSE(append_typed(digits, U'x', TextKind::digits_only, 0));
  CHECK(append_typed(digits, U'7', TextKind::digits_only, 0));
  std::string mixed = "aœ€";
  allervers::core::erase_last_code_point(mixed);
  CHECK(mixed == "aœ");
  allervers::core::erase_last_code_point(mixed);
  CHECK(mixed == "a");
  auto enter = find_key(model, TextKind::single_line, "↵");
  std::string line = "x";
  CHECK(model.press(enter, line, TextKind::single_line, 0) == KeyboardModel::Effect::enter);
  CHECK(model.press(enter, line, TextKind::multi_line, 0) == KeyboardModel::Effect::changed);
  CHECK(line == "x\n");
}
