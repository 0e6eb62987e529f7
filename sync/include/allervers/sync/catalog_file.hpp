#pragma once
// A catalog file loaded on a device without a server: `allervers-device init --catalog FILE`,
// a new kiosk holding the demo catalog. The pictograms it names (PNG files beside it,
// docs/consultation-format.md) are kept in the device's database as a sync would have fetched
// them, so « Facile à lire » shows them before the device ever reaches a server.
#include <filesystem>
#include <vector>

#include "allervers/core/consultation.hpp"
#include "allervers/storage/device_store.hpp"

namespace allervers::sync {

struct CatalogFile {
  core::Catalog catalog;  // its pictograms named by their SHA-256
  std::vector<storage::MediaRecord> pictograms;
};

// Reads and checks the file and its pictograms (media.hpp, catalog_with_pictogram_files);
// keeps nothing, so a device can be created only once it is known good. Throws
// core::CatalogError (the place and the fault), std::runtime_error when the file cannot be read.
CatalogFile read_catalog_file(const std::filesystem::path& file);

// The catalog and its pictograms into the device's database.
void hold_catalog_file(storage::DeviceStore& store, const CatalogFile& file, const core::Instant& now);

}  // namespace allervers::sync
