#pragma once
// Synthetic camera frames for the platform tests and benchmarks: a QR code placed in a
// scene with a rotation, scale, blur, noise, contrast and background of our choosing.
#include <cmath>
#include <cstdint>
#include <random>
#include <string>

#include "allervers/platform/frame.hpp"
#include "allervers/platform/qr.hpp"

namespace allervers::test {

// A pass-shaped payload: "AV1-" and 119 characters of the QR alphanumeric set.
inline std::string pass_like_payload(std::uint32_t seed) {
  static constexpr char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::mt19937 random(seed);
  std::string text = "AV1-";
  for (int i = 0; i < 119; ++i) text.push_back(alphabet[random() % 32]);
  return text;
}

struct Scene {
  int width = 640;
  int height = 480;
  double angle_deg = 0;      // rotation of the code
  double module_px = 5;      // size of one module in the frame
  double centre_x = 0.5;     // where the code's centre is, as a fraction of the frame
  double centre_y = 0.5;
  double blur_px = 0;        // box blur radius, applied once per pass (3 passes ~ Gaussian)
  double noise = 0;          // standard deviation of added noise, in grey levels
  int dark = 0;              // the code's dark and light grey levels (contrast)
  int light = 255;
  bool photo_background = false;
  std::uint32_t seed = 1;
};

inline std::uint8_t clamp_byte(double v) { return static_cast<std::uint8_t>(std::lround(std::fmin(255.0, std::fmax(0.0, v)))); }

inline platform::Frame render_scene(const platform::QrMatrix& qr, const Scene& scene) {
  std::mt19937 random(scene.seed);
  platform::Frame frame;
  frame.width = scene.width;
  frame.height = scene.height;
  frame.luma.resize(static_cast<std::size_t>(scene.width) * static_cast<std::size_t>(scene.height));
  // Photo-like background: smooth shading, a few textured blobs and hard edges.
  struct Blob {
    double x, y, r, level;
  };
  std::vector<Blob> blobs;
  if (scene.photo_background)
    for (int i = 0; i < 12; ++i)
      blobs.push_back({std::uniform_real_distribution<>(0, scene.width)(random), std::uniform_real_distribution<>(0, scene.height)(random),
                       std::uniform_real_distribution<>(20, 120)(random), std::uniform_real_distribution<>(30, 220)(random)});
  const double pi = std::acos(-1.0);
  const double cos_a = std::cos(scene.angle_deg * pi / 180), sin_a = std::sin(scene.angle_deg * pi / 180);
  const double quiet = 4;
  const double side = (qr.size + 2 * quiet);  // in modules, quiet zone included (the paper)
  const double cx = scene.centre_x * scene.width, cy = scene.centre_y * scene.height;
  for (int y = 0; y < scene.height; ++y) {
    for (int x = 0; x < scene.width; ++x) {
      double value = 128;
      if (scene.photo_background) {
        value = 120 + 60 * std::sin(x * 0.013 + y * 0.007) + 30 * std::cos(y * 0.021);
        for (const auto& b : blobs)
          if ((x - b.x) * (x - b.x) + (y - b.y) * (y - b.y) < b.r * b.r) value = b.level + 20 * std::sin(x * 0.9) * std::cos(y * 0.7);
      }
      // Supersample 2x2 for a camera-like antialiased edge.
      double sum = 0;
      int inside = 0;
      for (int sy = 0; sy < 2; ++sy) {
        for (int sx = 0; sx < 2; ++sx) {
          const double px = x + 0.25 + 0.5 * sx - cx, py = y + 0.25 + 0.5 * sy - cy;
          const double u = (cos_a * px + sin_a * py) / scene.module_px + side / 2;
          const double v = (-sin_a * px + cos_a * py) / scene.module_px + side / 2;
          if (u < 0 || v < 0 || u >= side || v >= side) {
            sum += value;
            continue;
          }
          ++inside;
          const int mx = static_cast<int>(std::floor(u - quiet)), my = static_cast<int>(std::floor(v - quiet));
          const bool dark = mx >= 0 && my >= 0 && mx < qr.size && my < qr.size && qr.at(mx, my);
          sum += dark ? scene.dark : scene.light;
        }
      }
      frame.luma[static_cast<std::size_t>(y * scene.width + x)] = clamp_byte(inside ? sum / 4 : value);
    }
  }
  // Box blur, three passes each way.
  const int r = static_cast<int>(std::lround(scene.blur_px));
  if (r > 0) {
    std::vector<std::uint8_t> tmp(frame.luma.size());
    for (int pass = 0; pass < 3; ++pass) {
      for (int y = 0; y < scene.height; ++y)
        for (int x = 0; x < scene.width; ++x) {
          int s = 0, n = 0;
          for (int k = -r; k <= r; ++k)
            if (x + k >= 0 && x + k < scene.width) s += frame.at(x + k, y), ++n;
          tmp[static_cast<std::size_t>(y * scene.width + x)] = static_cast<std::uint8_t>(s / n);
        }
      for (int y = 0; y < scene.height; ++y)
        for (int x = 0; x < scene.width; ++x) {
          int s = 0, n = 0;
          for (int k = -r; k <= r; ++k)
            if (y + k >= 0 && y + k < scene.height) s += tmp[static_cast<std::size_t>((y + k) * scene.width + x)], ++n;
          frame.luma[static_cast<std::size_t>(y * scene.width + x)] = static_cast<std::uint8_t>(s / n);
        }
    }
  }
  if (scene.noise > 0) {
    std::normal_distribution<> gauss(0, scene.noise);
    for (auto& p : frame.luma) p = clamp_byte(p + gauss(random));
  }
  return frame;
}

}  // namespace allervers::test
