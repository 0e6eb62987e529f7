#pragma once
// What the office counts of one capture, derived once when it is stored: its town day, the
// quartier and age bracket it speaks for, its answers as (question, value) pairs and its free
// texts; and the tallies that sum them (schema step 3). For the store's own use: ingest and
// the upgrade of rows stored before step 3.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "allervers/core/consultation.hpp"
#include "allervers/server/sql.hpp"
#include "allervers/server/store/captures.hpp"

namespace allervers::server {

struct CaptureFacts {
  std::int64_t day = 0;
  std::string neighbourhood, age_bracket;  // "" when the capture does not say
  // One pair per answered question with value "" (how many answered it), and one per value:
  // an option id (each option of a multiple choice), "1" … "5", "true"/"false".
  std::vector<std::pair<std::string, std::string>> answers;
  std::vector<std::pair<std::string, std::string>> texts;  // (question, text) of short-text answers
};

// From a capture as stored, with its consultation's questions from `catalog` (every version
// ever published). Without them (no catalog, an unknown version) what the body alone says:
// strings are then counted as values, never as texts.
CaptureFacts derive_facts(const CaptureRow& row, const core::Catalog* catalog);
// The same from the capture as parsed at ingest (IngestBatch::parsed): its body is not read again.
CaptureFacts derive_facts(const CaptureRow& row, const core::Capture& parsed, const core::Catalog* catalog);

// Every version of every consultation ever published, re-read when a catalog is published.
class CatalogCache {
 public:
  const core::Catalog* get(sql::Driver& db);  // nullptr before the first publication

 private:
  std::int64_t id_ = -1;
  std::optional<core::Catalog> catalog_;
};

// The tallies of several captures, summed in memory and added in one go. It keeps views into
// the rows and facts it is given: they must outlive write() and not move before it.
class TallyBatch {
 public:
  void add(const CaptureRow& row, const CaptureFacts& facts);
  // Inside a transaction: the free texts, and the counts — added to the tallies, or, for fewer
  // than kTalliesWaitBelow captures, kept summed in one row of tally_pending.
  void write(sql::Driver& db);
  bool empty() const { return captures_.empty() && answers_.empty() && texts_.empty(); }

 private:
  using Text = std::string_view;
  using CaptureKey = std::tuple<std::int64_t, Text, Text, Text, Text, Text, Text>;
  using AnswerKey = std::tuple<Text, Text, Text, std::int64_t, Text, Text>;
  struct KeyHash {
    template <class Tuple>
    std::size_t operator()(const Tuple& key) const {
      std::size_t h = 0;
      std::apply([&](const auto&... part) { ((h = h * 1000003u ^ std::hash<std::decay_t<decltype(part)>>{}(part)), ...); }, key);
      return h;
    }
  };
  // Hashed, not ordered: a batch adds thousands of answers; PostgreSQL writes them in key order
  // (Driver::add_counts), SQLite has one writer at a time.
  std::unordered_map<CaptureKey, std::int64_t, KeyHash> captures_;
  std::unordered_map<AnswerKey, std::int64_t, KeyHash> answers_;
  struct TextAnswer {
    const CaptureRow* row;
    const CaptureFacts* facts;
    Text question, text;
    std::string folded;
  };
  std::vector<TextAnswer> texts_;
  std::int64_t added_ = 0;  // captures
};

// Adds every count waiting in tally_pending to the tallies and removes it, in the caller's
// transaction when it has one, else in its own (none when nothing waits). Each waiting row is
// added once, whoever folds at the same time: a row counts only where its DELETE removed it.
// A row that cannot be read (a damaged file) is put back as it was, named on stderr, and
// skipped. Returns the rows added.
std::int64_t fold_waiting_tallies(sql::Driver& db);

}  // namespace allervers::server
