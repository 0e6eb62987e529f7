// Exports pulled a part at a time: JSON Lines, CSV for French Excel, XLSX, Decidim proposals.
//
// Sections: names · CSV cells · personal data · the export (set-up, text formats, XLSX) ·
// export_captures.
#include "allervers/server/office/exports.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <system_error>

#include "allervers/core/capture_kinds.hpp"
#include "allervers/core/names.hpp"
#include "allervers/core/time.hpp"
#include "allervers/server/api.hpp"
#include "allervers/server/store.hpp"
#include "../record_value.hpp"
#include "export_tables.hpp"
#include "xlsx.hpp"

namespace allervers::server {

using nlohmann::json;

// --- names -----------------------------------------------------------------------------

constexpr core::EnumName<ExportFormat> kFormatNames[] = {
    {ExportFormat::jsonl, "jsonl"},
    {ExportFormat::csv, "csv"},
    {ExportFormat::xlsx, "xlsx"},
    {ExportFormat::decidim, "decidim"},
};
constexpr core::EnumName<ExportTable> kTableNames[] = {
    {ExportTable::opinions, "opinions"},
    {ExportTable::ideas, "ideas"},
    {ExportTable::signins, "signins"},
};

const char* to_string(ExportFormat format) { return core::name_of(kFormatNames, format); }
const char* to_string(ExportTable table) { return core::name_of(kTableNames, table); }
std::optional<ExportFormat> export_format_named(std::string_view name) { return core::value_named(kFormatNames, name); }
std::optional<ExportTable> export_table_named(std::string_view name) { return core::value_named(kTableNames, name); }

// --- CSV cells -------------------------------------------------------------------------

namespace {

// A spreadsheet reads a cell beginning with one of these as a formula (OWASP, "CSV Injection").
bool formula_like(std::string_view v) {
  return !v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r');
}

void append_csv_cell(std::string& out, std::string_view v, char separator = ';') {
  const bool neutralise = formula_like(v);
  const char specials[] = {separator, '"', '\r', '\n', '\0'};
  if (v.find_first_of(specials) == std::string_view::npos) {
    if (neutralise) out += '\'';
    out += v;
    return;
  }
  out += '"';
  if (neutralise) out += '\'';
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void append_csv_row(std::string& out, const std::vector<exports::Cell>& cells) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) out += ';';
    // Numbers are ours (digits only): written as they are so that Excel sums them.
    if (cells[i].type == exports::Cell::Type::number) out += cells[i].text;
    else append_csv_cell(out, cells[i].text);
  }
  out += "\r\n";
}

void append_csv_header(std::string& out, const std::vector<exports::Column>& columns) {
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (i) out += ';';
    append_csv_cell(out, columns[i].header);
  }
  out += "\r\n";
}

constexpr std::string_view kBom = "\xEF\xBB\xBF";  // UTF-8's byte-order mark: French Excel then reads UTF-8

}  // namespace

std::string csv_cell(std::string_view text) {
  std::string out;
  append_csv_cell(out, text);
  return out;
}

void append_csv_line(std::string& out, std::initializer_list<std::string_view> cells, char separator) {
  bool first = true;
  for (const auto cell : cells) {
    if (!first) out += separator;
    first = false;
    append_csv_cell(out, cell, separator);
  }
  out += "\r\n";
}

void append_csv_line(std::string& out, const std::vector<std::string>& cells, char separator) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i) out += separator;
    append_csv_cell(out, cells[i], separator);
  }
  out += "\r\n";
}

// --- personal data ---------------------------------------------------------------------

namespace {

// What JSON Lines keeps of one capture's body, by its kind's entry in core's registry: without
// personal data, the kind's personal fields are left out; with the office key, its sealed
// contact is opened and written beside it as "<key>_opened" (null when it cannot be opened).
void prepare_body(json& body, const core::CaptureKindInfo& kind, bool personal_data, const crypto::OfficeKeyRing* office) {
  const std::string key(kind.body_key);
  if (!body.is_object() || !body.contains(key) || !body[key].is_object()) return;
  json& details = body[key];
  if (!personal_data)
    for (const auto field : kind.personal_fields) details.erase(std::string(field));
  if (!office || kind.sealed_contact.empty()) return;
  const std::string contact(kind.sealed_contact);
  if (details.contains(contact) && details[contact].is_object() && details[contact].value("sealed", json()).is_string()) {
    const auto opened = office->open(details[contact]["sealed"].get<std::string>());
    details[contact + "_opened"] = opened ? json(*opened) : json(nullptr);
  }
}

const char* table_kind(ExportTable table) {
  switch (table) {
    case ExportTable::opinions: return "opinion";
    case ExportTable::ideas: return "idea";
    case ExportTable::signins: return "signin";
  }
  return "";
}

}  // namespace

