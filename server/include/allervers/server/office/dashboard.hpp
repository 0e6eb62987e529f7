#pragma once
// The office's dashboard as plain values and JSON, no HTML (the console draws them): captures
// per consultation, kind, quartier, day, channel and device; per question, counts of choices,
// distributions of scales and free-text answers a page at a time with a search; all under the
// office's filter (capture_filter.hpp), read from the tallies kept at ingest (store/reports.hpp).
// Labels are French (the catalog's, the town's); keys are ids.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "allervers/core/consultation.hpp"
#include "allervers/server/capture_filter.hpp"
#include "allervers/server/store/reports.hpp"

namespace allervers::server {

class ServerStore;

struct Count {
  std::string key;    // an id, a channel or kind name, a day "2026-11-21"; "" not said
  std::string label;  // in French: a consultation's title, a device's name (the agent's), "21/11/2026"…
  std::int64_t n = 0;
  friend bool operator==(const Count&, const Count&) = default;
};

// Captures by one dimension under the filter. Days come as a time line: every day from the
// first to the last (or the filter's), zeros included; quartiers and age brackets in the
// town's order, then those not said; others by count, largest first.
std::vector<Count> count_by(ReportStore& store, const core::Catalog& catalog, const CaptureFilter& filter, Dimension by);

struct CaptureCounts {
  std::int64_t total = 0;
  std::vector<Count> by_consultation, by_kind, by_neighbourhood, by_day, by_channel, by_device;
};
CaptureCounts capture_counts(ReportStore& store, const core::Catalog& catalog, const CaptureFilter& filter);

struct QuestionResult {
  std::string id, label;
  core::QuestionType type = core::QuestionType::single_choice;
  std::int64_t answered = 0;       // opinions that answered it
  std::vector<Count> choices;      // every option in the question's order, zeros included (yes/no: "true", "false")
  std::optional<double> mean;      // scales and smileys: the mean of 1 … 5 (choices then hold "1" … "5")
  std::int64_t texts = 0;          // short texts: how many (read them with text_answers_page)
};

struct ConsultationResults {
  std::string consultation, title;
  std::int64_t opinions = 0;  // opinions under the filter
  std::vector<QuestionResult> questions;  // the newest version's, then older versions' others
};
// The filter must name a consultation (std::invalid_argument otherwise).
ConsultationResults question_results(ReportStore& store, const core::Catalog& catalog, const CaptureFilter& filter);

struct TextAnswerItem {
  std::string capture, day, channel, neighbourhood, text;  // day "2026-11-21"; channel and quartier labelled
};
struct TextAnswersPage {
  std::string question, search;
  std::int64_t total = 0, page = 1, page_size = 50, pages = 0;
  std::vector<TextAnswerItem> answers;
};
// Page `page` (from 1) of the short-text answers to `question`, newest first, matching every
// word of `search` without regard to case or accents.
TextAnswersPage text_answers_page(ReportStore& store, const core::Catalog& catalog, const CaptureFilter& filter,
                                  const std::string& question, const std::string& search, std::int64_t page,
                                  std::int64_t page_size = 50);

std::string to_json(const CaptureCounts& counts);
std::string to_json(const ConsultationResults& results);
std::string to_json(const TextAnswersPage& page);

// French names of channels and kinds (the console's own translations may override them).
std::string channel_label(const std::string& channel);
std::string kind_label(const std::string& kind);

}  // namespace allervers::server
