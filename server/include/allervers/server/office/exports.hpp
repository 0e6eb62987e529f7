#pragma once
// Exports of the captures for the office: JSON Lines (everything, as received), CSV for French
// Excel (one table: opinions with a column per question, ideas, or sign-ins), XLSX (a sheet per
// consultation, plus ideas and sign-ins), and ideas in Decidim's proposals import format — all
// under the office's filter, and all pulled a part at a time: an Export is a cursor over the
// file it makes, so an HTTP response can stream it (a BodyProducer calling next()) and memory
// stays flat however many rows. docs/server.md describes each format.
//
//   auto exported = std::make_shared<Export>(store, options);   // keep the store as long
//   response.stream = [exported](std::string& out, std::size_t hint) { return exported->next(out, hint); };
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <memory>
#include <optional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "allervers/server/capture_filter.hpp"

namespace allervers::server {

class ServerStore;

enum class ExportFormat { jsonl, csv, xlsx, decidim };
// A CSV file is one table: which captures, each kind with its own columns.
enum class ExportTable { opinions, ideas, signins };

const char* to_string(ExportFormat format);  // "jsonl", "csv", "xlsx", "decidim"
const char* to_string(ExportTable table);    // "opinions", "ideas", "signins"
std::optional<ExportFormat> export_format_named(std::string_view name);  // the reverse; nothing if unknown
std::optional<ExportTable> export_table_named(std::string_view name);

struct ExportOptions {
  ExportFormat format = ExportFormat::jsonl;
  bool personal_data = true;  // false: sealed contacts left out
  // Set (base64 of the office's X25519 secret keys, the current one first, as
  // office_secret_keys() gives them, pass_keys.hpp): each sealed contact is opened and
  // written in clear beside it — for the office only, by an admin.
  std::vector<std::string> open_contacts_with = {};
  CaptureFilter filter = {};
  ExportTable table = ExportTable::opinions;  // CSV only
  bool ids = false;                           // CSV, XLSX: ids instead of labels (headers and values)
  // Decidim: quartier ids to Decidim scope ids, idea themes to Decidim category (≤ 0.27) and
  // taxonomy (≥ 0.28) ids; what is not mapped stays empty.
  std::map<std::string, std::string> decidim_scopes = {};
  std::map<std::string, std::string> decidim_categories = {};
  // XLSX: where the workbook is made before it is streamed (default: the system's temporary folder).
  std::filesystem::path work_dir = {};
};

class Export {
 public:
  // Reads what the file needs (the catalog, device names; for XLSX which sheets) and opens a
  // cursor over the captures through `store`, which must outlive the Export and serve nothing
  // else meanwhile. Throws std::invalid_argument when the office key is not one.
  Export(ServerStore& store, ExportOptions options);
  ~Export();
  Export(const Export&) = delete;
  Export& operator=(const Export&) = delete;

  // Appends the file's next part (about `part_hint` bytes) to `out`; true while more is to
  // come, false with the last part. An XLSX workbook is made whole in a temporary file on the
  // first call (libxlsxwriter writes files), then read out a part at a time.
  bool next(std::string& out, std::size_t part_hint);

  std::int64_t rows() const;         // captures written so far
  const char* content_type() const;  // "text/csv; charset=utf-8" …
  std::string file_name() const;     // "allervers-avis.csv" …

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// What an export was, for its audit line (who, when and from where are the line's own):
// "table=opinions ids=0 consultation=… from=… to=… quartier=… channel=… device=…".
std::string export_audit_detail(const ExportOptions& options);

// The whole export written to `out`; returns how many captures it holds.
std::int64_t export_captures(ServerStore& store, std::ostream& out, const ExportOptions& options);

// --- CSV cells -------------------------------------------------------------------------

// A cell for French Excel's CSV (";" separated): neutralised when a spreadsheet would read it
// as a formula (it begins with = + - @, a tab or a carriage return: a "'" goes before it), then
// quoted when it holds ";", a quote or a line break.
std::string csv_cell(std::string_view text);
// A whole line of such cells, then CRLF: every CSV the server and the console write goes
// through these (the exports, the vote results, the audit log, the public open data with
// `separator` ','), so the neutralising and the quoting live in one place.
void append_csv_line(std::string& out, std::initializer_list<std::string_view> cells, char separator = ';');
void append_csv_line(std::string& out, const std::vector<std::string>& cells, char separator = ';');

}  // namespace allervers::server
