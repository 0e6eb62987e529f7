// The server's schema as numbered steps, with each step's text for SQLite and for PostgreSQL.
// SQLite keeps the version in PRAGMA user_version, PostgreSQL in the allervers_schema table.
// Never edit or renumber a step that has shipped: add one.
//
// Steps 1 and 2 shipped with a text per database (uuid and bigint columns on PostgreSQL, JSON
// extraction in step 2). A new step can usually be one text given twice: TEXT, BIGINT and
// INTEGER columns mean the same on both (keep ids TEXT), `ON CONFLICT`, `CREATE INDEX … WHERE`.
// What cannot be shared: an auto-numbered key (SQLite `INTEGER PRIMARY KEY`, PostgreSQL
// `bigserial`), JSON functions.
#include "schema.hpp"

namespace allervers::server {
namespace {

// --- 1: devices, enrolment codes, captures, rejections, conflicts, catalogs

constexpr const char* kSqlite1 = R"(
CREATE TABLE devices(
  id TEXT PRIMARY KEY, name TEXT NOT NULL, token_hash TEXT UNIQUE,
  enrolled_ms INTEGER NOT NULL, revoked_ms INTEGER, last_seen_ms INTEGER, last_batch_ms INTEGER,
  clock_offset_ms INTEGER, pending_on_device INTEGER);
CREATE TABLE enrol_codes(
  code_hash TEXT PRIMARY KEY, name TEXT NOT NULL, created_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL,
  used_ms INTEGER, device TEXT);
CREATE TABLE captures(
  id TEXT PRIMARY KEY, device TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, consultation TEXT NOT NULL,
  version INTEGER NOT NULL, channel TEXT NOT NULL, language TEXT NOT NULL,
  captured_ms INTEGER NOT NULL, captured_offset_min INTEGER NOT NULL, corrected_ms INTEGER NOT NULL,
  received_ms INTEGER NOT NULL, batch TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX captures_by_device ON captures(device, seq);
CREATE TABLE rejections(
  device TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, code TEXT NOT NULL, reason TEXT NOT NULL,
  body TEXT NOT NULL, at_ms INTEGER NOT NULL, PRIMARY KEY(device, seq));
CREATE TABLE conflicts(
  id TEXT NOT NULL, device TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL, at_ms INTEGER NOT NULL,
  PRIMARY KEY(id, device, seq));
CREATE TABLE catalogs(id INTEGER PRIMARY KEY, json TEXT NOT NULL, published_ms INTEGER NOT NULL);
)";

constexpr const char* kPostgres1 = R"(
CREATE TABLE devices(
  id uuid PRIMARY KEY, name text NOT NULL, token_hash text UNIQUE,
  enrolled_ms bigint NOT NULL, revoked_ms bigint, last_seen_ms bigint, last_batch_ms bigint,
  clock_offset_ms bigint, pending_on_device bigint);
CREATE TABLE enrol_codes(
  code_hash text PRIMARY KEY, name text NOT NULL, created_ms bigint NOT NULL, expires_ms bigint NOT NULL,
  used_ms bigint, device uuid);
CREATE TABLE captures(
  id uuid PRIMARY KEY, device uuid NOT NULL, seq bigint NOT NULL, kind text NOT NULL, consultation text NOT NULL,
  version integer NOT NULL, channel text NOT NULL, language text NOT NULL,
  captured_ms bigint NOT NULL, captured_offset_min integer NOT NULL, corrected_ms bigint NOT NULL,
  received_ms bigint NOT NULL, batch text NOT NULL, body text NOT NULL);
CREATE INDEX captures_by_device ON captures(device, seq);
CREATE TABLE rejections(
  device uuid NOT NULL, seq bigint NOT NULL, id text NOT NULL, code text NOT NULL, reason text NOT NULL,
  body text NOT NULL, at_ms bigint NOT NULL, PRIMARY KEY(device, seq));
CREATE TABLE conflicts(
  id uuid NOT NULL, device uuid NOT NULL, seq bigint NOT NULL, body text NOT NULL, at_ms bigint NOT NULL,
  PRIMARY KEY(id, device, seq));
CREATE TABLE catalogs(id bigserial PRIMARY KEY, json text NOT NULL, published_ms bigint NOT NULL);
)";

// --- 2: passes: server keys, device certificates, revoked and printed passes, office tokens; sign-ins by assembly

constexpr const char* kSqlite2 = R"(
ALTER TABLE captures ADD COLUMN assembly TEXT;
ALTER TABLE captures ADD COLUMN pass TEXT;
UPDATE captures SET assembly = json_extract(body, '$.signin.assembly'),
  pass = COALESCE(json_extract(body, '$.signin.pass'), '') WHERE kind = 'signin';
CREATE INDEX captures_by_assembly ON captures(assembly, pass) WHERE assembly IS NOT NULL;
CREATE TABLE server_secrets(name TEXT PRIMARY KEY, value TEXT NOT NULL, created_ms INTEGER NOT NULL);
CREATE TABLE certificates(
  serial INTEGER PRIMARY KEY AUTOINCREMENT, device TEXT NOT NULL, text TEXT NOT NULL, issued_ms INTEGER NOT NULL,
  revoked_ms INTEGER);
CREATE INDEX certificates_by_device ON certificates(device);
CREATE TABLE revoked_passes(pass TEXT PRIMARY KEY, reason TEXT NOT NULL, revoked_ms INTEGER NOT NULL);
CREATE TABLE printed_passes(pass TEXT PRIMARY KEY, printed_ms INTEGER NOT NULL);
CREATE TABLE office_tokens(token_hash TEXT PRIMARY KEY, name TEXT NOT NULL, created_ms INTEGER NOT NULL);
)";

