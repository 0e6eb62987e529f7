// XLSX workbooks through libxlsxwriter, constant-memory mode.
#include "xlsx.hpp"

#include <xlsxwriter.h>

#include <set>
#include <stdexcept>

#include "allervers/core/text.hpp"

namespace allervers::server::exports {

namespace {

constexpr std::size_t kCellCharacters = 32767;  // what an Excel cell holds

// Excel's sheet names: at most 31 characters, none of []:*?/\, not empty.
std::string sheet_name(const std::string& wanted) {
  std::string clean;
  for (char c : wanted) clean += std::string_view("[]:*?/\\").find(c) == std::string_view::npos ? c : '-';
  if (clean.empty()) clean = "Feuille";
  return clean;
}

// The first `max` characters (code points) of UTF-8 text.
std::string cut_characters(const std::string& text, std::size_t max) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && count++ == max) return text.substr(0, i);
  }
  return text;
}

[[noreturn]] void fail(const std::string& doing, lxw_error e) {
  throw std::runtime_error("XLSX: " + doing + ": " + lxw_strerror(e));
}

}  // namespace

struct XlsxWorkbook::Impl {
  struct Sheet {
    lxw_worksheet* worksheet = nullptr;
    std::string name;
    std::vector<Column> columns;
    lxw_row_t next_row = 1;  // row 0 is the header
    int part = 1;
  };
  std::string file, work_dir;
  lxw_workbook* book = nullptr;
  lxw_format* header = nullptr;
  lxw_format* date = nullptr;
  std::vector<Sheet> sheets;
  std::set<std::string> names;  // folded: Excel compares sheet names without case

  void start(Sheet& s, const std::string& wanted) {
    std::string base = cut_characters(sheet_name(wanted), 31);
    std::string name = base;
    for (int n = 2; names.contains(core::fold_for_search(name)); ++n) {
      const std::string suffix = " (" + std::to_string(n) + ")";
      name = cut_characters(base, 31 - suffix.size()) + suffix;
    }
    names.insert(core::fold_for_search(name));
    s.worksheet = workbook_add_worksheet(book, name.c_str());
    if (!s.worksheet) throw std::runtime_error("XLSX: cannot add a sheet named \"" + name + "\"");
    s.next_row = 1;
    for (std::size_t c = 0; c < s.columns.size(); ++c) {
      worksheet_set_column(s.worksheet, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), s.columns[c].width, nullptr);
      worksheet_write_string(s.worksheet, 0, static_cast<lxw_col_t>(c), s.columns[c].header.c_str(), header);
    }
    worksheet_freeze_panes(s.worksheet, 1, 0);
  }

  void finish(Sheet& s) {
    if (s.columns.empty()) return;
    const lxw_error e = worksheet_autofilter(s.worksheet, 0, 0, s.next_row - 1, static_cast<lxw_col_t>(s.columns.size() - 1));
    if (e != LXW_NO_ERROR) fail("autofilter on \"" + s.name + "\"", e);
  }
};

XlsxWorkbook::XlsxWorkbook(const std::filesystem::path& file, const std::filesystem::path& work_dir) : impl_(std::make_unique<Impl>()) {
  impl_->file = file.string();
  impl_->work_dir = work_dir.string();
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  options.tmpdir = impl_->work_dir.empty() ? nullptr : impl_->work_dir.data();
  options.use_zip64 = LXW_TRUE;  // a million rows may pass 4 GiB unzipped
  impl_->book = workbook_new_opt(impl_->file.c_str(), &options);
  if (!impl_->book) throw std::runtime_error("XLSX: cannot start a workbook at " + impl_->file);
  impl_->header = workbook_add_format(impl_->book);
  format_set_bold(impl_->header);
  impl_->date = workbook_add_format(impl_->book);
  format_set_num_format(impl_->date, "dd/mm/yyyy hh:mm");
}

XlsxWorkbook::~XlsxWorkbook() {
  if (impl_->book) workbook_close(impl_->book);  // frees it (writing what it has; the caller removes the file)
}

int XlsxWorkbook::add_sheet(const std::string& name, const std::vector<Column>& columns) {
  Impl::Sheet& s = impl_->sheets.emplace_back();
  s.name = name;
  s.columns = columns;
  impl_->start(s, name);
  return static_cast<int>(impl_->sheets.size() - 1);
}

void XlsxWorkbook::write_row(int sheet, const std::vector<Cell>& cells) {
  Impl::Sheet& s = impl_->sheets.at(static_cast<std::size_t>(sheet));
  if (s.next_row >= LXW_ROW_MAX) {  // Excel's last row: the table goes on in a new sheet
    impl_->finish(s);
    s.part += 1;
    impl_->start(s, s.name + " (suite " + std::to_string(s.part) + ")");
  }
  const lxw_row_t row = s.next_row++;
  for (std::size_t c = 0; c < cells.size() && c < s.columns.size(); ++c) {
    const Cell& cell = cells[c];
    const auto col = static_cast<lxw_col_t>(c);
    lxw_error e = LXW_NO_ERROR;
    switch (cell.type) {
      case Cell::Type::empty: break;
      case Cell::Type::number: e = worksheet_write_number(s.worksheet, row, col, static_cast<double>(cell.number), nullptr); break;
      case Cell::Type::time:
        if (cell.time.year >= 1900 && cell.time.year <= 9999) {  // what an Excel date can hold
          lxw_datetime t{static_cast<int>(cell.time.year), static_cast<int>(cell.time.month), static_cast<int>(cell.time.day), cell.time.hour,
                         cell.time.minute, static_cast<double>(cell.time.second)};
          e = worksheet_write_datetime(s.worksheet, row, col, &t, impl_->date);
          break;
        }
        [[fallthrough]];  // outside it: the text, as a string cell
      case Cell::Type::text:
        // A string cell is never a formula: nothing to neutralise here (unlike CSV).
        if (cell.text.size() > kCellCharacters) {  // bytes: only then may the characters be too many
          e = worksheet_write_string(s.worksheet, row, col, cut_characters(cell.text, kCellCharacters).c_str(), nullptr);
        } else if (!cell.text.empty()) {
          e = worksheet_write_string(s.worksheet, row, col, cell.text.c_str(), nullptr);
        }
        break;
    }
    if (e != LXW_NO_ERROR) fail("writing row " + std::to_string(row + 1) + " of \"" + s.name + "\"", e);
  }
}

void XlsxWorkbook::close() {
  for (auto& s : impl_->sheets) impl_->finish(s);
  lxw_workbook* book = impl_->book;
  impl_->book = nullptr;
  const lxw_error e = workbook_close(book);
  if (e != LXW_NO_ERROR) fail("writing " + impl_->file, e);
}

}  // namespace allervers::server::exports
