// Mails about ideas (idea_mail.hpp).
//
// Sections: retries · the message · SMTP through libcurl · composing and sending a pass · the loop.
#include "allervers/web/idea_mail.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "allervers/core/capture_json.hpp"
#include "allervers/core/contact.hpp"
#include "allervers/core/idea_review.hpp"
#include "allervers/core/uuid.hpp"
#include "allervers/crypto/base64.hpp"
#include "allervers/crypto/sealed_box.hpp"
#include "allervers/server/accounts.hpp"
#include "allervers/server/pass_keys.hpp"
#include "allervers/web/public_tokens.hpp"

namespace allervers::web {

// --- retries -------------------------------------------------------------------------------

std::int64_t retry_delay_ms(std::int64_t attempts_before) {
  std::int64_t delay = mail_tuning::first_retry_ms;
  for (std::int64_t i = 0; i < attempts_before && delay < mail_tuning::max_retry_ms; ++i) delay *= 2;
  return std::min(delay, mail_tuning::max_retry_ms);
}

// --- the message ---------------------------------------------------------------------------

namespace {

// RFC 2047 encoded-word for a header holding UTF-8 (a subject with accents).
std::string encoded_word(const std::string& text) {
  const bool ascii = std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80 && c != '\r' && c != '\n'; });
  if (ascii) return text;
  return "=?UTF-8?B?" + crypto::to_base64(text) + "?=";
}

std::string rfc5322_date(const core::Instant& at) {
  const std::time_t t = static_cast<std::time_t>(at.utc_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buffer;
}

// A header's value must not end it: no line break can reach a header from a resident's text.
std::string one_line(std::string s) {
  std::replace(s.begin(), s.end(), '\r', ' ');
  std::replace(s.begin(), s.end(), '\n', ' ');
  return s;
}

}  // namespace

std::string format_mail(const OutgoingMail& m) {
  std::string out;
  out += "From: " + one_line(m.from) + "\r\n";
  out += "To: " + one_line(m.to) + "\r\n";
  out += "Subject: " + encoded_word(one_line(m.subject)) + "\r\n";
  out += "Date: " + rfc5322_date(m.date) + "\r\n";
  out += "Message-ID: <" + one_line(m.message_id) + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\n";
  out += "Content-Transfer-Encoding: base64\r\n";
  out += "Auto-Submitted: auto-generated\r\n";
  if (!m.unsubscribe_url.empty()) {
    out += "List-Unsubscribe: <" + one_line(m.unsubscribe_url) + ">\r\n";
    out += "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
  }
  out += "\r\n";
  std::string text;  // CRLF line ends, as SMTP wants them
  for (char c : m.text) {
    if (c == '\n') text += "\r\n";
    else if (c != '\r') text += c;
  }
  const std::string body = crypto::to_base64(text);
  for (std::size_t i = 0; i < body.size(); i += 76) out += body.substr(i, 76) + "\r\n";
  return out;
}

// --- SMTP through libcurl ------------------------------------------------------------------

namespace {

struct Upload {
  const std::string& data;
  std::size_t at = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* u = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, u->data.size() - u->at);
  std::memcpy(buffer, u->data.data() + u->at, n);
  u->at += n;
  return n;
}

// The address inside "Name <address>", or the whole text.
std::string bare_address(const std::string& from) {
  const auto lt = from.rfind('<'), gt = from.rfind('>');
  if (lt != std::string::npos && gt != std::string::npos && gt > lt) return from.substr(lt + 1, gt - lt - 1);
  return from;
}

class SmtpTransport final : public MailTransport {
 public:
  explicit SmtpTransport(SmtpSettings s) : s_(std::move(s)) {}
  ~SmtpTransport() override { crypto::wipe(s_.password); }

