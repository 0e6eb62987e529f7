// A catalog file and its pictograms on a device (catalog_file.hpp).
#include "allervers/sync/catalog_file.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "allervers/sync/media.hpp"

namespace allervers::sync {

CatalogFile read_catalog_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read the catalog " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  const auto dir = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
  CatalogFile out;
  const std::string resolved = media::catalog_with_pictogram_files(text.str(), dir, [&](const media::Checked& checked, const std::string& bytes) {
    for (const auto& held : out.pictograms)
      if (held.hash == checked.hash) return;  // one file named by several questions or options
    out.pictograms.push_back({checked.hash, checked.content_type, checked.width, checked.height, bytes});
  });
  out.catalog = core::parse_catalog(resolved);
  return out;
}

void hold_catalog_file(storage::DeviceStore& store, const CatalogFile& file, const core::Instant& now) {
  // The files first: the catalog never names a pictogram the device does not hold.
  for (const auto& pictogram : file.pictograms) store.save_media(pictogram, now);
  store.save_catalog(file.catalog);
}

}  // namespace allervers::sync
