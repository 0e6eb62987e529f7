// Submitted forms, urlencoded and multipart, within bounds.
#include "allervers/web/forms.hpp"

#include <algorithm>
#include <cctype>

#include "allervers/core/hex.hpp"
#include "allervers/core/text.hpp"

namespace allervers::web {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Browsers send a textarea's line ends as CRLF; the text kept has LF only.
std::string normalise_lines(std::string value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i)
    if (!(value[i] == '\r' && i + 1 < value.size() && value[i + 1] == '\n')) out += value[i];
  return out;
}

// Counts and checks one field against the limits. Names are checked before they are quoted
// in a message.
void check_field(const Form& form, std::size_t files, const std::string& name, std::string_view value, const FormLimits& limits,
                 bool is_text = true) {
  if (core::find_text_problem(name, core::Lines::single)) throw FormError("not_utf8", "a field name is not valid text on one line");
  if (form.size() + files >= limits.max_fields)
    throw FormError("too_many_fields", "the form has more than " + std::to_string(limits.max_fields) + " fields");
  if (name.size() > limits.max_name_bytes) throw FormError("too_long", "a field name is longer than " + std::to_string(limits.max_name_bytes) + " bytes");
  if (value.size() > limits.max_value_bytes)
    throw FormError("too_long", "the field \"" + name + "\" is longer than " + std::to_string(limits.max_value_bytes) + " bytes");
  if (is_text && core::find_text_problem(value, core::Lines::multi))
    throw FormError("not_utf8", "the field \"" + name + "\" is not valid UTF-8 text (or holds control characters)");
}

// name="x"; filename="y" → the value of `param` in a Content-Disposition header.
std::string disposition_parameter(std::string_view header, std::string_view param) {
  return content_type_parameter(header, param);
}

}  // namespace

std::string Form::get(const std::string& name) const {
  const auto it = fields_.find(name);
  return it == fields_.end() ? std::string() : it->second;
}

std::vector<std::string> Form::all(const std::string& name) const {
  std::vector<std::string> out;
  for (auto [it, end] = fields_.equal_range(name); it != end; ++it) out.push_back(it->second);
  return out;
}

std::string percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus_is_space) {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= text.size()) throw FormError("malformed", "a %-escape is cut short");
      const int hi = core::hex_digit_value(text[i + 1]), lo = core::hex_digit_value(text[i + 2]);
      if (hi < 0 || lo < 0) throw FormError("malformed", "a %-escape is not two hexadecimal digits");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

Form parse_urlencoded(std::string_view body, const FormLimits& limits) {
  Form form;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    // Bounds before decoding: the encoded text is at least as long as the decoded one.
    if (pair.size() > 3 * (limits.max_name_bytes + limits.max_value_bytes) + 1)
      throw FormError("too_long", "a field is longer than " + std::to_string(limits.max_value_bytes) + " bytes");
    const auto eq = pair.find('=');
    std::string name = percent_decode(pair.substr(0, eq), true);
    std::string value = eq == std::string_view::npos ? std::string() : normalise_lines(percent_decode(pair.substr(eq + 1), true));
    check_field(form, 0, name, value, limits);
    form.add(std::move(name), std::move(value));
  }
  return form;
}

Form parse_multipart(std::string_view body, std::string_view boundary, const FormLimits& limits) {
  if (boundary.empty() || boundary.size() > 70) throw FormError("malformed", "the multipart boundary is missing or longer than 70 characters");
  const std::string delimiter = "--" + std::string(boundary);
  Form form;
  std::size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) throw FormError("malformed", "the multipart body does not start with its boundary");
  const std::string next_delimiter = "\r\n" + delimiter;
  while (true) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return form;  // the closing delimiter
    if (body.substr(pos, 2) != "\r\n") throw FormError("malformed", "a multipart boundary is not followed by a line end");
    pos += 2;
    const auto head_end = body.find("\r\n\r\n", pos);
    if (head_end == std::string_view::npos || head_end - pos > 4096)
      throw FormError("malformed", "a multipart part's headers do not end (or are longer than 4096 bytes)");
    std::string name, filename, type = "text/plain";
    bool is_file = false;
    for (std::string_view head = body.substr(pos, head_end - pos); !head.empty();) {
      const auto eol = head.find("\r\n");
      const std::string_view line = head.substr(0, eol);
      head = eol == std::string_view::npos ? std::string_view() : head.substr(eol + 2);
      const auto colon = line.find(':');
      if (colon == std::string_view::npos) throw FormError("malformed", "a multipart header has no ':'");
      const std::string key = lower(trim(line.substr(0, colon)));
      const std::string_view value = trim(line.substr(colon + 1));
      if (key == "content-disposition") {
        if (lower(value).rfind("form-data", 0) != 0) throw FormError("malformed", "a multipart part is not form-data");
        name = disposition_parameter(value, "name");
        if (value.find("filename=") != std::string_view::npos) {
          is_file = true;
          filename = disposition_parameter(value, "filename");
        }
      } else if (key == "content-type") {
        type = std::string(value);
      }
    }
    const auto data_start = head_end + 4;
    const auto data_end = body.find(next_delimiter, data_start);
    if (data_end == std::string_view::npos) throw FormError("malformed", "a multipart part does not end with the boundary");
    const std::string_view data = body.substr(data_start, data_end - data_start);
    if (name.empty()) throw FormError("malformed", "a multipart part has no field name");
    if (is_file) {
      if (form.files().size() >= limits.max_files)
        throw FormError("too_many_files", "the form has more than " + std::to_string(limits.max_files) + " files");
      if (data.size() > limits.max_file_bytes)
        throw FormError("too_long", "the file of \"" + name.substr(0, 100) + "\" is larger than " +
                                        std::to_string(limits.max_file_bytes / (1024 * 1024)) + " MiB");
      check_field(form, form.files().size(), name, filename, limits);
      form.add_file({name, filename, type, std::string(data)});
    } else {
      std::string value = normalise_lines(std::string(data));
      check_field(form, form.files().size(), name, value, limits);
      form.add(name, std::move(value));
    }
    pos = data_end + 2;
  }
}

std::string content_type_parameter(std::string_view content_type, std::string_view name) {
  std::size_t pos = content_type.find(';');
  while (pos != std::string_view::npos) {
    const auto start = pos + 1;
    // A quoted value may hold ';': find the parameter's end outside quotes.
    std::size_t end = start;
    bool quoted = false;
    for (; end < content_type.size(); ++end) {
      if (content_type[end] == '"') quoted = !quoted;
      if (content_type[end] == ';' && !quoted) break;
    }
    const std::string_view param = trim(content_type.substr(start, end - start));
    const auto eq = param.find('=');
    if (eq != std::string_view::npos && lower(trim(param.substr(0, eq))) == lower(name)) {
      std::string_view value = trim(param.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      return std::string(value);
    }
    pos = end < content_type.size() ? end : std::string_view::npos;
  }
  return {};
}

Form parse_form(const server::HttpRequest& request, const FormLimits& limits) {
  const std::string type = request.header("content-type");
  const std::string media = lower(trim(std::string_view(type).substr(0, type.find(';'))));
  if (media == "application/x-www-form-urlencoded") return parse_urlencoded(request.body, limits);
  if (media == "multipart/form-data") return parse_multipart(request.body, content_type_parameter(type, "boundary"), limits);
  throw FormError("unsupported_type", "a form is sent as application/x-www-form-urlencoded or multipart/form-data");
}

}  // namespace allervers::web
