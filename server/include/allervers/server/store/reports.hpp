#pragma once
// What the office's dashboard reads, under a CaptureFilter: captures counted by one or two of
// their dimensions, answers counted per question and value, free-text answers a page at a time
// with a search. Reads the tallies kept at ingest (schema step 3), not the captures, except
// where a tally lacks a dimension the filter uses (answers of one device: see count_answers).
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "allervers/server/capture_filter.hpp"
#include "allervers/server/store/area.hpp"

namespace allervers::server {

// The ways captures are counted.
enum class Dimension { day, consultation, kind, channel, device, neighbourhood, age_bracket };
const char* to_string(Dimension dimension);

struct TallyCount {
  std::string key;   // the dimension's value: an id, a channel or kind name, a day "2026-11-21"; "" unknown
  std::string key2;  // the second dimension's, when counted by two
  std::int64_t n = 0;
};

struct AnswerCount {
  std::string question;
  std::string value;  // an option id, "1" … "5", "true"/"false"; "" counts those who answered the question
  std::int64_t n = 0;
};

struct TextAnswer {
  std::string capture, question;
  std::int64_t day = 0;
  std::string channel, device, neighbourhood, text;
};

struct TextQuery {
  std::string question;
  std::string search;  // words as typed: matched without regard to case or accents (core::fold_for_search)
  std::int64_t limit = 50, offset = 0;
};

class ReportStore : public virtual StoreArea {
 public:
  ReportStore();
  ~ReportStore() override;

  std::int64_t count_captures(const CaptureFilter& filter);
  // By one dimension, in its order (days in time order, others by key).
  std::vector<TallyCount> count_captures(const CaptureFilter& filter, Dimension by);
  // By two (the quartier × age bracket table of "who we reach").
  std::vector<TallyCount> count_captures(const CaptureFilter& filter, Dimension by, Dimension then);
  // The dashboard's counts at once: by consultation × kind, channel × day, quartier, device.
  // PostgreSQL reads the tally once (GROUPING SETS); SQLite once per set, each led by an index.
  struct CountSets {
    std::vector<TallyCount> consultation_kind, channel_day, neighbourhood, device;
  };
  CountSets count_capture_sets(const CaptureFilter& filter);
  // The answers to the filter's consultation (which must be set), by question then value.
  // A filter on a device reads that device's captures themselves (the answer tally has no
  // device: it would not shrink, docs/decisions.md).
  std::vector<AnswerCount> count_answers(const CaptureFilter& filter);
  // Free-text answers to one question of the filter's consultation, newest day first.
  std::vector<TextAnswer> text_answers(const CaptureFilter& filter, const TextQuery& query);
  std::int64_t count_text_answers(const CaptureFilter& filter, const TextQuery& query);
  // Device ids to their names.
  std::map<std::string, std::string> device_names();

 private:
  class Facts;
  std::unique_ptr<Facts> facts_;
};

}  // namespace allervers::server
