// The letter per quartier (office/idea_letter.hpp).
//
// Sections: amounts and days · what the letter says (content from the store) · text set with
// cairo (wrapping) · blocks and pages (layout, then drawing) · the letter.
#include "allervers/server/office/idea_letter.hpp"

#include <cairo-pdf.h>
#include <cairo.h>

#include <algorithm>
#include <map>
#include <memory>
#include <vector>

#include "allervers/server/capture_filter.hpp"

namespace allervers::server {

// --- amounts and days ----------------------------------------------------------------------

std::string french_euros(std::int64_t amount) {
  const std::string digits = std::to_string(amount < 0 ? -amount : amount);
  std::string out = amount < 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out += "\u202f";
    out += digits[i];
  }
  return out + "\u00a0€";
}

namespace {

// --- what the letter says ------------------------------------------------------------------

bool is_public_state(core::IdeaState s) { return s != core::IdeaState::recue && s != core::IdeaState::non_recevable; }

// The order ideas appear in: what is being built first, then what residents chose, then the rest.
int state_rank(core::IdeaState s) {
  switch (s) {
    case core::IdeaState::realisee: return 0;
    case core::IdeaState::en_travaux: return 1;
    case core::IdeaState::laureate: return 2;
    case core::IdeaState::soumise_au_vote: return 3;
    case core::IdeaState::faisable: return 4;
    case core::IdeaState::en_etude: return 5;
    case core::IdeaState::recevable: return 6;
    case core::IdeaState::non_retenue: return 7;
    case core::IdeaState::non_faisable: return 8;
    default: return 9;
  }
}

struct IdeaBlockText {
  std::string consultation;                // heading when it changes
  std::string title;                       // « title » and the receipt code
  std::string facts;                       // state · theme · cost · authors
  std::string state_text;                  // what the state means
  std::string answer;                      // the town's public answer, "" when none
  std::vector<std::string> milestones;     // "12 mars 2027 — text"
};

struct LetterText {
  std::string town, heading, date, intro, summary, footer;
  std::vector<IdeaBlockText> ideas;
};

constexpr std::int64_t kMaxIdeas = 100'000;  // a quartier's ideas, read at once (a town has hundreds)

LetterText letter_text(ServerStore& store, const core::Catalog& catalog, const core::Translations& tr, const LetterRequest& request,
                       const core::Instant& now) {
  const std::string lang = tr.language();
  const core::Option* quartier = catalog.town.find_neighbourhood(request.quartier);
  if (!quartier || quartier->outside) {
    std::string known;
    for (const auto& q : catalog.town.neighbourhoods)
      if (!q.outside) known += (known.empty() ? "" : ", ") + q.id;
    throw LetterError("quartier", "Le quartier «\u00a0" + request.quartier + "\u00a0» n’existe pas dans le catalogue de la ville (quartiers\u00a0: " +
                                      known + ").");
  }
  if (!request.consultation.empty() && !catalog.latest(request.consultation))
    throw LetterError("consultation", "La consultation «\u00a0" + request.consultation + "\u00a0» n’existe pas dans le catalogue publié.");

  IdeaFilter filter;
  filter.neighbourhood = request.quartier;
  if (!request.consultation.empty()) filter.consultation = request.consultation;
  filter.include_merged = false;
  auto rows = store.ideas(filter, kMaxIdeas);

  LetterText t;
  t.town = catalog.town.name;
  t.heading = tr.format("letter.heading", {{"quartier", quartier->label.in(lang)}});
  t.date = tr.format("letter.date", {{"day", core::long_day(tr, day_text(town_day(now.utc_ms, now.offset_minutes)))}});
  t.footer = tr.format("letter.footer", {{"town", catalog.town.name}});

  // The summary counts every idea, the ones not described too.
  std::map<core::IdeaState, std::int64_t> by_state;
  for (const auto& r : rows) ++by_state[r.state];
  std::string counts;
  for (auto s : core::kAllIdeaStates)
    if (by_state[s] > 0)
      counts += (counts.empty() ? "" : ", ") + tr.format("letter.count_in_state", {{"n", std::to_string(by_state[s])},
                                                                                   {"state", tr.get(std::string("public.state.") + core::to_string(s))}});
  t.intro = tr.get("letter.intro");
  t.summary = rows.empty() ? tr.get("letter.none") : tr.format("letter.summary", {{"n", std::to_string(rows.size())}, {"counts", counts}});

  std::erase_if(rows, [](const IdeaRow& r) { return !is_public_state(r.state); });
  std::stable_sort(rows.begin(), rows.end(), [](const IdeaRow& a, const IdeaRow& b) {
    if (a.consultation != b.consultation) return a.consultation < b.consultation;
    return state_rank(a.state) < state_rank(b.state);
  });
  for (const auto& r : rows) {
    IdeaBlockText b;
    const core::Consultation* c = catalog.latest(r.consultation);
    b.consultation = c ? c->title.in(lang) : r.consultation;
    b.title = tr.format("letter.idea_title", {{"title", r.title}, {"receipt", r.receipt}});
    const std::string state = core::to_string(r.state);
    b.facts = tr.format("letter.state", {{"state", tr.get("public.state." + state)}});
    if (c)
      if (const auto* theme = c->ideas.find_theme(r.theme)) b.facts += " · " + tr.format("letter.theme", {{"theme", theme->label.in(lang)}});
    if (r.estimated_cost_eur) b.facts += " · " + tr.format("letter.cost", {{"cost", french_euros(*r.estimated_cost_eur)}});
    if (const auto merged = store.ideas_merged_into(r.id); merged > 0)
      b.facts += " · " + tr.format("letter.authors", {{"n", std::to_string(merged + 1)}});
    b.state_text = tr.get("public.state_text." + state);
    if (!r.public_answer.empty()) b.answer = tr.format("letter.answer", {{"answer", r.public_answer}});
    for (const auto& m : store.idea_milestones(r.id))
      b.milestones.push_back(tr.format("letter.milestone", {{"day", core::long_day(tr, m.day)}, {"text", m.text}}));
    t.ideas.push_back(std::move(b));
  }
  return t;
}

// --- text set with cairo -------------------------------------------------------------------

constexpr double mm = 72.0 / 25.4;  // PDF points per millimetre
constexpr double page_w = 210 * mm, page_h = 297 * mm;
constexpr double margin = 20 * mm, footer_h = 12 * mm;
constexpr double text_w = page_w - 2 * margin;
constexpr double body_bottom = page_h - margin - footer_h;
constexpr const char* kFont = "DejaVu Sans";

struct Style {
  double size;
  bool bold;
  double grey;  // 0 black
  double line;  // line height, points
};
constexpr Style kTown{10, false, 0.35, 13}, kHeading{17, true, 0, 21}, kDate{10, false, 0.35, 13}, kBody{10.5, false, 0, 14},
    kSection{13, true, 0.15, 17}, kTitle{12, true, 0, 15.5}, kFacts{9.5, false, 0.3, 12.5}, kSmall{8.5, false, 0.4, 11};

void use(cairo_t* cr, const Style& s) {
  cairo_select_font_face(cr, kFont, CAIRO_FONT_SLANT_NORMAL, s.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, s.size);
  cairo_set_source_rgb(cr, s.grey, s.grey, s.grey);
}

double width_of(cairo_t* cr, const std::string& text) {
  cairo_text_extents_t e;
  cairo_text_extents(cr, text.c_str(), &e);
  return e.x_advance;
}

// Bytes of the UTF-8 character starting at `s[i]`.
std::size_t char_len(const std::string& s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  const std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  return std::min(n, s.size() - i);
}

// French typography for print: a no-break space before « : » and inside « », a narrow one before
// « ; ? ! », so that a line never starts with them (texts and residents' words are typed with
// plain spaces).
std::string french_spaces(const std::string& text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (c == ' ' && (next == ':' || next == '!')) {
      out += next == ':' ? "\u00a0" : "\u202f";
    } else if (c == ' ' && (next == ';' || next == '?')) {
      out += "\u202f";
    } else if (c == ' ' && text.compare(i + 1, 2, "\u00bb") == 0) {
      out += "\u00a0";  // before »
    } else if (c == ' ' && i >= 2 && text.compare(i - 2, 2, "\u00ab") == 0) {
      out += "\u00a0";  // after «
    } else {
      out += c;
    }
  }
  return out;
}

