// Sections: the owners (SDL, window, GL context, ImGui) · the camera preview texture · the font
// atlas · pictures · the window (frames, screenshots).
#include "kiosk_window.hpp"

#include <SDL_opengl.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include <imgui_impl_opengl3.h>
#include <imgui_impl_sdl.h>

#include "allervers/platform/image_io.hpp"

namespace allervers::app {

// --- the owners ----------------------------------------------------------------------------

SdlVideo::SdlVideo() {
  if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_TIMER) != 0) throw std::runtime_error(std::string("SDL could not start: ") + SDL_GetError());
}

SdlVideo::~SdlVideo() { SDL_Quit(); }

GlContext::GlContext(SDL_Window* window) : context_(SDL_GL_CreateContext(window)) {
  if (!context_) throw std::runtime_error(std::string("no OpenGL 3 context: ") + SDL_GetError());
  SDL_GL_MakeCurrent(window, context_);
  SDL_GL_SetSwapInterval(1);
}

GlContext::~GlContext() { SDL_GL_DeleteContext(context_); }

ImGuiBackends::ImGuiBackends(SDL_Window* window, SDL_GLContext context) {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui_ImplSDL2_InitForOpenGL(window, context);
  ImGui_ImplOpenGL3_Init("#version 130");
  // The shader and buffers now, while the atlas is empty: NewFrame would otherwise make them on
  // the first frame, with an RGBA copy of the whole atlas we then throw away (GlFontTexture).
  ImGui_ImplOpenGL3_CreateDeviceObjects();
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui::GetIO().Fonts->Clear();
}

ImGuiBackends::~ImGuiBackends() {
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplSDL2_Shutdown();
  ImGui::DestroyContext();
}

namespace {

SdlWindow open_window(const KioskWindow::Settings& settings) {
  SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");
  // Full screen needs no decorations; on Wayland, libdecor without its plugins (cage, a kiosk's
  // compositor) leaves the window without a role: a black screen (docs/admin.md, "The kiosk").
  if (settings.full_screen) SDL_SetHint(SDL_HINT_VIDEO_WAYLAND_ALLOW_LIBDECOR, "0");
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 3);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  if (!settings.full_screen) {
    SdlWindow window(SDL_CreateWindow("Aller-vers", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, settings.width,
                                      settings.height, SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI | SDL_WINDOW_RESIZABLE));
    if (!window) throw std::runtime_error(std::string("no window: ") + SDL_GetError());
    return window;
  }
  // A kiosk: the whole display. "Full screen" is a request to the window manager, and a lobby
  // kiosk often runs none (X with the app alone): the window would stay at its asked size,
  // cropped. So it is asked for borderless, at the top-left corner and as big as the display
  // from the start — what no window manager can get wrong — and full screen as well, for the
  // window managers that have their own idea of where a window goes.
  // On Wayland the compositor (cage) gives the full-screen window its size: only full screen.
  const char* driver = SDL_GetCurrentVideoDriver();
  if (!driver || std::string(driver) != "x11") {
    SdlWindow window(SDL_CreateWindow("Aller-vers", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, settings.width,
                                      settings.height, SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI | SDL_WINDOW_FULLSCREEN_DESKTOP));
    if (!window) throw std::runtime_error(std::string("no window: ") + SDL_GetError());
    SDL_ShowCursor(SDL_DISABLE);
    return window;
  }
  SDL_DisplayMode mode{};
  if (SDL_GetDesktopDisplayMode(0, &mode) != 0) throw std::runtime_error(std::string("no display: ") + SDL_GetError());
  SdlWindow window(SDL_CreateWindow("Aller-vers", 0, 0, mode.w, mode.h,
                                    SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI | SDL_WINDOW_BORDERLESS |
                                        SDL_WINDOW_FULLSCREEN_DESKTOP));
  if (!window) throw std::runtime_error(std::string("no window: ") + SDL_GetError());
  if (settings.full_screen) SDL_ShowCursor(SDL_DISABLE);  // a touch screen: no arrow parked mid-screen
  return window;
}

// --- the camera preview texture ------------------------------------------------------------

