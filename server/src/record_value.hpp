#pragma once
// A top-level value of a capture's stored record without parsing the rest of it: the store
// derives a capture's facts and the exports write its row from its body alone (its kind's
// key), and the rest of the record is already in columns. For canonical JSON (core::
// canonical_json: keys sorted, no white space), which is what the store keeps.
#include <string_view>

namespace allervers::server {

// The JSON text of `key`'s value in `record`; empty when the key is absent or the record is
// not a JSON object as canonical JSON writes it.
std::string_view record_value(std::string_view record, std::string_view key);

}  // namespace allervers::server