// Lines no wider than `width` in the current font. Breaks only at ASCII spaces and line breaks:
// the no-break spaces French puts before « : ; ? ! » and inside « » keep their neighbours
// together. A word wider than the line (a long address) is cut between characters.
std::vector<std::string> wrap(cairo_t* cr, const std::string& text, double width) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string paragraph = text.substr(start, end - start);
    std::string line;
    std::size_t at = 0;
    while (at <= paragraph.size()) {
      std::size_t space = paragraph.find(' ', at);
      if (space == std::string::npos) space = paragraph.size();
      std::string word = paragraph.substr(at, space - at);
      at = space + 1;
      const std::string candidate = line.empty() ? word : line + " " + word;
      if (width_of(cr, candidate) <= width) {
        line = candidate;
        continue;
      }
      if (!line.empty()) lines.push_back(line);
      line.clear();
      while (width_of(cr, word) > width) {  // cut a word too long for a line
        std::size_t cut = 0;
        while (cut < word.size() && width_of(cr, word.substr(0, cut + char_len(word, cut))) <= width) cut += char_len(word, cut);
        if (cut == 0) cut = char_len(word, 0);
        lines.push_back(word.substr(0, cut));
        word = word.substr(cut);
      }
      line = word;
    }
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

// --- blocks and pages ----------------------------------------------------------------------

