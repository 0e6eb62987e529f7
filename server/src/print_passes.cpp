// `allervers-server passes`: town passes printed on A4 sheets, their ids recorded first (a
// pass printed but not recorded could never be checked by its fallback code). Built with the
// pass tools (cairo) when platform/ is; without them, can_print_passes() says so.
#include <stdexcept>

#include "allervers/server/admin.hpp"
#include "allervers/server/pass_keys.hpp"
#include "allervers/sync/tuning.hpp"

#if ALLERVERS_WITH_PASS_TOOLS
#include "allervers/passes/print.hpp"
#endif

namespace allervers::server {

bool can_print_passes() { return ALLERVERS_WITH_PASS_TOOLS != 0; }

std::vector<std::string> print_town_passes(ServerStore& store, int count, const std::filesystem::path& pdf,
                                           const std::string& town_name, const core::Instant& now) {
  if (count < 1 || count > sync::tuning::max_printed_passes)
    throw std::invalid_argument("--count: between 1 and " + std::to_string(sync::tuning::max_printed_passes) + " passes a run");
#if ALLERVERS_WITH_PASS_TOOLS
  const passes::TownKey town = town_key(store, now);
  const auto printed = passes::make_town_passes(town, count);
  std::vector<std::string> ids;
  ids.reserve(printed.size());
  for (const auto& p : printed) {
    const auto parsed = passes::parse_pass(p.code);
    if (!parsed.pass) throw std::logic_error("a pass just made does not parse: " + p.code);
    ids.push_back(parsed.pass->id.str());
  }
  store.add_printed_passes(ids, now.utc_ms);
  passes::PrintLayout layout;
  layout.town = town_name;
  passes::print_passes_pdf(printed, pdf, layout);
  return ids;
#else
  (void)store, (void)pdf, (void)town_name, (void)now;
  throw std::runtime_error("this allervers-server was built without the pass printing tools (cairo, platform/)");
#endif
}

}  // namespace allervers::server
