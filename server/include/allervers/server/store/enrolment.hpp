#pragma once
// Devices: enrolment codes, enrolled devices and their tokens (stored hashed), revocation,
// and the office's list of devices. Tables: enrol_codes, devices.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "allervers/server/store/area.hpp"

namespace allervers::server {

struct DeviceRow {
  std::string id;
  std::string name;
  bool revoked = false;
  // Read with the token (device_by_token) so that a request writes the row only when they change.
  std::optional<std::int64_t> last_seen_ms;
  std::string app_version;
};

struct DeviceSummary {
  std::string id, name;
  bool revoked = false;
  std::int64_t enrolled_ms = 0;
  std::optional<std::int64_t> last_seen_ms, last_batch_ms;
  std::optional<std::int64_t> clock_offset_ms;
  std::int64_t records_held = 0;      // captures from it on the server
  std::int64_t rejected = 0;          // records refused for their content
  std::int64_t max_seq = 0;           // highest sequence number received
  std::int64_t gaps = 0;              // sequence numbers below max_seq never received
  std::optional<std::int64_t> pending_on_device;  // what it said it still held at its last batch
  std::string app_version;                        // the app's version it last said ("" never said)
};

// device_taken: the id is enrolled already and the code was not made to replace it;
// wrong_device: the code was made to replace another device. Neither uses the code.
enum class EnrolOutcome { enrolled, unknown_code, expired, already_used, device_taken, wrong_device };
struct EnrolResult {
  EnrolOutcome outcome;
  std::string name;  // the name the device was given
  std::optional<std::uint32_t> certificate_serial;  // when a certificate was asked for
  std::string certificate;                          // its text
};

struct DeviceLookup {
  std::optional<DeviceRow> device;   // found, by id or by a name only one device has
  std::vector<DeviceRow> ambiguous;  // a name several devices share
};

enum class RevokeOutcome { revoked, not_found, ambiguous };
struct RevokeResult {
  RevokeOutcome outcome;
  std::string device;                 // the id revoked
  std::vector<DeviceRow> candidates;  // when ambiguous
};

class EnrolmentStore : public virtual StoreArea {
 public:
  // `for_device` set: the code may only re-enrol that device (a reset tablet); unset: it enrols
  // a new device and nothing else.
  void add_enrol_code(const std::string& code_hash, const std::string& name, std::int64_t expires_ms, std::int64_t now_ms,
                      const std::optional<std::string>& for_device = std::nullopt);
  // `certify` (optional) makes a device certificate for the serial the store assigns, in the
  // same transaction as the enrolment: a refused code issues no certificate.
  EnrolResult enrol(const std::string& code_hash, const std::string& device, const std::string& fallback_name,
                    const std::string& token_hash, std::int64_t now_ms,
                    const std::function<std::string(std::uint32_t serial)>& certify = {});
  std::optional<DeviceRow> device_by_token(const std::string& token_hash);
  void touch_device(const std::string& device, std::int64_t now_ms, std::optional<std::int64_t> clock_offset_ms);
  // The app version the device said (written only when it changed).
  void note_app_version(const std::string& device, const std::string& version);
  // By id, or by exact name when one device only has it: a name two devices share revokes
  // nothing (`candidates` lists them). Its device certificates are revoked too.
  RevokeResult revoke_device(const std::string& id_or_name, std::int64_t now_ms);
  // The device with this id, or the one device with this name; `ambiguous` lists several.
  DeviceLookup find_device(const std::string& id_or_name);
  std::vector<DeviceSummary> list_devices();
};

}  // namespace allervers::server
