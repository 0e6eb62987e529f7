#pragma once
// Consultations (campaigns), their questions, the town's reference lists and assemblies,
// as published by the server and copied onto devices. The JSON format is in
// docs/consultation-format.md.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "allervers/core/channel.hpp"
#include "allervers/core/text.hpp"
#include "allervers/core/vote.hpp"

namespace allervers::core {

enum class QuestionType {
  single_choice,
  multiple_choice,
  scale_1_5,
  smiley,  // 1 (très mécontent) … 5 (très content)
  yes_no,
  short_text,
  neighbourhood,  // options: the town's neighbourhoods
  age_bracket,    // options: the town's age brackets
};
const char* to_string(QuestionType type);
std::optional<QuestionType> question_type_from(const std::string& name);

struct Option {
  std::string id;  // stable key stored in answers
  LocalizedText label;
  // A town's "I live outside the town": an answer to where a resident lives, never where an
  // idea goes (an idea's neighbourhood must be one of the town's own).
  bool outside = false;
  // Accessibility (docs/consultation-format.md): the label's spoken form per language (e.g.
  // Arabic with every vowel mark), its easy-read wording (FALC), and a pictogram file name in
  // the catalog's directory. All optional; a device that does not know them ignores them.
  LocalizedText spoken = {};
  LocalizedText easy = {};
  std::string pictogram = {};
};

// "Show this question only when question `question` was answered with one of `any_of`."
// Values are compared with the answer's text form: an option id, "true"/"false", "3".
struct ShowIf {
  std::string question;
  std::vector<std::string> any_of;
};

struct Question {
  std::string id;
  QuestionType type = QuestionType::single_choice;
  LocalizedText label;
  LocalizedText help;
  LocalizedText spoken = {};   // the label's spoken form (as Option's)
  LocalizedText easy = {};     // the label's easy-read wording
  std::string pictogram = {};  // a PNG in the catalog's directory
  bool required = true;
  std::vector<Option> options;  // choices; for neighbourhood/age_bracket filled from the town
  std::size_t max_length = 0;   // short_text, in characters (0: the default limit)
  std::size_t min_choices = 0;  // multiple_choice
  std::size_t max_choices = 0;  // multiple_choice (0: as many as options)
  std::optional<ShowIf> show_if;

  const Option* find_option(const std::string& option_id) const;
};

struct Town;

struct IdeaSettings {
  bool enabled = false;
  std::vector<Option> themes;
  std::int64_t max_cost_eur = 0;  // 0: the default ceiling
  const Option* find_theme(const std::string& theme_id) const;
};

struct Consultation {
  std::string id;  // slug: [a-z0-9-]
  std::int32_t version = 1;
  LocalizedText title;
  LocalizedText summary;
  std::string opens;   // "YYYY-MM-DD", informative
  std::string closes;  // "YYYY-MM-DD", informative
  std::vector<Question> questions;  // empty: no opinion survey
  IdeaSettings ideas;
  std::string online_url;  // the town's online participation page, shown as a QR code
  // Where it runs: ids of the town's neighbourhoods (never its "outside"); empty: the whole
  // town. Its neighbourhood questions and its ideas offer only these.
  std::vector<std::string> neighbourhoods;
  // Where it is offered: a device lists it only when its channel is here, the public pages
  // offer their web form only with `web`; empty: every channel. Captures are not refused for
  // their channel (a paper questionnaire typed in later, a device moved): docs/decisions.md.
  std::vector<Channel> channels;

  const Question* find_question(const std::string& question_id) const;
  bool has_survey() const { return !questions.empty(); }
  bool offered_on(Channel channel) const;
  bool runs_in(const std::string& neighbourhood) const;
  // The town's neighbourhoods an idea of this consultation may go in: those it runs in,
  // never the town's "outside".
  std::vector<Option> quartiers(const Town& town) const;
};

struct Assembly {
  std::string id;
  LocalizedText name;
  std::string date;  // "YYYY-MM-DDTHH:MM" local time
  std::string place;
  std::string neighbourhood;  // id in the town's list
};

struct Town {
  std::string name;
  std::vector<Option> neighbourhoods;
  std::vector<Option> age_brackets;
  const Option* find_neighbourhood(const std::string& id) const;
  const Option* find_age_bracket(const std::string& id) const;
};

// Everything a device knows of what it may capture. Several versions of one consultation may
// be held at once: captures are validated against the version they were made with.
struct Catalog {
  Town town;
  std::vector<Consultation> consultations;
  std::vector<Assembly> assemblies;
  std::vector<Vote> votes;  // participatory-budget votes published to devices (vote.hpp)

  const Consultation* find(const std::string& id, std::int32_t version) const;
  const Consultation* latest(const std::string& id) const;
  // The newest version of each consultation, in catalog order.
  std::vector<const Consultation*> current() const;
  // The newest versions offered on `channel` (Consultation::channels).
  std::vector<const Consultation*> offered_on(Channel channel) const;
  const Assembly* find_assembly(const std::string& id) const;
  const Vote* find_vote(const std::string& id) const;
};

// A definition that does not follow the format: `where` is a JSON path such as
// "consultations[1].questions[2].type".
class CatalogError : public std::runtime_error {
 public:
  CatalogError(std::string where, const std::string& what)
      : std::runtime_error(where + ": " + what), where_(std::move(where)) {}
  const std::string& where() const { return where_; }

 private:
  std::string where_;
};

// Parses and checks a catalog document. Throws CatalogError naming the first fault.
Catalog parse_catalog(const std::string& json_text);
std::string catalog_to_json(const Catalog& catalog);

}  // namespace allervers::core
