// Templates that escape by construction: parsing (placeholders and the HTML around them),
// then rendering from JSON values.
//
// Sections: escaping · the HTML state machine · parsing · rendering · loading.
#include "allervers/web/html_template.hpp"

#include <algorithm>
#include <deque>
#include <cctype>
#include <fstream>
#include <sstream>
#include <variant>
#include <vector>

#include "allervers/core/text.hpp"

namespace allervers::web {

// --- escaping --------------------------------------------------------------------------

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default:
          if (c >= 0x20 || c == '\t' || c == '\n') out += static_cast<char>(c);
          else if (c == '\r') out += '\n';
      }
      ++i;
      continue;
    }
    // A multi-byte sequence: copied when valid, else one U+FFFD for the bad byte.
    const std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (len != 0 && i + len <= text.size() && !core::find_text_problem(text.substr(i, len), core::Lines::multi)) {
      out.append(text.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

bool is_safe_url(std::string_view url) {
  std::size_t start = 0;
  while (start < url.size() && static_cast<unsigned char>(url[start]) <= 0x20) ++start;
  url.remove_prefix(start);
  if (url.empty()) return true;
  if (url.size() >= 2 && url[0] == '/' && (url[1] == '/' || url[1] == '\\')) return false;  // another host
  const auto end_of_scheme = url.find_first_of(":/?#");
  if (end_of_scheme == std::string_view::npos || url[end_of_scheme] != ':') return true;  // relative
  std::string scheme(url.substr(0, end_of_scheme));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return scheme == "http" || scheme == "https" || scheme == "mailto" || scheme == "tel";
}

namespace {

// --- the HTML state machine ------------------------------------------------------------
// Follows the literal text of a template closely enough to know where each placeholder
// stands. Placeholders themselves never change the state: they output escaped text.

enum class State {
  data,
  tag_name,
  before_attr_name,
  attr_name,
  after_attr_name,
  before_attr_value,
  attr_value_double,
  attr_value_single,
  attr_value_unquoted,
  comment,
  declaration,
  raw_text,  // inside <script> or <style>
};

const char* describe(State s) {
  switch (s) {
    case State::data: return "text";
    case State::tag_name: return "a tag name";
    case State::before_attr_name:
    case State::attr_name:
    case State::after_attr_name: return "an attribute name";
    case State::before_attr_value:
    case State::attr_value_unquoted: return "an unquoted attribute value";
    case State::attr_value_double:
    case State::attr_value_single: return "an attribute value";
    case State::comment: return "an HTML comment";
    case State::declaration: return "a <!…> declaration";
    case State::raw_text: return "a <script> or <style> element";
  }
  return "?";
}

bool is_url_attribute(const std::string& name) {
  return name == "href" || name == "src" || name == "action" || name == "formaction" || name == "poster" ||
         name == "cite" || name == "xlink:href";
}

struct Html {
  State state = State::data;
  std::string tag;        // the tag being read (lower case), "/name" for an end tag
  std::string attr;       // the attribute being read (lower case)
  std::size_t value_len = 0;  // characters of the current attribute value so far
  std::string raw_end;    // "</script" or "</style" while in raw text
  std::string pending;    // characters that may start "<!--", "-->", or the raw end tag
  std::string tail;       // the last two characters fed: a value right after "<" or "</" would make a tag

  // Feeds literal text; calls `fail(message, offset)` for content that is never allowed.
  template <typename Fail>
  void feed(std::string_view text, Fail&& fail) {
    for (std::size_t i = 0; i < text.size(); ++i) step(text, i, fail);
    tail = (tail + std::string(text.substr(text.size() >= 2 ? text.size() - 2 : 0)));
    if (tail.size() > 2) tail.erase(0, tail.size() - 2);
  }
  bool after_tag_open() const { return state == State::data && (tail.ends_with("<") || tail == "</"); }

  template <typename Fail>
  void step(std::string_view text, std::size_t i, Fail& fail) {
    const char c = text[i];
    const auto space = [](char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f'; };
    switch (state) {
      case State::data:
        if (c == '<') {
          if (text.substr(i).rfind("<!--", 0) == 0) {
            state = State::comment;
            pending.clear();
          } else if (i + 1 < text.size() && (text[i + 1] == '!' || text[i + 1] == '?')) {
            state = State::declaration;
          } else if (i + 1 < text.size() && (std::isalpha(static_cast<unsigned char>(text[i + 1])) || text[i + 1] == '/')) {
            state = State::tag_name;
            tag.clear();
          }
        }
        break;
      case State::tag_name:
        if (space(c)) state = State::before_attr_name;
        else if (c == '>') close_tag(fail, i);
        else if (c == '/' && !tag.empty()) state = State::before_attr_name;
        else tag += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        break;
      case State::before_attr_name:
        if (c == '>') close_tag(fail, i);
        else if (!space(c) && c != '/') {
          state = State::attr_name;
          attr.assign(1, static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        }
        break;
      case State::attr_name:
        if (c == '=') start_value();
        else if (space(c)) state = State::after_attr_name;
        else if (c == '>') close_tag(fail, i);
        else if (c == '/') state = State::before_attr_name;
        else attr += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        break;
      case State::after_attr_name:
        if (c == '=') start_value();
        else if (c == '>') close_tag(fail, i);
        else if (!space(c) && c != '/') {
          state = State::attr_name;
          attr.assign(1, static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
        }
        break;
      case State::before_attr_value:
        if (c == '"') state = State::attr_value_double, value_len = 0;
        else if (c == '\'') state = State::attr_value_single, value_len = 0;
        else if (c == '>') close_tag(fail, i);
        else if (!space(c)) state = State::attr_value_unquoted, value_len = 1;
        break;
      case State::attr_value_double:
        if (c == '"') state = State::before_attr_name;
        else ++value_len;
        break;
      case State::attr_value_single:
        if (c == '\'') state = State::before_attr_name;
        else ++value_len;
        break;
      case State::attr_value_unquoted:
        if (space(c)) state = State::before_attr_name;
        else if (c == '>') close_tag(fail, i);
        else ++value_len;
        break;
      case State::comment:
        pending += c;
        if (pending.size() > 3) pending.erase(0, pending.size() - 3);
        if (pending == "-->") state = State::data;
        break;
      case State::declaration:
        if (c == '>') state = State::data;
        break;
      case State::raw_text:
        pending += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (raw_end.rfind(pending, 0) != 0) {
          // Not the start of the end tag: only white space may stand inside <script>/<style>.
          if (!space(c)) fail("inline script or style content is not allowed (the Content-Security-Policy forbids it): "
                              "use a file under /static/", i);
          pending.clear();
        } else if (pending == raw_end) {
          pending.clear();
          state = State::tag_name;
          tag = raw_end.substr(1);
        }
        break;
    }
  }

  void start_value() {
    state = State::before_attr_value;
    value_len = 0;
  }

  template <typename Fail>
  void close_tag(Fail& fail, std::size_t i) {
    (void)fail;
    (void)i;
    state = State::data;
    if (tag == "script" || tag == "style") {
      state = State::raw_text;
      raw_end = "</" + tag;
      pending.clear();
    }
  }
};

// --- parsing ---------------------------------------------------------------------------

enum class Escape { text, attribute, url_start };

struct Node;
using Nodes = std::vector<Node>;

struct Literal {
  std::string text;
};
struct Variable {
  std::vector<std::string> path;  // empty: the current item
  Escape escape = Escape::text;
};
struct Translation {
  std::string key;
  std::vector<std::pair<std::string, std::vector<std::string>>> params;  // placeholder → path
  Escape escape = Escape::text;
};
struct Section {
  std::vector<std::string> path;
  bool inverted = false;
  Nodes body;
};
struct Partial {
  std::string name;
};

struct Node {
  std::variant<Literal, Variable, Translation, Section, Partial> v;
};

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  if (path == ".") return parts;
  std::stringstream in(path);
  std::string part;
  while (std::getline(in, part, '.')) parts.push_back(part);
  return parts;
}

bool valid_name(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '.' || c == '-' || c == '/'; });
}

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

class Parser {
 public:
  Parser(std::string name, std::string_view source) : name_(std::move(name)), src_(source) {}

  Nodes parse() {
    struct Open {
      Section section;
      State state;
      std::string attr;
      std::size_t at;
      Nodes* parent;
    };
    Nodes root;
    std::deque<Open> open;  // a deque: pushing keeps the earlier sections' bodies where they are
    Nodes* out = &root;
    std::size_t pos = 0;
    while (pos < src_.size()) {
      const auto tag = src_.find("{{", pos);
      const std::size_t lit_end = tag == std::string_view::npos ? src_.size() : tag;
      if (lit_end > pos) {
        const std::size_t base = pos;
        html_.feed(src_.substr(pos, lit_end - pos), [&](const std::string& msg, std::size_t off) { fail(base + off, msg); });
        out->push_back(Node{Literal{std::string(src_.substr(pos, lit_end - pos))}});
      }
      if (tag == std::string_view::npos) break;
      if (src_.substr(tag).rfind("{{{", 0) == 0) fail(tag, "{{{…}}} (unescaped output) is not allowed: every value is escaped");
      const auto close = src_.find("}}", tag + 2);
      if (close == std::string_view::npos) fail(tag, "a {{ is never closed by }}");
      const std::string inner = trim(src_.substr(tag + 2, close - tag - 2));
      pos = close + 2;
      if (inner.empty()) fail(tag, "an empty {{}}");
      const char sigil = inner[0];
      const std::string rest = trim(std::string_view(inner).substr(1));
      if (sigil == '!') continue;
      if (sigil == '#' || sigil == '^') {
        need_name(rest, tag);
        Section s;
        s.path = split_path(rest);
        s.inverted = sigil == '^';
        check_section_state(tag);
        open.push_back(Open{std::move(s), html_.state, html_.attr, tag, out});
        out = &open.back().section.body;
        continue;
      }
      if (sigil == '/') {
        if (open.empty()) fail(tag, "{{/" + rest + "}} closes no section");
        Open o = std::move(open.back());
        open.pop_back();
        const std::string opened = join(o.section.path);
        if (rest != opened) fail(tag, "{{/" + rest + "}} closes {{#" + opened + "}} (opened at " + where(o.at) + ")");
        // The attribute matters only inside a value: in text, the last attribute seen is stale.
        const bool in_value = o.state == State::attr_value_double || o.state == State::attr_value_single;
        if (html_.state != o.state || (in_value && html_.attr != o.attr))
          fail(tag, "the section {{#" + opened + "}} opened in " + describe(o.state) + " and closes in " +
                        describe(html_.state) + ": a section must not leave a tag or attribute half-written");
        out = o.parent;
        out->push_back(Node{std::move(o.section)});
        continue;
      }
      if (sigil == '>') {
        need_name(rest, tag);
        if (html_.state != State::data) fail(tag, std::string("a partial may only stand in text, not in ") + describe(html_.state));
        out->push_back(Node{Partial{rest}});
        continue;
      }
      if (sigil == '&') fail(tag, "{{&…}} (unescaped output) is not allowed: every value is escaped");
      const Escape escape = escape_here(tag);
      if (inner.rfind("t:", 0) == 0) {
        Translation t;
        t.escape = escape;
        std::stringstream words(inner.substr(2));
        words >> t.key;
        need_name(t.key, tag);
        std::string word;
        while (words >> word) {
          const auto eq = word.find('=');
          if (eq == std::string::npos || eq == 0) fail(tag, "a translation parameter is written name=path, not \"" + word + "\"");
          need_name(word.substr(eq + 1), tag);
          t.params.emplace_back(word.substr(0, eq), split_path(word.substr(eq + 1)));
        }
        out->push_back(Node{std::move(t)});
        continue;
      }
      need_name(inner, tag);
      out->push_back(Node{Variable{split_path(inner), escape}});
    }
    if (!open.empty()) fail(open.back().at, "{{#" + join(open.back().section.path) + "}} is never closed");
    if (html_.state != State::data)
      fail(src_.size(), std::string("the template ends inside ") + describe(html_.state));
    return root;
  }

 private:
  static std::string join(const std::vector<std::string>& path) {
    if (path.empty()) return ".";
    std::string s;
    for (const auto& p : path) s += (s.empty() ? "" : ".") + p;
    return s;
  }

  void need_name(const std::string& name, std::size_t at) {
    if (name != "." && !valid_name(name)) fail(at, "\"" + name + "\" is not a name (letters, digits, _ - . /)");
  }

  void check_section_state(std::size_t at) {
    switch (html_.state) {
      case State::data:
      case State::attr_value_double:
      case State::attr_value_single:
      case State::before_attr_name: return;
      default: fail(at, std::string("a section may not open in ") + describe(html_.state));
    }
  }

  Escape escape_here(std::size_t at) {
    switch (html_.state) {
      case State::data:
        if (html_.after_tag_open()) fail(at, "a value may not stand in a tag name");
        return Escape::text;
      case State::attr_value_double:
      case State::attr_value_single: {
        const std::string& a = html_.attr;
        if (a.rfind("on", 0) == 0) fail(at, "no value may stand in an event-handler attribute (" + a + ")");
        if (a == "style" || a == "srcset")
          fail(at, "no value may stand in a " + a + " attribute: use a class (the Content-Security-Policy forbids inline styles)");
        if (is_url_attribute(a) && html_.value_len == 0) return Escape::url_start;
        return Escape::attribute;
      }
      default: fail(at, std::string("a value may not stand in ") + describe(html_.state) + " (quote the attribute value)");
    }
    return Escape::text;
  }

  std::string where(std::size_t offset) const {
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < offset && i < src_.size(); ++i) {
      if (src_[i] == '\n') ++line, column = 1;
      else ++column;
    }
    return name_ + ":" + std::to_string(line) + ":" + std::to_string(column);
  }

  [[noreturn]] void fail(std::size_t offset, const std::string& message) { throw TemplateError(where(offset), message); }

  std::string name_;
  std::string_view src_;
  Html html_;
};

// --- rendering -------------------------------------------------------------------------

constexpr int kMaxDepth = 32;  // partials within partials: deeper is a loop

bool truthy(const nlohmann::json& v) {
  if (v.is_null()) return false;
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_string()) return !v.get_ref<const std::string&>().empty();
  if (v.is_array() || v.is_object()) return !v.empty();
  if (v.is_number_integer()) return v.get<std::int64_t>() != 0;
  if (v.is_number_float()) return v.get<double>() != 0.0;
  return true;
}

const nlohmann::json& null_json() {
  static const nlohmann::json null;  // immutable
  return null;
}

}  // namespace

