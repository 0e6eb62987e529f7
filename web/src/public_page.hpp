#pragma once
// Internal to web/: what public_site.cpp lends the public pages that live in their own files
// (public_ideas.cpp: following an idea, public ideas, vote results), so they share its
// language, chrome, templates and store lease without reaching into PublicSite::Impl.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "allervers/core/consultation.hpp"
#include "allervers/core/time.hpp"
#include "allervers/core/translations.hpp"
#include "allervers/server/http_message.hpp"
#include "allervers/server/store.hpp"
#include "allervers/web/public_tokens.hpp"

namespace allervers::web {

struct PublicPageTools {
  const server::HttpRequest& request;
  server::ServerStore& store;
  const core::Translations& tr;
  core::Instant now;
  const core::Catalog& catalog;  // as published (merged)
  // The values every public template reads (language, direction, town, title, languages).
  std::function<nlohmann::json(const std::string& title)> base;
  // templates/public/NAME.html rendered with `values`.
  std::function<server::HttpResponse(const std::string& name, const nlohmann::json& values, int status)> render;
  // The message page: a title's key and a sentence.
  std::function<server::HttpResponse(int status, const std::string& title_key, const std::string& text)> message;
  // The public pages' signing key (public_tokens.hpp): the mails' unsubscribe links.
  std::function<const TokenSigner&()> signer;
};

// The pages of public_ideas.cpp: /suivi (an idea by its receipt code), /idees (public ideas,
// their photos and milestones' photos), /votes (results, a ballot's receipt). Nothing when the
// path is not one of theirs.
std::optional<server::HttpResponse> route_public_ideas(PublicPageTools& page, const std::vector<std::string>& segments);

// The receipt code for an idea's thank-you page, when `typed` is the code of an idea stored
// here (a code made up is not echoed).
std::optional<std::string> known_idea_receipt(server::ServerStore& store, const std::string& typed);

}  // namespace allervers::web
