// A submitted form as the console and the public pages read it. The first line of the input
// is a multipart boundary; the rest is the body, read as multipart with that boundary and as
// urlencoded. Whatever is accepted stays within the limits and is valid UTF-8.
#include "allervers/core/text.hpp"
#include "allervers/web/forms.hpp"
#include "harness.hpp"

using namespace allervers;

namespace {
void check(const web::Form& form, const web::FormLimits& limits) {
  fuzz::require(form.size() + form.files().size() <= limits.max_fields, "more fields than allowed");
  fuzz::require(form.files().size() <= limits.max_files, "more files than allowed");
  for (const auto& f : form.files()) fuzz::require(f.data.size() <= limits.max_file_bytes, "a file over its limit");
}
}  // namespace

ALLERVERS_FUZZ_TARGET(forms) {
  const auto text = fuzz::text_of(data, size);
  const auto eol = text.find('\n');
  const auto boundary = eol == std::string_view::npos ? std::string_view() : text.substr(0, eol);
  const auto body = eol == std::string_view::npos ? text : text.substr(eol + 1);
  web::FormLimits limits;
  limits.max_fields = 20;
  limits.max_value_bytes = 1024;
  limits.max_files = 2;
  limits.max_file_bytes = 4096;
  try {
    const auto form = web::parse_multipart(body, boundary, limits);
    check(form, limits);
  } catch (const web::FormError&) {
  }
  try {
    const auto form = web::parse_urlencoded(text, limits);
    check(form, limits);
  } catch (const web::FormError&) {
  }
  try {
    const auto decoded = web::percent_decode(text, true);
    fuzz::require(decoded.size() <= text.size(), "percent-decoding grew the text");
  } catch (const web::FormError&) {
  }
  (void)web::content_type_parameter(text, "boundary");
  return 0;
}