  std::string send(const OutgoingMail& mail) override {
    if (s_.host.empty()) return "no mail relay is set (serve --smtp-host)";
    CURL* curl = curl_easy_init();
    if (!curl) return "libcurl could not start";
    const std::string url = std::string(s_.tls == SmtpSettings::Tls::tls ? "smtps://" : "smtp://") + s_.host + ":" + std::to_string(s_.port);
    const std::string message = format_mail(mail);
    const std::string from = "<" + bare_address(mail.from) + ">", to = "<" + mail.to + ">";
    Upload upload{message};
    curl_slist* recipients = curl_slist_append(nullptr, to.c_str());
    char error[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(s_.timeout.count()));
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, &read_upload);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    if (s_.tls == SmtpSettings::Tls::starttls) curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    if (!s_.user.empty()) {
      curl_easy_setopt(curl, CURLOPT_USERNAME, s_.user.c_str());
      curl_easy_setopt(curl, CURLOPT_PASSWORD, s_.password.c_str());
    }
    const CURLcode code = curl_easy_perform(curl);
    long reply = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
    curl_slist_free_all(recipients);
    curl_easy_cleanup(curl);
    if (code == CURLE_OK) return {};
    std::string why = error[0] ? error : curl_easy_strerror(code);
    if (reply > 0) why = "the relay answered " + std::to_string(reply) + ": " + why;
    return why;
  }

 private:
  SmtpSettings s_;
};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("the mails cannot read " + path.string());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

std::unique_ptr<MailTransport> smtp_transport(SmtpSettings settings) { return std::make_unique<SmtpTransport>(std::move(settings)); }

std::string smtp_password(server::ServerStore& store, const core::Instant& now) {
  return store.server_secret(server::secrets::smtp_password, [] { return std::string(); }, now.utc_ms);
}

void set_smtp_password(server::ServerStore& store, const std::string& password, const core::Instant& now) {
  store.set_server_secret(server::secrets::smtp_password, password, now.utc_ms);
}

// --- the author's contact ------------------------------------------------------------------

std::string open_idea_contact(const crypto::OfficeKeyRing& office, const std::string& capture_body) {
  try {
    // The capture as stored (docs/capture-format.md): idea.contact = {"consent", "sealed"}.
    const auto capture = nlohmann::json::parse(capture_body);
    const auto idea = capture.find("idea");
    if (idea != capture.end() && idea->is_object() && idea->contains("contact") && !office.empty()) {
      const auto& c = (*idea)["contact"];
      if (c.is_object() && c.value("consent", false) && c.value("sealed", "") != "")
        if (auto opened = office.open(c["sealed"].get<std::string>())) return std::move(*opened);
    }
  } catch (const std::exception&) {
  }
  return {};
}

// --- composing and sending a pass ----------------------------------------------------------

IdeaMailer::IdeaMailer(IdeaMailOptions options) : options_(std::move(options)) {
  while (!options_.public_url.empty() && options_.public_url.back() == '/') options_.public_url.pop_back();
  auto fr = core::parse_translations(read_file(options_.assets_web / "i18n/fr.json"), "assets/web/i18n/fr.json");
  for (const char* language : {"fr", "en", "ar"}) {
    const auto file = options_.assets_web / "i18n" / (std::string(language) + ".json");
    languages_.emplace(language, core::Translations(language, core::parse_translations(read_file(file), file.string()), fr));
  }
}

