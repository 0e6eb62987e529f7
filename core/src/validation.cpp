#include "allervers/core/validation.hpp"

#include <cstdio>
#include <stdexcept>

#include "allervers/core/limits.hpp"
#include "allervers/core/text.hpp"
#include "checker.hpp"
#include "kinds/kinds.hpp"

namespace allervers::core {
// --- the shared rules (checker.hpp) ------------------------------------------------------

bool Checker::text(const std::string& field, const std::string& value, Lines lines, std::size_t min, std::size_t max) {
  if (auto problem = find_text_problem(value, lines)) {
    switch (problem->kind) {
      case TextProblem::Kind::invalid_utf8:
        error(field, "invalid_utf8", "the text is not valid UTF-8 (byte " + std::to_string(problem->offset) + ")");
        break;
      case TextProblem::Kind::nul_byte:
        error(field, "control_character", "the text holds a NUL byte (byte " + std::to_string(problem->offset) + ")");
        break;
      case TextProblem::Kind::control_character: {
        char hex[16];
        std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(problem->code_point));
        error(field, "control_character",
              std::string("the text holds the control character ") + hex + " (byte " + std::to_string(problem->offset) +
                  ")" + (lines == Lines::single ? "; line breaks are not allowed here" : ""));
        break;
      }
    }
    return false;
  }
  const std::size_t n = code_point_count(value);
  if (n > max) {
    error(field, "too_long", "too long: " + std::to_string(n) + " characters, at most " + std::to_string(max));
    return false;
  }
  if (min > 0 && (is_blank(value) || n < min)) {
    error(field, is_blank(value) ? "required" : "too_short",
          is_blank(value) ? "required, and empty" : "too short: at least " + std::to_string(min) + " characters");
    return false;
  }
  return true;
}

void Checker::option(const std::string& field, const std::string& value, const std::vector<Option>& options,
                     const char* what) {
  for (const auto& o : options)
    if (o.id == value) return;
  std::string expected;
  for (std::size_t i = 0; i < options.size() && i < 12; ++i) expected += (i ? ", " : "") + options[i].id;
  if (options.size() > 12) expected += ", …";
  error(field, "not_an_option", "\"" + printable(value) + "\" is not " + what + " (expected one of: " + expected + ")");
}

std::string Checker::printable(const std::string& value) {
  if (find_text_problem(value, Lines::single)) return "(unreadable text)";
  std::string cut;
  std::size_t n = 0;
  for (char c : value) {  // at most 40 characters, cut on a character boundary
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && ++n > 40) return cut + "…";
    cut.push_back(c);
  }
  return cut;
}

namespace {

bool is_language_code(const std::string& s) {
  if (s.size() < 2 || s.size() > 3) return false;
  for (char c : s)
    if (c < 'a' || c > 'z') return false;
  return true;
}

}  // namespace

bool is_shown(const Question& question, const std::map<std::string, AnswerValue>& answers) {
  if (!question.show_if) return true;
  auto cond = answers.find(question.show_if->question);
  if (cond == answers.end()) return false;
  std::vector<std::string> given;
  if (auto* ids = std::get_if<std::vector<std::string>>(&cond->second)) given = *ids;
  else given.push_back(answer_text(cond->second));
  for (const auto& g : given)
    for (const auto& want : question.show_if->any_of)
      if (g == want) return true;
  return false;
}

std::string describe(const std::vector<ValidationError>& errors) {
  std::string out;
  for (const auto& e : errors) out += (out.empty() ? "" : "; ") + e.field + ": " + e.message;
  return out;
}

const ValidCapture& ValidationResult::valid() const {
  if (valid_.empty()) throw std::logic_error("ValidationResult::valid() called on a refused capture: " + describe(errors_));
  return valid_.front();
}

ValidationResult validate(const Capture& capture, const Catalog& catalog, const Instant& now) {
  ValidationResult result;
  Checker check(catalog, result.errors_, &capture.captured_at);
  if (capture.id.is_nil() || capture.id.version() < 1 || capture.id.version() > 8)
    check.error("id", "invalid_id", "the id is not a valid UUID");
  if (capture.device.is_nil()) check.error("device", "required", "the capture does not say which device made it");
  if (!is_language_code(capture.language))
    check.error("language", "invalid_language", "\"" + Checker::printable(capture.language) + "\" is not a language code like fr or en");
  if (capture.captured_at.utc_ms < limits::earliest_capture_ms)
    check.error("captured_at", "out_of_range", format_instant(capture.captured_at) + " is before 2024: is the device's clock set?");
  else if (capture.captured_at.utc_ms > now.utc_ms + limits::future_skew_ms)
    check.error("captured_at", "in_the_future", format_instant(capture.captured_at) + " is in the future: is the device's clock set?");
  if (capture.captured_at.offset_minutes < -14 * 60 || capture.captured_at.offset_minutes > 14 * 60)
    check.error("captured_at", "out_of_range", "the UTC offset is beyond ±14:00");

  const auto check_body = [&](const Consultation* consultation) {
    std::visit([&](const auto& body) { kinds::check(body, consultation, check); }, capture.body);
  };
  if (!info(capture.kind()).consultation_required) {
    if (!capture.consultation.empty() && !catalog.latest(capture.consultation))
      check.error("consultation", "unknown_consultation", "\"" + Checker::printable(capture.consultation) + "\" is not a known consultation");
    check_body(capture.consultation.empty() ? nullptr : catalog.find(capture.consultation, capture.version));
  } else if (capture.consultation.empty()) {
    check.error("consultation", "required", "say which consultation this capture belongs to");
  } else if (const Consultation* c = catalog.find(capture.consultation, capture.version)) {
    check_body(c);
  } else if (catalog.latest(capture.consultation)) {
    check.error("version", "unknown_version", "consultation \"" + capture.consultation + "\" has no version " +
                                                  std::to_string(capture.version) + " on this device");
  } else {
    check.error("consultation", "unknown_consultation", "\"" + Checker::printable(capture.consultation) + "\" is not a known consultation");
  }
  if (result.errors_.empty()) result.valid_.push_back(ValidCapture(capture));
  return result;
}

}  // namespace allervers::core
