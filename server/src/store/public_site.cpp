// What the residents' public pages keep: used form tokens, web submissions, photos, flags.
#include "allervers/server/store/public_site.hpp"

#include "allervers/crypto/base64.hpp"
#include "facts.hpp"

namespace allervers::server {

void PublicSiteStore::ensure_web_device(const std::string& id, const std::string& name, std::int64_t now_ms) {
  sql::Transaction tx(db());
  if (db().query("SELECT 1 FROM devices WHERE id = $1", {id}).empty())
    db().exec("INSERT INTO devices(id, name, enrolled_ms) VALUES($1, $2, $3)", {id, name, now_ms});
  tx.commit();
}

bool PublicSiteStore::form_token_used(const std::string& id) {
  return !db().query("SELECT 1 FROM web_form_tokens WHERE id = $1", {id}).empty();
}

std::int64_t PublicSiteStore::reserve_web_seqs(std::int64_t count) {
  sql::Transaction tx(db());
  // The update takes the write lock first, so two servers on one database never share a number.
  if (db().exec("UPDATE web_sequence SET next_seq = next_seq + $1 WHERE name = 'web'", {count}) == 0)
    db().exec("INSERT INTO web_sequence(name, next_seq) VALUES('web', $1)", {1 + count});
  const std::int64_t next = db().query("SELECT next_seq FROM web_sequence WHERE name = 'web'").one().int64(0);
  tx.commit();
  return next - count;
}

std::int64_t PublicSiteStore::recent_web_submissions(const std::string& address_hash, std::int64_t since_ms) {
  return db()
      .query("SELECT COUNT(*) FROM web_submissions WHERE address_hash = $1 AND at_ms >= $2", {address_hash, since_ms})
      .one()
      .int64(0);
}

bool PublicSiteStore::record_web_submission(const std::string& token_id, const std::string& capture, const std::string& address_hash,
                                            const std::string& assembly, const std::optional<std::string>& flag,
                                            std::int64_t now_ms) {
  sql::Transaction tx(db());
  if (form_token_used(token_id)) return false;
  db().exec("INSERT INTO web_form_tokens(id, used_ms) VALUES($1, $2)", {token_id, now_ms});
  if (db().query("SELECT 1 FROM web_submissions WHERE capture = $1", {capture}).empty())
    db().exec("INSERT INTO web_submissions(capture, address_hash, assembly, at_ms) VALUES($1, $2, $3, $4)",
              {capture, address_hash, assembly, now_ms});
  if (flag && db().query("SELECT 1 FROM capture_flags WHERE capture = $1 AND reason = $2", {capture, *flag}).empty())
    db().exec("INSERT INTO capture_flags(capture, reason, at_ms) VALUES($1, $2, $3)", {capture, *flag, now_ms});
  tx.commit();
  return true;
}

void PublicSiteStore::save_idea_photo(const IdeaPhoto& photo, std::int64_t now_ms) {
  sql::Transaction tx(db());
  db().exec("DELETE FROM idea_photos WHERE capture = $1", {photo.capture});
  db().exec("INSERT INTO idea_photos(capture, content_type, data_base64, width, height, at_ms) VALUES($1, $2, $3, $4, $5, $6)",
            {photo.capture, photo.content_type, crypto::to_base64(photo.data), std::int64_t{photo.width},
             std::int64_t{photo.height}, now_ms});
  tx.commit();
}

std::optional<IdeaPhoto> PublicSiteStore::idea_photo(const std::string& capture) {
  const auto rows =
      db().query("SELECT content_type, data_base64, width, height FROM idea_photos WHERE capture = $1", {capture});
  if (rows.empty()) return std::nullopt;
  const auto row = rows[0];
  auto bytes = crypto::from_base64(row.text(1));
  if (!bytes) return std::nullopt;
  return IdeaPhoto{capture, row.text(0), std::string(bytes->begin(), bytes->end()), static_cast<int>(row.int64(2)),
                   static_cast<int>(row.int64(3))};
}

void PublicSiteStore::flag_capture(const std::string& capture, const std::string& reason, std::int64_t now_ms) {
  sql::Transaction tx(db());
  if (db().query("SELECT 1 FROM capture_flags WHERE capture = $1 AND reason = $2", {capture, reason}).empty())
    db().exec("INSERT INTO capture_flags(capture, reason, at_ms) VALUES($1, $2, $3)", {capture, reason, now_ms});
  tx.commit();
}

std::int64_t PublicSiteStore::flagged_count() {
  return db().query("SELECT COUNT(DISTINCT capture) FROM capture_flags").one().int64(0);
}

std::vector<CaptureFlag> PublicSiteStore::capture_flags(std::int64_t limit) {
  std::vector<CaptureFlag> out;
  for (const auto row : db().query("SELECT capture, reason, at_ms FROM capture_flags ORDER BY at_ms DESC, capture LIMIT $1", {limit}))
    out.push_back({row.text(0), row.text(1), row.int64(2)});
  return out;
}

std::int64_t PublicSiteStore::device_captures_since(const std::string& device, std::int64_t since_ms) {
  return db().query("SELECT COUNT(*) FROM captures WHERE device = $1 AND received_ms >= $2", {device, since_ms}).one().int64(0);
}

std::vector<ParticipationCell> PublicSiteStore::participation_cells() {
  fold_waiting_tallies(db());
  std::vector<ParticipationCell> out;
  for (const auto row : db().query(
           "SELECT consultation, neighbourhood, channel, day, SUM(n) FROM capture_tally WHERE kind <> 'signin' "
           "GROUP BY consultation, neighbourhood, channel, day ORDER BY consultation, day, neighbourhood, channel"))
    out.push_back({row.text(0), row.text(1), row.text(2), row.int64(3), row.int64(4)});
  return out;
}

}  // namespace allervers::server