constexpr const char* kPostgres2 = R"(
ALTER TABLE captures ADD COLUMN assembly text;
ALTER TABLE captures ADD COLUMN pass text;
UPDATE captures SET assembly = body::json->'signin'->>'assembly', pass = COALESCE(body::json->'signin'->>'pass', '')
  WHERE kind = 'signin';
CREATE INDEX captures_by_assembly ON captures(assembly, pass) WHERE assembly IS NOT NULL;
CREATE TABLE server_secrets(name text PRIMARY KEY, value text NOT NULL, created_ms bigint NOT NULL);
CREATE TABLE certificates(
  serial bigserial PRIMARY KEY, device uuid NOT NULL, text text NOT NULL, issued_ms bigint NOT NULL, revoked_ms bigint);
CREATE INDEX certificates_by_device ON certificates(device);
CREATE TABLE revoked_passes(pass text PRIMARY KEY, reason text NOT NULL, revoked_ms bigint NOT NULL);
CREATE TABLE printed_passes(pass text PRIMARY KEY, printed_ms bigint NOT NULL);
CREATE TABLE office_tokens(token_hash text PRIMARY KEY, name text NOT NULL, created_ms bigint NOT NULL);
)";

// --- 3: the office's data: each capture's town day, quartier and age bracket; tallies the
// dashboard reads; free-text answers for search; the town's population
//
// The tallies are summary tables kept up to date at ingest, in the same transaction as the
// captures they count (docs/decisions.md, "The dashboard reads tallies"): counting 1,000,000
// captures at each look is too slow on SQLite, whose GROUP BY sorts. SQLite gets a covering
// index per way the dashboard groups captures, so each grouping reads one index in order;
// PostgreSQL aggregates by hashing and needs only the primary key. Rows already held get their
// facts in code after this step (CaptureStore::derive_missing_facts): a quartier of an opinion
// depends on its consultation's questions, which SQL cannot read.

constexpr const char* kSqlite3 = R"(
ALTER TABLE captures ADD COLUMN day INTEGER;
ALTER TABLE captures ADD COLUMN neighbourhood TEXT;
ALTER TABLE captures ADD COLUMN age_bracket TEXT;
CREATE INDEX captures_by_day ON captures(day, id);
CREATE INDEX captures_by_consultation_day ON captures(consultation, day, id);
CREATE TABLE capture_tally(
  day INTEGER NOT NULL, consultation TEXT NOT NULL, kind TEXT NOT NULL, channel TEXT NOT NULL, device TEXT NOT NULL,
  neighbourhood TEXT NOT NULL, age_bracket TEXT NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY(day, consultation, kind, channel, device, neighbourhood, age_bracket)) WITHOUT ROWID;
CREATE INDEX capture_tally_by_consultation ON capture_tally(consultation, kind, day, channel, device, neighbourhood, age_bracket, n);
CREATE INDEX capture_tally_by_neighbourhood ON capture_tally(neighbourhood, age_bracket, day, consultation, kind, channel, device, n);
CREATE INDEX capture_tally_by_channel ON capture_tally(channel, day, consultation, kind, device, neighbourhood, age_bracket, n);
CREATE INDEX capture_tally_by_device ON capture_tally(device, day, consultation, kind, channel, neighbourhood, age_bracket, n);
CREATE TABLE answer_tally(
  consultation TEXT NOT NULL, question TEXT NOT NULL, value TEXT NOT NULL, day INTEGER NOT NULL, channel TEXT NOT NULL,
  neighbourhood TEXT NOT NULL, n INTEGER NOT NULL,
  PRIMARY KEY(consultation, question, value, day, channel, neighbourhood)) WITHOUT ROWID;
