#pragma once
// Mails telling residents what became of their idea (issue 12): the outbox the server sends
// from, and the authors who asked for no more. One row per (author's idea, state told): queued
// in the transaction that changes the idea's state (review_idea), only for authors who
// consented to be told, sent by the server's mail loop (web/idea_mail.hpp) with growing delays
// between attempts. The contact itself stays sealed in the capture: it is opened only in
// memory, at sending time. Tables: idea_mails, idea_mail_stops (schema step 11).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "allervers/core/idea_review.hpp"
#include "allervers/server/store/area.hpp"

namespace allervers::server {

enum class MailStatus { queued, sent, stopped };
const char* to_string(MailStatus status);  // "queued", "sent", "stopped"

struct IdeaMail {
  std::string capture;  // the author's idea: its capture holds the sealed contact
  std::string state;    // the state told (core::to_string of an IdeaState)
  std::string idea;     // the idea whose state changed (the kept one when the author's was merged)
  MailStatus status = MailStatus::queued;
  std::int64_t attempts = 0;
  std::int64_t next_try_ms = 0;
  std::string last_error;  // the relay's answer or the connection's failure, "" when none
  std::int64_t created_ms = 0;
  std::optional<std::int64_t> sent_ms;
};

class MailStore : public virtual StoreArea {
 public:
  // Inside the caller's transaction: a mail for each author of `idea` and of the ideas merged
  // into it who consented and did not stop mails. Queuing the same state twice adds nothing.
  // Returns how many were queued.
  std::int64_t queue_idea_mails(const std::string& idea, core::IdeaState state, std::int64_t now_ms);
  // Queued mails due now, oldest first.
  std::vector<IdeaMail> due_idea_mails(std::int64_t now_ms, std::int64_t limit);
  // Newest first (the console's list, tests).
  std::vector<IdeaMail> idea_mails(std::int64_t limit);
  // How many mails in each status, and how many queued ones have failed at least once.
  struct MailCounts {
    std::int64_t queued = 0, failing = 0, sent = 0, stopped = 0;
  };
  MailCounts idea_mail_counts();
  // One mail (the console's retry and opening of its address).
  std::optional<IdeaMail> idea_mail(const std::string& capture, const std::string& state);
  // A queued mail made due now (the console's « Réessayer maintenant »); false when it is not
  // queued (sent or stopped mails are never sent again).
  bool retry_idea_mail_now(const std::string& capture, const std::string& state, std::int64_t now_ms);
  // The capture's body and language ("" when there is no such capture).
  std::optional<std::pair<std::string, std::string>> capture_body_and_language(const std::string& capture);

  void idea_mail_sent(const std::string& capture, const std::string& state, std::int64_t now_ms);
  void idea_mail_failed(const std::string& capture, const std::string& state, const std::string& error, std::int64_t next_try_ms);
  void idea_mail_stopped(const std::string& capture, const std::string& state, const std::string& why);

  // The author of `capture` asked for no more mails: recorded, and what is queued for it is
  // stopped. False when it was already recorded.
  bool stop_idea_mails(const std::string& capture, std::int64_t now_ms);
  bool idea_mails_stopped(const std::string& capture);
};

}  // namespace allervers::server
