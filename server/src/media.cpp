// Media files on the server (media.hpp).
#include "allervers/server/media.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "allervers/core/media.hpp"

namespace allervers::server {

namespace media = sync::media;

media::Checked keep_media(MediaStore& store, std::string_view bytes, std::int64_t now_ms, const media::Limits& limits) {
  auto checked = media::check(bytes, limits);
  store.save_media({checked.hash, checked.content_type, std::string(bytes), checked.width, checked.height}, now_ms);
  return checked;
}

std::string catalog_with_media(MediaStore& store, const std::string& json_text, const std::filesystem::path& dir, std::int64_t now_ms) {
  (void)core::parse_catalog(json_text);  // the names are file names of a-z 0-9 - _ .png, never paths
  auto doc = nlohmann::json::parse(json_text);
  auto resolve = [&](nlohmann::json& holder, const std::string& where) {
    auto it = holder.find("pictogram");
    if (it == holder.end() || !it->is_string()) return;
    const std::string name = it->get<std::string>();
    if (core::is_media_hash(name)) return;
    const auto path = dir / name;
    std::ifstream in(path, std::ios::binary);
    if (!in) throw core::CatalogError(where + ".pictogram", "no file " + path.string() + " beside the catalog");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    try {
      const auto checked = media::check(bytes.str());
      if (checked.content_type != "image/png")
        throw media::MediaError("not_an_image", "a pictogram is a PNG image, this file is " + checked.content_type);
      store.save_media({checked.hash, checked.content_type, bytes.str(), checked.width, checked.height}, now_ms);
      *it = checked.hash;
    } catch (const media::MediaError& e) {
      throw core::CatalogError(where + ".pictogram", name + ": " + e.what());
    }
  };
  auto each = [&](nlohmann::json& list, const std::string& where, auto&& visit) {
    if (!list.is_array()) return;
    for (std::size_t i = 0; i < list.size(); ++i) visit(list[i], where + "[" + std::to_string(i) + "]");
  };
  auto consultations = doc.find("consultations");
  if (consultations == doc.end()) return json_text;
  each(*consultations, "consultations", [&](nlohmann::json& c, const std::string& at) {
    if (auto q = c.find("questions"); q != c.end())
      each(*q, at + ".questions", [&](nlohmann::json& question, const std::string& qat) {
        resolve(question, qat);
        if (auto o = question.find("options"); o != question.end())
          each(*o, qat + ".options", [&](nlohmann::json& option, const std::string& oat) { resolve(option, oat); });
      });
    if (auto ideas = c.find("ideas"); ideas != c.end() && ideas->is_object())
      if (auto themes = ideas->find("themes"); themes != ideas->end())
        each(*themes, at + ".ideas.themes", [&](nlohmann::json& theme, const std::string& tat) { resolve(theme, tat); });
  });
  return doc.dump();
}

bool media_is_public(const core::Catalog& published, const std::string& hash) {
  const auto names = core::media_hashes(published);
  return std::binary_search(names.begin(), names.end(), hash);
}

HttpResponse media_response(const MediaFile& file, const std::string& if_none_match, bool shared) {
  HttpResponse r;
  const std::string etag = "\"" + file.hash + "\"";
  r.headers["ETag"] = etag;
  r.headers["Cache-Control"] = std::string(shared ? "public" : "private") + ", max-age=31536000, immutable";
  r.headers["X-Content-Type-Options"] = "nosniff";
  if (if_none_match == etag) {
    r.status = 304;
    r.content_type.clear();
    return r;
  }
  r.content_type = file.content_type;
  r.body = file.data;
  return r;
}

}  // namespace allervers::server