// --- the export ------------------------------------------------------------------------

class Export::Impl {
 public:
  Impl(ServerStore& store, ExportOptions options) : o_(std::move(options)), store_(store) {
    context_.catalog = merge_catalogs(store_.catalogs()).catalog;
    context_.device_names = store_.device_names();
    context_.ids = o_.ids;
    context_.index();
    context_.personal_data = o_.personal_data;
    if (o_.personal_data && !o_.open_contacts_with.empty()) {
      context_.office.emplace();
      for (const auto& text : o_.open_contacts_with) {
        auto key = crypto::OfficeKey::from_base64(text);
        if (!key) throw std::invalid_argument("the office secret key is not base64 of 32 bytes");
        context_.office->add(std::move(*key));
      }
    }
    filter_ = o_.filter;
    const char* kind = o_.format == ExportFormat::csv       ? table_kind(o_.table)
                       : o_.format == ExportFormat::decidim ? "idea"
                                                            : "";
    if (*kind) {
      if (!filter_.kind.empty() && filter_.kind != kind) nothing_ = true;  // a filter on another kind keeps nothing
      filter_.kind = kind;
    }
    if (o_.format == ExportFormat::csv) {
      switch (o_.table) {
        case ExportTable::opinions: table_ = exports::opinions_table(context_, opinion_consultations()); break;
        case ExportTable::ideas: table_ = exports::ideas_table(context_); break;
        case ExportTable::signins: table_ = exports::signins_table(context_); break;
      }
    } else if (o_.format == ExportFormat::decidim) {
      table_ = exports::decidim_table(context_, o_.decidim_scopes, o_.decidim_categories);
    }
    if (!nothing_) cursor_ = store_.open_captures(filter_);
  }

  ~Impl() {
    if (xlsx_file_) std::fclose(xlsx_file_);
  }

  bool next(std::string& out, std::size_t hint) {
    if (done_) return false;
    const bool more = o_.format == ExportFormat::xlsx ? next_xlsx(out, hint) : next_text(out, hint);
    done_ = !more;
    return more;
  }

  const char* content_type() const {
    switch (o_.format) {
      case ExportFormat::jsonl: return "application/x-ndjson";
      case ExportFormat::xlsx: return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
      default: return "text/csv; charset=utf-8";
    }
  }

  std::string file_name() const {
    std::string name = "allervers";
    if (o_.format == ExportFormat::csv)
      name += o_.table == ExportTable::opinions ? "-avis" : o_.table == ExportTable::ideas ? "-idees" : "-emargements";
    if (o_.format == ExportFormat::decidim) name += "-idees-decidim";
    if (o_.format == ExportFormat::jsonl) name += "-captures";
    if (!o_.filter.consultation.empty()) name += "-" + o_.filter.consultation;
    if (o_.filter.from_day) name += "-du-" + day_text(*o_.filter.from_day);
    if (o_.filter.to_day) name += "-au-" + day_text(*o_.filter.to_day);
    switch (o_.format) {
      case ExportFormat::jsonl: return name + ".jsonl";
      case ExportFormat::xlsx: return name + ".xlsx";
      default: return name + ".csv";
    }
  }

  std::int64_t rows = 0;

 private:
  // The consultations with opinions under the filter, in the catalog's order: the opinions
  // table's question columns. A filter naming one consultation gets its columns, answers or not.
  std::vector<std::string> opinion_consultations() {
    CaptureFilter f = filter_;
    f.kind = "opinion";
    std::vector<std::string> held;
    if (!nothing_)
      for (const auto& c : store_.count_captures(f, Dimension::consultation))
        if (c.n > 0) held.push_back(c.key);
    if (held.empty() && !filter_.consultation.empty()) held.push_back(filter_.consultation);
    std::vector<std::string> out;
    for (const auto* c : context_.catalog.current())
      if (std::find(held.begin(), held.end(), c->id) != held.end()) out.push_back(c->id);
    for (const auto& id : held)
      if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    return out;
  }

