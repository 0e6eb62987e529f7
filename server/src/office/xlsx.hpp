#pragma once
// An XLSX workbook made with libxlsxwriter in constant-memory mode (each sheet's rows go to a
// temporary file as they are written; memory holds one row a sheet): a sheet per table, its
// header bold and frozen, an autofilter over its rows, times as real Excel dates. A sheet
// that reaches Excel's 1,048,576 rows goes on in a new sheet.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "export_tables.hpp"

namespace allervers::server::exports {

class XlsxWorkbook {
 public:
  // Writes `file` at close(); libxlsxwriter's own temporary files go to `work_dir`.
  XlsxWorkbook(const std::filesystem::path& file, const std::filesystem::path& work_dir);
  ~XlsxWorkbook();  // frees what close() did not
  XlsxWorkbook(const XlsxWorkbook&) = delete;
  XlsxWorkbook& operator=(const XlsxWorkbook&) = delete;

  // A new sheet named after `name` (made valid and unique), its header written; its number.
  int add_sheet(const std::string& name, const std::vector<Column>& columns);
  void write_row(int sheet, const std::vector<Cell>& cells);
  // Autofilters, then the file. Throws std::runtime_error with libxlsxwriter's reason.
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace allervers::server::exports