MailPass IdeaMailer::send_due(server::ServerStore& store, MailTransport& transport, core::Instant now) {
  MailPass pass;
  const auto due = store.due_idea_mails(now.utc_ms, mail_tuning::batch);
  if (due.empty()) return pass;
  // Every office key still honoured (rotate-key office): a contact sealed before a rotation opens.
  const auto office = server::office_keys(store, now);
  const auto signer = TokenSigner::from_key_text(store.server_secret("public_form_key", [] { return TokenSigner::make_key_text(); }, now.utc_ms));
  const server::Actor server_actor{"server", "local"};
  for (const auto& m : due) {
    const auto own = store.idea(m.capture);
    const auto kept = store.idea(m.idea);
    const auto body = store.capture_body_and_language(m.capture);
    const auto state = core::idea_state_named(m.state);
    auto stop = [&](const std::string& why) {
      store.idea_mail_stopped(m.capture, m.state, why);
      server::audit(store, server_actor, "mail.stopped", own ? own->receipt : m.capture, "state=" + m.state + " why=" + why, now);
      ++pass.stopped;
    };
    if (!own || !kept || !body || !state) {
      stop("the idea or its capture is gone");
      continue;
    }
    if (store.idea_mails_stopped(m.capture)) {
      stop("unsubscribed");
      continue;
    }
    // The contact, opened here in memory only and wiped once the mail has left.
    std::string contact = open_idea_contact(office, body->first);
    auto checked = core::check_contact(contact);
    crypto::wipe(contact);
    if (!checked.contact || checked.contact->kind != core::ContactKind::email) {
      if (checked.contact) crypto::wipe(checked.contact->text);
      stop(checked.contact ? "the contact is a phone number" : "no contact that opens");
      continue;
    }
    const auto lang_it = languages_.find(body->second);
    const core::Translations& tr = lang_it != languages_.end() ? lang_it->second : languages_.at("fr");
    const std::string follow = options_.public_url + "/suivi?code=" + own->receipt;
    const std::string unsubscribe =
        signer ? options_.public_url + "/desabonnement?t=" + signer->sign(token_purposes::unsubscribe, {{"c", m.capture}}) : std::string();
    std::string answer = kept->public_answer;
    if (*state == core::IdeaState::non_recevable) {
      for (const auto& r : store.idea_reasons())
        if (r.id == kept->reason) answer = r.label + (kept->reason_text.empty() ? "" : " — " + kept->reason_text) + (answer.empty() ? "" : "\n" + answer);
    }
    OutgoingMail mail;
    mail.from = options_.from;
    mail.to = checked.contact->text;
    const std::string state_label = tr.get("public.state." + m.state);
    mail.subject = tr.format("mail.idea.subject", {{"title", own->title}, {"state", state_label}});
    std::string text = tr.format("mail.idea.opening", {{"title", own->title}, {"state", state_label}}) + "\n\n" +
                       tr.get("public.state_text." + m.state) + "\n";
    if (kept->id != own->id) text += "\n" + tr.format("public.follow.merged", {{"title", kept->title}}) + "\n";
    if (!answer.empty()) text += "\n" + tr.get("public.follow.answer") + " :\n" + answer + "\n";
    text += "\n" + tr.format("mail.idea.follow", {{"url", follow}, {"code", own->receipt}}) + "\n\n-- \n" +
            tr.format("mail.idea.why", {{"url", unsubscribe}}) + "\n";
    mail.text = std::move(text);
    mail.unsubscribe_url = unsubscribe;
    mail.message_id = m.capture + "." + m.state + "@allervers";
    mail.date = now;
    const std::string error = transport.send(mail);
    crypto::wipe(mail.to);
    crypto::wipe(checked.contact->text);
    if (error.empty()) {
      store.idea_mail_sent(m.capture, m.state, now.utc_ms);
      server::audit(store, server_actor, "mail.sent", own->receipt, "state=" + m.state + " attempt=" + std::to_string(m.attempts + 1), now);
      ++pass.sent;
    } else {
      store.idea_mail_failed(m.capture, m.state, error, now.utc_ms + retry_delay_ms(m.attempts));
      server::audit(store, server_actor, "mail.failed", own->receipt,
                    "state=" + m.state + " attempt=" + std::to_string(m.attempts + 1) + " error=" + error, now);
      ++pass.failed;
    }
  }
  return pass;
}

// --- the loop ------------------------------------------------------------------------------

MailLoop::MailLoop(server::StorePool& stores, const core::Clock& clock, IdeaMailOptions options, SmtpSettings settings,
                   std::chrono::milliseconds interval)
    : stores_(stores), clock_(clock), mailer_(std::move(options)), transport_(smtp_transport(std::move(settings))), interval_(interval) {
  thread_ = std::thread([this] { run(); });
}

MailLoop::~MailLoop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void MailLoop::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    try {
      server::StorePool::Lease lease(stores_);
      try {
        const auto pass = mailer_.send_due(*lease, *transport_, clock_.now());
        if (pass.sent + pass.failed + pass.stopped > 0)
          std::fprintf(stderr, "allervers-server: mails about ideas: %lld sent, %lld failed (kept for later), %lld stopped\n",
                       static_cast<long long>(pass.sent), static_cast<long long>(pass.failed), static_cast<long long>(pass.stopped));
      } catch (...) {
        lease.failed();
        throw;
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "allervers-server: the mail loop failed this time: %s\n", e.what());
    }
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

}  // namespace allervers::web
