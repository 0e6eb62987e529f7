#include "allervers/core/media.hpp"

#include <algorithm>

#include "allervers/core/consultation.hpp"

namespace allervers::core {

bool is_media_hash(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::vector<std::string> media_hashes(const Catalog& catalog) {
  std::vector<std::string> out;
  auto add = [&](const std::string& name) {
    if (is_media_hash(name)) out.push_back(name);
  };
  for (const auto& vote : catalog.votes)
    for (const auto& project : vote.projects) add(project.picture);
  for (const Consultation* c : catalog.current()) {
    for (const auto& q : c->questions) {
      add(q.pictogram);
      for (const auto& o : q.options) add(o.pictogram);
    }
    for (const auto& theme : c->ideas.themes) add(theme.pictogram);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace allervers::core
