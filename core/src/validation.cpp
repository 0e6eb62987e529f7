#include "allervers/core/validation.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>
#include <stdexcept>

#include "allervers/core/limits.hpp"
#include "allervers/core/text.hpp"

namespace allervers::core {
namespace {

class Checker {
 public:
  Checker(const Catalog& catalog, std::vector<ValidationError>& errors) : catalog_(catalog), errors_(errors) {}

  void error(std::string field, std::string code, std::string message) {
    errors_.push_back({std::move(field), std::move(code), std::move(message)});
  }

  // Text rules: valid UTF-8, no NUL or control characters, within [min, max] characters.
  bool text(const std::string& field, const std::string& value, Lines lines, std::size_t min, std::size_t max) {
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
                std::string("the text holds the control character ") + hex + " (byte " +
                    std::to_string(problem->offset) + ")" + (lines == Lines::single ? "; line breaks are not allowed here" : ""));
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

  void option(const std::string& field, const std::string& value, const std::vector<Option>& options,
              const char* what) {
    for (const auto& o : options)
      if (o.id == value) return;
    std::string expected;
    for (std::size_t i = 0; i < options.size() && i < 12; ++i) expected += (i ? ", " : "") + options[i].id;
    if (options.size() > 12) expected += ", …";
    error(field, "not_an_option",
          "\"" + printable(value) + "\" is not " + what + " (expected one of: " + expected + ")");
  }

  static std::string printable(const std::string& value) {
    if (find_text_problem(value, Lines::single)) return "(unreadable text)";
    std::string cut;
    std::size_t n = 0;
    for (char c : value) {  // at most 40 characters, cut on a character boundary
      if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && ++n > 40) return cut + "…";
      cut.push_back(c);
    }
    return cut;
  }

  void answer(const Question& q, const AnswerValue& value, const std::string& field) {
    const auto wrong_type = [&](const char* expected) { error(field, "wrong_type", std::string("expected ") + expected); };
    switch (q.type) {
      case QuestionType::single_choice:
      case QuestionType::neighbourhood:
      case QuestionType::age_bracket:
        if (auto* s = std::get_if<std::string>(&value)) option(field, *s, q.options, "one of the choices");
        else wrong_type("one option id (a text)");
        break;
      case QuestionType::multiple_choice: {
        auto* ids = std::get_if<std::vector<std::string>>(&value);
        if (!ids) {
          wrong_type("a list of option ids");
          break;
        }
        std::set<std::string> seen;
        for (const auto& id : *ids) {
          option(field, id, q.options, "one of the choices");
          if (!seen.insert(id).second) error(field, "duplicate_choice", "\"" + printable(id) + "\" is chosen twice");
        }
        const std::size_t max = q.max_choices ? q.max_choices : q.options.size();
        if (ids->size() > max)
          error(field, "too_many_choices", std::to_string(ids->size()) + " choices, at most " + std::to_string(max));
        if (ids->size() < std::max<std::size_t>(q.min_choices, q.required ? 1 : 0))
          error(field, "too_few_choices", "at least " + std::to_string(std::max<std::size_t>(q.min_choices, 1)) +
                                              " choice(s) needed");
        break;
      }
      case QuestionType::scale_1_5:
      case QuestionType::smiley: {
        auto* n = std::get_if<std::int64_t>(&value);
        if (!n) wrong_type("a whole number from 1 to 5");
        else if (*n < 1 || *n > 5)
          error(field, "out_of_range", std::to_string(*n) + " is out of range: expected 1 to 5");
        break;
      }
      case QuestionType::yes_no:
        if (!std::holds_alternative<bool>(value)) wrong_type("true or false");
        break;
      case QuestionType::short_text:
        if (auto* s = std::get_if<std::string>(&value))
          text(field, *s, Lines::multi, q.required ? 1 : 0, q.max_length ? q.max_length : limits::short_text);
        else wrong_type("a text");
        break;
    }
  }

  void opinion(const Opinion& o, const Consultation& c) {
    if (!c.has_survey()) {
      error("consultation", "no_survey", "consultation \"" + c.id + "\" has no survey questions");
      return;
    }
    for (const auto& [question_id, value] : o.answers)
      if (!c.find_question(question_id))
        error("answers." + printable(question_id), "unknown_question",
              "consultation \"" + c.id + "\" version " + std::to_string(c.version) + " has no such question");
    for (const auto& q : c.questions) {
      const std::string field = "answers." + q.id;
      auto it = o.answers.find(q.id);
      if (!is_shown(q, o.answers)) {
        if (it != o.answers.end())
          error(field, "not_shown", "answered, but this question is only asked when \"" + q.show_if->question +
                                        "\" has another answer");
        continue;
      }
      if (it == o.answers.end()) {
        if (q.required) error(field, "required", "this question requires an answer");
        continue;
      }
      answer(q, it->second, field);
    }
  }

