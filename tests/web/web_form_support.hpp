#pragma once
// What the in-process web tests share to fill in and read the server's forms as a browser
// would: the accounts' password, form encoding, and reading a field back from a page.
#include <cctype>
#include <string>

namespace allervers::test {

// The password every test account is given (long enough for the password rule).
inline const std::string kPassword = "une phrase assez longue";
// French's no-break space before « : » and inside « ».
inline const std::string kNb = "\xC2\xA0";

// A value for application/x-www-form-urlencoded: every byte but letters and digits %-escaped.
inline std::string form_escape(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c)) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// As a page shows a text: ' escaped as the templates escape it.
inline std::string as_html(std::string text) {
  for (std::size_t at = text.find('\''); at != std::string::npos; at = text.find('\'', at)) text.replace(at, 1, "&#39;");
  return text;
}

// value="…" of the input named `name` in a page (enough for the server's own forms).
inline std::string input_value(const std::string& html, const std::string& name) {
  const auto at = html.find("name=\"" + name + "\" value=\"");
  if (at == std::string::npos) return {};
  const auto start = at + name.size() + 15;
  return html.substr(start, html.find('"', start) - start);
}

}  // namespace allervers::test