// A run of lines in one style, indented, with space before it.
struct Run {
  Style style;
  double indent = 0;
  double space_before = 0;
  std::vector<std::string> lines;
  double height() const { return space_before + style.line * static_cast<double>(lines.size()); }
};

// What is never cut across two pages: the letter's head, or one idea.
struct Block {
  std::vector<Run> runs;
  double space_before = 0;
  double height() const {
    double h = space_before;
    for (const auto& r : runs) h += r.height();
    return h;
  }
};

Run run(cairo_t* cr, const Style& s, const std::string& text, double space_before = 0, double indent = 0) {
  use(cr, s);
  return {s, indent, space_before, wrap(cr, french_spaces(text), text_w - indent)};
}

std::vector<Block> blocks_of(cairo_t* cr, const LetterText& t) {
  std::vector<Block> blocks;
  Block head;
  head.runs.push_back(run(cr, kTown, t.town));
  head.runs.push_back(run(cr, kHeading, t.heading, 4));
  head.runs.push_back(run(cr, kDate, t.date, 2));
  head.runs.push_back(run(cr, kBody, t.intro, 12));
  head.runs.push_back(run(cr, kBody, t.summary, 6));
  blocks.push_back(std::move(head));
  std::string consultation;
  for (const auto& idea : t.ideas) {
    Block b;
    b.space_before = 14;
    // A consultation's heading travels with its first idea: never alone at a page's foot.
    if (idea.consultation != consultation) {
      consultation = idea.consultation;
      b.runs.push_back(run(cr, kSection, consultation, 6));
      b.runs.back().space_before = 6;
    }
    b.runs.push_back(run(cr, kTitle, idea.title, b.runs.empty() ? 0 : 8));
    b.runs.push_back(run(cr, kFacts, idea.facts, 2));
    b.runs.push_back(run(cr, kBody, idea.state_text, 4));
    if (!idea.answer.empty()) b.runs.push_back(run(cr, kBody, idea.answer, 4));
    for (std::size_t i = 0; i < idea.milestones.size(); ++i)
      b.runs.push_back(run(cr, kBody, "• " + idea.milestones[i], i == 0 ? 4 : 1, 4 * mm));
    blocks.push_back(std::move(b));
  }
  return blocks;
}

