#pragma once
// allervers-kiosk's window: SDL's video, an SDL2 window with an OpenGL 3.0 context, and Dear
// ImGui's context with its SDL2 and OpenGL3 backends — each held by an owner that releases it,
// in reverse order, however start-up or the run ends. It draws App frames, uploads the camera
// preview, and writes a frame to a PNG file when the screenshot script asks.
#include <SDL.h>

#include <filesystem>
#include <memory>
#include <optional>

#include "allervers/app/app.hpp"

namespace allervers::app {

// SDL_Init / SDL_Quit.
class SdlVideo {
 public:
  SdlVideo();  // throws std::runtime_error with SDL's sentence
  ~SdlVideo();
  SdlVideo(const SdlVideo&) = delete;
  SdlVideo& operator=(const SdlVideo&) = delete;
};

struct SdlWindowDeleter {
  void operator()(SDL_Window* window) const { SDL_DestroyWindow(window); }
};
using SdlWindow = std::unique_ptr<SDL_Window, SdlWindowDeleter>;

// SDL_GL_CreateContext / SDL_GL_DeleteContext, made current on its window.
class GlContext {
 public:
  explicit GlContext(SDL_Window* window);  // throws std::runtime_error
  ~GlContext();
  GlContext(const GlContext&) = delete;
  GlContext& operator=(const GlContext&) = delete;
  SDL_GLContext get() const { return context_; }

 private:
  SDL_GLContext context_;
};

// ImGui's context and its platform and renderer backends.
class ImGuiBackends {
 public:
  // The renderer's device objects are made here, before any font: its own font texture
  // (RGBA, 4 bytes a pixel) is never used, the window uploads the atlas as one byte a pixel.
  ImGuiBackends(SDL_Window* window, SDL_GLContext context);
  ~ImGuiBackends();
  ImGuiBackends(const ImGuiBackends&) = delete;
  ImGuiBackends& operator=(const ImGuiBackends&) = delete;
};

class GlFontTexture;  // the font atlas on the GPU, one byte a pixel (kiosk_window.cpp)

class KioskWindow {
 public:
  struct Settings {
    int width = 1280, height = 800;
    bool full_screen = false;  // a kiosk: the whole display, no cursor
  };
  explicit KioskWindow(const Settings& settings);  // throws std::runtime_error
  ~KioskWindow();

  // The display's DPI as a scale (96 dpi = 1, clamped to 1–3); nothing when SDL cannot tell.
  std::optional<float> dpi_scale() const;
  PreviewTexture& preview();
  PictureTextures& pictures();
  // ImGui's backend takes in one SDL event (input, resizing).
  void process(const SDL_Event& event);
  // One whole frame: fonts rebuilt when the scale changed, App::frame, rendering, the swap.
  void draw(App& app, float dpi_scale);
  void capture_next_frame(const std::filesystem::path& png) { capture_to_ = png; }
  void resize(int width, int height);  // and take in the events it causes
  void finish_rendering();             // glFinish: frame times then include the GPU's work

 private:
  void capture();

  // Declared in the order they start; they stop in the reverse one.
  SdlVideo video_;
  SdlWindow window_;
  GlContext gl_;
  ImGuiBackends imgui_;
  std::unique_ptr<PreviewTexture> preview_;
  std::unique_ptr<PictureTextures> pictures_;
  std::unique_ptr<GlFontTexture> font_texture_;
  std::filesystem::path capture_to_;
};

}  // namespace allervers::app