  const CaptureRow* next_row() { return cursor_ ? cursor_->next() : nullptr; }

  // --- text formats: JSON Lines, CSV, Decidim

  bool next_text(std::string& out, std::size_t hint) {
    const std::size_t start = out.size();
    if (!started_) {
      started_ = true;
      // Excel needs the BOM to read UTF-8; Decidim's reader (Ruby's CSV) would keep it in the
      // first header and then miss "title/fr", so its file has none.
      if (o_.format == ExportFormat::csv) out += kBom;
      if (table_) append_csv_header(out, table_->columns());
    }
    while (out.size() - start < hint) {
      const CaptureRow* r = next_row();
      if (!r) return false;
      if (o_.format == ExportFormat::jsonl) append_jsonl(out, *r);
      else {
        table_->row(*r, body_of(*r), cells_);
        append_csv_row(out, cells_);
      }
      ++rows;
    }
    return true;
  }

  // The capture's body (its kind's part of the record), parsed alone.
  json body_of(const CaptureRow& r) const {
    const core::CaptureKindInfo* kind = core::find_capture_kind(r.kind);
    if (!kind) return json();
    const std::string_view body = record_value(r.body, kind->body_key);
    return body.empty() ? json() : json::parse(body, nullptr, false);
  }

  // One line: {"capture": …, "seq", "captured_at_corrected", "received_at"} — the record as
  // stored unless personal data must be left out or opened (only then is it parsed).
  void append_jsonl(std::string& out, const CaptureRow& r) const {
    const core::CaptureKindInfo* kind = core::find_capture_kind(r.kind);
    const bool changes = kind && ((!o_.personal_data && !kind->personal_fields.empty()) || (context_.office && !kind->sealed_contact.empty()));
    out += "{\"capture\":";
    if (changes) {
      json record = json::parse(r.body, nullptr, false);
      prepare_body(record, *kind, o_.personal_data, context_.office ? &*context_.office : nullptr);
      out += record.dump(-1, ' ', false, json::error_handler_t::replace);
    } else {
      out += r.body;  // canonical JSON, as the device sent it and the store kept it
    }
    out += ",\"captured_at_corrected\":\"";
    out += core::format_instant({r.corrected_ms, r.captured_offset_min});
    out += "\",\"received_at\":\"";
    out += core::format_instant({r.received_ms, 0});
    out += "\",\"seq\":";
    out += std::to_string(r.seq);
    out += "}\n";
  }

  // --- XLSX: made whole in a temporary file, then read out

  bool next_xlsx(std::string& out, std::size_t hint) {
    if (!started_) {
      started_ = true;
      make_workbook();
    }
    const std::size_t start = out.size();
    out.resize(start + hint);
    const std::size_t n = std::fread(out.data() + start, 1, hint, xlsx_file_);
    out.resize(start + n);
    if (n == hint) return true;
    if (std::ferror(xlsx_file_)) throw std::runtime_error("XLSX: reading the workbook back failed");
    return false;
  }

  struct Sheet {
    int number = 0;
    std::unique_ptr<exports::Table> table;
  };

