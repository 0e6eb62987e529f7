// A catalog document (published by the office, read by every device): parsed, and when it is
// accepted, written back and read again to the same document.
#include "allervers/core/consultation.hpp"
#include "harness.hpp"

using namespace allervers;

ALLERVERS_FUZZ_TARGET(catalog) {
  core::Catalog catalog;
  try {
    catalog = core::parse_catalog(std::string(fuzz::text_of(data, size)));
  } catch (const core::CatalogError&) {
    return 0;
  }
  const std::string once = core::catalog_to_json(catalog);
  core::Catalog again;
  try {
    again = core::parse_catalog(once);
  } catch (const core::CatalogError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    fuzz::require(false, "an accepted catalog, written back, is refused");
  }
  fuzz::require(core::catalog_to_json(again) == once, "an accepted catalog reads back differently");
  return 0;
}
