#pragma once
// What a console page written in its own file (console_<area>.cpp) is given, so that areas of
// the console grow in their own files rather than in console.cpp: the request being answered
// (ConsolePage), the console's shared tools (ConsoleTools: the page's head and navigation, a
// template rendered, a message page, who acts) and a route table each area exports.
// console.cpp looks these tables up after its own; the checks (session, permission, CSRF and
// origin) run before an area's page exactly as before console.cpp's own.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "allervers/core/time.hpp"
#include "allervers/core/translations.hpp"
#include "allervers/core/consultation.hpp"
#include "allervers/server/accounts.hpp"
#include "allervers/server/capture_filter.hpp"
#include "allervers/server/http_message.hpp"
#include "allervers/server/roles.hpp"
#include "allervers/server/store.hpp"
#include "allervers/server/store_pool.hpp"
#include "allervers/web/sessions.hpp"
#include "allervers/web/town_time.hpp"

namespace allervers::web {

// One request being answered.
struct ConsolePage {
  const server::HttpRequest& request;
  server::ServerStore& store;
  const core::Translations& tr;
  std::optional<Session> session;
  core::Instant now;
};

class ConsoleTools {
 public:
  // The values every page's head and navigation read (title translated from `title_key`).
  virtual nlohmann::json base(ConsolePage& p, const std::string& title_key, const std::string& active_href) const = 0;
  // assets/web/templates/console/NAME.html with `values`.
  virtual server::HttpResponse render(ConsolePage& p, const std::string& name, const nlohmann::json& values, int status = 200) const = 0;
  // A page that only says something (a refusal, an error).
  virtual server::HttpResponse message(ConsolePage& p, int status, const std::string& title_key, const std::string& text_key) const = 0;
  virtual server::Actor actor(ConsolePage& p) const = 0;
  // The database's connections, for a page whose answer outlives the request (a streamed export).
  virtual server::StorePool& pool() const = 0;
  // Times as the town reads them (town_time.hpp).
  virtual const TownTime& town_time() const = 0;
  // The console's texts in `language` ("fr", "en"; "ar" has the public pages' words only, the
  // rest in French; French for any other): what is printed for residents (the letter per
  // quartier, the editor's preview) follows the town's choice, not the browser's.
  virtual const core::Translations& translations(const std::string& language) const = 0;

 protected:
  ~ConsoleTools() = default;
};

using AreaPageFn = server::HttpResponse (*)(const ConsoleTools&, ConsolePage&);
struct AreaRoute {
  const char* method;
  const char* path;
  server::Permission permission;
  bool changes;  // a POST that changes something: CSRF-checked
  AreaPageFn page;
};

// Each area's routes (one function per console_<area>.cpp).
const std::vector<AreaRoute>& dashboard_routes();   // console_dashboard.cpp
const std::vector<AreaRoute>& assemblies_routes();  // console_assemblies.cpp
const std::vector<AreaRoute>& ideas_routes();       // console_ideas.cpp
const std::vector<AreaRoute>& population_routes();  // console_population.cpp
const std::vector<AreaRoute>& votes_routes();       // console_votes.cpp
const std::vector<AreaRoute>& editor_routes();      // console_editor.cpp
const std::vector<AreaRoute>& residents_routes();   // console_residents.cpp: letters per quartier, the mail outbox

// The office's filter as a page's query gives it (consultation, from, to, quartier, channel,
// device), and the filter form's fields (console_dashboard.cpp): the dashboard, the results,
// the exports and "who we reach" read the same filter.
struct FilterView {
  std::map<std::string, std::string> values;  // as the query gave them (empty ones left out)
  server::CaptureFilter filter;
  std::string error;  // a French sentence when the query is not a filter
  std::string query;  // "consultation=…&from=…", for links and JSON
};
FilterView read_filter(ConsolePage& p);
core::Catalog published_catalog(ConsolePage& p);
nlohmann::json filter_form(ConsolePage& p, const core::Catalog& catalog, const FilterView& f);

// A value for a URL's query string (percent-encoded).
std::string query_escape(const std::string& text);

}  // namespace allervers::web