class GlPreviewTexture final : public PreviewTexture {
 public:
  GlPreviewTexture() = default;
  GlPreviewTexture(const GlPreviewTexture&) = delete;
  GlPreviewTexture& operator=(const GlPreviewTexture&) = delete;
  ~GlPreviewTexture() override {
    if (texture_) glDeleteTextures(1, &texture_);
  }

  ImTextureID upload(const platform::Frame& frame) override {
    if (!texture_) glGenTextures(1, &texture_);
    glBindTexture(GL_TEXTURE_2D, texture_);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    // Luminance to grey: the red channel swizzled would need GL 3.3; expand to RGBA instead.
    rgba_.resize(frame.luma.size() * 4);
    for (std::size_t i = 0; i < frame.luma.size(); ++i) {
      const auto v = frame.luma[i];
      rgba_[i * 4] = rgba_[i * 4 + 1] = rgba_[i * 4 + 2] = v;
      rgba_[i * 4 + 3] = 255;
    }
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    if (frame.width != width_ || frame.height != height_) {
      glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, frame.width, frame.height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba_.data());
      width_ = frame.width;
      height_ = frame.height;
    } else {
      glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, frame.width, frame.height, GL_RGBA, GL_UNSIGNED_BYTE, rgba_.data());
    }
    return reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(texture_));
  }

 private:
  GLuint texture_ = 0;
  int width_ = 0, height_ = 0;
  std::vector<std::uint8_t> rgba_;
};

}  // namespace

// --- the font atlas ----------------------------------------------------------------------------

// ImGui's atlas is coverage only (one byte a pixel); its OpenGL backend expands it to RGBA, four
// times the memory (64 MiB at 200 % with Arabic). Uploaded here as one red channel read back
// as (1, 1, 1, red) by a texture swizzle, which the backend's shader multiplies by the vertex
// colour exactly as it did the white RGBA. Without swizzles (GL before 3.3 lacking the
// extension) the backend's RGBA upload stays.
class GlFontTexture {
 public:
  GlFontTexture() = default;
  GlFontTexture(const GlFontTexture&) = delete;
  GlFontTexture& operator=(const GlFontTexture&) = delete;
  ~GlFontTexture() { release(); }

  void upload() {
    release();
    ImGuiIO& io = ImGui::GetIO();
    if (!swizzle_supported()) {
      ImGui_ImplOpenGL3_CreateFontsTexture();
      backend_ = true;
      return;
    }
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsAlpha8(&pixels, &w, &h);
    GLint last = 0;
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &last);
    glGenTextures(1, &texture_);
    glBindTexture(GL_TEXTURE_2D, texture_);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    const GLint swizzle[4] = {GL_ONE, GL_ONE, GL_ONE, GL_RED};
    glTexParameteriv(GL_TEXTURE_2D, GL_TEXTURE_SWIZZLE_RGBA, swizzle);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, w, h, 0, GL_RED, GL_UNSIGNED_BYTE, pixels);
    glBindTexture(GL_TEXTURE_2D, static_cast<GLuint>(last));
    io.Fonts->SetTexID(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(texture_)));
  }

 private:
  static bool swizzle_supported() {
    // Core since 3.3 ("4.5 (Compatibility Profile) Mesa …"), an extension before.
    const char* version = reinterpret_cast<const char*>(glGetString(GL_VERSION));
    int major = 0, minor = 0;
    if (version && std::sscanf(version, "%d.%d", &major, &minor) == 2 && (major > 3 || (major == 3 && minor >= 3))) return true;
    return SDL_GL_ExtensionSupported("GL_ARB_texture_swizzle") || SDL_GL_ExtensionSupported("GL_EXT_texture_swizzle");
  }
  void release() {
    if (texture_) glDeleteTextures(1, &texture_);
    texture_ = 0;
    if (backend_) ImGui_ImplOpenGL3_DestroyFontsTexture();
    backend_ = false;
  }
  GLuint texture_ = 0;
  bool backend_ = false;  // the backend's RGBA texture is the one in use
};

