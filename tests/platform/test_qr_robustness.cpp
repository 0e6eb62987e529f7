// Generated QR codes through the whole reading path, under the ways a kiosk camera sees
// them. Each must decode to exactly its payload or to nothing — never to a wrong payload.
#include <catch2/catch.hpp>

#include "allervers/platform/qr.hpp"
#include "synthetic.hpp"

using namespace allervers::platform;
using allervers::test::pass_like_payload;
using allervers::test::render_scene;
using allervers::test::Scene;

namespace {

struct Tally {
  int decoded = 0;
  int nothing = 0;
};

// Decodes the scene; fails the test on any payload other than `expected`.
bool read_back(const QrMatrix& qr, const Scene& scene, const std::string& expected, Tally& tally,
               DecodeOptions options = {}) {
  const Frame frame = render_scene(qr, scene);
  const auto codes = QrDecoder(options).decode(frame);
  for (const auto& code : codes) {
    INFO("angle " << scene.angle_deg << " module " << scene.module_px << " blur " << scene.blur_px << " noise "
                  << scene.noise << " contrast " << scene.dark << ".." << scene.light);
    CHECK(code.text == expected);
  }
  CHECK(codes.size() <= 1);
  (codes.empty() ? tally.nothing : tally.decoded)++;
  return !codes.empty();
}

}  // namespace

TEST_CASE("a clean code decodes with its bytes and corners") {
  const std::string payload = pass_like_payload(1);
  const QrMatrix qr = encode_qr(payload, QrErrorCorrection::medium);
  CHECK(qr.size == 41);  // version 6: a pass fits at level M in alphanumeric mode
  CHECK(encode_qr(payload, QrErrorCorrection::quartile).size == 45);
  const Frame image = render_qr(qr, 6);
  const auto codes = QrDecoder().decode(image);
  REQUIRE(codes.size() == 1);
  CHECK(codes[0].text == payload);
  CHECK(codes[0].corners[0].x == Approx(24).margin(3));
  CHECK(codes[0].corners[0].y == Approx(24).margin(3));

  SECTION("bytes come back as encoded, even when they are not ASCII") {
    const std::string french = "Assemblée de quartier — Hôtel de ville";
    CHECK(QrDecoder().decode(render_qr(encode_qr(french), 4)).at(0).text == french);
  }
}

TEST_CASE("rotated 0 to 45 degrees") {
  const std::string payload = pass_like_payload(2);
  const QrMatrix qr = encode_qr(payload, QrErrorCorrection::medium);
  Tally tally;
  for (double angle = 0; angle <= 45; angle += 5) {
    Scene scene;
    scene.angle_deg = angle;
    scene.module_px = 5;
    scene.seed = static_cast<std::uint32_t>(angle);
    read_back(qr, scene, payload, tally);
  }
  CHECK(tally.decoded >= 9);  // of 10: only the hardest angle may be missed
}

TEST_CASE("scaled from small to filling the frame") {
  const std::string payload = pass_like_payload(3);
  const QrMatrix qr = encode_qr(payload, QrErrorCorrection::medium);
  Tally tally;
  for (double module : {2.0, 2.5, 3.0, 4.0, 6.0, 8.0, 9.5}) {
    Scene scene;
    scene.module_px = module;
    scene.angle_deg = 7;
    read_back(qr, scene, payload, tally);
  }
  CHECK(tally.decoded >= 5);
}

TEST_CASE("blurred or noisy or low contrast") {
  const std::string payload = pass_like_payload(4);
  const QrMatrix qr = encode_qr(payload, QrErrorCorrection::medium);
  Tally tally;
  for (double blur : {1.0, 2.0, 3.0, 5.0}) {
    Scene scene;
    scene.blur_px = blur;
    scene.module_px = 6;
    scene.angle_deg = 12;
    read_back(qr, scene, payload, tally);
  }
  for (double noise : {10.0, 25.0, 45.0, 70.0}) {
    Scene scene;
    scene.noise = noise;
    scene.module_px = 5;
    scene.seed = static_cast<std::uint32_t>(noise);
    read_back(qr, scene, payload, tally);
  }
  CHECK(tally.decoded >= 5);  // of 8: heavy blur (3 and 5 px on 6 px modules) and noise 70 fail

  // Low contrast: the second binarizer (the worker alternates them frame by frame) reads down
  // to about 40 grey levels between dark and light.
  Tally faint;
  for (int spread : {120, 60, 40, 30, 15}) {
    Scene scene;
    scene.dark = 128 - spread / 2;
    scene.light = 128 + spread / 2;
    scene.module_px = 5;
    read_back(qr, scene, payload, faint, DecodeOptions{false, 0, true});
  }
  CHECK(faint.decoded >= 3);
}

TEST_CASE("on a photo-like background and partly off the frame") {
  const std::string payload = pass_like_payload(5);
  const QrMatrix qr = encode_qr(payload, QrErrorCorrection::medium);
  Tally tally;
  for (std::uint32_t seed = 1; seed <= 4; ++seed) {
    Scene scene;
    scene.photo_background = true;
    scene.seed = seed;
    scene.angle_deg = 10.0 * seed;
    scene.module_px = 4.5;
    scene.noise = 6;
    read_back(qr, scene, payload, tally);
  }
  CHECK(tally.decoded >= 3);

  Tally cut;
  for (double centre : {0.30, 0.20, 0.12, 0.05, -0.05}) {
    Scene scene;
    scene.photo_background = true;
    scene.centre_x = centre;  // the left part of the code leaves the frame
    scene.module_px = 5;
    read_back(qr, scene, payload, cut);
  }
  CHECK(cut.decoded >= 2);  // fully in view it reads; a code half out never misreads
  CHECK(cut.nothing >= 1);
}

TEST_CASE("a frame without a code reports nothing") {
  Scene scene;
  scene.photo_background = true;
  QrMatrix empty;  // no modules: the scene is only the paper and the background
  for (std::uint32_t seed = 1; seed <= 3; ++seed) {
    scene.seed = seed;
    scene.noise = 10;
    CHECK(QrDecoder().decode(render_scene(empty, scene)).empty());
  }
  CHECK(QrDecoder().decode(Frame{}).empty());
}

TEST_CASE("with try_harder for still images hard cases decode and still never misread") {
  const std::string payload = pass_like_payload(6);
  const QrMatrix qr = encode_qr(payload, QrErrorCorrection::medium);
  Tally tally;
  for (double angle : {22.0, 38.0, 45.0}) {
    Scene scene;
    scene.angle_deg = angle;
    scene.module_px = 4;
    scene.blur_px = 1;
    scene.noise = 8;
    scene.photo_background = true;
    read_back(qr, scene, payload, tally, DecodeOptions{true, 0, true});
  }
  CHECK(tally.decoded >= 2);
}
