#pragma once
// The coordinator's list of missing catalog translations (issue 14): which texts of each
// consultation a language lacks. Implemented with the catalog (consultation.cpp).
#include <cstdint>
#include <string>
#include <vector>

#include "allervers/core/consultation.hpp"

namespace allervers::core {

// A text of a consultation with no version in `language` (residents then see French).
struct MissingTranslation {
  std::string consultation;  // its id
  std::int32_t version = 0;
  std::string language;
  std::string where;  // "title", "question usages, help", "question usages, option marche"
};
// For each current consultation (or only `consultation` when not empty) and each of
// `languages` but French, the texts a resident would see untranslated: title, summary, and each
// question's label, help and options, the idea themes. The coordinator's list (issue 14).
std::vector<MissingTranslation> missing_translations(const Catalog& catalog, const std::vector<std::string>& languages,
                                                     const std::string& consultation = "");
// The languages the catalog's texts use anywhere, French first.
std::vector<std::string> catalog_languages(const Catalog& catalog);

}  // namespace allervers::core
