#pragma once
// The letters a kiosk draws, known on the office's side too (issue 14): a catalog text with
// other letters would show as empty boxes, so the coordinator is told before residents see it
// (`allervers-server missing-translations`, the console's editor). The kiosk loads exactly
// these into its fonts (app/src/fonts_style.cpp); a test there checks the two agree, code
// point by code point.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "allervers/core/consultation.hpp"

namespace allervers::core {

// Whether a kiosk draws `c` as a catalog writes it. Arabic letters count when shaping draws
// them with the presentation forms the kiosk loads (Forms-B), as the Arabic alphabet's are;
// Persian and Urdu letters need Forms-A, which it does not load.
bool kiosk_draws(char32_t c);

// The characters of `text` for which `drawn` is false, each once, the first five:
// "U+0BA4 த, U+0BAE ம, …" ("" when every one is drawn). The kiosk's own check says the same.
std::string characters_not_drawn(std::u32string_view text, bool (*drawn)(char32_t));
// Those a kiosk cannot draw, as a catalog writes them.
std::string characters_kiosks_cannot_draw(std::string_view text);

// A text of a current consultation, in one language, with letters no kiosk draws.
struct UndrawableText {
  std::string consultation;  // its id
  std::int32_t version = 0;
  std::string language;
  std::string where;       // "title", "question usages, option marche, easy-read"
  std::string characters;  // as characters_kiosks_cannot_draw says them
};
std::vector<UndrawableText> undrawable_texts(const Catalog& catalog, const std::string& consultation = "");

}  // namespace allervers::core