struct Templates::Impl {
  std::map<std::string, Nodes, std::less<>> templates;

  struct Frame {
    const Translator& translate;
    std::vector<const nlohmann::json*> stack;
    int depth = 0;
  };

  static const nlohmann::json& lookup(const Frame& f, const std::vector<std::string>& path) {
    if (path.empty()) return *f.stack.back();
    const nlohmann::json* found = nullptr;
    for (auto it = f.stack.rbegin(); it != f.stack.rend(); ++it) {
      if ((*it)->is_object()) {
        const auto hit = (*it)->find(path.front());
        if (hit != (*it)->end()) {
          found = &*hit;
          break;
        }
      }
    }
    if (!found) return null_json();
    for (std::size_t i = 1; i < path.size(); ++i) {
      if (!found->is_object()) return null_json();
      const auto hit = found->find(path[i]);
      if (hit == found->end()) return null_json();
      found = &*hit;
    }
    return *found;
  }

  static std::string text_of(const nlohmann::json& v, const std::vector<std::string>& path) {
    if (v.is_null()) return {};
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
    if (v.is_number_float()) return v.dump();
    std::string name;
    for (const auto& p : path) name += (name.empty() ? "" : ".") + p;
    throw RenderError("{{" + (name.empty() ? std::string(".") : name) + "}} is a list or an object, not a text");
  }

