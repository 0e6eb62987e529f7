// Votes, ballots and the count (votes.hpp). Sections: names · votes · ballots at ingest · the
// count · receipts.
#include "allervers/server/store/votes.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>

#include "allervers/core/consultation.hpp"
#include "../record_value.hpp"

namespace allervers::server {

using nlohmann::json;

// --- names ----------------------------------------------------------------------------------

const char* to_string(VoteStage stage) {
  switch (stage) {
    case VoteStage::draft: return "draft";
    case VoteStage::open: return "open";
    case VoteStage::closed: return "closed";
  }
  return "draft";
}
std::optional<VoteStage> vote_stage_from(const std::string& name) {
  for (auto s : {VoteStage::draft, VoteStage::open, VoteStage::closed})
    if (name == to_string(s)) return s;
  return std::nullopt;
}
const char* to_string(ReceiptState state) {
  switch (state) {
    case ReceiptState::counted: return "counted";
    case ReceiptState::not_counted: return "not_counted";
    case ReceiptState::unknown: return "unknown";
  }
  return "unknown";
}

json receipt_to_json(const ReceiptCheck& check) {
  json j{{"state", to_string(check.state)}};
  if (check.state != ReceiptState::unknown) j["vote"] = check.vote, j["cast_ms"] = check.corrected_ms;
  return j;
}

// --- votes ----------------------------------------------------------------------------------

namespace {

VoteRecord read_vote(const sql::Row& row) {
  VoteRecord r;
  // The town's quartiers were checked when the vote was saved; read it back as it is.
  const json j = json::parse(row.text(0));
  std::vector<std::string> any;
  for (const auto& e : j.value("envelopes", json::array()))
    if (e.contains("neighbourhood")) any.push_back(e["neighbourhood"].get<std::string>());
  for (const auto& p : j.value("projects", json::array()))
    if (p.contains("neighbourhood")) any.push_back(p["neighbourhood"].get<std::string>());
  r.vote = core::parse_vote(j, any);
  r.stage = vote_stage_from(row.text(1)).value_or(VoteStage::draft);
  r.created_ms = row.int64(2);
  r.updated_ms = row.int64(3);
  r.results_published_ms = row.opt_int64(4).value_or(0);
  return r;
}

constexpr const char* kVoteSelect = "SELECT json, stage, created_ms, updated_ms, results_ms FROM votes";

}  // namespace

void VoteStore::save_vote(const core::Vote& vote, std::int64_t now_ms) {
  const auto held = this->vote(vote.id);
  if (held && held->stage != VoteStage::draft)
    throw StoreError("the vote " + vote.id + " is " + to_string(held->stage) + ": its projects and rule can no longer change");
  const std::string text = core::vote_to_json(vote).dump();
  db().exec("INSERT INTO votes(id, json, stage, created_ms, updated_ms) VALUES($1, $2, 'draft', $3, $3) "
            "ON CONFLICT(id) DO UPDATE SET json = excluded.json, updated_ms = excluded.updated_ms",
            {vote.id, text, now_ms});
}

void VoteStore::save_vote_stage(const std::string& id, VoteStage stage, std::int64_t now_ms) {
  if (db().exec("UPDATE votes SET stage = $2, updated_ms = $3 WHERE id = $1", {id, std::string(to_string(stage)), now_ms}) == 0)
    throw StoreError("no vote " + id);
}

void VoteStore::save_vote_results(const std::string& id, const core::VoteResults& results, std::int64_t now_ms) {
  auto held = vote(id);
  if (!held) throw StoreError("no vote " + id);
  held->vote.results = results;
  db().exec("UPDATE votes SET json = $2, results_ms = $3, updated_ms = $3 WHERE id = $1",
            {id, core::vote_to_json(held->vote).dump(), now_ms});
}

std::optional<VoteRecord> VoteStore::vote(const std::string& id) {
  const auto rows = db().query(std::string(kVoteSelect) + " WHERE id = $1", {id});
  if (rows.empty()) return std::nullopt;
  return read_vote(rows[0]);
}

std::vector<VoteRecord> VoteStore::votes() {
  std::vector<VoteRecord> out;
  for (const auto row : db().query(std::string(kVoteSelect) + " ORDER BY created_ms DESC, id")) out.push_back(read_vote(row));
  return out;
}

// --- ballots at ingest ------------------------------------------------------------------------

void record_ballots(sql::Driver& db, const std::vector<CaptureRow>& captures, const std::vector<std::size_t>& inserted) {
  static constexpr std::string_view kColumns[] = {"capture", "vote", "voter", "receipt", "device", "channel",
                                                  "paper",   "corrected_ms", "projects"};
  std::vector<sql::Param> values;
  std::deque<std::string> held;  // parameters are views: the texts they point to live here
  const auto keep = [&](std::string text) -> const std::string& { return held.emplace_back(std::move(text)); };
  for (std::size_t i : inserted) {
    const CaptureRow& c = captures[i];
    if (c.kind != "ballot") continue;
    // Validated before it got here (core::validate): the shape is known good.
    const json b = json::parse(record_value(c.body, "ballot"), nullptr, false);
    if (!b.is_object()) continue;
    std::string projects;
    for (const auto& p : b.value("projects", json::array())) projects += (projects.empty() ? "" : ",") + p.get<std::string>();
    values.insert(values.end(), {c.id, keep(b.value("vote", "")), keep(b.value("voter", "")), keep(b.value("receipt", "")), c.device,
                                 c.channel, std::int64_t{b.value("paper", false) ? 1 : 0}, c.corrected_ms, keep(std::move(projects))});
  }
  if (!values.empty()) db.insert_new({"ballots", kColumns, {}, sql::Held::rarely}, values);  // keyed by their new captures
}

std::int64_t VoteStore::ballot_count(const std::string& vote) {
  return db().query("SELECT COUNT(*) FROM ballots WHERE vote = $1", {vote}).one().int64(0);
}

// --- the count ----------------------------------------------------------------------------------

VoteCount VoteStore::count_vote(const core::Vote& vote) {
  VoteCount out;
  core::Tally tally(vote);
  std::map<std::string, std::int64_t> channels;
  std::map<std::string, std::pair<std::string, std::int64_t>> devices;
  std::string voter, kept_capture, kept_device, kept_name;
  std::int64_t kept_ms = 0;
  std::vector<std::string> basket;
  // Ordered by voter, then the rule's order: the first row of each voter is the one counted.
  db().for_each(
      "SELECT b.voter, b.capture, b.device, b.channel, b.corrected_ms, b.projects, b.paper, b.receipt, COALESCE(d.name, '') "
      "FROM ballots b LEFT JOIN devices d ON CAST(d.id AS TEXT) = b.device WHERE b.vote = $1 "
      "ORDER BY b.voter, b.corrected_ms, b.capture",
      {vote.id}, [&](const sql::Row& row) {
        std::string this_voter = row.text(0);
        if (this_voter == voter) {
          tally.add_duplicate();
          out.flagged.push_back({row.text(1), row.text(2), row.text(8), row.text(3), row.text(7), row.int64(4), kept_capture,
                                 kept_device, kept_name, kept_ms});
          return;
        }
        voter = std::move(this_voter);
        kept_capture = row.text(1), kept_device = row.text(2), kept_name = row.text(8), kept_ms = row.int64(4);
        basket.clear();
        const std::string projects = row.text(5);
        for (std::size_t start = 0; start < projects.size();) {
          std::size_t comma = projects.find(',', start);
          if (comma == std::string::npos) comma = projects.size();
          basket.emplace_back(projects, start, comma - start);
          start = comma + 1;
        }
        tally.add(basket);
        ++channels[row.text(3)];
        auto& d = devices[kept_device];
        d.first = kept_name;
        ++d.second;
        if (row.int64(6)) ++out.paper;
      });
  out.results = tally.results();
  std::sort(out.flagged.begin(), out.flagged.end(),
            [](const FlaggedBallot& a, const FlaggedBallot& b) { return a.corrected_ms < b.corrected_ms; });
  for (const auto& [channel, n] : channels) out.by_channel.push_back({channel, channel, n});
  for (const auto& [device, v] : devices) out.by_device.push_back({device, v.first.empty() ? device : v.first, v.second});
  return out;
}

// --- receipts ---------------------------------------------------------------------------------

ReceiptCheck VoteStore::find_receipt(const std::string& code) {
  ReceiptCheck out;
  const std::string receipt = core::normal_receipt(code);
  if (receipt.empty()) return out;
  const auto rows = db().query(
      "SELECT b.vote, b.corrected_ms, CASE WHEN (SELECT f.capture FROM ballots f WHERE f.vote = b.vote AND f.voter = b.voter "
      "ORDER BY f.corrected_ms, f.capture LIMIT 1) = b.capture THEN 1 ELSE 0 END FROM ballots b WHERE b.receipt = $1 "
      "ORDER BY b.corrected_ms, b.capture LIMIT 1",
      {receipt});
  if (rows.empty()) return out;
  out.vote = rows[0].text(0);
  out.corrected_ms = rows[0].int64(1);
  out.state = rows[0].int64(2) ? ReceiptState::counted : ReceiptState::not_counted;
  return out;
}

ReceiptOutcomes VoteStore::receipt_outcomes(const std::string& vote) {
  ReceiptOutcomes out;
  std::string voter;
  // The count's order (count_vote): the first row of each voter is the ballot counted.
  db().for_each("SELECT voter, receipt FROM ballots WHERE vote = $1 ORDER BY voter, corrected_ms, capture", {vote},
                [&](const sql::Row& row) {
                  std::string this_voter = row.text(0);
                  if (this_voter == voter) {
                    out.flagged.push_back(row.text(1));
                    return;
                  }
                  voter = std::move(this_voter);
                  out.counted.push_back(row.text(1));
                });
  // Sorted, so the list says nothing of who voted when or of which ballots share a voter.
  std::sort(out.counted.begin(), out.counted.end());
  std::sort(out.flagged.begin(), out.flagged.end());
  return out;
}

}  // namespace allervers::server
