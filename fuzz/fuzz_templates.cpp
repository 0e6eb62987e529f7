// Template rendering with hostile values: whatever a value holds, it never becomes markup.
// Templates cover text, a quoted attribute, a URL attribute, sections and a translation; the
// value is the input (as text, and as JSON values when it parses). The rendered page must have
// exactly the markup it has with a harmless value (tags, quotes), and a URL attribute only a
// safe address or "#".
#include <algorithm>

#include "allervers/web/html_template.hpp"
#include "harness.hpp"

using namespace allervers;
using nlohmann::json;

namespace {

const web::Templates& templates() {
  static const web::Templates t = web::Templates::parse({
      {"page", "<p title=\"{{v}}\">{{v}}</p><a href=\"{{v}}\">x</a>{{#list}}<i>{{.}}</i>{{/list}}{{^v}}<b>none</b>{{/v}}"
               "<span>{{t:hello n=v}}</span>{{>part}}"},
      {"part", "<q data-x='{{obj.name}}'>{{obj.name}}</q>"},
  });
  return t;
}

std::size_t count(std::string_view text, char c) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), c)); }

struct Shape {
  std::size_t lt = 0, gt = 0, dquote = 0, squote = 0;
  explicit Shape(std::string_view page)
      : lt(count(page, '<')), gt(count(page, '>')), dquote(count(page, '"')), squote(count(page, '\'')) {}
  bool operator==(const Shape&) const = default;
};

const web::Translator& translate() {
  static const web::Translator t = [](std::string_view key) { return key == "hello" ? std::string("Bonjour {n} <b>") : std::string(); };
  return t;
}

json values_for(const std::string& text) { return {{"v", text}, {"list", json::array({text, text})}, {"obj", {{"name", text}}}}; }

// The page's markup with a harmless value: what any value must leave unchanged.
const Shape& shape_with(bool empty) {
  static const Shape with_text(templates().render("page", values_for("x"), translate()));
  static const Shape with_empty(templates().render("page", values_for(""), translate()));
  return empty ? with_empty : with_text;
}

void check(const std::string& text, const std::string& page) {
  fuzz::require(Shape(page) == shape_with(text.empty()), "a value changed the page's markup");
  const auto href = page.find("<a href=\"");
  fuzz::require(href != std::string::npos, "the link is gone");
  const auto start = href + 9;
  const auto url = std::string_view(page).substr(start, page.find('"', start) - start);
  fuzz::require(url == "#" || (url == web::escape_html(text) && web::is_safe_url(text)), "an unsafe address in href");
}

}  // namespace

ALLERVERS_FUZZ_TARGET(templates) {
  const std::string text(fuzz::text_of(data, size));
  check(text, templates().render("page", values_for(text), translate()));
  (void)web::escape_html(text);
  // The input as values of any shape: a list or object where text is expected is refused, never
  // rendered raw.
  const json parsed = json::parse(text, nullptr, false);
  if (parsed.is_object()) {
    try {
      (void)templates().render("page", parsed, translate());
    } catch (const web::RenderError&) {
    }
  }
  return 0;
}
