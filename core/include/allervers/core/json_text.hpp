#pragma once
// JSON values written as compact text: the very bytes nlohmann's
// `dump(-1, ' ', false, error_handler_t::replace)` writes (keys in order, no spaces, UTF-8 kept,
// control characters escaped), several times faster. Canonical capture bodies are compared
// byte for byte with those stored before (a re-sent record against the one held), so the bytes
// must not change: what this writer does not write itself (a floating-point number, text that
// is not well-formed UTF-8, binary) it leaves to nlohmann's dump, for the whole value.
#include <nlohmann/json.hpp>
#include <string>

namespace allervers::core {

std::string compact_json(const nlohmann::json& value);

}  // namespace allervers::core
