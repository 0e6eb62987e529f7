#pragma once
// A capture's fields as they are written, once for both forms: a JSON value (capture_to_json:
// exports, listings) and the canonical text stored by the server (canonical_json), which is
// written directly rather than through a JSON value (a tenth of the server's ingest went into
// building that value). Both give the same JSON: tests/core/test_capture_json.cpp compares them.
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "allervers/core/json_text.hpp"

namespace allervers::core::kinds {

class Fields {
 public:
  virtual ~Fields() = default;
  virtual void text(std::string_view key, const std::string& value) = 0;
  virtual void number(std::string_view key, std::int64_t value) = 0;
  virtual void boolean(std::string_view key, bool value) = 0;
  virtual void texts(std::string_view key, const std::vector<std::string>& values) = 0;  // a list of texts
  virtual void object(std::string_view key, const std::function<void(Fields&)>& fill) = 0;
};

// Into a JSON object.
class JsonFields final : public Fields {
 public:
  explicit JsonFields(nlohmann::json& object) : object_(object) {}
  void text(std::string_view key, const std::string& value) override { object_[std::string(key)] = value; }
  void number(std::string_view key, std::int64_t value) override { object_[std::string(key)] = value; }
  void boolean(std::string_view key, bool value) override { object_[std::string(key)] = value; }
  void texts(std::string_view key, const std::vector<std::string>& values) override { object_[std::string(key)] = values; }
  void object(std::string_view key, const std::function<void(Fields&)>& fill) override {
    nlohmann::json inner = nlohmann::json::object();
    JsonFields fields(inner);
    fill(fields);
    object_[std::string(key)] = std::move(inner);
  }

 private:
  nlohmann::json& object_;
};

// Into compact JSON text, keys in the order a JSON object keeps them (JsonObjectText).
class TextFields final : public Fields {
 public:
  void text(std::string_view key, const std::string& value) override { append_json_string(object_.member(key), value); }
  void number(std::string_view key, std::int64_t value) override { append_json_number(object_.member(key), value); }
  void boolean(std::string_view key, bool value) override { object_.member(key) += value ? "true" : "false"; }
  void texts(std::string_view key, const std::vector<std::string>& values) override {
    std::string& out = object_.member(key);
    out += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i) out += ',';
      append_json_string(out, values[i]);
    }
    out += ']';
  }
  void object(std::string_view key, const std::function<void(Fields&)>& fill) override {
    TextFields inner;
    fill(inner);
    inner.object_.append_to(object_.member(key));
  }
  std::string str() const {
    std::string out;
    object_.append_to(out);
    return out;
  }

 private:
  JsonObjectText object_;
};

}  // namespace allervers::core::kinds
