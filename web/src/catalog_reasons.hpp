#pragma once
// Core's reasons for refusing a catalog (core::CatalogError: English, for logs and the command
// line) said in the console's language. Each shape of reason core writes has a key
// "catalog.reason.NAME" (assets/web/i18n) taking the same values; a reason of no known shape is
// given as core wrote it, so nothing is ever hidden.
#include <string>
#include <string_view>

#include "allervers/core/consultation.hpp"
#include "allervers/core/translations.hpp"

namespace allervers::web {

std::string catalog_reason(const core::Translations& tr, std::string_view reason);
// The reason of `e`, without the place in the document it names (where()).
std::string catalog_reason(const core::Translations& tr, const core::CatalogError& e);

}  // namespace allervers::web
