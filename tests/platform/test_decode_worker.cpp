// The decode worker as the sign-in screen uses it: submit every frame, drain once per UI
// frame, never wait on a decode.
#include <catch2/catch.hpp>

#include <atomic>

#include "allervers/platform/decode_worker.hpp"
#include "synthetic.hpp"

using namespace allervers::platform;

namespace {
std::shared_ptr<const Frame> frame_with(const std::string& text, std::uint64_t sequence) {
  allervers::test::Scene scene;
  scene.width = 320;
  scene.height = 240;
  scene.module_px = 3;
  auto frame = std::make_shared<Frame>(allervers::test::render_scene(encode_qr(text), scene));
  frame->sequence = sequence;
  frame->captured_at = std::chrono::steady_clock::now();
  return frame;
}
}  // namespace

TEST_CASE("a code held in view is reported once with the frame it came from") {
  std::atomic<int> wakes{0};
  DecodeWorker worker({}, [&] { ++wakes; });
  const auto a = frame_with("AV1-FIRST", 1);
  for (std::uint64_t i = 0; i < 5; ++i) {
    worker.submit(a);
    worker.wait_idle();
  }
  auto results = worker.drain();
  REQUIRE(results.size() == 1);
  CHECK(results[0].text == "AV1-FIRST");
  CHECK(results[0].frame_sequence == 1);
  CHECK(results[0].decoded_at >= results[0].frame_captured_at);
  CHECK(wakes == 1);
  CHECK(worker.drain().empty());

  SECTION("another code is reported at once") {
    worker.submit(frame_with("AV1-SECOND", 2));
    worker.wait_idle();
    results = worker.drain();
    REQUIRE(results.size() == 1);
    CHECK(results[0].text == "AV1-SECOND");
  }
  SECTION("after forget_recent the same code is reported again") {
    worker.forget_recent();
    worker.submit(a);
    worker.wait_idle();
    CHECK(worker.drain().size() == 1);
  }
}

TEST_CASE("the same code shown again after the hold is reported again") {
  DecodeWorkerOptions options;
  options.repeat_hold = std::chrono::milliseconds(30);
  DecodeWorker worker(options);
  const auto a = frame_with("AV1-AGAIN", 1);
  worker.submit(a);
  worker.wait_idle();
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  worker.submit(a);
  worker.wait_idle();
  CHECK(worker.drain().size() == 2);
}

TEST_CASE("frames arriving faster than decoding - stale ones are dropped and the newest is decoded") {
  DecodeWorker worker;
  std::vector<std::shared_ptr<const Frame>> frames;
  for (std::uint64_t i = 1; i <= 30; ++i) frames.push_back(frame_with("AV1-N" + std::to_string(i), i));
  for (const auto& f : frames) worker.submit(f);  // a burst: far faster than decoding
  worker.wait_idle();
  const auto stats = worker.stats();
  CHECK(stats.submitted == 30);
  CHECK(stats.decoded + stats.dropped == 30);
  CHECK(stats.dropped > 0);
  const auto results = worker.drain();
  REQUIRE_FALSE(results.empty());
  CHECK(results.back().text == "AV1-N30");  // the newest frame is never the one dropped
}

TEST_CASE("drain never waits on a decode in progress") {
  DecodeWorker worker;
  allervers::test::Scene big;
  big.width = 1280;
  big.height = 720;
  big.photo_background = true;
  auto frame = std::make_shared<Frame>(allervers::test::render_scene(encode_qr("AV1-SLOW"), big));
  worker.submit(frame);
  // The fastest of a few calls: the test thread being preempted on a busy machine must not
  // be mistaken for a drain that waited.
  auto fastest = std::chrono::steady_clock::duration::max();
  for (int i = 0; i < 10; ++i) {
    const auto started = std::chrono::steady_clock::now();
    (void)worker.drain();
    fastest = std::min(fastest, std::chrono::steady_clock::now() - started);
  }
  CHECK(fastest < std::chrono::milliseconds(1));
  worker.wait_idle();
}

TEST_CASE("a pump feeds the worker to the end of its source") {
  DecodeWorker worker;
  class Frames final : public FrameSource {
   public:
    std::shared_ptr<const Frame> next_frame(std::chrono::milliseconds) override {
      return ++n_ <= 3 ? frame_with("AV1-PUMP", n_) : nullptr;
    }
    bool finished() const override { return n_ >= 3; }
    std::string description() const override { return "three frames"; }

   private:
    std::uint64_t n_ = 0;
  } source;
  {
    CameraPump pump(source, worker);
    for (int i = 0; i < 400 && pump.running(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHECK_FALSE(pump.error());
    REQUIRE(pump.latest());
    CHECK(pump.latest()->sequence == 3);
  }
  worker.wait_idle();
  const auto results = worker.drain();
  REQUIRE(results.size() == 1);
  CHECK(results[0].text == "AV1-PUMP");
}