CREATE TABLE text_answers(
  capture TEXT NOT NULL, question TEXT NOT NULL, consultation TEXT NOT NULL, day INTEGER NOT NULL, channel TEXT NOT NULL,
  device TEXT NOT NULL, neighbourhood TEXT NOT NULL, text TEXT NOT NULL, folded TEXT NOT NULL,
  PRIMARY KEY(capture, question));
CREATE INDEX text_answers_by_question ON text_answers(consultation, question, day);
CREATE TABLE population(
  neighbourhood TEXT NOT NULL, age_bracket TEXT NOT NULL, people INTEGER NOT NULL, PRIMARY KEY(neighbourhood, age_bracket));
CREATE TABLE population_import(
  one INTEGER PRIMARY KEY CHECK (one = 1), imported_ms INTEGER NOT NULL, source TEXT NOT NULL, lines INTEGER NOT NULL,
  people INTEGER NOT NULL);
)";

constexpr const char* kPostgres3 = R"(
ALTER TABLE captures ADD COLUMN day bigint;
ALTER TABLE captures ADD COLUMN neighbourhood text;
ALTER TABLE captures ADD COLUMN age_bracket text;
CREATE INDEX captures_by_day ON captures(day, id);
CREATE INDEX captures_by_consultation_day ON captures(consultation, day, id);
CREATE TABLE capture_tally(
  day bigint NOT NULL, consultation text NOT NULL, kind text NOT NULL, channel text NOT NULL, device text NOT NULL,
  neighbourhood text NOT NULL, age_bracket text NOT NULL, n bigint NOT NULL,
  PRIMARY KEY(day, consultation, kind, channel, device, neighbourhood, age_bracket)) WITH (fillfactor = 70);
CREATE TABLE answer_tally(
  consultation text NOT NULL, question text NOT NULL, value text NOT NULL, day bigint NOT NULL, channel text NOT NULL,
  neighbourhood text NOT NULL, n bigint NOT NULL,
  PRIMARY KEY(consultation, question, value, day, channel, neighbourhood)) WITH (fillfactor = 70);
CREATE TABLE text_answers(
  capture text NOT NULL, question text NOT NULL, consultation text NOT NULL, day bigint NOT NULL, channel text NOT NULL,
  device text NOT NULL, neighbourhood text NOT NULL, text text NOT NULL, folded text NOT NULL,
  PRIMARY KEY(capture, question));
CREATE INDEX text_answers_by_question ON text_answers(consultation, question, day);
CREATE TABLE population(
  neighbourhood text NOT NULL, age_bracket text NOT NULL, people bigint NOT NULL, PRIMARY KEY(neighbourhood, age_bracket));
CREATE TABLE population_import(
  one integer PRIMARY KEY CHECK (one = 1), imported_ms bigint NOT NULL, source text NOT NULL, lines bigint NOT NULL,
  people bigint NOT NULL);
)";

// --- 4: the office console: accounts, one-time password links, sessions, login throttling, the
// audit log; office tokens get a scope and can be revoked

// The two texts differ only in the audit log's auto-numbered key.
constexpr const char* kSqlite4 = R"(
CREATE TABLE users(
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL, password_hash TEXT NOT NULL,
  created_ms BIGINT NOT NULL, disabled_ms BIGINT);
CREATE TABLE password_links(
  token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL, used_ms BIGINT);
CREATE TABLE sessions(
  id_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, csrf_token TEXT NOT NULL, created_ms BIGINT NOT NULL,
  last_seen_ms BIGINT NOT NULL, ended_ms BIGINT, client TEXT NOT NULL);
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE TABLE login_throttle(subject TEXT PRIMARY KEY, failures INTEGER NOT NULL, last_failure_ms BIGINT NOT NULL);
ALTER TABLE office_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'attendance';
ALTER TABLE office_tokens ADD COLUMN revoked_ms BIGINT;
CREATE TABLE audit_log(
  id INTEGER PRIMARY KEY AUTOINCREMENT, at_ms INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
  target TEXT NOT NULL, detail TEXT NOT NULL, client TEXT NOT NULL);
CREATE INDEX audit_by_time ON audit_log(at_ms);
)";

constexpr const char* kPostgres4 = R"(
CREATE TABLE users(
  id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL, password_hash TEXT NOT NULL,
  created_ms BIGINT NOT NULL, disabled_ms BIGINT);
CREATE TABLE password_links(
  token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_ms BIGINT NOT NULL, expires_ms BIGINT NOT NULL, used_ms BIGINT);
