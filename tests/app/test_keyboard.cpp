// The keyboard as a model: a letters layout per language, the accents and typography layer,
// the digit pad and the codes keypad, one-shot shift and accents, and refusals it reports.
#include <catch2/catch.hpp>

#include "allervers/app/keyboard.hpp"
#include "allervers/app/translations.hpp"
#include "allervers/core/text.hpp"
#include "test_support.hpp"

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

std::string all_labels(const KeyboardModel& model, TextKind kind) {
  std::string all;
  for (const auto& row : model.rows(kind))
    for (const auto& key : row) all += key.label + " ";
  return all;
}
}  // namespace

TEST_CASE("AZERTY for French, QWERTY for English, and QWERTY for a language with no layout of its own") {
  KeyboardModel model;
  model.set_layout(letter_layout("azerty"));
  auto letters = model.rows(TextKind::single_line);
  REQUIRE(letters.size() == 4);
  CHECK(letters[0][0].label == "a");
  CHECK(letters[0][1].label == "z");
  CHECK(letters[1][0].label == "q");
  CHECK(letters[1][9].label == "m");
  model.set_layout(letter_layout("qwerty"));
  letters = model.rows(TextKind::single_line);
  CHECK(letters[0][0].label == "q");
  CHECK(letters[0][1].label == "w");
  CHECK(letters[1][0].label == "a");
  CHECK(&letter_layout("klingon") == &letter_layout("qwerty"));
  const auto names = letter_layout_names();
  CHECK(std::find(names.begin(), names.end(), "azerty") != names.end());
}

TEST_CASE("the French accents layer has the letters and the typography French needs") {
  KeyboardModel model;
  model.set_layer(KeyboardLayer::accents);
  const std::string all = all_labels(model, TextKind::single_line);
  for (const char* needed : {"é", "è", "à", "ù", "ç", "â", "ê", "î", "ô", "û", "ë", "ï", "œ", "«", "»", "—", "’", "…"})
    CHECK(all.find(needed) != std::string::npos);
  CHECK(model.rows(TextKind::digits_only).size() == 4);
}

TEST_CASE("shift and the accents layer are one-shot: after one letter, plain letters again") {
  KeyboardModel model;
  model.set_layer(KeyboardLayer::accents);
  std::string text;
  model.press(find_key(model, TextKind::single_line, "⇧"), text, TextKind::single_line, 0);
  CHECK(model.shifted());
  model.press(find_key(model, TextKind::single_line, "Ç"), text, TextKind::single_line, 0);
  CHECK_FALSE(model.shifted());
  CHECK(model.layer() == KeyboardLayer::letters);
  model.press(find_key(model, TextKind::single_line, "a"), text, TextKind::single_line, 0);
  CHECK(text == "Ça");
  // Digits stay: numbers come several at a time.
  model.set_layer(KeyboardLayer::digits);
  model.press(find_key(model, TextKind::single_line, "1"), text, TextKind::single_line, 0);
  CHECK(model.layer() == KeyboardLayer::digits);
  model.reset();  // a new field
  CHECK(model.layer() == KeyboardLayer::letters);
  CHECK(to_upper_french("œ") == "Œ");
  CHECK(to_upper_french("z") == "Z");
}

TEST_CASE("an Arabic screen has the Arabic letters one key away, and contacts stay in Latin letters") {
  const auto ar = Translations::load(allervers::test::assets_dir() / "i18n", "ar");
  KeyboardModel model;
  model.set_layouts(ar.get("keyboard.layout"));
  // Fields open on AZERTY; the key says where it goes: « ع ».
  CHECK(find_key(model, TextKind::multi_line, "ع").action == Key::Action::to_other_layout);
  std::string text;
  model.press(find_key(model, TextKind::multi_line, "ع"), text, TextKind::multi_line, 0);
  CHECK(model.on_other_layout());
  const auto letters = model.rows(TextKind::multi_line);
  REQUIRE(letters.size() == 4);
  CHECK(letters[0][0].label == "ض");
  CHECK(letters[1][5].label == "ا");
  // Every letter of the alphabet and the forms Arabic writes with hamza, on the two layers.
  std::string all = all_labels(model, TextKind::multi_line);
  model.set_layer(KeyboardLayer::accents);
  all += all_labels(model, TextKind::multi_line);
  for (const char* letter : {"ا", "ب", "ت", "ث", "ج", "ح", "خ", "د", "ذ", "ر", "ز", "س", "ش", "ص", "ض", "ط", "ظ", "ع", "غ", "ف",
                             "ق", "ك", "ل", "م", "ن", "ه", "و", "ي", "ء", "أ", "إ", "آ", "ؤ", "ئ", "ى", "ة", "،", "؛", "؟"})
    CHECK(all.find(std::string(letter) + " ") != std::string::npos);
  CHECK(all.find("⇧") == std::string::npos);  // no capitals, no shift
  model.set_layer(KeyboardLayer::letters);
  // « حديقة، » typed with the keys: the Arabic comma where French has its comma.
  for (const char* key : {"ح", "د", "ي", "ق", "ة", "،"}) model.press(find_key(model, TextKind::multi_line, key), text, TextKind::multi_line, 0);
  CHECK(text == "حديقة،");
  // The accents layer's key and the way back say it in Arabic letters; one hamza, then letters.
  model.press(find_key(model, TextKind::multi_line, "أإآ"), text, TextKind::multi_line, 0);
  model.press(find_key(model, TextKind::multi_line, "أ"), text, TextKind::multi_line, 0);
  CHECK(model.layer() == KeyboardLayer::letters);
  CHECK(text == "حديقة،أ");
  // The next field keeps the resident's choice; a contact field shows AZERTY and no switch.
  model.reset();
  CHECK(model.rows(TextKind::single_line)[0][0].label == "ض");
  CHECK(model.rows(TextKind::contact)[0][0].label == "a");
  CHECK(all_labels(model, TextKind::contact).find("ع") == std::string::npos);
  CHECK(all_labels(model, TextKind::contact).find("Fr") == std::string::npos);
  // And back: « Fr » gives AZERTY again.
  model.press(find_key(model, TextKind::single_line, "Fr"), text, TextKind::single_line, 0);
  CHECK(model.rows(TextKind::single_line)[0][0].label == "a");
  // A language with one layout shows no switch; a second name the table does not know neither.
  model.set_layouts("azerty");
  CHECK(all_labels(model, TextKind::single_line).find("ع") == std::string::npos);
  model.set_layouts("azerty klingon");
  CHECK(all_labels(model, TextKind::single_line).find("ع") == std::string::npos);
  // No row is wider than twelve keys: at 800 pixels a key stays wider than a fingertip.
  for (const auto name : letter_layout_names()) {
    model.set_layouts(name);
    for (const auto& row : model.rows(TextKind::multi_line)) CHECK(row.size() <= 12);
  }
}

