// E-mail: one '@', a local part of 1–64 printable characters without spaces, a domain of at
// least two dot-separated labels (letters, digits, '-', non-ASCII letters for accented names)
// ending in a top-level domain of two or more letters; 254 bytes at most (RFC 5321).
// Phone: spaces, dots, dashes and brackets ignored; ten digits starting 0 and a non-zero
// digit (metropolitan and overseas numbers alike), or +33 / 0033 and the overseas codes
// (+262 +269 +508 +590 +594 +596 +681 +687 +689) followed by nine digits.
#include "allervers/core/contact.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace allervers::core {
namespace {

std::string_view trimmed(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

bool ascii_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool high(char c) { return static_cast<unsigned char>(c) >= 0x80; }

std::optional<std::string> email(std::string_view s) {
  if (s.size() > 254 || std::count(s.begin(), s.end(), '@') != 1) return std::nullopt;
  const auto at = s.find('@');
  const std::string_view local = s.substr(0, at), domain = s.substr(at + 1);
  if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.') return std::nullopt;
  for (char c : local)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '(' || c == ')' || c == ',' || c == ';' ||
        c == ':' || c == '<' || c == '>' || c == '[' || c == ']' || c == '\\' || c == '"')
      return std::nullopt;
  std::size_t labels = 0, start = 0;
  std::string_view last;
  while (start <= domain.size()) {
    const auto end = std::min(domain.find('.', start), domain.size());
    const std::string_view label = domain.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return std::nullopt;
    for (char c : label)
      if (!ascii_alnum(c) && c != '-' && !high(c)) return std::nullopt;
    ++labels;
    last = label;
    start = end + 1;
  }
  if (labels < 2 || last.size() < 2) return std::nullopt;
  for (char c : last)
    if (std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;  // "name@host.123"
  std::string out(local);
  out += '@';
  for (char c : domain) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "0612345678" → "06 12 34 56 78"
std::string pairs(std::string_view digits) {
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && i % 2 == 0) out += ' ';
    out += digits[i];
  }
  return out;
}

std::optional<std::string> phone(std::string_view s) {
  std::string digits;
  bool plus = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (std::isdigit(static_cast<unsigned char>(c))) digits += c;
    else if (c == '+' && i == 0) plus = true;
    else if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')') return std::nullopt;
  }
  if (!plus && digits.rfind("00", 0) == 0) {  // 0033 6 …: the international prefix typed out
    digits.erase(0, 2);
    plus = true;
  }
  if (!plus) {
    if (digits.size() == 10 && digits[0] == '0' && digits[1] != '0') return pairs(digits);
    return std::nullopt;
  }
  static constexpr std::array<std::string_view, 10> kCodes{"33", "262", "269", "508", "590", "594", "596", "681", "687", "689"};
  for (std::string_view code : kCodes) {
    if (digits.rfind(code, 0) != 0) continue;
    std::string_view rest = std::string_view(digits).substr(code.size());
    if (code == "33" && rest.size() == 10 && rest[0] == '0') rest.remove_prefix(1);  // +33 (0)6 …
    if (rest.size() != 9 || rest[0] == '0') return std::nullopt;
    return "+" + std::string(code) + " " + rest[0] + " " + pairs(rest.substr(1));
  }
  return std::nullopt;
}

}  // namespace

ContactResult check_contact(std::string_view text, const std::string& field) {
  const std::string_view s = trimmed(text);
  if (s.empty()) return {std::nullopt, ValidationError{field, "required", "type an e-mail address or a phone number"}};
  if (s.find('@') != std::string_view::npos) {
    if (auto e = email(s)) return {CheckedContact{ContactKind::email, *e}, std::nullopt};
    return {std::nullopt, ValidationError{field, "not_an_email",
                                          "this e-mail address is incomplete or mistyped: it looks like name@example.fr"}};
  }
  if (auto p = phone(s)) return {CheckedContact{ContactKind::phone, *p}, std::nullopt};
  const auto digit_count = std::count_if(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
  if (digit_count >= 4 || s.front() == '+')
    return {std::nullopt, ValidationError{field, "not_a_phone",
                                          "a French phone number has ten digits, like 06 12 34 56 78 (or +33 6 12 34 56 78)"}};
  return {std::nullopt, ValidationError{field, "not_a_contact",
                                        "type an e-mail address (name@example.fr) or a French phone number (06 12 34 56 78)"}};
}

}  // namespace allervers::core