CREATE TABLE sessions(
  id_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, csrf_token TEXT NOT NULL, created_ms BIGINT NOT NULL,
  last_seen_ms BIGINT NOT NULL, ended_ms BIGINT, client TEXT NOT NULL);
CREATE INDEX sessions_by_user ON sessions(user_id);
CREATE TABLE login_throttle(subject TEXT PRIMARY KEY, failures INTEGER NOT NULL, last_failure_ms BIGINT NOT NULL);
ALTER TABLE office_tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'attendance';
ALTER TABLE office_tokens ADD COLUMN revoked_ms BIGINT;
CREATE TABLE audit_log(
  id bigserial PRIMARY KEY, at_ms bigint NOT NULL, actor text NOT NULL, action text NOT NULL,
  target text NOT NULL, detail text NOT NULL, client text NOT NULL);
CREATE INDEX audit_by_time ON audit_log(at_ms);
)";

// --- 5: security: a replacement code names its device; failed attempts by client address

constexpr const char* kSecurity5 = R"(
ALTER TABLE enrol_codes ADD COLUMN for_device TEXT;
CREATE TABLE failed_attempts(scope TEXT NOT NULL, address TEXT NOT NULL, at_ms BIGINT NOT NULL);
CREATE INDEX failed_attempts_by_address ON failed_attempts(scope, address, at_ms);
)";

// --- 6: one throttle for every purpose (enrolment, console logins, public submissions), keyed by
// purpose and subject, with a growing delay; the two tables it replaces held only what weighed
// in the last hour, so they are dropped rather than copied.

constexpr const char* kThrottle6 = R"(
CREATE TABLE throttle(
  purpose TEXT NOT NULL, subject TEXT NOT NULL, failures BIGINT NOT NULL, last_ms BIGINT NOT NULL,
  PRIMARY KEY(purpose, subject));
DROP TABLE login_throttle;
DROP TABLE failed_attempts;
)";

// --- 7: the residents' public pages (issue 13): used form tokens, web submissions by keyed
// address hash, the public pseudo-device's sequence, ideas' photos, flags on captures

constexpr const char* kPublic7 = R"(
CREATE TABLE web_form_tokens(id TEXT PRIMARY KEY, used_ms BIGINT NOT NULL);
CREATE TABLE web_submissions(
  capture TEXT PRIMARY KEY, address_hash TEXT NOT NULL, assembly TEXT NOT NULL, at_ms BIGINT NOT NULL);
CREATE INDEX web_submissions_by_address ON web_submissions(address_hash, at_ms);
CREATE TABLE web_sequence(name TEXT PRIMARY KEY, next_seq BIGINT NOT NULL);
CREATE TABLE idea_photos(
  capture TEXT PRIMARY KEY, content_type TEXT NOT NULL, data_base64 TEXT NOT NULL, width INTEGER NOT NULL,
  height INTEGER NOT NULL, at_ms BIGINT NOT NULL);
CREATE TABLE capture_flags(capture TEXT NOT NULL, reason TEXT NOT NULL, at_ms BIGINT NOT NULL, PRIMARY KEY(capture, reason));
)";

// --- 8: ideas under review: their state and public answer, milestones, the town's reasons for
// "non recevable". One text for both databases. An idea's row is made when its capture is
// stored (and, for ideas stored before this step, by IdeaStore::derive_missing_ideas).

constexpr const char* kIdeas8 = R"(
CREATE TABLE ideas(
  id TEXT PRIMARY KEY, receipt TEXT NOT NULL, consultation TEXT NOT NULL, neighbourhood TEXT NOT NULL, theme TEXT NOT NULL,
  title TEXT NOT NULL, description TEXT NOT NULL, received_ms BIGINT NOT NULL, contact_consent INTEGER NOT NULL,
  state TEXT NOT NULL, reason TEXT NOT NULL, reason_text TEXT NOT NULL, assignee TEXT NOT NULL, estimated_cost_eur BIGINT,
  notes TEXT NOT NULL, public_answer TEXT NOT NULL, merged_into TEXT, updated_ms BIGINT NOT NULL);
CREATE INDEX ideas_by_receipt ON ideas(receipt);
CREATE INDEX ideas_by_state ON ideas(state, received_ms);
CREATE INDEX ideas_by_assignee ON ideas(assignee, received_ms);
CREATE TABLE idea_milestones(
  idea TEXT NOT NULL, n INTEGER NOT NULL, day TEXT NOT NULL, text TEXT NOT NULL, photo_type TEXT NOT NULL, photo TEXT NOT NULL,
  added_ms BIGINT NOT NULL, PRIMARY KEY(idea, n));