TEST_CASE("the codes keypad: capitals and digits, no letters a code never has") {
  KeyboardModel model;
  const std::string all = all_labels(model, TextKind::code);
  for (const char* needed : {"A ", "K ", "X ", "Z ", "0 ", "9 ", "- "}) CHECK(all.find(needed) != std::string::npos);
  for (const char* absent : {"I ", "L ", "O ", "U ", "a "}) CHECK(all.find(absent) == std::string::npos);
  std::string code;
  model.press(find_key(model, TextKind::code, "K"), code, TextKind::code, 16);
  model.press(find_key(model, TextKind::code, "7"), code, TextKind::code, 16);
  CHECK(code == "K7");
  // A physical keyboard's small letters become capitals; other characters are refused.
  CHECK(type_character(code, U'q', TextKind::code, 16) == KeyboardModel::Effect::changed);
  CHECK(code == "K7Q");
  CHECK(type_character(code, U'é', TextKind::code, 16) == KeyboardModel::Effect::refused_kind);
  CHECK(model.press(find_key(model, TextKind::code, "↵"), code, TextKind::code, 16) == KeyboardModel::Effect::enter);
}

TEST_CASE("a contact field has '@' at hand") {
  KeyboardModel model;
  const auto rows = model.rows(TextKind::contact);
  bool at = false;
  for (const auto& key : rows.back()) at = at || key.label == "@";
  CHECK(at);
}

TEST_CASE("limits, digits-only fields, backspace on multi-byte letters, Enter by kind") {
  KeyboardModel model;
  std::string text = "é";
  CHECK(append_typed(text, U'a', TextKind::single_line, 2));
  CHECK(type_character(text, U'b', TextKind::single_line, 2) == KeyboardModel::Effect::refused_full);  // 2 characters, 3 bytes
  CHECK_FALSE(append_typed(text, U'\n', TextKind::single_line, 0));
  CHECK(append_typed(text, U'\n', TextKind::multi_line, 0));
  CHECK_FALSE(append_typed(text, U'\t', TextKind::multi_line, 0));
  std::string digits;
  CHECK(type_character(digits, U'x', TextKind::digits_only, 0) == KeyboardModel::Effect::refused_kind);
  CHECK(append_typed(digits, U'7', TextKind::digits_only, 0));
  std::string mixed = "aœ€";
  allervers::core::erase_last_code_point(mixed);
  CHECK(mixed == "aœ");
  allervers::core::erase_last_code_point(mixed);
  CHECK(mixed == "a");
  auto enter = find_key(model, TextKind::single_line, "↵");
  std::string line = "x";
  CHECK(model.press(enter, line, TextKind::single_line, 0) == KeyboardModel::Effect::enter);
  CHECK(model.press(enter, line, TextKind::contact, 0) == KeyboardModel::Effect::enter);
  CHECK(model.press(enter, line, TextKind::multi_line, 0) == KeyboardModel::Effect::changed);
  CHECK(line == "x\n");
  std::string full = "abc";
  CHECK(model.press(find_key(model, TextKind::single_line, "d"), full, TextKind::single_line, 3) ==
        KeyboardModel::Effect::refused_full);
}

TEST_CASE("an Arabic screen keeps the AZERTY letters and the codes keypad's 0-9 (issue 14)") {
  // The kiosks stand in French towns: residents who read Arabic type names, places and codes
  // on the same AZERTY keyboard, and codes are printed with Western digits.
  const auto ar = Translations::load(allervers::test::assets_dir() / "i18n", "ar");
  KeyboardModel model;
  model.set_layouts(ar.get("keyboard.layout"));
  const auto letters = model.rows(TextKind::single_line);
  REQUIRE(letters.size() == 4);
  CHECK(letters[0][0].label == "a");
  CHECK(letters[0][1].label == "z");
  CHECK(letters[1][9].label == "m");
  const std::string code = all_labels(model, TextKind::code);
  for (const char* digit : {"0 ", "1 ", "2 ", "3 ", "4 ", "5 ", "6 ", "7 ", "8 ", "9 "}) CHECK(code.find(digit) != std::string::npos);
  for (const char* eastern : {"٠", "١", "٩", "۰", "۹"}) {
    CHECK(code.find(eastern) == std::string::npos);
    CHECK(all_labels(model, TextKind::single_line).find(eastern) == std::string::npos);
    CHECK(all_labels(model, TextKind::digits_only).find(eastern) == std::string::npos);
  }
}
