#include "allervers/passes/print.hpp"

#include <cairo-pdf.h>
#include <cairo.h>

#include <memory>
#include <stdexcept>

#include "allervers/platform/qr.hpp"

namespace allervers::passes {

namespace {

constexpr double mm = 72.0 / 25.4;  // PDF points per millimetre
constexpr double page_w = 210 * mm, page_h = 297 * mm;
constexpr int columns = 2, rows = 4;
constexpr double card_w = page_w / columns, card_h = page_h / rows;
constexpr double qr_side = 44 * mm;  // 41 modules + quiet zone: about 0.9 mm a module

using Context = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;
using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;

void text_at(cairo_t* cr, const std::string& text, double x, double y, double size, bool bold, bool mono,
             double max_width) {
  cairo_select_font_face(cr, mono ? "DejaVu Sans Mono" : "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
  cairo_text_extents_t extents;
  cairo_text_extents(cr, text.c_str(), &extents);
  if (extents.x_advance > max_width) {  // shrink a long town name rather than overflow the card
    cairo_set_font_size(cr, size * max_width / extents.x_advance);
  }
  cairo_move_to(cr, x, y);
  cairo_show_text(cr, text.c_str());
}

// Splits `text` into lines no wider than `width` at the current font.
std::vector<std::string> wrap(cairo_t* cr, const std::string& text, double width) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t at = 0;
  while (at <= text.size()) {
    std::size_t space = text.find(' ', at);
    if (space == std::string::npos) space = text.size();
    const std::string word = text.substr(at, space - at);
    const std::string candidate = line.empty() ? word : line + " " + word;
    cairo_text_extents_t extents;
    cairo_text_extents(cr, candidate.c_str(), &extents);
    if (extents.x_advance > width && !line.empty()) {
      lines.push_back(line);
      line = word;
    } else {
      line = candidate;
    }
    at = space + 1;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

void draw_card(cairo_t* cr, const PrintedPass& pass, const PrintLayout& layout, double left, double top) {
  const double margin = 7 * mm;
  const double inner = card_w - 2 * margin;
  // The heading across the card.
  text_at(cr, layout.heading, left + margin, top + 11 * mm, 12, true, false, inner);

  // The QR code on the left, drawn as vector squares: sharp at any printer resolution. Its
  // quiet zone (4 modules of white) is part of qr_side.
  const auto matrix = platform::encode_qr(pass.code, platform::QrErrorCorrection::medium);
  const double module = qr_side / (matrix.size + 8);
  const double qx = left + margin - 4 * module, qy = top + 13 * mm;
  cairo_set_source_rgb(cr, 0, 0, 0);
  for (int y = 0; y < matrix.size; ++y)
    for (int x = 0; x < matrix.size; ++x)
      if (matrix.at(x, y)) cairo_rectangle(cr, qx + (x + 4) * module, qy + (y + 4) * module, module, module);
  cairo_fill(cr);
  const double code_top = qy + 4 * module, code_bottom = qy + qr_side - 4 * module;

  // On the right: the town level with the top of the code, the fallback code level with its
  // bottom, the help in between.
  const double tx = qx + qr_side + 1 * mm;
  const double width = left + card_w - margin - tx;
  double y = code_top + 8;
  if (!layout.town.empty()) {
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    text_at(cr, layout.town, tx, y, 9, false, false, width);
    cairo_set_source_rgb(cr, 0, 0, 0);
  }
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, 8);
  const auto help = wrap(cr, layout.help, width);
  y = code_bottom - 24 - 10 * static_cast<double>(help.size() - 1);
  for (const auto& line : help) {
    text_at(cr, line, tx, y, 8, false, false, width);
    y += 10;
  }
  text_at(cr, pass.fallback, tx, code_bottom, 15, true, true, width);

  // Under the code, a reassurance the resident can read.
  cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, 7);
  y = qy + qr_side + 3 * mm;
  for (const auto& line : wrap(cr, layout.note, inner)) {
    text_at(cr, line, left + margin, y, 7, false, false, inner);
    y += 9;
  }
  cairo_set_source_rgb(cr, 0, 0, 0);
}

void cut_marks(cairo_t* cr) {
  cairo_set_source_rgb(cr, 0.75, 0.75, 0.75);
  cairo_set_line_width(cr, 0.4);
  const double dash[] = {3, 3};
  cairo_set_dash(cr, dash, 2, 0);
  for (int c = 1; c < columns; ++c) {
    cairo_move_to(cr, c * card_w, 0);
    cairo_line_to(cr, c * card_w, page_h);
  }
  for (int r = 1; r < rows; ++r) {
    cairo_move_to(cr, 0, r * card_h);
    cairo_line_to(cr, page_w, r * card_h);
  }
  cairo_stroke(cr);
  cairo_set_dash(cr, nullptr, 0, 0);
  cairo_set_source_rgb(cr, 0, 0, 0);
}

}  // namespace

std::vector<PrintedPass> make_town_passes(const TownKey& town, int count) {
  std::vector<PrintedPass> passes;
  for (int i = 0; i < count; ++i) {
    const PassId id = PassId::random();
    passes.push_back({issue_town_pass(town, id), id.fallback_code()});
  }
  return passes;
}

void print_passes_pdf(const std::vector<PrintedPass>& passes, const std::filesystem::path& pdf,
                      const PrintLayout& layout) {
  Surface surface(cairo_pdf_surface_create(pdf.c_str(), page_w, page_h), cairo_surface_destroy);
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error(pdf.string() + ": cannot be written (" +
                             cairo_status_to_string(cairo_surface_status(surface.get())) + ")");
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, "Pass pour les assemblées de quartier");
  Context cr(cairo_create(surface.get()), cairo_destroy);
  for (std::size_t i = 0; i < passes.size(); ++i) {
    const auto slot = static_cast<int>(i % passes_per_page);
    if (slot == 0) cut_marks(cr.get());
    draw_card(cr.get(), passes[i], layout, (slot % columns) * card_w, (slot / columns) * card_h);
    if (slot == passes_per_page - 1 || i + 1 == passes.size()) cairo_show_page(cr.get());
  }
  cr.reset();
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error(pdf.string() + ": writing failed (" +
                             cairo_status_to_string(cairo_surface_status(surface.get())) + ")");
}

}  // namespace allervers::passes