CREATE TABLE idea_reasons(id TEXT PRIMARY KEY, label TEXT NOT NULL, position INTEGER NOT NULL);
INSERT INTO idea_reasons(id, label, position) VALUES
  ('hors_competence', 'Ne relève pas des compétences de la commune', 1),
  ('hors_budget', 'Dépasse l''enveloppe du budget participatif', 2),
  ('deja_prevu', 'Déjà prévu ou en cours par la commune', 3),
  ('interet_prive', 'Ne sert pas l''intérêt général', 4),
  ('fonctionnement', 'Relève du fonctionnement, pas de l''investissement', 5),
  ('illicite', 'Contraire à la loi ou au règlement du budget participatif', 6),
  ('imprecise', 'Trop imprécise pour être étudiée', 7);
)";

// --- 9: votes of the participatory budget and their ballots (store/votes.hpp)
//
// A ballot's row is written at ingest beside its capture, so the count reads one narrow table
// in the order of the one-vote rule (voter, then time, then capture) instead of parsing JSON.

constexpr const char* kVotes9 = R"(
CREATE TABLE votes(
  id TEXT PRIMARY KEY, json TEXT NOT NULL, stage TEXT NOT NULL, created_ms BIGINT NOT NULL, updated_ms BIGINT NOT NULL,
  results_ms BIGINT);
CREATE TABLE ballots(
  capture TEXT PRIMARY KEY, vote TEXT NOT NULL, voter TEXT NOT NULL, receipt TEXT NOT NULL, device TEXT NOT NULL,
  channel TEXT NOT NULL, paper INTEGER NOT NULL, corrected_ms BIGINT NOT NULL, projects TEXT NOT NULL);
CREATE INDEX ballots_by_voter ON ballots(vote, voter, corrected_ms, capture);
CREATE INDEX ballots_by_receipt ON ballots(receipt);
)";

// --- 10: the app version each device last said (Allervers-App-Version, docs/protocol.md)

constexpr const char* kAppVersion10 = R"(
ALTER TABLE devices ADD COLUMN app_version TEXT;
)";

// --- 11: mails telling residents what became of their idea (store/mail.hpp)

constexpr const char* kIdeaMails11 = R"(
CREATE TABLE idea_mails(
  capture TEXT NOT NULL, state TEXT NOT NULL, idea TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL,
  next_try_ms BIGINT NOT NULL, last_error TEXT NOT NULL, created_ms BIGINT NOT NULL, sent_ms BIGINT, PRIMARY KEY(capture, state));
CREATE INDEX idea_mails_due ON idea_mails(status, next_try_ms);
CREATE TABLE idea_mail_stops(capture TEXT PRIMARY KEY, stopped_ms BIGINT NOT NULL);
)";

// --- 12: the kiosk bursts' count at ingest reads one device's captures by time
// (CaptureStore::ingest with a BurstRule; at first once per kiosk capture): without this index it
// walked all of that device's captures, and ingest slowed as the device's history grew (docs/benchmarks.md).

constexpr const char* kBurstIndex12 = R"(
CREATE INDEX captures_by_device_time ON captures(device, channel, corrected_ms);
)";

// --- 13: media files (pictures of a vote's projects, pictograms), each once by its SHA-256.
// The bytes in base64 like ideas' photos (one text for both databases); `bytes` is their size.

constexpr const char* kMedia13 = R"(
CREATE TABLE media(
  hash TEXT PRIMARY KEY, content_type TEXT NOT NULL, width INTEGER NOT NULL, height INTEGER NOT NULL, bytes BIGINT NOT NULL,
  data_base64 TEXT NOT NULL, added_ms BIGINT NOT NULL);
)";

// --- 14: ingest with fewer b-trees (issue 9: keep the sync throughput). Free-text answers are
// kept in the order the console pages them (consultation, question, day, capture), and that is
// their key: on SQLite one b-tree (WITHOUT ROWID) where there were three (the table, its key on
// (capture, question), its index by question); on PostgreSQL one index where there were two. A
// capture has one consultation and one day, so the key is as unique as (capture, question) was.
// The kiosk bursts' index holds only what the bursts count (a kiosk's opinions and ideas), not
// every capture (CaptureStore::burst_times_query names the same condition, so both databases
// plan on it).

constexpr const char* kSqlite14 = R"(
CREATE TABLE text_answers_by_page(
  consultation TEXT NOT NULL, question TEXT NOT NULL, day INTEGER NOT NULL, capture TEXT NOT NULL, channel TEXT NOT NULL,
  device TEXT NOT NULL, neighbourhood TEXT NOT NULL, text TEXT NOT NULL, folded TEXT NOT NULL,
  PRIMARY KEY(consultation, question, day, capture)) WITHOUT ROWID;
