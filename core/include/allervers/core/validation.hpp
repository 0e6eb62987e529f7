#pragma once
// Validation is the one gate: storage and the server accept only a ValidCapture, and only
// validate() can make one. Each error names the field and says what is wrong with it.
#include <map>
#include <string>
#include <vector>

#include "allervers/core/capture.hpp"
#include "allervers/core/consultation.hpp"

namespace allervers::core {

struct ValidationError {
  std::string field;    // "answers.q3", "idea.title", "captured_at", "line" …
  std::string code;     // stable key for translations: "required", "too_long", "not_an_option" …
  std::string message;  // a sentence for people: what is wrong and what was expected
};
std::string describe(const std::vector<ValidationError>& errors);  // "field: message; field: message"

class ValidationResult;

class ValidCapture {
 public:
  const Capture& capture() const { return capture_; }

 private:
  friend class ValidationResult;
  friend ValidationResult validate(const Capture&, const Catalog&, const Instant&);
  explicit ValidCapture(Capture capture) : capture_(std::move(capture)) {}
  Capture capture_;
};

class ValidationResult {
 public:
  bool ok() const { return errors_.empty(); }
  const std::vector<ValidationError>& errors() const { return errors_; }
  const ValidCapture& valid() const;  // throws std::logic_error when !ok()

 private:
  friend ValidationResult validate(const Capture&, const Catalog&, const Instant&);
  std::vector<ValidCapture> valid_;  // zero or one
  std::vector<ValidationError> errors_;
};

// Whether a question is asked, given the answers so far (its show_if condition, if any).
// The survey screens and validation share this one rule.
bool is_shown(const Question& question, const std::map<std::string, AnswerValue>& answers);

// The rule of `vote` applied to a basket of project ids: empty when it may be cast. Codes (field
// "ballot.projects"): empty_basket, unknown_project, repeated_project, over_envelope,
// under_minimum_share, too_few_projects, too_many_projects. The voting screens, validation and
// the server apply this one rule.
std::vector<ValidationError> check_basket(const Vote& vote, const std::vector<std::string>& projects);

// Checks a capture against the catalog it claims to come from. `now` bounds its date.
ValidationResult validate(const Capture& capture, const Catalog& catalog, const Instant& now);

}  // namespace allervers::core
