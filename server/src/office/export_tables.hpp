#pragma once
// The office's tables — opinions with a column per question, ideas, sign-ins, and ideas as
// Decidim proposals — as columns and one row of cells per capture, shared by the CSV and XLSX
// writers (exports.cpp, xlsx.cpp). French labels by default, ids on request.
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "allervers/core/consultation.hpp"
#include "allervers/crypto/sealed_box.hpp"
#include "allervers/server/store/captures.hpp"

namespace allervers::server::exports {

// --- cells -----------------------------------------------------------------------------

// A wall-clock time in the town (the capture's UTC offset applied).
struct LocalTime {
  std::int64_t year = 1970;
  unsigned month = 1, day = 1;
  int hour = 0, minute = 0, second = 0;
};
LocalTime local_time(std::int64_t utc_ms, std::int32_t offset_minutes);
std::string format_local(const LocalTime& t);  // "21/11/2026 10:05"

struct Cell {
  enum class Type { empty, text, number, time };
  Type type = Type::empty;
  std::string text;  // the text; for a time, as format_local writes it
  std::int64_t number = 0;
  LocalTime time;

  void set_text(std::string_view value) {
    type = Type::text;
    text.assign(value);
  }
  void set_number(std::int64_t value) {
    type = Type::number;
    number = value;
    text.clear();
    // Digits, written here: std::to_string would allocate a row's worth of strings.
    char buf[24];
    auto* end = buf + sizeof buf;
    auto* p = end;
    std::uint64_t v = value < 0 ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
    do *--p = static_cast<char>('0' + v % 10); while ((v /= 10) != 0);
    if (value < 0) *--p = '-';
    text.append(p, end);
  }
  void set_time(const LocalTime& value) {
    type = Type::time;
    time = value;
    text = format_local(value);
  }
};

struct Column {
  std::string header;
  double width = 14;  // in characters (XLSX)
};

// --- what every table reads ------------------------------------------------------------

// Names a table shows for ids, in French (or the ids themselves with `ids`). Call index()
// once the catalog and device names are in; the answers point into the context or into the
// id asked about.
struct Context {
  core::Catalog catalog;  // every version of every consultation ever published
  std::map<std::string, std::string> device_names;
  bool ids = false;
  bool personal_data = true;
  std::optional<crypto::OfficeKeyRing> office;  // set: sealed contacts are opened

  void index();
  std::string_view consultation_title(const std::string& id) const;
  std::string_view channel(const std::string& name) const;
  std::string_view device(const std::string& id) const;
  std::string_view neighbourhood(const std::string& id) const;
  std::string_view age_bracket(const std::string& id) const;
  std::string_view yes_no(bool value) const;

 private:
  std::unordered_map<std::string, std::string> titles_, channels_;
};

// --- tables ----------------------------------------------------------------------------

class Table {
 public:
  virtual ~Table() = default;
  const std::vector<Column>& columns() const { return columns_; }
  // One cell per column for `capture`, whose body (its kind's part of the record,
  // server/src/record_value.hpp) is `body`.
  virtual void row(const CaptureRow& capture, const nlohmann::json& body, std::vector<Cell>& cells) const = 0;

 protected:
  std::vector<Column> columns_;
};

// Opinions to `consultations` (ids, in the order their columns come): a column per question
// of every version, headed by its label (by its id with `ids`).
std::unique_ptr<Table> opinions_table(const Context& context, const std::vector<std::string>& consultations);
std::unique_ptr<Table> ideas_table(const Context& context);
std::unique_ptr<Table> signins_table(const Context& context);
// Decidim's proposals import (decidim-proposals, Import::ProposalCreator): title/fr, body/fr,
// scope/id, category/id, taxonomies/ids, address, latitude, longitude.
std::unique_ptr<Table> decidim_table(const Context& context, const std::map<std::string, std::string>& scopes,
                                     const std::map<std::string, std::string>& categories);

}  // namespace allervers::server::exports