  static void emit(std::string& out, const std::string& text, Escape escape) {
    if (escape == Escape::url_start && !is_safe_url(text)) {
      out += '#';
      return;
    }
    out += escape_html(text);
  }

  void render_nodes(const Nodes& nodes, Frame& f, std::string& out) const {
    for (const auto& node : nodes) {
      std::visit(
          [&](const auto& n) {
            using T = std::decay_t<decltype(n)>;
            if constexpr (std::is_same_v<T, Literal>) {
              out += n.text;
            } else if constexpr (std::is_same_v<T, Variable>) {
              emit(out, text_of(lookup(f, n.path), n.path), n.escape);
            } else if constexpr (std::is_same_v<T, Translation>) {
              std::string text = f.translate ? f.translate(n.key) : std::string();
              if (text.empty()) text = n.key;
              for (const auto& [name, path] : n.params) {
                const std::string marker = "{" + name + "}";
                const std::string value = text_of(lookup(f, path), path);
                for (auto at = text.find(marker); at != std::string::npos; at = text.find(marker, at + value.size()))
                  text.replace(at, marker.size(), value);
              }
              emit(out, text, n.escape);
            } else if constexpr (std::is_same_v<T, Section>) {
              const nlohmann::json& v = lookup(f, n.path);
              if (n.inverted) {
                if (!truthy(v)) render_nodes(n.body, f, out);
              } else if (v.is_array()) {
                for (const auto& item : v) {
                  f.stack.push_back(&item);
                  render_nodes(n.body, f, out);
                  f.stack.pop_back();
                }
              } else if (truthy(v)) {
                f.stack.push_back(&v);
                render_nodes(n.body, f, out);
                f.stack.pop_back();
              }
            } else if constexpr (std::is_same_v<T, Partial>) {
              render_named(n.name, f, out);
            }
          },
          node.v);
    }
  }

