// An opinion: answers to a consultation's survey, by question id.
#include <algorithm>
#include <set>

#include "allervers/core/limits.hpp"
#include "kinds.hpp"

namespace allervers::core::kinds {

using nlohmann::json;

namespace {

std::optional<AnswerValue> answer_from(const json& v, const std::string& field, RecordReader& r) {
  if (v.is_string()) return AnswerValue(v.get<std::string>());
  if (v.is_boolean()) return AnswerValue(v.get<bool>());
  if (v.is_number_integer()) return AnswerValue(v.get<std::int64_t>());
  if (v.is_array()) {
    std::vector<std::string> ids;
    for (const auto& e : v) {
      if (!e.is_string()) {
        r.error(field, "wrong_type", "a multiple-choice answer is a list of option ids (texts)");
        return std::nullopt;
      }
      ids.push_back(e.get<std::string>());
    }
    return AnswerValue(std::move(ids));
  }
  r.error(field, "wrong_type", "an answer is a text, a list of option ids, a whole number or true/false");
  return std::nullopt;
}

void check_answer(const Question& q, const AnswerValue& value, const std::string& field, Checker& check) {
  const auto wrong_type = [&](const char* expected) { check.error(field, "wrong_type", std::string("expected ") + expected); };
  switch (q.type) {
    case QuestionType::single_choice:
    case QuestionType::neighbourhood:
    case QuestionType::age_bracket:
      if (auto* s = std::get_if<std::string>(&value)) check.option(field, *s, q.options, "one of the choices");
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
        check.option(field, id, q.options, "one of the choices");
        if (!seen.insert(id).second)
          check.error(field, "duplicate_choice", "\"" + Checker::printable(id) + "\" is chosen twice");
      }
      const std::size_t max = q.max_choices ? q.max_choices : q.options.size();
      if (ids->size() > max)
        check.error(field, "too_many_choices", std::to_string(ids->size()) + " choices, at most " + std::to_string(max));
      if (ids->size() < std::max<std::size_t>(q.min_choices, q.required ? 1 : 0))
        check.error(field, "too_few_choices",
                    "at least " + std::to_string(std::max<std::size_t>(q.min_choices, 1)) + " choice(s) needed");
      break;
    }
    case QuestionType::scale_1_5:
    case QuestionType::smiley: {
      auto* n = std::get_if<std::int64_t>(&value);
      if (!n) wrong_type("a whole number from 1 to 5");
      else if (*n < 1 || *n > 5)
        check.error(field, "out_of_range", std::to_string(*n) + " is out of range: expected 1 to 5");
      break;
    }
    case QuestionType::yes_no:
      if (!std::holds_alternative<bool>(value)) wrong_type("true or false");
      break;
    case QuestionType::short_text:
      if (auto* s = std::get_if<std::string>(&value))
        check.text(field, *s, Lines::multi, q.required ? 1 : 0, q.max_length ? q.max_length : limits::short_text);
      else wrong_type("a text");
      break;
  }
}

}  // namespace

Opinion read(std::type_identity<Opinion>, const json* answers, RecordReader& r) {
  Opinion opinion;
  if (!answers) {
    r.error("answers", "required", "an opinion needs its answers (an object keyed by question id)");
    return opinion;
  }
  if (!answers->is_object()) {
    r.error("answers", "wrong_type", "expected an object keyed by question id");
    return opinion;
  }
  for (auto it = answers->begin(); it != answers->end(); ++it) {
    if (it->is_null()) continue;  // an explicit null is a skipped question
    if (auto value = answer_from(*it, "answers." + it.key(), r)) opinion.answers[it.key()] = std::move(*value);
  }
  return opinion;
}

void write(const Opinion& body, Fields& out) {
  for (const auto& [question, value] : body.answers) {
    if (const auto* text = std::get_if<std::string>(&value)) out.text(question, *text);
    else if (const auto* many = std::get_if<std::vector<std::string>>(&value)) out.texts(question, *many);
    else if (const auto* number = std::get_if<std::int64_t>(&value)) out.number(question, *number);
    else out.boolean(question, std::get<bool>(value));
  }
}

void check(const Opinion& body, const Consultation* consultation, Checker& check) {
  const Consultation& c = *consultation;  // consultation_required
  if (!c.has_survey()) {
    check.error("consultation", "no_survey", "consultation \"" + c.id + "\" has no survey questions");
    return;
  }
  for (const auto& [question_id, value] : body.answers)
    if (!c.find_question(question_id))
      check.error("answers." + Checker::printable(question_id), "unknown_question",
                  "consultation \"" + c.id + "\" version " + std::to_string(c.version) + " has no such question");
  for (const auto& q : c.questions) {
    const std::string field = "answers." + q.id;
    auto it = body.answers.find(q.id);
    if (!is_shown(q, body.answers)) {
      if (it != body.answers.end())
        check.error(field, "not_shown",
                    "answered, but this question is only asked when \"" + q.show_if->question + "\" has another answer");
      continue;
    }
    if (it == body.answers.end()) {
      if (q.required) check.error(field, "required", "this question requires an answer");
      continue;
    }
    check_answer(q, it->second, field, check);
  }
}

}  // namespace allervers::core::kinds
