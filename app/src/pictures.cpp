// Pictures from the catalog, decoded once as textures (pictures.hpp).
#include "allervers/app/pictures.hpp"

#include <cstdio>

#include "allervers/sync/media.hpp"

namespace allervers::app {

Pictures::~Pictures() { release_all(); }

void Pictures::release_all() {
  for (auto& [hash, entry] : entries_)
    if (entry.picture.texture && textures_) textures_->destroy(entry.picture.texture);
  entries_.clear();
}

void Pictures::set_textures(PictureTextures* textures) {
  release_all();
  textures_ = textures;
}

void Pictures::load(const std::string& hash, Entry& entry) {
  entry.looked = std::chrono::steady_clock::now();
  entry.picture = Picture{};
  entry.picture.name = hash;
  const auto bytes = load_(hash);
  if (!bytes) {
    entry.picture.problem = "missing";
    return;
  }
  try {
    // Checked again here, not only when it arrived: a file damaged on the device since is
    // left out like one that never came.
    (void)sync::media::check_named(*bytes, hash);
    const auto pixels = sync::media::decode_rgba(*bytes);
    entry.picture.width = pixels.width;
    entry.picture.height = pixels.height;
    if (textures_) entry.picture.texture = textures_->create(pixels.width, pixels.height, pixels.rgba.data());
  } catch (const sync::media::MediaError& e) {
    entry.picture.problem = e.what();
    std::fprintf(stderr, "allervers-kiosk: the picture %s is not shown: %s\n", hash.c_str(), e.what());
  }
}

const Picture* Pictures::picture(const std::string& hash) {
  if (hash.empty()) return nullptr;
  auto [it, fresh] = entries_.try_emplace(hash);
  Entry& entry = it->second;
  if (fresh || (entry.picture.problem == "missing" && std::chrono::steady_clock::now() - entry.looked >= kMissingRetry)) load(hash, entry);
  return &entry.picture;
}

}  // namespace allervers::app
