#pragma once
// Pictures from the catalog on screen: a vote's project pictures and the pictograms of
// questions and options (core/media.hpp names them by their SHA-256). The App keeps each one
// decoded once as a texture; a screen asks the Ui for it by name and draws its words without
// it when it is not there (not fetched yet) or cannot be shown (its bytes are not those of its
// name, or do not decode) — never an empty frame, never a broken image.
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include <imgui.h>

namespace allervers::app {

struct Picture {
  std::string name;               // its media name (the SHA-256 of its bytes)
  ImTextureID texture = nullptr;  // none headless (no renderer), or when it cannot be shown
  int width = 0, height = 0;
  std::string problem;  // "" when fine; else why it is not shown ("missing", or what is wrong with it)
  // Decoded and fine: drawn (a grey frame of its size headless, where there is no texture).
  bool usable() const { return problem.empty() && width > 0 && height > 0; }
};

// The renderer's side: RGBA pixels (top row first) made a texture, and freed. allervers-kiosk
// implements it with OpenGL; headless there is none, and pictures are left out.
class PictureTextures {
 public:
  virtual ~PictureTextures() = default;
  virtual ImTextureID create(int width, int height, const unsigned char* rgba) = 0;  // main thread
  virtual void destroy(ImTextureID texture) = 0;
};

// What the Ui asks for pictures by name (main thread only).
class PictureSource {
 public:
  virtual ~PictureSource() = default;
  // nullptr for an empty name; otherwise the picture, maybe not shown (its `problem`).
  virtual const Picture* picture(const std::string& hash) = 0;
};

class Pictures final : public PictureSource {
 public:
  // `load`: a media file's bytes as the device holds them, nothing when it has none.
  using Loader = std::function<std::optional<std::string>(const std::string& hash)>;
  explicit Pictures(Loader load) : load_(std::move(load)) {}
  ~Pictures() override;
  Pictures(const Pictures&) = delete;
  Pictures& operator=(const Pictures&) = delete;

  void set_textures(PictureTextures* textures);  // before the first frame; textures made before are dropped
  const Picture* picture(const std::string& hash) override;

  // A file not held is looked for again after this long: the sync thread may have fetched it.
  static constexpr std::chrono::seconds kMissingRetry{5};

 private:
  struct Entry {
    Picture picture;
    std::chrono::steady_clock::time_point looked;
  };
  void load(const std::string& hash, Entry& entry);
  void release_all();
  Loader load_;
  PictureTextures* textures_ = nullptr;
  std::map<std::string, Entry> entries_;
};

}  // namespace allervers::app
