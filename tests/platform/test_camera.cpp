// No camera on the test machine: the failure paths are what can be tested, and they are what
// staff see when a kiosk's camera is unplugged.
#include <catch2/catch.hpp>

#include "allervers/platform/decode_worker.hpp"
#include "allervers/platform/image_files.hpp"
#include "allervers/platform/image_io.hpp"
#include "allervers/platform/v4l2_camera.hpp"
#include "test_support.hpp"

using namespace allervers::platform;

TEST_CASE("a missing camera fails with a sentence naming the device") {
  CameraRequest request;
  request.device = "/dev/video-allervers-none";
  CHECK_THROWS_WITH(V4l2Camera(request), Catch::Contains("no camera at /dev/video-allervers-none"));
}

TEST_CASE("a device that is not a camera is named as such") {
  CameraRequest request;
  request.device = "/dev/null";
  CHECK_THROWS_WITH(V4l2Camera(request), Catch::Contains("/dev/null is not a video device"));
}

namespace {
class FailingSource final : public FrameSource {
 public:
  std::shared_ptr<const Frame> next_frame(std::chrono::milliseconds) override {
    if (++calls_ > 2) throw CameraError("camera /dev/video0 stopped sending frames: was it unplugged?");
    auto frame = std::make_shared<Frame>();
    frame->width = frame->height = 8;
    frame->luma.assign(64, 255);
    return frame;
  }
  bool finished() const override { return false; }
  std::string description() const override { return "failing"; }

 private:
  int calls_ = 0;
};
}  // namespace

TEST_CASE("a camera failing mid-way stops the pump and the failure reaches the UI") {
  FailingSource source;
  DecodeWorker worker;
  std::atomic<int> wakes{0};
  CameraPump pump(source, worker, [&] { ++wakes; });
  for (int i = 0; i < 200 && pump.running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  CHECK_FALSE(pump.running());
  REQUIRE(pump.error());
  CHECK_THAT(*pump.error(), Catch::Contains("unplugged"));
  CHECK(pump.latest() != nullptr);  // the last good frame stays for the preview
  CHECK(wakes >= 1);
}

TEST_CASE("an image-file source gives one frame per file then ends or loops") {
  allervers::test::TempDir dir;
  Frame f;
  f.width = 2;
  f.height = 1;
  f.luma = {0, 255};
  write_png(dir / "a.png", f);
  write_pgm(dir / "b.pgm", f);
  ImageFileSource once({dir / "a.png", dir / "b.pgm"});
  CHECK(once.description() == "2 image files");
  CHECK(once.next_frame({})->sequence == 1);
  CHECK(once.next_frame({})->luma == f.luma);
  CHECK(once.finished());
  CHECK(once.next_frame({}) == nullptr);

  ImageFileSource looping({dir / "a.png"}, true);
  for (int i = 0; i < 3; ++i) CHECK(looping.next_frame({}) != nullptr);
  CHECK_FALSE(looping.finished());

  ImageFileSource broken({dir / "nothing.png"});
  CHECK_THROWS_AS(broken.next_frame({}), ImageError);
}

TEST_CASE("an image-file source can be paced like a camera") {
  allervers::test::TempDir dir;
  Frame f;
  f.width = f.height = 1;
  f.luma = {0};
  write_pgm(dir / "a.pgm", f);
  ImageFileSource paced({dir / "a.pgm"}, true, std::chrono::milliseconds(40));
  const auto start = std::chrono::steady_clock::now();
  REQUIRE(paced.next_frame(std::chrono::milliseconds(100)));
  CHECK(paced.next_frame(std::chrono::milliseconds(5)) == nullptr);  // not due yet
  REQUIRE(paced.next_frame(std::chrono::milliseconds(100)));
  CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(40));
}
