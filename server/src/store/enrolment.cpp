// Devices: enrolment codes, enrolment, tokens, revocation, the office's list.
#include "allervers/server/store/enrolment.hpp"

#include "internal.hpp"

namespace allervers::server {

namespace {
// A device as requests see it (device_from reads these columns in this order).
constexpr const char* kDeviceSelect = "SELECT id, name, revoked_ms, last_seen_ms, COALESCE(app_version, '') FROM devices";

DeviceRow device_from(const sql::Row& row) { return {row.text(0), row.text(1), !row.is_null(2), row.opt_int64(3), row.text(4)}; }
}  // namespace

void EnrolmentStore::add_enrol_code(const std::string& code_hash, const std::string& name, std::int64_t expires_ms,
                                    std::int64_t now_ms, const std::optional<std::string>& for_device) {
  db().exec("INSERT INTO enrol_codes(code_hash, name, created_ms, expires_ms, for_device) VALUES($1, $2, $3, $4, $5)",
            {code_hash, name, now_ms, expires_ms, for_device ? sql::Param(*for_device) : nullptr});
}

EnrolResult EnrolmentStore::enrol(const std::string& code_hash, const std::string& device, const std::string& fallback_name,
                                  const std::string& token_hash, std::int64_t now_ms,
                                  const std::function<std::string(std::uint32_t)>& certify) {
  sql::Transaction tx(db());
  // Claimed in one statement, so two devices racing for one code cannot both have it (the
  // second waits for the first's row, then finds it used).
  const auto claimed = db().query(
      "UPDATE enrol_codes SET used_ms = $1, device = $2 WHERE code_hash = $3 AND used_ms IS NULL AND expires_ms >= $1 "
      "RETURNING name, for_device",
      {now_ms, device, code_hash});
  if (claimed.empty()) {
    const auto code = db().query("SELECT used_ms FROM enrol_codes WHERE code_hash = $1", {code_hash});
    if (code.empty()) return {EnrolOutcome::unknown_code, {}, std::nullopt, {}};
    if (!code.one().is_null(0)) return {EnrolOutcome::already_used, {}, std::nullopt, {}};
    return {EnrolOutcome::expired, {}, std::nullopt, {}};
  }
  // Ids are not secret (certificates and exports show them): an id already enrolled is taken
  // over only with a code made for it. Returning before commit() rolls the claim back, so a
  // refused enrolment leaves the code unused and changes nothing.
  const std::optional<std::string> for_device =
      claimed.one().is_null(1) ? std::nullopt : std::optional(claimed.one().text(1));
  if (for_device && *for_device != device) return {EnrolOutcome::wrong_device, {}, std::nullopt, {}};
  const bool known = !db().query("SELECT 1 FROM devices WHERE CAST(id AS TEXT) = $1", {device}).empty();
  if (known && !for_device) return {EnrolOutcome::device_taken, {}, std::nullopt, {}};
  std::string name = claimed.one().text(0);
  if (name.empty()) name = fallback_name;
  // A device enrolled again (reset, or found after being revoked) gets a new token.
  db().exec("INSERT INTO devices(id, name, token_hash, enrolled_ms, last_seen_ms) VALUES($1, $2, $3, $4, $4) "
            "ON CONFLICT(id) DO UPDATE SET name = excluded.name, token_hash = excluded.token_hash, "
            "enrolled_ms = excluded.enrolled_ms, revoked_ms = NULL, last_seen_ms = excluded.last_seen_ms",
            {device, name, token_hash, now_ms});
  EnrolResult result{EnrolOutcome::enrolled, name, std::nullopt, {}};
  if (certify) {
    const auto row = insert_certificate(db(), device, certify, now_ms);
    result.certificate_serial = row.serial;
    result.certificate = row.text;
  }
  tx.commit();
  return result;
}

std::optional<DeviceRow> EnrolmentStore::device_by_token(const std::string& token_hash) {
  const auto rows = db().query(std::string(kDeviceSelect) + " WHERE token_hash = $1", {token_hash});
  if (rows.empty()) return std::nullopt;
  return device_from(rows.one());
}

void EnrolmentStore::touch_device(const std::string& device, std::int64_t now_ms, std::optional<std::int64_t> clock_offset_ms) {
  db().exec("UPDATE devices SET last_seen_ms = $1, clock_offset_ms = COALESCE(CAST($2 AS BIGINT), clock_offset_ms) WHERE id = $3",
            {now_ms, clock_offset_ms, device});
}

void EnrolmentStore::note_app_version(const std::string& device, const std::string& version) {
  db().exec("UPDATE devices SET app_version = $1 WHERE id = $2 AND COALESCE(app_version, '') <> $1", {version, device});
}

DeviceLookup EnrolmentStore::find_device(const std::string& id_or_name) {
  DeviceLookup out;
  const auto by_id = db().query(std::string(kDeviceSelect) + " WHERE CAST(id AS TEXT) = $1", {id_or_name});
  if (!by_id.empty()) {
    out.device = device_from(by_id.one());
    return out;
  }
  std::vector<DeviceRow> named;
  for (const auto row : db().query(std::string(kDeviceSelect) + " WHERE name = $1 ORDER BY id", {id_or_name}))
    named.push_back(device_from(row));
  if (named.size() == 1) out.device = named.front();
  else if (named.size() > 1) out.ambiguous = std::move(named);
  return out;
}

RevokeResult EnrolmentStore::revoke_device(const std::string& id_or_name, std::int64_t now_ms) {
  sql::Transaction tx(db());
  auto found = find_device(id_or_name);
  if (!found.ambiguous.empty()) return {RevokeOutcome::ambiguous, {}, std::move(found.ambiguous)};
  if (!found.device) return {RevokeOutcome::not_found, {}, {}};
  const std::string& id = found.device->id;
  db().exec("UPDATE devices SET revoked_ms = COALESCE(revoked_ms, $1) WHERE CAST(id AS TEXT) = $2", {now_ms, id});
  db().exec("UPDATE certificates SET revoked_ms = COALESCE(revoked_ms, $1) WHERE CAST(device AS TEXT) = $2", {now_ms, id});
  tx.commit();
  return {RevokeOutcome::revoked, id, {}};
}

std::vector<DeviceSummary> EnrolmentStore::list_devices() {
  std::vector<DeviceSummary> out;
  const auto rows = db().query(R"(
SELECT d.id, d.name, d.revoked_ms, d.enrolled_ms, d.last_seen_ms, d.last_batch_ms, d.clock_offset_ms, d.pending_on_device,
  (SELECT COUNT(*) FROM captures c WHERE c.device = d.id),
  (SELECT COUNT(*) FROM rejections r WHERE r.device = d.id),
  (SELECT COALESCE(MAX(seq), 0) FROM (SELECT seq FROM captures WHERE device = d.id UNION SELECT seq FROM rejections
     WHERE device = d.id UNION SELECT seq FROM conflicts WHERE device = d.id) s),
  (SELECT COUNT(*) FROM (SELECT seq FROM captures WHERE device = d.id UNION SELECT seq FROM rejections
     WHERE device = d.id UNION SELECT seq FROM conflicts WHERE device = d.id) s),
  d.app_version
FROM devices d ORDER BY d.name, d.id)");
  for (const auto row : rows) {
    DeviceSummary s;
    s.id = row.text(0);
    s.name = row.text(1);
    s.revoked = !row.is_null(2);
    s.enrolled_ms = row.int64(3);
    s.last_seen_ms = row.opt_int64(4);
    s.last_batch_ms = row.opt_int64(5);
    s.clock_offset_ms = row.opt_int64(6);
    s.pending_on_device = row.opt_int64(7);
    s.records_held = row.int64(8);
    s.rejected = row.int64(9);
    s.max_seq = row.int64(10);
    s.gaps = s.max_seq - row.int64(11);
    s.app_version = row.is_null(12) ? "" : row.text(12);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace allervers::server