INSERT INTO text_answers_by_page(consultation, question, day, capture, channel, device, neighbourhood, text, folded)
  SELECT consultation, question, day, capture, channel, device, neighbourhood, text, folded FROM text_answers;
DROP TABLE text_answers;
ALTER TABLE text_answers_by_page RENAME TO text_answers;
DROP INDEX captures_by_device_time;
CREATE INDEX captures_kiosk_times ON captures(device, corrected_ms) WHERE channel = 'kiosk' AND kind IN ('opinion', 'idea');
)";

constexpr const char* kPostgres14 = R"(
ALTER TABLE text_answers DROP CONSTRAINT text_answers_pkey;
DROP INDEX text_answers_by_question;
ALTER TABLE text_answers ADD PRIMARY KEY (consultation, question, day, capture);
DROP INDEX captures_by_device_time;
CREATE INDEX captures_kiosk_times ON captures(device, corrected_ms) WHERE channel = 'kiosk' AND kind IN ('opinion', 'idea');
)";

// Schema step 15: the captures' indexes by day, and by consultation and day, no longer
// end with the capture's id. An index entry then ends with the row's place (SQLite's rowid), which grows as rows
// arrive, so a batch's captures go at the end of their day's stretch of the index; with the id
// (time-ordered, and devices' days overlap) they went all over it, and a batch rewrote most of
// its leaves (bench_sync, 20 devices at once: a fifth of the server's CPU). Exports still read
// captures in (day, id) order: SQLite walks the index by day and sorts one day's captures at a
// time ("USE TEMP B-TREE FOR RIGHT PART OF ORDER BY"), so the first line still comes at once and
// memory holds a day, not every body. PostgreSQL the same: its index entries end with the row's
// place in the table, and an export's cursor sorts within each day (Incremental Sort).

constexpr const char* kDayIndexes15 = R"(
DROP INDEX captures_by_day;
DROP INDEX captures_by_consultation_day;
CREATE INDEX captures_by_day ON captures(day);
CREATE INDEX captures_by_consultation_day ON captures(consultation, day);
)";

// Schema step 16: what was derived once for rows older than the tables that hold it. Idea rows
// for ideas stored before step 8 were looked for at every opening of the store, by reading every
// capture of the table (no index leads with the kind): each pooled connection and each command
// on a million captures. Once done, ingest gives every new idea its row, so a row here says it
// need not be looked for again.

constexpr const char* kSqlite16 = R"(
CREATE TABLE derivations(name TEXT PRIMARY KEY, done_ms INTEGER NOT NULL);
)";

constexpr const char* kPostgres16 = R"(
CREATE TABLE derivations(name text PRIMARY KEY, done_ms bigint NOT NULL);
)";

