#pragma once
// The rules every kind of capture shares — text, choices among options — and the error list
// they fill. Private to core: validation.cpp and each kind's rules (core/src/kinds/).
#include <string>
#include <vector>

#include "allervers/core/consultation.hpp"
#include "allervers/core/text.hpp"
#include "allervers/core/validation.hpp"

namespace allervers::core {

class Checker {
 public:
  Checker(const Catalog& catalog, std::vector<ValidationError>& errors, const Instant* captured_at = nullptr)
      : catalog_(catalog), errors_(errors), captured_at_(captured_at) {}

  const Catalog& catalog() const { return catalog_; }
  // When the capture being checked was made (a ballot's day must be within its vote's), or null.
  const Instant* captured_at() const { return captured_at_; }

  void error(std::string field, std::string code, std::string message) {
    errors_.push_back({std::move(field), std::move(code), std::move(message)});
  }

  // Text rules: valid UTF-8, no NUL or control characters, within [min, max] characters.
  bool text(const std::string& field, const std::string& value, Lines lines, std::size_t min, std::size_t max);

  // `value` must be the id of one of `options` ("not_an_option" names up to 12 of them).
  void option(const std::string& field, const std::string& value, const std::vector<Option>& options, const char* what);

  // A value safe to quote in a message: at most 40 characters, "(unreadable text)" when invalid.
  static std::string printable(const std::string& value);

 private:
  const Catalog& catalog_;
  std::vector<ValidationError>& errors_;
  const Instant* captured_at_ = nullptr;
};

}  // namespace allervers::core
