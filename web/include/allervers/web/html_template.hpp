#pragma once
// HTML templates that escape by construction. Every page the server sends — the office console
// and the residents' public pages — is rendered here, and this is the one place where a value
// becomes HTML. There is no way to output a value unescaped.
//
// Syntax (a small subset of Mustache, checked when the templates are loaded):
//   {{path}}              the value at `path` (dots: `idea.title`; `.` is the current item),
//                         escaped for where it stands
//   {{#path}}…{{/path}}   a section: once per item of an array, once with the value when it is
//                         truthy (false, null, "", 0 and [] are not), never otherwise
//   {{^path}}…{{/path}}   the inverse: once when the value is not truthy
//   {{>name}}             another template, with the same values
//   {{t:key}}             the translation of `key` for the page's language, escaped;
//                         {{t:key n=path total=path}} fills "{n}" and "{total}"
//   {{!comment}}
// The loader follows the HTML around each placeholder and refuses, naming the file, line and
// column: `{{{raw}}}` output; a placeholder in a tag or attribute name, in an unquoted attribute
// value, in an event-handler (on…) or style attribute, inside <script>, <style> or a comment;
// inline script or style content at all (the Content-Security-Policy forbids them too); a
// section that does not close in the HTML state it opened in. A placeholder that opens the value
// of a URL attribute (href, src, action, formaction) lets through only a relative or http(s) /
// mailto / tel address; anything else (`javascript:`…) renders as "#".
//
// Sections: errors · templates.
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace allervers::web {

// --- errors ----------------------------------------------------------------------------

// A template refused at load time: `where` is "file.html:line:column".
class TemplateError : public std::runtime_error {
 public:
  TemplateError(std::string where, const std::string& what) : std::runtime_error(where + ": " + what), where_(std::move(where)) {}
  const std::string& where() const { return where_; }

 private:
  std::string where_;
};

// A render that cannot go on (unknown template, a list or object where text is expected).
class RenderError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// --- templates -------------------------------------------------------------------------

// Looks up one translation key for the page being rendered ("" when there is none: the
// template then shows the key itself, so a missing string is visible, never an empty button).
using Translator = std::function<std::string(std::string_view key)>;

// HTML escaping for text and quoted attribute values: & < > " ' become entities, invalid UTF-8
// becomes U+FFFD, NUL and other C0 controls but tab and line feed are dropped.
std::string escape_html(std::string_view text);

// True when `url` may stand at the start of an href/src/action value: relative ("/…", "#…",
// "?…", "./…") or http, https, mailto or tel. Checked after entity and whitespace tricks.
bool is_safe_url(std::string_view url);

class Templates {
 public:
  Templates();
  ~Templates();
  Templates(Templates&&) noexcept;
  Templates& operator=(Templates&&) noexcept;

  // Every `*.html` file in `dir` (sub-folders too, named "sub/page"), without the extension.
  // Throws TemplateError for the first template refused.
  static Templates load(const std::filesystem::path& dir);
  // The same from sources in memory (tests, fuzzing): name → text.
  static Templates parse(const std::map<std::string, std::string>& sources);

  bool has(std::string_view name) const;
  std::string render(std::string_view name, const nlohmann::json& values, const Translator& translate = {}) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace allervers::web