// --- 17: counts of the changes to the documents every device asks for at every sync ----------
//
// GET /api/v1/outcomes lists every idea and GET /api/v1/passes every device's certificate: built
// at each request, they cost 150 ms (42,000 ideas) and 5 ms (1,000 devices) of CPU. The server
// keeps the last one it built with the count read just before building it; the same count means
// the same document. Every write to the tables a document is made of counts, by trigger, in the
// writer's transaction, whichever server or command writes (docs/decisions.md, "The documents
// every sync asks for are built again only when what they show changed"). A count is the sum
// of its shards' rows. SQLite counts per row in one shard (its one writer holds the file
// anyway); PostgreSQL per statement, in the writing connection's shard, so that concurrent
// batches do not queue on one row until they commit.
//   outcomes: ideas, idea_milestones, idea_reasons, votes, ballots
//   passes:   certificates, revoked_passes, server_secrets (the town's keys, retired ones)
constexpr const char* kSqlite17 = R"(
CREATE TABLE document_changes(name TEXT NOT NULL, shard INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY(name, shard));
INSERT INTO document_changes(name, shard, n) VALUES('outcomes', 0, 0), ('passes', 0, 0);
CREATE TRIGGER outcomes_changed_ideas_insert AFTER INSERT ON ideas BEGIN UPDATE document_changes SET n = n + 1 WHERE name = 'outcomes' AND shard = 0; END;
CREATE TRIGGER outcomes_changed_ideas_update AFTER UPDATE ON ideas BEGIN UPDATE document_changes SET n = n + 1 WHERE name = 'outcomes' AND shard = 0; END;
CREATE TRIGGER outcomes_changed_ideas_delete AFTER DELETE ON ideas BEGIN UPDATE document_changes SET n = n + 1 WHERE name = 'outcomes' AND shard = 0; END;
CREATE TRIGGER outcomes_changed_idea_milestones_insert AFTER INSERT ON idea_milestones BEGIN UPDATE document_changes SET n = n + 1 WHERE name = 'outcomes' AND shard = 0; END;
CREATE TRIGGER outcomes_changed_idea_milestones_update AFTER UPDATE ON idea_milestones BEGIN UPDATE document_changes SET n = n + 1 WHERE name = 'outcomes' AND shard = 0; END;
CREATE TRIGGER outcomes_changed_idea_milestones_delete AFTER DELETE ON idea_milestones BEGIN UPDATE document_changes SET n = n + 1 WHERE name = 'outcomes' AND shard = 0; END;
CREATE TRIGGER outcomes_changed_idea_reasons_insert AFTER INSERT ON idea_reasons BEGIN UPDATE document_changes SET n = n + 1 WHERE name = 'outcomes' AND shard = 0; END;
CREATE TRIGGER outcomes_changed_idea_reasons_update AFTER UPDATE ON idea_reasons BEGIN UPDATE document_changes SET n = n + 1 WHERE name = 'outcomes' AND shard = 0; END;
CREATE TRIGGER outcomes_changed_idea_reasons_delete AFTER DELETE ON idea_reasons BEGIN UPDATE document_changes SET n = n + 1 WHERE name = 'outcomes' AND shard = 0; END;
CREATE TRIGGER outcomes_changed_votes_insert AFTER INSERT ON votes BEGIN UPDATE document_changes SET n = n + 1 WHERE name = 'outcomes' AND shard = 0; END;
CREATE TRIGGER outcomes_changed_votes_update AFTER UPDATE ON votes BEGIN UPDATE document_changes SET n = n + 1 WHERE name = 'outcomes' AND shard = 0; END;
CREATE TRIGGER outcomes_changed_votes_delete AFTER DELETE ON votes BEGIN UPDATE document_changes SET n = n + 1 WHERE name = 'outcomes' AND shard = 0; END;
CREATE TRIGGER outcomes_changed_ballots_insert AFTER INSERT ON ballots BEGIN UPDATE document_changes SET n = n + 1 WHERE name = 'outcomes' AND shard = 0; END;
CREATE TRIGGER outcomes_changed_ballots_update AFTER UPDATE ON ballots BEGIN UPDATE document_changes SET n = n + 1 WHERE name = 'outcomes' AND shard = 0; END;
CREATE TRIGGER outcomes_changed_ballots_delete AFTER DELETE ON ballots BEGIN UPDATE document_changes SET n = n + 1 WHERE name = 'outcomes' AND shard = 0; END;
CREATE TRIGGER passes_changed_certificates_insert AFTER INSERT ON certificates BEGIN UPDATE document_changes SET n = n + 1 WHERE name = 'passes' AND shard = 0; END;
CREATE TRIGGER passes_changed_certificates_update AFTER UPDATE ON certificates BEGIN UPDATE document_changes SET n = n + 1 WHERE name = 'passes' AND shard = 0; END;
CREATE TRIGGER passes_changed_certificates_delete AFTER DELETE ON certificates BEGIN UPDATE document_changes SET n = n + 1 WHERE name = 'passes' AND shard = 0; END;
CREATE TRIGGER passes_changed_revoked_passes_insert AFTER INSERT ON revoked_passes BEGIN UPDATE document_changes SET n = n + 1 WHERE name = 'passes' AND shard = 0; END;
CREATE TRIGGER passes_changed_revoked_passes_update AFTER UPDATE ON revoked_passes BEGIN UPDATE document_changes SET n = n + 1 WHERE name = 'passes' AND shard = 0; END;
CREATE TRIGGER passes_changed_revoked_passes_delete AFTER DELETE ON revoked_passes BEGIN UPDATE document_changes SET n = n + 1 WHERE name = 'passes' AND shard = 0; END;
CREATE TRIGGER passes_changed_server_secrets_insert AFTER INSERT ON server_secrets BEGIN UPDATE document_changes SET n = n + 1 WHERE name = 'passes' AND shard = 0; END;
CREATE TRIGGER passes_changed_server_secrets_update AFTER UPDATE ON server_secrets BEGIN UPDATE document_changes SET n = n + 1 WHERE name = 'passes' AND shard = 0; END;
CREATE TRIGGER passes_changed_server_secrets_delete AFTER DELETE ON server_secrets BEGIN UPDATE document_changes SET n = n + 1 WHERE name = 'passes' AND shard = 0; END;
)";

constexpr const char* kPostgres17 = R"(
CREATE TABLE document_changes(name text NOT NULL, shard integer NOT NULL, n bigint NOT NULL, PRIMARY KEY(name, shard));
INSERT INTO document_changes(name, shard, n) VALUES('outcomes', 0, 0), ('passes', 0, 0);
CREATE FUNCTION document_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO document_changes(name, shard, n) VALUES(TG_ARGV[0], pg_backend_pid() % 64, 1)
    ON CONFLICT (name, shard) DO UPDATE SET n = document_changes.n + 1;
  RETURN NULL;
