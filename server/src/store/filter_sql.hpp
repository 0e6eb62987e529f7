#pragma once
// The office's filter (capture_filter.hpp) as SQL, the same text on both databases, for the
// captures table and the tallies alike: the dashboard and the exports read the same rows.
#include <string>
#include <string_view>
#include <vector>

#include "allervers/server/capture_filter.hpp"
#include "allervers/server/sql.hpp"

namespace allervers::server {

// The columns a table has, of those a filter may use.
namespace filter_columns {
inline constexpr unsigned day = 1, consultation = 2, neighbourhood = 4, channel = 8, device = 16, kind = 32;
inline constexpr unsigned all = day | consultation | neighbourhood | channel | device | kind;
}  // namespace filter_columns

// Whether every part of the filter in use is a column of the table.
bool filter_fits(const CaptureFilter& filter, unsigned columns);

struct FilterSql {
  std::string where;               // "" or " WHERE …", ready to append
  std::vector<sql::Param> params;  // $first, $first+1 …; they point into the filter: keep it alive
};

// `columns` must fit the filter (throws std::logic_error otherwise); `prefix` qualifies the
// columns ("c."), `first` numbers the first parameter.
FilterSql filter_sql(const CaptureFilter& filter, unsigned columns, std::string_view prefix = "", int first = 1);

}  // namespace allervers::server
