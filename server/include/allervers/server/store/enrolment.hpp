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
};

enum class EnrolOutcome { enrolled, unknown_code, expired, already_used, device_taken };
struct EnrolResult {
  EnrolOutcome outcome;
  std::string name;  // the name the device was given
  std::optional<std::uint32_t> certificate_serial;  // when a certificate was asked for
  std::string certificate;                          // its text
};

class EnrolmentStore : public virtual StoreArea {
 public:
  void add_enrol_code(const std::string& code_hash, const std::string& name, std::int64_t expires_ms, std::int64_t now_ms);
  // `certify` (optional) makes a device certificate for the serial the store assigns, in the
  // same transaction as the enrolment: a refused code issues no certificate.
  EnrolResult enrol(const std::string& code_hash, const std::string& device, const std::string& fallback_name,
                    const std::string& token_hash, std::int64_t now_ms,
                    const std::function<std::string(std::uint32_t serial)>& certify = {});
  std::optional<DeviceRow> device_by_token(const std::string& token_hash);
  void touch_device(const std::string& device, std::int64_t now_ms, std::optional<std::int64_t> clock_offset_ms);
  // By id or exact name; false when no such device. Its device certificates are revoked too.
  bool revoke_device(const std::string& id_or_name, std::int64_t now_ms);
  std::vector<DeviceSummary> list_devices();
};

}  // namespace allervers::server
