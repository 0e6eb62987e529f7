// Following a receipt code on the device (outcomes.hpp).
#include "allervers/sync/outcomes.hpp"

#include <nlohmann/json.hpp>

#include "allervers/core/receipt.hpp"
#include "allervers/core/settings.hpp"
#include "allervers/core/vote.hpp"
#include "allervers/passes/outcome_keys.hpp"

namespace allervers::sync {

using nlohmann::json;

const char* to_string(FollowFound found) {
  switch (found) {
    case FollowFound::invalid_code: return "invalid_code";
    case FollowFound::known: return "known";
    case FollowFound::here_pending: return "here_pending";
    case FollowFound::here_sent: return "here_sent";
    case FollowFound::unknown: return "unknown";
  }
  return "unknown";
}

namespace {

std::optional<core::Instant> checked_at(const storage::DeviceStore& store) {
  const auto text = store.setting(core::settings::outcomes_checked_ms).value_or("");
  if (text.empty()) return std::nullopt;
  try {
    return core::Instant{std::stoll(text), 0};
  } catch (const std::exception&) {
    return std::nullopt;  // damaged: the screens say the outcomes were never synced
  }
}

FollowFound found_here(storage::OutboxState state) {
  return state == storage::OutboxState::pending ? FollowFound::here_pending : FollowFound::here_sent;
}

}  // namespace

IdeaFollow follow_idea(const storage::DeviceStore& store, std::string_view typed) {
  IdeaFollow out;
  const auto code = core::read_receipt_code(typed);
  if (!code) return out;
  out.code = *code;
  out.checked_at = checked_at(store);
  for (const auto& body : store.find_outcomes("idea", passes::idea_outcome_key(*code))) {
    try {
      out.ideas.push_back(protocol::decode_idea_outcome(body));
    } catch (const protocol::ProtocolError&) {
      // A row this version cannot read (written by a newer one): as if absent.
    }
  }
  if (!out.ideas.empty()) {
    out.found = FollowFound::known;
  } else if (const auto here = store.find_idea(*code)) {
    out.found = found_here(here->state);
  } else {
    out.found = FollowFound::unknown;
  }
  return out;
}

BallotFollow follow_ballot(const storage::DeviceStore& store, std::string_view typed) {
  BallotFollow out;
  const std::string receipt = core::normal_receipt(std::string(typed));
  if (receipt.empty()) return out;
  out.code = core::shown_receipt(receipt);
  out.checked_at = checked_at(store);
  // Each vote keys its codes with its own voter_key: the code is tried under each vote held.
  for (const auto& vote : store.catalog().votes) {
    std::string key;
    try {
      key = passes::ballot_outcome_key(vote.voter_key, receipt);
    } catch (const std::invalid_argument&) {
      continue;
    }
    for (const auto& body : store.find_outcomes("ballot", key)) {
      const json j = json::parse(body, nullptr, false);
      if (!j.is_object() || j.value("vote", "") != vote.id) continue;
      out.found = FollowFound::known;
      out.vote = vote.id;
      out.outcome = j.value("state", "") == "counted" ? BallotOutcome::counted : BallotOutcome::flagged;
      return out;
    }
  }
  if (const auto here = store.find_ballot(receipt)) {
    out.found = found_here(here->state);
    if (const auto* b = std::get_if<core::Ballot>(&here->stored.capture.body)) out.vote = b->vote;
    return out;
  }
  out.found = FollowFound::unknown;
  return out;
}

std::string code_from_scan(std::string_view scanned) {
  const auto at = scanned.find("code=");
  if (at == std::string_view::npos) return std::string(scanned);
  auto code = scanned.substr(at + 5);
  code = code.substr(0, code.find_first_of("&#"));
  return std::string(code);
}

namespace {
std::string page_url(std::string base, const char* path, const std::string& code) {
  if (base.empty()) return "";
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + path + code;  // a code is letters, digits and a hyphen: nothing to escape
}
}  // namespace

std::string idea_follow_url(const std::string& public_url, const std::string& code) {
  return page_url(public_url, "/suivi?code=", code);
}

std::string ballot_receipt_url(const std::string& public_url, const std::string& code) {
  return page_url(public_url, "/votes/recu?code=", code);
}

std::vector<storage::DeviceStore::OutcomeRow> outcome_rows(const protocol::Outcomes& outcomes) {
  std::vector<storage::DeviceStore::OutcomeRow> rows;
  for (const auto& idea : outcomes.ideas) rows.push_back({"idea", idea.key, protocol::encode_idea_outcome(idea)});
  for (const auto& b : outcomes.ballots) {
    for (const auto& key : b.counted) rows.push_back({"ballot", key, json{{"vote", b.vote}, {"state", "counted"}}.dump()});
    for (const auto& key : b.flagged) rows.push_back({"ballot", key, json{{"vote", b.vote}, {"state", "flagged"}}.dump()});
  }
  return rows;
}

}  // namespace allervers::sync
