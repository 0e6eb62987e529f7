#pragma once
// Reading a capture record's fields, collecting shape errors (wrong types, unknown keys)
// instead of stopping at the first. Private to core: capture.cpp and each kind's reader.
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "allervers/core/validation.hpp"

namespace allervers::core {

class RecordReader {
 public:
  explicit RecordReader(std::vector<ValidationError>& errors) : errors_(errors) {}

  void error(const std::string& field, const std::string& code, const std::string& message) {
    errors_.push_back({field, code, message});
  }

  // The value under `key`; nullptr when absent or null (null is "not given").
  const nlohmann::json* get(const nlohmann::json& object, const std::string& key) const {
    auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
  }

  std::optional<std::string> string(const nlohmann::json& object, const std::string& key, const std::string& field) {
    const nlohmann::json* v = get(object, key);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      error(field, "wrong_type", "expected a text");
      return std::nullopt;
    }
    return v->get<std::string>();
  }

  void reject_unknown_keys(const nlohmann::json& object, const std::set<std::string>& known, const std::string& prefix) {
    for (auto it = object.begin(); it != object.end(); ++it)
      if (!known.count(it.key())) error(prefix + it.key(), "unknown_field", "unknown field (a typing mistake?)");
  }

 private:
  std::vector<ValidationError>& errors_;
};

}  // namespace allervers::core