void footer(cairo_t* cr, const LetterText& t, const core::Translations& tr, std::size_t page, std::size_t pages) {
  use(cr, kSmall);
  cairo_set_line_width(cr, 0.4);
  cairo_move_to(cr, margin, page_h - margin - 7 * mm);
  cairo_line_to(cr, page_w - margin, page_h - margin - 7 * mm);
  cairo_stroke(cr);
  cairo_move_to(cr, margin, page_h - margin);
  cairo_show_text(cr, t.footer.c_str());
  const std::string number = tr.format("letter.page", {{"n", std::to_string(page + 1)}, {"total", std::to_string(pages)}});
  cairo_move_to(cr, page_w - margin - width_of(cr, number), page_h - margin);
  cairo_show_text(cr, number.c_str());
}

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// The blocks set down page after page; drawn when `cr` is given (with `pages` in the footers),
// only counted otherwise. A block that does not fit below the previous one starts the next page
// (its space before dropped there); one taller than a whole page starts a page and runs on.
std::size_t lay_out(cairo_t* cr, const std::vector<Block>& blocks, const LetterText& t, const core::Translations& tr, std::size_t pages) {
  std::size_t page = 0;
  double y = margin;
  auto next_page = [&] {
    if (cr) {
      footer(cr, t, tr, page, pages);
      cairo_show_page(cr);
    }
    ++page;
    y = margin;
  };
  for (const auto& b : blocks) {
    if (y > margin && y + b.height() > body_bottom) next_page();
    if (y > margin) y += b.space_before;
    for (const auto& r : b.runs) {
      y += r.space_before;
      if (cr) use(cr, r.style);
      for (const auto& line : r.lines) {
        if (y + r.style.line > body_bottom + 0.5) {
          next_page();
          if (cr) use(cr, r.style);
        }
        if (cr) {
          cairo_move_to(cr, margin + r.indent, y + r.style.size);
          cairo_show_text(cr, line.c_str());
        }
        y += r.style.line;
      }
    }
  }
  if (cr) {
    footer(cr, t, tr, page, pages);
    cairo_show_page(cr);
  }
  return page + 1;
}

using Context = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;
using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;

}  // namespace

// --- the letter ----------------------------------------------------------------------------

Letter quartier_letter(ServerStore& store, const core::Catalog& catalog, const core::Translations& tr, const LetterRequest& request,
                       const core::Instant& now) {
  const LetterText text = letter_text(store, catalog, tr, request, now);
  Letter letter;
  letter.ideas = static_cast<std::int64_t>(text.ideas.size());
  letter.file_name = "lettre-idees-" + request.quartier + ".pdf";
  Surface surface(cairo_pdf_surface_create_for_stream(&append_bytes, &letter.pdf, page_w, page_h), cairo_surface_destroy);
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error(std::string("the letter's PDF cannot be made: ") + cairo_status_to_string(cairo_surface_status(surface.get())));
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, text.heading.c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_AUTHOR, text.town.c_str());
  Context cr(cairo_create(surface.get()), cairo_destroy);

  const auto blocks = blocks_of(cr.get(), text);
  const std::size_t pages = lay_out(nullptr, blocks, text, tr, 0);  // counted first: « Page 1 sur N »
  lay_out(cr.get(), blocks, text, tr, pages);
  cr.reset();
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error(std::string("the letter's PDF failed: ") + cairo_status_to_string(cairo_surface_status(surface.get())));
  letter.pages = static_cast<std::int64_t>(pages);
  return letter;
}

}  // namespace allervers::server
