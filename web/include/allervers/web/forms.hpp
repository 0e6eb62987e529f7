#pragma once
// Submitted forms: application/x-www-form-urlencoded and multipart/form-data, parsed with
// bounds (fields, name and value sizes, files and their sizes) so that a hostile body costs
// little; each refusal names what was too much or malformed. Values must be valid UTF-8
// (files are bytes).
#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "allervers/server/http_message.hpp"

namespace allervers::web {

struct FormLimits {
  std::size_t max_fields = 100;                  // fields and files together
  std::size_t max_name_bytes = 100;
  std::size_t max_value_bytes = 16 * 1024;       // an idea's description fits with room
  std::size_t max_files = 4;                     // photos (issue 13), multipart only
  std::size_t max_file_bytes = 8 * 1024 * 1024;  // one phone photo
};

struct UploadedFile {
  std::string field, filename, content_type, data;
};

class FormError : public std::runtime_error {
 public:
  // `code`: "malformed", "too_many_fields", "too_long", "too_many_files", "not_utf8",
  // "unsupported_type".
  FormError(std::string code, const std::string& message) : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const { return code_; }

 private:
  std::string code_;
};

class Form {
 public:
  void add(std::string name, std::string value) { fields_.emplace(std::move(name), std::move(value)); }
  void add_file(UploadedFile file) { files_.push_back(std::move(file)); }
  // The first value named `name`, "" when absent.
  std::string get(const std::string& name) const;
  bool has(const std::string& name) const { return fields_.count(name) > 0; }
  std::vector<std::string> all(const std::string& name) const;
  std::size_t size() const { return fields_.size(); }
  const std::vector<UploadedFile>& files() const { return files_; }

 private:
  std::multimap<std::string, std::string> fields_;
  std::vector<UploadedFile> files_;
};

// "a%20b+c" → "a b c" (`plus_is_space`: forms and query strings). Throws FormError(malformed)
// for a broken %-escape.
std::string percent_decode(std::string_view text, bool plus_is_space);

Form parse_urlencoded(std::string_view body, const FormLimits& limits = {});
// `boundary` from the Content-Type, without the leading "--".
Form parse_multipart(std::string_view body, std::string_view boundary, const FormLimits& limits = {});
// By the request's Content-Type (either of the two above; anything else is unsupported_type).
Form parse_form(const server::HttpRequest& request, const FormLimits& limits = {});

// A Content-Type parameter ("boundary", "charset"), "" when absent; quotes removed.
std::string content_type_parameter(std::string_view content_type, std::string_view name);

}  // namespace allervers::web
