// The office's tables: columns and rows of opinions, ideas, sign-ins and Decidim proposals.
//
// Sections: cells · context · opinions · ideas · sign-ins · Decidim.
#include "export_tables.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "allervers/core/capture.hpp"
#include "allervers/server/capture_filter.hpp"
#include "allervers/server/office/dashboard.hpp"

namespace allervers::server::exports {

using nlohmann::json;

// --- cells -----------------------------------------------------------------------------

LocalTime local_time(std::int64_t utc_ms, std::int32_t offset_minutes) {
  const std::int64_t day = town_day(utc_ms, offset_minutes);
  const auto local_ms = static_cast<std::int64_t>(static_cast<std::uint64_t>(utc_ms) + static_cast<std::uint64_t>(std::int64_t{offset_minutes} * 60'000));
  const std::int64_t ms = local_ms - day * 86'400'000;  // [0, 86,400,000)
  const CivilDate date = civil_date(day);
  return {date.year, date.month, date.day, static_cast<int>(ms / 3'600'000), static_cast<int>(ms / 60'000 % 60),
          static_cast<int>(ms / 1000 % 60)};
}

std::string format_local(const LocalTime& t) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%02u/%02u/%04lld %02d:%02d", t.day, t.month, static_cast<long long>(t.year), t.hour, t.minute);
  return buf;
}

namespace {

std::string string_at(const json& body, const char* key) {
  if (!body.is_object()) return {};
  const auto it = body.find(key);
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const core::Option* find_option(const std::vector<core::Option>& options, const std::string& id) {
  for (const auto& o : options)
    if (o.id == id) return &o;
  return nullptr;
}

// `n` empty cells, keeping the text buffers of the last row (one allocation less a cell a row).
void reset(std::vector<Cell>& cells, std::size_t n) {
  cells.resize(n);
  for (auto& c : cells) {
    c.type = Cell::Type::empty;
    c.text.clear();
  }
}

// The common columns every table starts with, and their cells.
constexpr std::size_t kCommon = 6;

void common_columns(const Context& c, std::vector<Column>& columns, const char* what) {
  if (c.ids) {
    columns.insert(columns.end(), {{"id", 38}, {"captured_at", 17}, {what, 24}, {"channel", 14}, {"device", 38}, {"language", 9}});
  } else {
    const std::string header = std::string(what) == "assembly" ? "Assemblée" : "Consultation";
    columns.insert(columns.end(), {{"Identifiant", 38}, {"Date", 17}, {header, 36}, {"Canal", 18}, {"Appareil", 20}, {"Langue", 8}});
  }
}

void common_cells(const Context& c, const CaptureRow& r, std::string_view about, std::vector<Cell>& cells) {
  cells[0].set_text(r.id);
  cells[1].set_time(local_time(r.corrected_ms, r.captured_offset_min));
  cells[2].set_text(about);
  cells[3].set_text(c.channel(r.channel));
  cells[4].set_text(c.device(r.device));
  cells[5].set_text(r.language);
}

}  // namespace

// --- context ---------------------------------------------------------------------------

void Context::index() {
  titles_.clear();
  for (const auto* c : catalog.current()) titles_[c->id] = c->title.in("fr");
  for (const auto channel : core::kAllChannels) channels_[core::to_string(channel)] = channel_label(core::to_string(channel));
}

std::string_view Context::consultation_title(const std::string& id) const {
  if (ids) return id;
  const auto it = titles_.find(id);
  return it == titles_.end() ? std::string_view(id) : std::string_view(it->second);
}

std::string_view Context::channel(const std::string& name) const {
  if (ids) return name;
  const auto it = channels_.find(name);
  return it == channels_.end() ? std::string_view(name) : std::string_view(it->second);
}

std::string_view Context::device(const std::string& id) const {
  if (ids) return id;
  const auto it = device_names.find(id);
  return it == device_names.end() ? std::string_view(id) : std::string_view(it->second);
}

std::string_view Context::neighbourhood(const std::string& id) const {
  if (ids || id.empty()) return id;
  const core::Option* o = catalog.town.find_neighbourhood(id);
  return o ? std::string_view(o->label.in("fr")) : std::string_view(id);
}

std::string_view Context::age_bracket(const std::string& id) const {
  if (ids || id.empty()) return id;
  const core::Option* o = catalog.town.find_age_bracket(id);
  return o ? std::string_view(o->label.in("fr")) : std::string_view(id);
}

std::string_view Context::yes_no(bool value) const {
  if (ids) return value ? "true" : "false";
  return value ? "Oui" : "Non";
}

// --- opinions --------------------------------------------------------------------------

namespace {

class OpinionsTable final : public Table {
 public:
  OpinionsTable(const Context& context, const std::vector<std::string>& consultations) : c_(context) {
    common_columns(c_, columns_, "consultation");
    std::set<std::string> headers;
    for (const auto& id : consultations) {
      // Every version, newest first: its questions in order, then what older ones asked besides.
      std::vector<const core::Consultation*> versions;
      for (const auto& v : c_.catalog.consultations)
        if (v.id == id) versions.push_back(&v);
      std::sort(versions.begin(), versions.end(), [](auto* a, auto* b) { return a->version > b->version; });
      auto& slots = by_consultation_[id];
      for (const auto* v : versions) {
        auto& questions = slots.versions[v->version];
        questions.consultation = v;
        for (const auto& q : v->questions) {
          auto [it, added] = slots.columns.emplace(q.id, columns_.size());
          if (added) columns_.push_back({unique_header(c_.ids ? q.id : q.label.in("fr"), q.id, id, headers), width_of(q)});
          questions.questions.emplace(q.id, std::make_pair(&q, it->second));
        }
      }
    }
  }

  void row(const CaptureRow& r, const json& answers, std::vector<Cell>& cells) const override {
    reset(cells, columns_.size());
    common_cells(c_, r, c_.consultation_title(r.consultation), cells);
    if (!answers.is_object()) return;
    const auto slots = by_consultation_.find(r.consultation);
    if (slots == by_consultation_.end()) return;
    const auto version = slots->second.versions.find(r.version);
    if (version == slots->second.versions.end()) return;
    for (const auto& [qid, value] : answers.items()) {
      const auto q = version->second.questions.find(qid);
      if (q == version->second.questions.end() || value.is_null()) continue;
      answer_cell(*q->second.first, value, cells[q->second.second]);
    }
  }

 private:
  struct Version {
    const core::Consultation* consultation = nullptr;
    std::unordered_map<std::string, std::pair<const core::Question*, std::size_t>> questions;  // id → (question, column)
  };
  struct Slots {
    std::unordered_map<std::string, std::size_t> columns;  // question id → column
    std::map<std::int32_t, Version> versions;
  };

  static double width_of(const core::Question& q) {
    switch (q.type) {
      case core::QuestionType::short_text: return 40;
      case core::QuestionType::multiple_choice: return 36;
      case core::QuestionType::scale_1_5:
      case core::QuestionType::smiley:
      case core::QuestionType::yes_no: return 12;
      default: return 22;
    }
  }

  // A label already heading a column gets the question's id, then the consultation's, after it.
  static std::string unique_header(std::string header, const std::string& qid, const std::string& consultation,
                                   std::set<std::string>& used) {
    if (used.insert(header).second) return header;
    std::string with_id = header + " (" + qid + ")";
    if (used.insert(with_id).second) return with_id;
    with_id = header + " (" + consultation + "/" + qid + ")";
    used.insert(with_id);
    return with_id;
  }

  std::string option_label(const core::Question& q, const std::string& id) const {
    if (c_.ids) return id;
    const core::Option* o = find_option(q.options, id);
    return o ? o->label.in("fr") : id;
  }

  void answer_cell(const core::Question& q, const json& value, Cell& cell) const {
    using core::QuestionType;
    switch (q.type) {
      case QuestionType::multiple_choice: {
        if (!value.is_array()) break;
        std::string joined;
        for (const auto& v : value) {
          if (!v.is_string()) continue;
          if (!joined.empty()) joined += c_.ids ? "," : " | ";
          joined += option_label(q, v.get<std::string>());
        }
        cell.set_text(std::move(joined));
        return;
      }
      case QuestionType::scale_1_5:
      case QuestionType::smiley:
        if (value.is_number_integer()) {
          cell.set_number(value.get<std::int64_t>());
          return;
        }
        break;
      case QuestionType::yes_no:
        if (value.is_boolean()) {
          cell.set_text(c_.yes_no(value.get<bool>()));
          return;
        }
        break;
      case QuestionType::short_text:
        if (value.is_string()) {
          cell.set_text(value.get<std::string>());
          return;
        }
        break;
      case QuestionType::single_choice:
      case QuestionType::neighbourhood:
      case QuestionType::age_bracket:
        if (value.is_string()) {
          cell.set_text(option_label(q, value.get<std::string>()));
          return;
        }
        break;
    }
    cell.set_text(value.dump());  // not of its question's type: shown as stored
  }

  const Context& c_;
  std::unordered_map<std::string, Slots> by_consultation_;
};

// --- ideas -----------------------------------------------------------------------------

// What the office may see of an idea's sealed contact: "" when there is none.
std::string contact_text(const Context& c, const json& idea, bool& sealed) {
  sealed = false;
  if (!idea.is_object()) return {};
  const auto it = idea.find("contact");
  if (it == idea.end() || !it->is_object()) return {};
  const std::string box = string_at(*it, "sealed");
  if (box.empty()) return {};
  sealed = true;
  if (!c.office) return c.ids ? "sealed" : "scellé";
  const auto opened = c.office->open(box);
  return opened ? *opened : (c.ids ? "unreadable" : "illisible");
}

class IdeasTable final : public Table {
 public:
  explicit IdeasTable(const Context& context) : c_(context) {
    common_columns(c_, columns_, "consultation");
    if (c_.ids)
      columns_.insert(columns_.end(), {{"title", 40}, {"description", 60}, {"theme", 16}, {"neighbourhood", 16}, {"place", 24},
                                       {"estimated_cost_eur", 12}});
    else
      columns_.insert(columns_.end(), {{"Titre", 40}, {"Description", 60}, {"Thème", 20}, {"Quartier", 20}, {"Lieu", 24},
                                       {"Coût estimé (€)", 14}});
    // Personal data only when it may leave: the contact, sealed or opened.
    if (c_.personal_data) columns_.push_back({c_.ids ? "contact" : (c_.office ? "Contact (ouvert)" : "Contact"), 30});
  }

  void row(const CaptureRow& r, const json& idea, std::vector<Cell>& cells) const override {
    reset(cells, columns_.size());
    common_cells(c_, r, c_.consultation_title(r.consultation), cells);
    cells[kCommon + 0].set_text(string_at(idea, "title"));
    cells[kCommon + 1].set_text(string_at(idea, "description"));
    const std::string theme = string_at(idea, "theme");
    const core::Consultation* consultation = c_.catalog.find(r.consultation, r.version);
    const core::Option* known = consultation && !c_.ids ? consultation->ideas.find_theme(theme) : nullptr;
    cells[kCommon + 2].set_text(known ? known->label.in("fr") : theme);
    cells[kCommon + 3].set_text(c_.neighbourhood(string_at(idea, "neighbourhood")));
    cells[kCommon + 4].set_text(string_at(idea, "place"));
    if (idea.is_object() && idea.contains("estimated_cost_eur") && idea["estimated_cost_eur"].is_number_integer())
      cells[kCommon + 5].set_number(idea["estimated_cost_eur"].get<std::int64_t>());
    if (c_.personal_data) {
      bool sealed = false;
      cells[kCommon + 6].set_text(contact_text(c_, idea, sealed));
    }
  }

 private:
  const Context& c_;
};

// --- sign-ins --------------------------------------------------------------------------

class SigninsTable final : public Table {
 public:
  explicit SigninsTable(const Context& context) : c_(context) {
    common_columns(c_, columns_, "assembly");
    if (c_.ids)
      columns_.insert(columns_.end(), {{"pass", 14}, {"neighbourhood", 16}, {"age_bracket", 12}, {"invite_consent", 10}});
    else
      columns_.insert(columns_.end(), {{"Pass", 14}, {"Quartier", 20}, {"Tranche d’âge", 16}, {"Accepte d’être invité·e", 12}});
  }

  void row(const CaptureRow& r, const json& signin, std::vector<Cell>& cells) const override {
    reset(cells, columns_.size());
    const std::string assembly = string_at(signin, "assembly");
    const core::Assembly* known = c_.ids ? nullptr : c_.catalog.find_assembly(assembly);
    common_cells(c_, r, known ? std::string_view(known->name.in("fr")) : std::string_view(assembly), cells);
    cells[kCommon + 0].set_text(string_at(signin, "pass"));
    cells[kCommon + 1].set_text(c_.neighbourhood(string_at(signin, "neighbourhood")));
    cells[kCommon + 2].set_text(c_.age_bracket(string_at(signin, "age_bracket")));
    const bool consent = signin.is_object() && signin.value("invite_consent", false);
    cells[kCommon + 3].set_text(c_.yes_no(consent));
  }

 private:
  const Context& c_;
};

// --- Decidim ---------------------------------------------------------------------------

class DecidimTable final : public Table {
 public:
  DecidimTable(const Context& context, const std::map<std::string, std::string>& scopes,
               const std::map<std::string, std::string>& categories)
      : c_(context), scopes_(scopes), categories_(categories) {
    // The columns Decidim's proposals import reads (decidim-proposals, Import::ProposalCreator
    // and ProposalsVerifier: title/<default locale> and body/<default locale> are required).
    columns_ = {{"title/fr", 40}, {"body/fr", 60}, {"scope/id", 8}, {"category/id", 8}, {"taxonomies/ids", 8},
                {"address", 24}, {"latitude", 10}, {"longitude", 10}};
  }

  void row(const CaptureRow& r, const json& idea, std::vector<Cell>& cells) const override {
    reset(cells, columns_.size());
    cells[0].set_text(string_at(idea, "title"));
    // The description, then what Decidim has no column for, in French (it shows the body as text).
    std::string body = string_at(idea, "description");
    const std::string theme = string_at(idea, "theme");
    const std::string quartier = string_at(idea, "neighbourhood");
    const core::Consultation* consultation = c_.catalog.find(r.consultation, r.version);
    const core::Option* known = consultation ? consultation->ideas.find_theme(theme) : nullptr;
    std::string about = "Quartier : " + std::string(c_.neighbourhood(quartier)) + " · Thème : " + (known ? known->label.in("fr") : theme);
    if (idea.is_object() && idea.contains("estimated_cost_eur") && idea["estimated_cost_eur"].is_number_integer())
      about += " · Coût estimé : " + std::to_string(idea["estimated_cost_eur"].get<std::int64_t>()) + " €";
    about += " · Proposée le " + format_local(local_time(r.corrected_ms, r.captured_offset_min)).substr(0, 10) + " (" +
             std::string(c_.channel(r.channel)) + ") · Réf. Aller-vers " + r.id;
    cells[1].set_text(body + "\n\n" + about);
    if (const auto s = scopes_.find(quartier); s != scopes_.end()) cells[2].set_text(s->second);
    if (const auto k = categories_.find(theme); k != categories_.end()) {
      cells[3].set_text(k->second);
      cells[4].set_text(k->second);
    }
    cells[5].set_text(string_at(idea, "place"));
  }

 private:
  const Context& c_;
  std::map<std::string, std::string> scopes_, categories_;
};

}  // namespace

std::unique_ptr<Table> opinions_table(const Context& context, const std::vector<std::string>& consultations) {
  return std::make_unique<OpinionsTable>(context, consultations);
}
std::unique_ptr<Table> ideas_table(const Context& context) { return std::make_unique<IdeasTable>(context); }
std::unique_ptr<Table> signins_table(const Context& context) { return std::make_unique<SigninsTable>(context); }
std::unique_ptr<Table> decidim_table(const Context& context, const std::map<std::string, std::string>& scopes,
                                     const std::map<std::string, std::string>& categories) {
  return std::make_unique<DecidimTable>(context, scopes, categories);
}

}  // namespace allervers::server::exports
