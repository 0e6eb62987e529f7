// The coordinator's list of missing catalog translations: missing-translations.
#include <cstdio>
#include <set>

#include "allervers/core/catalog_translations.hpp"
#include "allervers/core/kiosk_glyphs.hpp"
#include "allervers/server/api.hpp"
#include "commands.hpp"

namespace allervers::server::cli {

void add_missing_translations(CLI::App& app, Context& context) {
  struct Options {
    std::string consultation;
    std::vector<std::string> languages;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("missing-translations",
                                 "per consultation and language, the texts of the published catalog residents would see in French, and those with letters the kiosks cannot draw");
  cmd->add_option("--consultation", o->consultation, "only this consultation (its id)");
  cmd->add_option("--language", o->languages, "only these languages (default: every language the catalog uses)");
  on_run(cmd, context, [o](Context& ctx) {
    auto store = ctx.open();
    const auto published = merge_catalogs(store->catalogs());
    const auto& catalog = published.catalog;
    if (!o->consultation.empty() && !catalog.latest(o->consultation)) {
      std::fprintf(stderr, "allervers-server: no consultation \"%s\" in the published catalog\n", o->consultation.c_str());
      return 2;
    }
    const auto languages = o->languages.empty() ? core::catalog_languages(catalog) : o->languages;
    const auto missing = core::missing_translations(catalog, languages, o->consultation);
    // One block per consultation and language: a count, then each text, so a translator gets
    // exactly their list; a complete language says so.
    for (const core::Consultation* c : catalog.current()) {
      if (!o->consultation.empty() && c->id != o->consultation) continue;
      for (const auto& language : languages) {
        if (language == "fr") continue;
        std::vector<const core::MissingTranslation*> mine;
        for (const auto& m : missing)
          if (m.consultation == c->id && m.language == language) mine.push_back(&m);
        std::printf("%s v%d, %s: %s\n", c->id.c_str(), c->version, language.c_str(),
                    mine.empty() ? "complete" : (std::to_string(mine.size()) + (mine.size() == 1 ? " text missing" : " texts missing")).c_str());
        for (const auto* m : mine) std::printf("  %s\n", m->where.c_str());
      }
    }
    // Letters no kiosk font draws would show as empty boxes: each text, in any language.
    const auto undrawable = core::undrawable_texts(catalog, o->consultation);
    for (const auto& u : undrawable)
      std::printf("%s v%d, %s, %s: letters the kiosks cannot draw: %s\n", u.consultation.c_str(), u.version, u.language.c_str(),
                  u.where.c_str(), u.characters.c_str());
    return missing.empty() && undrawable.empty() ? 0 : 1;
  });
}

}  // namespace allervers::server::cli