  void idea(const Idea& i, const Consultation& c) {
    if (!c.ideas.enabled) {
      error("consultation", "no_ideas", "consultation \"" + c.id + "\" does not collect ideas");
      return;
    }
    text("idea.title", i.title, Lines::single, limits::idea_title_min, limits::idea_title);
    text("idea.description", i.description, Lines::multi, limits::idea_description_min, limits::idea_description);
    if (i.theme.empty()) error("idea.theme", "required", "choose a theme");
    else option("idea.theme", i.theme, c.ideas.themes, "one of this consultation's themes");
    if (i.neighbourhood.empty()) error("idea.neighbourhood", "required", "choose a neighbourhood");
    else option("idea.neighbourhood", i.neighbourhood, catalog_.town.neighbourhoods, "one of the town's neighbourhoods");
    text("idea.place", i.place, Lines::single, 0, limits::idea_place);
    if (i.estimated_cost_eur) {
      const std::int64_t max = c.ideas.max_cost_eur ? c.ideas.max_cost_eur : limits::idea_cost_eur;
      if (*i.estimated_cost_eur < 0 || *i.estimated_cost_eur > max)
        error("idea.estimated_cost_eur", "out_of_range",
              std::to_string(*i.estimated_cost_eur) + " € is out of range: expected 0 to " + std::to_string(max) + " €");
    }
    if (i.contact) {
      if (!i.contact->consent)
        error("idea.contact.consent", "consent_required",
              "contact details are kept only with the resident's explicit consent");
      if (i.contact->sealed.empty() || i.contact->sealed.size() > limits::sealed_contact_bytes)
        error("idea.contact.sealed", "invalid_sealed_contact",
              "the sealed contact must hold 1 to " + std::to_string(limits::sealed_contact_bytes) + " bytes");
      for (char ch : i.contact->sealed)
        if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '+' || ch == '/' || ch == '=')) {
          error("idea.contact.sealed", "invalid_sealed_contact", "the sealed contact must be base64");
          break;
        }
    }
  }

  void signin(const SignIn& s) {
    if (s.assembly.empty()) error("signin.assembly", "required", "say which assembly");
    else if (!catalog_.find_assembly(s.assembly))
      error("signin.assembly", "unknown_assembly", "\"" + printable(s.assembly) + "\" is not a known assembly");
    if (!s.pass.empty()) {
      bool ok = s.pass.size() <= limits::pass_id;
      for (char ch : s.pass) ok = ok && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_');
      if (!ok) error("signin.pass", "invalid_pass", "a pass id has 1 to 128 letters, digits, '-' or '_'");
    }
    if (!s.neighbourhood.empty())
      option("signin.neighbourhood", s.neighbourhood, catalog_.town.neighbourhoods, "one of the town's neighbourhoods");
    if (!s.age_bracket.empty())
      option("signin.age_bracket", s.age_bracket, catalog_.town.age_brackets, "one of the town's age brackets");
  }

 private:
  const Catalog& catalog_;
  std::vector<ValidationError>& errors_;
};

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
  Checker check(catalog, result.errors_);
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

  const bool body_matches = (capture.kind == CaptureKind::opinion && capture.opinion()) ||
                            (capture.kind == CaptureKind::idea && capture.idea()) ||
                            (capture.kind == CaptureKind::signin && capture.signin());
  if (!body_matches) {
    check.error("kind", "kind_mismatch", std::string("the capture says ") + to_string(capture.kind) + " but holds another kind");
  } else if (capture.kind == CaptureKind::signin) {
    if (!capture.consultation.empty() && !catalog.latest(capture.consultation))
      check.error("consultation", "unknown_consultation", "\"" + Checker::printable(capture.consultation) + "\" is not a known consultation");
    check.signin(*capture.signin());
  } else if (capture.consultation.empty()) {
    check.error("consultation", "required", "say which consultation this capture belongs to");
  } else if (const Consultation* c = catalog.find(capture.consultation, capture.version)) {
    if (capture.kind == CaptureKind::opinion) check.opinion(*capture.opinion(), *c);
    else check.idea(*capture.idea(), *c);
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
