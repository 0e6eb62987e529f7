#pragma once
// Mails telling residents what became of their idea (issue 12; docs/server.md, "Mails about
// ideas"): the server's mail loop takes the outbox's due rows (server/store/mail.hpp), opens
// the author's sealed contact with the office key — in memory, for this mail only, wiped after
// — and sends over SMTP (libcurl) through the town's relay. A relay that refuses or cannot be
// reached leaves the mail queued with its error and a later try (growing delays); a mail the
// relay accepted is marked sent at once and never sent again.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "allervers/core/time.hpp"
#include "allervers/core/translations.hpp"
#include "allervers/crypto/sealed_box.hpp"
#include "allervers/server/store.hpp"
#include "allervers/server/store_pool.hpp"

namespace allervers::web {

// The town's relay (serve --smtp-*; the password is a server secret: `mail-password`).
struct SmtpSettings {
  enum class Tls { none, starttls, tls };
  std::string host;  // "" : no mail is sent (they stay queued)
  int port = 25;
  Tls tls = Tls::none;  // starttls: required, not opportunistic; tls: SMTPS from the first byte
  std::string user;     // "" : no authentication
  std::string password;
  std::string from;  // "Mairie de … <participation@…>"
  std::chrono::seconds timeout{30};
};

// Retries: one minute, then doubling, at most six hours apart; never given up (the relay may
// be down for a weekend; the error shows in the console meanwhile).
namespace mail_tuning {
inline constexpr std::int64_t first_retry_ms = 60'000;
inline constexpr std::int64_t max_retry_ms = 6LL * 3600 * 1000;
inline constexpr std::int64_t batch = 50;  // mails per pass of the loop
}  // namespace mail_tuning
std::int64_t retry_delay_ms(std::int64_t attempts_before);

struct OutgoingMail {
  std::string from, to, subject, text, unsubscribe_url, message_id;
  core::Instant date;
};
// The message as sent (RFC 5322, UTF-8 text in base64, List-Unsubscribe with one-click POST).
std::string format_mail(const OutgoingMail& mail);

// How a mail leaves: "" when the relay accepted it, else what went wrong (tests give their own).
class MailTransport {
 public:
  virtual ~MailTransport() = default;
  virtual std::string send(const OutgoingMail& mail) = 0;
};
std::unique_ptr<MailTransport> smtp_transport(SmtpSettings settings);

// The relay's password, kept as the server's secrets are (encrypted under --secrets-key-file
// when given): set by `allervers-server mail-password`, "" when never set.
std::string smtp_password(server::ServerStore& store, const core::Instant& now);
void set_smtp_password(server::ServerStore& store, const std::string& password, const core::Instant& now);

// The contact sealed in an idea's capture as stored (idea.contact = {"consent", "sealed"}),
// opened with the office's keys: "" when there is none, no consent, or it does not open. In
// memory only: the caller wipes it (crypto::wipe) once used. The mail loop and the console's
// outbox (an admin opening one address, audited) call it.
std::string open_idea_contact(const crypto::OfficeKeyRing& office, const std::string& capture_body);

struct IdeaMailOptions {
  std::filesystem::path assets_web;  // i18n/ for the mails' texts
  std::string public_url;            // the links' base, e.g. "https://participer.ville.fr"
  std::string from;                  // the From header, e.g. "Mairie de … <participation@ville.fr>"
};

struct MailPass {
  std::int64_t sent = 0, failed = 0, stopped = 0;
};

class IdeaMailer {
 public:
  explicit IdeaMailer(IdeaMailOptions options);
  // Sends what is due now; each mail's outcome written as it happens.
  MailPass send_due(server::ServerStore& store, MailTransport& transport, core::Instant now);

 private:
  IdeaMailOptions options_;
  std::map<std::string, core::Translations> languages_;
};

// The loop `serve` runs beside the HTTP server: a pass every `interval`, until destroyed.
class MailLoop {
 public:
  MailLoop(server::StorePool& stores, const core::Clock& clock, IdeaMailOptions options, SmtpSettings settings, std::chrono::milliseconds interval);
  ~MailLoop();
  MailLoop(const MailLoop&) = delete;
  MailLoop& operator=(const MailLoop&) = delete;

 private:
  void run();
  server::StorePool& stores_;
  const core::Clock& clock_;
  IdeaMailer mailer_;
  std::unique_ptr<MailTransport> transport_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace allervers::web
