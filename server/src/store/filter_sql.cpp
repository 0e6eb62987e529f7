// The office's filter as a WHERE clause.
#include "filter_sql.hpp"

#include <stdexcept>

namespace allervers::server {

bool filter_fits(const CaptureFilter& f, unsigned columns) {
  using namespace filter_columns;
  auto has = [&](unsigned c) { return (columns & c) != 0; };
  return ((!f.from_day && !f.to_day) || has(day)) && (f.consultation.empty() || has(consultation)) &&
         (f.neighbourhood.empty() || has(neighbourhood)) && (f.channel.empty() || has(channel)) && (f.device.empty() || has(device)) &&
         (f.kind.empty() || has(kind));
}

FilterSql filter_sql(const CaptureFilter& f, unsigned columns, std::string_view prefix, int first) {
  if (!filter_fits(f, columns)) throw std::logic_error("filter_sql: the table lacks a column the filter uses");
  FilterSql out;
  int n = first;
  auto add = [&](std::string_view column, std::string_view op, sql::Param value) {
    out.where += out.where.empty() ? " WHERE " : " AND ";
    out.where += std::string(prefix) + std::string(column) + " " + std::string(op) + " $" + std::to_string(n++);
    out.params.push_back(value);
  };
  if (!f.consultation.empty()) add("consultation", "=", f.consultation);
  if (f.from_day) add("day", ">=", *f.from_day);
  if (f.to_day) add("day", "<=", *f.to_day);
  if (!f.kind.empty()) add("kind", "=", f.kind);
  if (!f.channel.empty()) add("channel", "=", f.channel);
  if (!f.neighbourhood.empty()) add("neighbourhood", "=", f.neighbourhood);
  if (!f.device.empty()) add("device", "=", f.device);
  return out;
}

}  // namespace allervers::server