  void make_workbook() {
    const std::filesystem::path dir = o_.work_dir.empty() ? std::filesystem::temp_directory_path() : o_.work_dir;
    std::string path = (dir / "allervers-export-XXXXXX.xlsx").string();
    const int fd = ::mkstemps(path.data(), 5);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), "XLSX: cannot make a work file in " + dir.string());
    ::close(fd);
    try {
      build_workbook(path, dir);
      xlsx_file_ = std::fopen(path.c_str(), "rb");
      if (!xlsx_file_) throw std::system_error(errno, std::generic_category(), "XLSX: cannot read back " + path);
    } catch (...) {
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
      throw;
    }
    // Gone from the folder at once; the open file is read until closed (no work file left behind).
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }

  void build_workbook(const std::string& path, const std::filesystem::path& dir) {
    exports::XlsxWorkbook book(path, dir);
    std::map<std::string, Sheet> opinions;  // by consultation
    Sheet ideas, signins;
    const bool any_kind = filter_.kind.empty();
    auto count = [&](const char* kind) {
      CaptureFilter f = filter_;
      f.kind = kind;
      return !nothing_ && (any_kind || filter_.kind == kind) ? store_.count_captures(f) : 0;
    };
    auto opinion_sheet = [&](const std::string& consultation) -> Sheet& {
      Sheet& s = opinions[consultation];
      if (!s.table) {
        s.table = exports::opinions_table(context_, {consultation});
        s.number = book.add_sheet(std::string(context_.consultation_title(consultation)), s.table->columns());
      }
      return s;
    };
    auto kind_sheet = [&](Sheet& s, bool idea) -> Sheet& {
      if (!s.table) {
        s.table = idea ? exports::ideas_table(context_) : exports::signins_table(context_);
        s.number = book.add_sheet(context_.ids ? (idea ? "ideas" : "signins") : (idea ? "Idées" : "Émargements"), s.table->columns());
      }
      return s;
    };
    // The sheets in a steady order (consultations as the catalog lists them, then ideas and
    // sign-ins); a capture arriving meanwhile for another consultation gets its sheet at the end.
    if (any_kind || filter_.kind == "opinion")
      for (const auto& id : opinion_consultations()) opinion_sheet(id);
    if (count("idea") > 0) kind_sheet(ideas, true);
    if (count("signin") > 0) kind_sheet(signins, false);
    bool written = false;
    while (const CaptureRow* r = next_row()) {
      Sheet& s = r->kind == "idea" ? kind_sheet(ideas, true) : r->kind == "signin" ? kind_sheet(signins, false) : opinion_sheet(r->consultation);
      s.table->row(*r, body_of(*r), cells_);
      book.write_row(s.number, cells_);
      ++rows;
      written = true;
    }
    if (!written && opinions.empty() && !ideas.table && !signins.table)
      book.add_sheet("Export", {{context_.ids ? "no capture matches the filter" : "Aucune participation ne correspond à ce filtre", 60}});
    book.close();
  }

  ExportOptions o_;
  ServerStore& store_;
  exports::Context context_;
  CaptureFilter filter_;  // the options' filter with the table's kind
  bool nothing_ = false;
  std::unique_ptr<exports::Table> table_;  // CSV and Decidim
  std::unique_ptr<CaptureCursor> cursor_;
  std::vector<exports::Cell> cells_;
  bool started_ = false, done_ = false;
  std::FILE* xlsx_file_ = nullptr;
};

Export::Export(ServerStore& store, ExportOptions options) : impl_(std::make_unique<Impl>(store, std::move(options))) {}
Export::~Export() = default;
bool Export::next(std::string& out, std::size_t part_hint) { return impl_->next(out, std::max<std::size_t>(part_hint, 1)); }
std::int64_t Export::rows() const { return impl_->rows; }
const char* Export::content_type() const { return impl_->content_type(); }
std::string Export::file_name() const { return impl_->file_name(); }

// --- export_captures -------------------------------------------------------------------

std::string export_audit_detail(const ExportOptions& options) {
  const auto& f = options.filter;
  std::string out = std::string("table=") + to_string(options.table) + " ids=" + (options.ids ? "1" : "0");
  auto add = [&out](const char* name, const std::string& value) {
    if (!value.empty()) out += std::string(" ") + name + "=" + value;
  };
  add("consultation", f.consultation);
  add("from", f.from_day ? day_text(*f.from_day) : "");
  add("to", f.to_day ? day_text(*f.to_day) : "");
  add("quartier", f.neighbourhood);
  add("channel", f.channel);
  add("device", f.device);
  add("kind", f.kind);
  return out;
}

std::int64_t export_captures(ServerStore& store, std::ostream& out, const ExportOptions& options) {
  Export exported(store, options);
  std::string part;
  bool more = true;
  while (more) {
    part.clear();
    more = exported.next(part, 64 * 1024);
    out.write(part.data(), static_cast<std::streamsize>(part.size()));
  }
  return exported.rows();
}

}  // namespace allervers::server
