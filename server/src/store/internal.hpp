#pragma once
// What two areas of the store share, for their own use only.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "allervers/server/sql.hpp"
#include "allervers/server/store/captures.hpp"
#include "allervers/server/store/keys.hpp"

namespace allervers::server {

// Inside a transaction: a certificates row, its serial (from 1), then the text `sign` makes for
// that serial. Enrolment certifies a device in the same transaction as it enrols it.
CertificateRow insert_certificate(sql::Driver& db, const std::string& device, const std::function<std::string(std::uint32_t)>& sign,
                                  std::int64_t now_ms);

// A SELECT of every column a CaptureRow is read from (append WHERE / ORDER BY), and the reading.
extern const char* const kCaptureSelect;
void read_capture(const sql::Row& row, CaptureRow& r);

// Inside the ingest's transaction: a review row ("reçue", with its receipt code) for each idea
// among the captures just inserted (store/ideas.cpp), from the idea as parsed when the caller has
// it (ingest), else from the stored body.
struct NewIdea {
  const CaptureRow* row;
  const core::Idea* parsed;  // nullptr: read the body
};
// `held`: sql::Held::rarely for ideas whose captures this transaction has just inserted (a
// server deriving missing rows at start-up may meet them), maybe otherwise.
void insert_idea_rows(sql::Driver& db, const std::vector<NewIdea>& ideas, sql::Held held);

}  // namespace allervers::server