  void render_named(std::string_view name, Frame& f, std::string& out) const {
    const auto it = templates.find(name);
    if (it == templates.end()) throw RenderError("no template named \"" + std::string(name) + "\"");
    if (++f.depth > kMaxDepth) throw RenderError("templates include each other more than " + std::to_string(kMaxDepth) + " deep");
    render_nodes(it->second, f, out);
    --f.depth;
  }
};

Templates::Templates() : impl_(std::make_unique<Impl>()) {}
Templates::~Templates() = default;
Templates::Templates(Templates&&) noexcept = default;
Templates& Templates::operator=(Templates&&) noexcept = default;

Templates Templates::parse(const std::map<std::string, std::string>& sources) {
  Templates t;
  for (const auto& [name, text] : sources) {
    if (const auto problem = core::find_text_problem(text, core::Lines::multi))
      throw TemplateError(name + ".html", "not valid UTF-8 text at byte " + std::to_string(problem->offset));
    t.impl_->templates.emplace(name, Parser(name + ".html", text).parse());
  }
  return t;
}

// --- loading ---------------------------------------------------------------------------

Templates Templates::load(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw TemplateError(dir.string(), "not a folder of templates");
  std::map<std::string, std::string> sources;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".html") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    if (!in) throw TemplateError(entry.path().string(), "cannot be read");
    std::string name = fs::relative(entry.path(), dir).replace_extension().generic_string();
    sources.emplace(std::move(name), std::string(std::istreambuf_iterator<char>(in), {}));
  }
  return parse(sources);
}

bool Templates::has(std::string_view name) const { return impl_->templates.find(name) != impl_->templates.end(); }

std::string Templates::render(std::string_view name, const nlohmann::json& values, const Translator& translate) const {
  Impl::Frame frame{translate, {&values}, 0};
  std::string out;
  impl_->render_named(name, frame, out);
  return out;
}

}  // namespace allervers::web
