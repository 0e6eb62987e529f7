#pragma once
// What the residents' public pages keep (issue 13; docs/web.md, "The public pages"): the form
// tokens already used (no replay), each web submission with its client's keyed address hash,
// its assembly and its burst flag, the photos of ideas, the public pseudo-device's sequence,
// and the anonymous participation figures of the open data. Tables (schema step 6):
// web_form_tokens, web_submissions, web_sequence, idea_photos, capture_flags.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "allervers/server/store/area.hpp"

namespace allervers::server {

// One capture flagged for the coordinator (kept and counted: a flag is a question, not a
// verdict): "burst_address" (many web answers from one address in a short time),
// "burst_device" (many answers from one kiosk in a short time).
struct CaptureFlag {
  std::string capture, reason;
  std::int64_t at_ms = 0;
};

// A photo as kept: re-encoded by the server (web/photo.hpp), never the bytes as sent.
struct IdeaPhoto {
  std::string capture;
  std::string content_type;  // "image/jpeg"
  std::string data;          // the bytes
  int width = 0, height = 0;
};

// One cell of the open data: how many captures, suppressed cells already removed by the caller.
struct ParticipationCell {
  std::string consultation, neighbourhood, channel;
  std::int64_t day = 0;  // the town's day (capture_filter.hpp), as stored
  std::int64_t n = 0;
};

class PublicSiteStore : public virtual StoreArea {
 public:
  // The public pages' pseudo-device in the devices table, named for the office (its captures'
  // device; it has no token, so nothing can sync as it). Idempotent.
  void ensure_web_device(const std::string& id, const std::string& name, std::int64_t now_ms);
  // Whether the form token `id` was used already.
  bool form_token_used(const std::string& id);
  // `count` sequence numbers of the public pages' pseudo-device, the first returned (one
  // transaction of its own: every server on the database gets its own block; numbers a server
  // never used, or lost to a failure, are gaps).
  std::int64_t reserve_web_seqs(std::int64_t count);
  // Submissions from the keyed address hash since `since_ms` (limits and bursts).
  std::int64_t recent_web_submissions(const std::string& address_hash, std::int64_t since_ms);
  // After the capture is stored: its token marked used, its submission row, its flag if any,
  // in one transaction. False when the token was used meanwhile (a replay racing this one:
  // the capture is the same id, so it was a duplicate).
  bool record_web_submission(const std::string& token_id, const std::string& capture, const std::string& address_hash,
                             const std::string& assembly, const std::optional<std::string>& flag, std::int64_t now_ms);
  // A photo kept before its idea is (its own transaction): an idea whose storing failed leaves
  // a photo nobody can reach, never an idea with half a photo.
  void save_idea_photo(const IdeaPhoto& photo, std::int64_t now_ms);
  std::optional<IdeaPhoto> idea_photo(const std::string& capture);
  // Flags, and how many (the console's count).
  void flag_capture(const std::string& capture, const std::string& reason, std::int64_t now_ms);
  std::int64_t flagged_count();
  std::vector<CaptureFlag> capture_flags(std::int64_t limit);
  // Captures of `device` received since `since_ms` (a kiosk's burst).
  std::int64_t device_captures_since(const std::string& device, std::int64_t since_ms);
  // The participation tallies by consultation, quartier, channel and day (sign-ins left out).
  std::vector<ParticipationCell> participation_cells();
};

}  // namespace allervers::server
