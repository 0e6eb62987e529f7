// The outbox of mails about ideas (store/mail.hpp).
#include "allervers/server/store/mail.hpp"

#include "allervers/server/store/captures.hpp"

namespace allervers::server {
namespace {

constexpr const char* kMailSelect =
    "SELECT capture, state, idea, status, attempts, next_try_ms, last_error, created_ms, sent_ms FROM idea_mails";

MailStatus status_from(const std::string& s) {
  if (s == "sent") return MailStatus::sent;
  if (s == "stopped") return MailStatus::stopped;
  return MailStatus::queued;
}

IdeaMail mail_from(const sql::Row& row) {
  IdeaMail m;
  m.capture = row.text(0);
  m.state = row.text(1);
  m.idea = row.text(2);
  m.status = status_from(row.text(3));
  m.attempts = row.int64(4);
  m.next_try_ms = row.int64(5);
  m.last_error = row.text(6);
  m.created_ms = row.int64(7);
  m.sent_ms = row.opt_int64(8);
  return m;
}

}  // namespace

const char* to_string(MailStatus status) {
  switch (status) {
    case MailStatus::queued: return "queued";
    case MailStatus::sent: return "sent";
    case MailStatus::stopped: return "stopped";
  }
  return "queued";
}

std::int64_t MailStore::queue_idea_mails(const std::string& idea, core::IdeaState state, std::int64_t now_ms) {
  std::vector<std::string> authors;
  for (const auto row : db().query("SELECT id FROM ideas WHERE (id = $1 OR merged_into = $1) AND contact_consent = 1 ORDER BY received_ms, id",
                                   {idea}))
    authors.push_back(row.text(0));
  std::int64_t queued = 0;
  const std::string state_name = core::to_string(state);
  for (const auto& capture : authors) {
    if (idea_mails_stopped(capture)) continue;
    queued += db().exec(
        "INSERT INTO idea_mails(capture, state, idea, status, attempts, next_try_ms, last_error, created_ms) "
        "VALUES($1, $2, $3, 'queued', 0, $4, '', $4) ON CONFLICT(capture, state) DO NOTHING",
        {capture, state_name, idea, now_ms});
  }
  return queued;
}

std::vector<IdeaMail> MailStore::due_idea_mails(std::int64_t now_ms, std::int64_t limit) {
  std::vector<IdeaMail> out;
  for (const auto row : db().query(std::string(kMailSelect) + " WHERE status = 'queued' AND next_try_ms <= $1 ORDER BY next_try_ms, created_ms, capture LIMIT $2",
                                   {now_ms, limit}))
    out.push_back(mail_from(row));
  return out;
}

std::vector<IdeaMail> MailStore::idea_mails(std::int64_t limit) {
  std::vector<IdeaMail> out;
  for (const auto row : db().query(std::string(kMailSelect) + " ORDER BY created_ms DESC, capture, state LIMIT $1", {limit}))
    out.push_back(mail_from(row));
  return out;
}

MailStore::MailCounts MailStore::idea_mail_counts() {
  MailCounts c;
  for (const auto row : db().query("SELECT status, CASE WHEN attempts > 0 THEN 1 ELSE 0 END AS failed, COUNT(*) FROM idea_mails GROUP BY status, failed")) {
    const auto status = status_from(row.text(0));
    const std::int64_t n = row.int64(2);
    if (status == MailStatus::sent) c.sent += n;
    else if (status == MailStatus::stopped) c.stopped += n;
    else {
      c.queued += n;
      if (row.int64(1) != 0) c.failing += n;
    }
  }
  return c;
}

std::optional<IdeaMail> MailStore::idea_mail(const std::string& capture, const std::string& state) {
  const auto rows = db().query(std::string(kMailSelect) + " WHERE capture = $1 AND state = $2", {capture, state});
  if (rows.empty()) return std::nullopt;
  return mail_from(rows.one());
}

bool MailStore::retry_idea_mail_now(const std::string& capture, const std::string& state, std::int64_t now_ms) {
  return db().exec("UPDATE idea_mails SET next_try_ms = $3 WHERE capture = $1 AND state = $2 AND status = 'queued'",
                   {capture, state, now_ms}) > 0;
}

std::optional<std::pair<std::string, std::string>> MailStore::capture_body_and_language(const std::string& capture) {
  const auto rows = db().query("SELECT body, language FROM captures WHERE id = $1", {capture});
  if (rows.empty()) return std::nullopt;
  const auto row = rows.one();
  return std::make_pair(row.text(0), row.text(1));
}

void MailStore::idea_mail_sent(const std::string& capture, const std::string& state, std::int64_t now_ms) {
  db().exec("UPDATE idea_mails SET status = 'sent', attempts = attempts + 1, sent_ms = $3, last_error = '' WHERE capture = $1 AND state = $2",
            {capture, state, now_ms});
}

void MailStore::idea_mail_failed(const std::string& capture, const std::string& state, const std::string& error, std::int64_t next_try_ms) {
  db().exec("UPDATE idea_mails SET attempts = attempts + 1, next_try_ms = $3, last_error = $4 WHERE capture = $1 AND state = $2 AND status = 'queued'",
            {capture, state, next_try_ms, error});
}

void MailStore::idea_mail_stopped(const std::string& capture, const std::string& state, const std::string& why) {
  db().exec("UPDATE idea_mails SET status = 'stopped', last_error = $3 WHERE capture = $1 AND state = $2 AND status = 'queued'",
            {capture, state, why});
}

bool MailStore::stop_idea_mails(const std::string& capture, std::int64_t now_ms) {
  const auto added = db().exec("INSERT INTO idea_mail_stops(capture, stopped_ms) VALUES($1, $2) ON CONFLICT(capture) DO NOTHING", {capture, now_ms});
  db().exec("UPDATE idea_mails SET status = 'stopped', last_error = 'unsubscribed' WHERE capture = $1 AND status = 'queued'", {capture});
  return added > 0;
}

bool MailStore::idea_mails_stopped(const std::string& capture) {
  return !db().query("SELECT 1 FROM idea_mail_stops WHERE capture = $1", {capture}).empty();
}

}  // namespace allervers::server
