// Rows as both drivers give them back, and what both drivers share (a write run in its own transaction).
#include <charconv>

#include "allervers/server/sql.hpp"

namespace allervers::server::sql {

const Cell& Row::at(int column) const {
  if (column < 0 || static_cast<std::size_t>(column) >= cells_.size())
    throw StoreError("column " + std::to_string(column) + " asked of a row of " + std::to_string(cells_.size()));
  return cells_[static_cast<std::size_t>(column)];
}

bool Row::is_null(int column) const { return std::holds_alternative<std::monostate>(at(column)); }

std::int64_t Row::int64(int column) const {
  const Cell& cell = at(column);
  if (const auto* v = std::get_if<std::int64_t>(&cell)) return *v;
  if (const auto* s = std::get_if<std::string>(&cell)) {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), v);
    if (ec == std::errc() && end == s->data() + s->size()) return v;
    throw StoreError("column " + std::to_string(column) + " holds \"" + s->substr(0, 40) + "\" where a whole number was expected");
  }
  throw StoreError("column " + std::to_string(column) + " is NULL where a whole number was expected");
}

std::optional<std::int64_t> Row::opt_int64(int column) const {
  return is_null(column) ? std::nullopt : std::optional(int64(column));
}

std::string Row::text(int column) const {
  const Cell& cell = at(column);
  if (const auto* s = std::get_if<std::string>(&cell)) return *s;
  if (const auto* v = std::get_if<std::int64_t>(&cell)) return std::to_string(*v);
  return {};
}

Row Rows::operator[](std::size_t row) const {
  const auto width = static_cast<std::size_t>(columns_);
  return Row(std::span<const Cell>(cells_).subspan(row * width, width));
}

Row Rows::one() const& {
  if (empty()) throw StoreError("a query that always gives a row gave none");
  return (*this)[0];
}

Row Rows::one() && {
  if (empty()) throw StoreError("a query that always gives a row gave none");
  cells_.resize(static_cast<std::size_t>(columns_));
  return Row(std::move(cells_));
}

void Driver::write_grouped(const std::function<void(Driver&)>& work) {
  Transaction tx(*this);
  work(*this);
  tx.commit();
}

}  // namespace allervers::server::sql
