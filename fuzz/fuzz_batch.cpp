// A sync batch's body as the server reads it (POST /api/v1/batches), gzip included.
#include <stdexcept>

#include "allervers/sync/protocol.hpp"
#include "allervers/sync/tuning.hpp"
#include "harness.hpp"

using namespace allervers;
namespace protocol = sync::protocol;

ALLERVERS_FUZZ_TARGET(batch) {
  const std::string body(fuzz::text_of(data, size));
  try {
    const auto batch = protocol::decode_batch(body, sync::tuning::server_max_records);
    fuzz::require(batch.records.size() <= sync::tuning::server_max_records, "more records than allowed");
  } catch (const protocol::ProtocolError&) {
  }
  // The same bytes as a gzip body: bounded, whatever they claim.
  try {
    const auto out = protocol::gzip_decompress(body, 1 << 20);
    fuzz::require(out.size() <= (1 << 20), "gzip went past its bound");
  } catch (const protocol::ProtocolError&) {
  } catch (const std::length_error&) {
  }
  return 0;
}
