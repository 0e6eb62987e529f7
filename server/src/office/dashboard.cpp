// The dashboard's numbers: counts by dimension, results per question, free-text answers.
//
// Sections: labels · counts · questions · free texts · JSON.
#include "allervers/server/office/dashboard.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "allervers/core/capture_kinds.hpp"

namespace allervers::server {

using nlohmann::json;

// --- labels ----------------------------------------------------------------------------

std::string channel_label(const std::string& channel) {
  static const std::map<std::string, std::string, std::less<>> kFrench = {
      {"door_to_door", "Porte-à-porte"}, {"market", "Marché"}, {"kiosk", "Borne"},
      {"assembly", "Assemblée de quartier"}, {"school", "École"}, {"other", "Autre"},
      {"web", "Site public"}};
  const auto it = kFrench.find(channel);
  return it == kFrench.end() ? channel : it->second;
}

std::string kind_label(const std::string& kind) {
  if (kind == "opinion") return "Avis";
  if (kind == "idea") return "Idées";
  if (kind == "signin") return "Émargements";
  return kind;
}

namespace {

constexpr const char* kNotSaid = "Non renseigné";

std::string day_label(const std::string& day) {  // "2026-11-21" → "21/11/2026"
  return day.size() == 10 ? day.substr(8, 2) + "/" + day.substr(5, 2) + "/" + day.substr(0, 4) : day;
}

std::string option_label(const std::vector<core::Option>& options, const std::string& id) {
  if (id.empty()) return kNotSaid;
  for (const auto& o : options)
    if (o.id == id) return o.label.in("fr");
  return id;
}

// Options in the town's (or question's) order first, then keys it does not list (unknown ids,
// "" not said) by count.
std::vector<Count> in_option_order(const std::vector<core::Option>& options, const std::vector<TallyCount>& counts) {
  std::map<std::string, std::int64_t> by_key;
  for (const auto& c : counts) by_key[c.key] += c.n;
  std::vector<Count> out;
  for (const auto& o : options) {
    const auto it = by_key.find(o.id);
    out.push_back({o.id, o.label.in("fr"), it == by_key.end() ? 0 : it->second});
    if (it != by_key.end()) by_key.erase(it);
  }
  std::vector<Count> rest;
  for (const auto& [key, n] : by_key) rest.push_back({key, option_label(options, key), n});
  std::stable_sort(rest.begin(), rest.end(), [](const Count& a, const Count& b) { return a.n > b.n; });
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

void largest_first(std::vector<Count>& counts) {
  std::stable_sort(counts.begin(), counts.end(), [](const Count& a, const Count& b) { return a.n > b.n; });
}

}  // namespace

// --- counts ----------------------------------------------------------------------------

namespace {

// Counts of one dimension, as the store gives them, labelled and ordered for the dashboard.
std::vector<Count> labelled(ReportStore& store, const core::Catalog& catalog, const CaptureFilter& filter, Dimension by,
                            const std::vector<TallyCount>& counts) {
  std::vector<Count> out;
  switch (by) {
    case Dimension::neighbourhood: return in_option_order(catalog.town.neighbourhoods, counts);
    case Dimension::age_bracket: return in_option_order(catalog.town.age_brackets, counts);
    case Dimension::day: {
      // A time line: every day between the first and the last, zeros included.
      std::map<std::int64_t, std::int64_t> by_day;
      for (const auto& c : counts)
        if (const auto d = day_from_text(c.key)) by_day[*d] += c.n;
      if (by_day.empty()) return out;
      std::int64_t first = filter.from_day.value_or(by_day.begin()->first);
      std::int64_t last = filter.to_day.value_or(by_day.rbegin()->first);
      first = std::max(first, by_day.begin()->first);
      last = std::min(last, by_day.rbegin()->first);
      if (last - first > 20 * 366) first = last - 20 * 366;  // a clock gone wild must not draw a million days
      for (std::int64_t d = first; d <= last; ++d) {
        const auto it = by_day.find(d);
        const std::string key = day_text(d);
        out.push_back({key, day_label(key), it == by_day.end() ? 0 : it->second});
      }
      return out;
    }
    case Dimension::consultation:
      for (const auto& c : counts) {
        const core::Consultation* known = catalog.latest(c.key);
        out.push_back({c.key, c.key.empty() ? "Hors consultation" : known ? known->title.in("fr") : c.key, c.n});
      }
      break;
    case Dimension::kind:
      for (const auto& c : counts) out.push_back({c.key, kind_label(c.key), c.n});
      break;
    case Dimension::channel:
      for (const auto& c : counts) out.push_back({c.key, channel_label(c.key), c.n});
      break;
    case Dimension::device: {
      const auto names = store.device_names();
      for (const auto& c : counts) {
        const auto it = names.find(c.key);
        out.push_back({c.key, it == names.end() ? c.key : it->second, c.n});
      }
      break;
    }
  }
  largest_first(out);
  return out;
}

// Counts by two dimensions summed over the second (`first`) or the first: by key.
std::vector<TallyCount> summed(const std::vector<TallyCount>& pairs, bool first) {
  std::map<std::string, std::int64_t> sums;
  for (const auto& c : pairs) sums[first ? c.key : c.key2] += c.n;
  std::vector<TallyCount> out;
  for (auto& [key, n] : sums) out.push_back({key, {}, n});
  return out;
}

}  // namespace

std::vector<Count> count_by(ReportStore& store, const core::Catalog& catalog, const CaptureFilter& filter, Dimension by) {
  return labelled(store, catalog, filter, by, store.count_captures(filter, by));
}

CaptureCounts capture_counts(ReportStore& store, const core::Catalog& catalog, const CaptureFilter& filter) {
  // Four sets rather than seven reads: consultation × kind gives the total and both of them,
  // channel × day both of them. Every read of an unfiltered town-sized tally passes over all
  // of it, so their number is the page's time (docs/benchmarks.md, the office's data).
  CaptureCounts out;
  const auto sets = store.count_capture_sets(filter);
  for (const auto& c : sets.consultation_kind) out.total += c.n;
  out.by_consultation = labelled(store, catalog, filter, Dimension::consultation, summed(sets.consultation_kind, true));
  out.by_kind = labelled(store, catalog, filter, Dimension::kind, summed(sets.consultation_kind, false));
  out.by_neighbourhood = labelled(store, catalog, filter, Dimension::neighbourhood, sets.neighbourhood);
  out.by_day = labelled(store, catalog, filter, Dimension::day, summed(sets.channel_day, false));
  out.by_channel = labelled(store, catalog, filter, Dimension::channel, summed(sets.channel_day, true));
  out.by_device = labelled(store, catalog, filter, Dimension::device, sets.device);
  return out;
}

// --- questions -------------------------------------------------------------------------

ConsultationResults question_results(ReportStore& store, const core::Catalog& catalog, const CaptureFilter& filter) {
  if (filter.consultation.empty()) throw std::invalid_argument("results per question need a consultation");
  ConsultationResults out;
  out.consultation = filter.consultation;
  const core::Consultation* latest = catalog.latest(filter.consultation);
  out.title = latest ? latest->title.in("fr") : filter.consultation;
  CaptureFilter opinions = filter;
  if (!opinions.kind.empty() && opinions.kind != "opinion") return out;
  opinions.kind = "opinion";
  out.opinions = store.count_captures(opinions);

  // The questions: the newest version's in order, then what older versions asked besides.
  std::vector<const core::Consultation*> versions;
  for (const auto& c : catalog.consultations)
    if (c.id == filter.consultation) versions.push_back(&c);
  std::sort(versions.begin(), versions.end(), [](auto* a, auto* b) { return a->version > b->version; });
  std::vector<const core::Question*> questions;
  for (const auto* v : versions)
    for (const auto& q : v->questions)
      if (std::none_of(questions.begin(), questions.end(), [&](auto* held) { return held->id == q.id; })) questions.push_back(&q);

  std::map<std::string, std::vector<TallyCount>> values;  // by question
  std::map<std::string, std::int64_t> answered;
  for (const auto& a : store.count_answers(filter)) {
    if (a.value.empty()) answered[a.question] += a.n;
    else values[a.question].push_back({a.value, {}, a.n});
  }
  for (const auto* q : questions) {
    QuestionResult r;
    r.id = q->id;
    r.label = q->label.in("fr");
    r.type = q->type;
    r.answered = answered[q->id];
    const auto& counts = values[q->id];
    using core::QuestionType;
    switch (q->type) {
      case QuestionType::short_text: r.texts = r.answered; break;
      case QuestionType::scale_1_5:
      case QuestionType::smiley: {
        std::vector<core::Option> scale;
        for (int v = 1; v <= 5; ++v) scale.push_back({std::to_string(v), core::LocalizedText(std::to_string(v))});
        r.choices = in_option_order(scale, counts);
        std::int64_t sum = 0, n = 0;
        for (const auto& c : r.choices)
          if (c.key.size() == 1 && c.key[0] >= '1' && c.key[0] <= '5') {
            sum += (c.key[0] - '0') * c.n;
            n += c.n;
          }
        if (n > 0) r.mean = static_cast<double>(sum) / static_cast<double>(n);
        break;
      }
      case QuestionType::yes_no:
        r.choices = in_option_order({{"true", core::LocalizedText("Oui")}, {"false", core::LocalizedText("Non")}}, counts);
        break;
      default: r.choices = in_option_order(q->options, counts); break;
    }
    out.questions.push_back(std::move(r));
  }
  return out;
}

// --- free texts ------------------------------------------------------------------------

TextAnswersPage text_answers_page(ReportStore& store, const core::Catalog& catalog, const CaptureFilter& filter,
                                  const std::string& question, const std::string& search, std::int64_t page,
                                  std::int64_t page_size) {
  TextAnswersPage out;
  out.question = question;
  out.search = search;
  out.page_size = std::clamp<std::int64_t>(page_size, 1, 500);
  out.page = std::max<std::int64_t>(page, 1);
  const TextQuery query{question, search, out.page_size, (out.page - 1) * out.page_size};
  out.total = store.count_text_answers(filter, query);
  out.pages = (out.total + out.page_size - 1) / out.page_size;
  for (auto& t : store.text_answers(filter, query))
    out.answers.push_back({t.capture, day_text(t.day), channel_label(t.channel),
                           t.neighbourhood.empty() ? std::string() : option_label(catalog.town.neighbourhoods, t.neighbourhood),
                           std::move(t.text)});
  return out;
}

// --- JSON ------------------------------------------------------------------------------

namespace {

json counts_json(const std::vector<Count>& counts) {
  json out = json::array();
  for (const auto& c : counts) out.push_back({{"key", c.key}, {"label", c.label}, {"n", c.n}});
  return out;
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace

std::string to_json(const CaptureCounts& c) {
  return dump({{"total", c.total},
               {"by_consultation", counts_json(c.by_consultation)},
               {"by_kind", counts_json(c.by_kind)},
               {"by_neighbourhood", counts_json(c.by_neighbourhood)},
               {"by_day", counts_json(c.by_day)},
               {"by_channel", counts_json(c.by_channel)},
               {"by_device", counts_json(c.by_device)}});
}

std::string to_json(const ConsultationResults& r) {
  json questions = json::array();
  for (const auto& q : r.questions) {
    json j{{"id", q.id}, {"label", q.label}, {"type", core::to_string(q.type)}, {"answered", q.answered}};
    if (!q.choices.empty()) j["choices"] = counts_json(q.choices);
    if (q.mean) j["mean"] = *q.mean;
    if (q.type == core::QuestionType::short_text) j["texts"] = q.texts;
    questions.push_back(std::move(j));
  }
  return dump({{"consultation", r.consultation}, {"title", r.title}, {"opinions", r.opinions}, {"questions", std::move(questions)}});
}

std::string to_json(const TextAnswersPage& p) {
  json answers = json::array();
  for (const auto& a : p.answers)
    answers.push_back({{"capture", a.capture}, {"day", a.day}, {"channel", a.channel}, {"neighbourhood", a.neighbourhood}, {"text", a.text}});
  return dump({{"question", p.question},
               {"search", p.search},
               {"total", p.total},
               {"page", p.page},
               {"page_size", p.page_size},
               {"pages", p.pages},
               {"answers", std::move(answers)}});
}

}  // namespace allervers::server