namespace {

// --- pictures from the catalog ---------------------------------------------------------------

// One texture per picture, made once; freed by the App's picture cache (before the context).
class GlPictureTextures final : public PictureTextures {
 public:
  ImTextureID create(int width, int height, const unsigned char* rgba) override {
    GLuint texture = 0;
    glGenTextures(1, &texture);
    glBindTexture(GL_TEXTURE_2D, texture);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
    return reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(texture));
  }
  void destroy(ImTextureID texture) override {
    const auto name = static_cast<GLuint>(reinterpret_cast<std::intptr_t>(texture));
    glDeleteTextures(1, &name);
  }
};

}  // namespace

// --- the window ----------------------------------------------------------------------------

KioskWindow::KioskWindow(const Settings& settings)
    : window_(open_window(settings)), gl_(window_.get()), imgui_(window_.get(), gl_.get()),
      preview_(std::make_unique<GlPreviewTexture>()), pictures_(std::make_unique<GlPictureTextures>()),
      font_texture_(std::make_unique<GlFontTexture>()) {}

KioskWindow::~KioskWindow() = default;

std::optional<float> KioskWindow::dpi_scale() const {
  float ddpi = 0;
  if (SDL_GetDisplayDPI(0, &ddpi, nullptr, nullptr) != 0 || ddpi <= 0) return std::nullopt;
  return std::clamp(ddpi / 96.0f, 1.0f, 3.0f);
}

PreviewTexture& KioskWindow::preview() { return *preview_; }
PictureTextures& KioskWindow::pictures() { return *pictures_; }

void KioskWindow::process(const SDL_Event& event) { ImGui_ImplSDL2_ProcessEvent(&event); }

void KioskWindow::draw(App& app, float dpi_scale) {
  int window_w = 0, window_h = 0;
  SDL_GetWindowSize(window_.get(), &window_w, &window_h);
  app.set_display_scale(display_scale_for(static_cast<float>(window_w), static_cast<float>(window_h), dpi_scale));
  if (app.update_fonts()) {
    font_texture_->upload();
    ImGui::GetIO().Fonts->ClearTexData();  // the GPU holds the pixels now; the glyph tables stay
  }
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplSDL2_NewFrame();
  app.frame();
  const ImGuiIO& io = ImGui::GetIO();
  glViewport(0, 0, static_cast<int>(io.DisplaySize.x * io.DisplayFramebufferScale.x),
             static_cast<int>(io.DisplaySize.y * io.DisplayFramebufferScale.y));
  glClearColor(0.976f, 0.973f, 0.961f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  if (!capture_to_.empty()) capture();
  SDL_GL_SwapWindow(window_.get());
}

void KioskWindow::capture() {
  int w = 0, h = 0;
  SDL_GL_GetDrawableSize(window_.get(), &w, &h);
  platform::RgbaImage image;
  image.width = w;
  image.height = h;
  std::vector<std::uint8_t> bottom_up(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, bottom_up.data());
  const auto row = static_cast<std::size_t>(w) * 4;
  image.rgba.resize(bottom_up.size());
  for (std::size_t y = 0; y < static_cast<std::size_t>(h); ++y)  // OpenGL's rows start at the bottom
    std::copy_n(bottom_up.begin() + static_cast<std::ptrdiff_t>((static_cast<std::size_t>(h) - 1 - y) * row), row,
                image.rgba.begin() + static_cast<std::ptrdiff_t>(y * row));
  for (std::size_t i = 3; i < image.rgba.size(); i += 4) image.rgba[i] = 255;
  const auto path = std::move(capture_to_);
  capture_to_.clear();
  platform::write_png(path, image);
}

void KioskWindow::resize(int width, int height) {
  // The screenshot script's sizes: a full-screen window keeps the display's size otherwise.
  if (SDL_GetWindowFlags(window_.get()) & SDL_WINDOW_FULLSCREEN_DESKTOP) SDL_SetWindowFullscreen(window_.get(), 0);
  SDL_SetWindowSize(window_.get(), width, height);
  SDL_Event event;
  while (SDL_PollEvent(&event)) process(event);
}

void KioskWindow::finish_rendering() { glFinish(); }

}  // namespace allervers::app