END
$$;
CREATE TRIGGER outcomes_changed_ideas AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ideas FOR EACH STATEMENT EXECUTE FUNCTION document_changed('outcomes');
CREATE TRIGGER outcomes_changed_idea_milestones AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON idea_milestones FOR EACH STATEMENT EXECUTE FUNCTION document_changed('outcomes');
CREATE TRIGGER outcomes_changed_idea_reasons AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON idea_reasons FOR EACH STATEMENT EXECUTE FUNCTION document_changed('outcomes');
CREATE TRIGGER outcomes_changed_votes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON votes FOR EACH STATEMENT EXECUTE FUNCTION document_changed('outcomes');
CREATE TRIGGER outcomes_changed_ballots AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ballots FOR EACH STATEMENT EXECUTE FUNCTION document_changed('outcomes');
CREATE TRIGGER passes_changed_certificates AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON certificates FOR EACH STATEMENT EXECUTE FUNCTION document_changed('passes');
CREATE TRIGGER passes_changed_revoked_passes AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON revoked_passes FOR EACH STATEMENT EXECUTE FUNCTION document_changed('passes');
CREATE TRIGGER passes_changed_server_secrets AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON server_secrets FOR EACH STATEMENT EXECUTE FUNCTION document_changed('passes');
)";

// --- 18: the tallies of a few captures wait, summed, to be added with others -----------------
//
// A write of fewer than kTalliesWaitBelow captures (server/src/store/facts.hpp) keeps its counts
// here, one row, instead of changing the six tally b-trees; ingest adds every waiting row to the
// tallies at each kTalliesFoldEvery-th, and every reader of the tallies first (docs/decisions.md,
// "A few captures' tallies wait, summed, to be added with others").
constexpr const char* kSqlite18 = R"(
CREATE TABLE tally_pending(id INTEGER PRIMARY KEY, captures TEXT NOT NULL, answers TEXT NOT NULL);
)";

constexpr const char* kPostgres18 = R"(
CREATE TABLE tally_pending(id bigserial PRIMARY KEY, captures text NOT NULL, answers text NOT NULL);
)";

constexpr sql::SchemaStep kSteps[] = {
    {1, "devices, enrolment codes, captures, rejections, conflicts, catalogs", kSqlite1, kPostgres1},
    {2, "passes: server keys, device certificates, revoked and printed passes, office tokens; sign-ins by assembly", kSqlite2, kPostgres2},
    {3, "the office's data: town days, quartiers and age brackets of captures, tallies, free-text answers, population", kSqlite3,
     kPostgres3},
    {4, "the office console: accounts, password links, sessions, login throttling, audit log; office token scopes", kSqlite4,
     kPostgres4},
    {5, "security: replacement codes name their device; failed attempts by client address", kSecurity5, kSecurity5},
    {6, "one throttle keyed by purpose and subject, replacing login_throttle and failed_attempts", kThrottle6, kThrottle6},
    {7, "the public pages: used form tokens, web submissions, the web sequence, ideas' photos, capture flags", kPublic7, kPublic7},
    {8, "ideas under review: states, public answers, milestones, the town's reasons", kIdeas8, kIdeas8},
    {9, "votes of the participatory budget and their ballots", kVotes9, kVotes9},
    {10, "devices: the app version each device last said", kAppVersion10, kAppVersion10},
    {11, "mails about ideas: the outbox and the authors who asked for no more", kIdeaMails11, kIdeaMails11},
    {12, "captures: an index by device, channel and corrected time, for the kiosk bursts' count", kBurstIndex12, kBurstIndex12},
    {13, "media files: pictures of votes' projects and pictograms, by their SHA-256", kMedia13, kMedia13},
    {14, "ingest with fewer b-trees: free-text answers keyed in page order; the kiosk bursts' index holds only kiosk opinions and ideas",
     kSqlite14, kPostgres14},
    {15, "captures: the indexes by day end with the row's arrival, not its id", kDayIndexes15, kDayIndexes15},
    {16, "derivations done once for older rows (ideas' rows)", kSqlite16, kPostgres16},
    {17, "counts of the changes to the documents every sync asks for (the outcomes, the pass keys)", kSqlite17, kPostgres17},
    {18, "the tallies of a few captures wait, summed, to be added with others", kSqlite18, kPostgres18},
};

}  // namespace

std::span<const sql::SchemaStep> schema_steps() { return kSteps; }

}  // namespace allervers::server
