// allervers-passes — the town's pass tool: make the town key, print sheets of passes, make a
// QR image, check passes in images. The server's `passes` subcommand calls the same library.
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "allervers/passes/check.hpp"
#include "allervers/passes/print.hpp"
#include "allervers/passes/sign_in_desk.hpp"
#include "allervers/platform/decode_worker.hpp"
#include "allervers/platform/image_files.hpp"
#include "allervers/platform/image_io.hpp"
#include "allervers/platform/qr.hpp"
#include "allervers/platform/v4l2_camera.hpp"

using namespace allervers;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot be opened");
  std::ostringstream text;
  text << in.rdbuf();
  std::string s = text.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

passes::PassVerifier make_verifier(const std::string& town_public, const std::string& certificates_file,
                                   const std::string& revocations_file) {
  const std::string key_text = town_public.rfind("AVK1-", 0) == 0 ? town_public : read_text(town_public);
  passes::CertificateStore store(passes::TownPublicKey::parse(key_text));
  if (!certificates_file.empty()) {
    std::istringstream lines(read_text(certificates_file));
    for (std::string line; std::getline(lines, line);)
      if (!line.empty()) store.add(passes::DeviceCertificate::parse(line));
  }
  passes::RevocationList revoked;
  if (!revocations_file.empty()) revoked = passes::RevocationList::from_json(read_text(revocations_file));
  return passes::PassVerifier(std::move(store), std::move(revoked));
}

// The sign-in screen's loop without a screen: a camera (or image files) on a pump thread, the
// decode worker, and this thread draining results and judging them, as the UI would once per
// frame. For trying a kiosk's camera and a print run at the desk.
int scan(const passes::PassVerifier& verifier, platform::FrameSource& source, double seconds) {
  platform::DecodeWorker worker;
  passes::MemorySignInHistory history;
  const passes::DuplicateRule rule(history);
  const core::SystemClock clock;
  platform::CameraPump pump(source, worker);
  std::cerr << "scanning from " << source.description() << '\n';
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  for (;;) {
    // Once the source has ended, let the worker finish before the last drain.
    const bool ended = !pump.running();
    if (ended) worker.wait_idle();
    for (const auto& result : worker.drain()) {
      const auto verdict = passes::judge_scan(verifier, rule, "scan", result.text);
      const auto latency = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - result.frame_captured_at);
      std::cout << verdict.headline;
      if (verdict.pass) std::cout << " " << verdict.pass->str();
      if (!verdict.detail.empty()) std::cout << " (" << passes::to_string(verdict.problem) << ")";
      std::cout << ", frame " << result.frame_sequence << ", " << latency.count() << " ms after the frame" << std::endl;
      if (verdict.record()) history.record("scan", verdict.pass->str(), clock.now());
    }
    if (auto error = pump.error()) {
      std::cerr << "allervers-passes: " << *error << '\n';
      return 2;
    }
    if (ended || std::chrono::steady_clock::now() > until) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Aller-vers passes: town key, printing, checking"};
  app.require_subcommand(1);

  std::string key_out;
  auto* keygen = app.add_subcommand("keygen", "Make a new town key; prints its public key");
  keygen->add_option("--out", key_out, "File for the secret key (created with mode 0600)")->required();

  std::string key_file, pdf_out, town_name;
  int count = 8;
  auto* print = app.add_subcommand("print", "Print N new town passes on A4 sheets (PDF)");
  print->add_option("--key", key_file, "The town's secret key file")->required();
  print->add_option("--count", count, "How many passes")->check(CLI::Range(1, 100000));
  print->add_option("--out", pdf_out, "PDF file to write")->required();
  print->add_option("--town", town_name, "Town name printed on each pass");

  std::string town_public, certificates_file, revocations_file;
  std::vector<std::string> images;
  auto* check = app.add_subcommand("check", "Decode and verify passes in images; one line per image");
  check->add_option("--town-key", town_public, "The town's public key (AVK1-...) or a file holding it")->required();
  check->add_option("--certificates", certificates_file, "File of device certificates (AVC1-..., one a line)");
  check->add_option("--revocations", revocations_file, "Revocation list (JSON)");
  check->add_option("images", images, "PNG or PGM images")->required();

  std::string camera_device;
  std::vector<std::string> scan_images;
  double scan_seconds = 30;
  std::string scan_town, scan_certificates, scan_revocations;
  auto* scan_cmd = app.add_subcommand("scan", "Read passes from a camera or image files, as the sign-in screen does");
  scan_cmd->add_option("--town-key", scan_town, "The town's public key (AVK1-...) or a file holding it")->required();
  scan_cmd->add_option("--certificates", scan_certificates, "File of device certificates (AVC1-..., one a line)");
  scan_cmd->add_option("--revocations", scan_revocations, "Revocation list (JSON)");
  auto* camera_opt = scan_cmd->add_option("--camera", camera_device, "V4L2 device, e.g. /dev/video0");
  scan_cmd->add_option("--images", scan_images, "Image files, in order, instead of a camera")->excludes(camera_opt);
  scan_cmd->add_option("--seconds", scan_seconds, "Stop after this long")->check(CLI::Range(0.1, 86400.0));

  std::string qr_text, qr_out;
  int module_px = 8;
  auto* qr = app.add_subcommand("qr", "Write any text as a QR code image (PNG), for demos and tests");
  qr->add_option("text", qr_text)->required();
  qr->add_option("--out", qr_out, "PNG file to write")->required();
  qr->add_option("--module", module_px, "Pixels per module")->check(CLI::Range(1, 64));

  CLI11_PARSE(app, argc, argv);
  try {
    if (*keygen) {
      const auto key = passes::TownKey::generate();
      {
        std::ofstream out(key_out);
        if (!out) throw std::runtime_error(key_out + ": cannot be written");
        out << key.secret().str() << '\n';
      }
      chmod(key_out.c_str(), S_IRUSR | S_IWUSR);
      std::cout << key.public_key().str() << '\n';
      return 0;
    }
    if (*print) {
      const passes::TownKey key(passes::SecretKey::parse(read_text(key_file)));
      passes::PrintLayout layout;
      layout.town = town_name;
      passes::print_passes_pdf(passes::make_town_passes(key, count), pdf_out, layout);
      std::cerr << count << " passes written to " << pdf_out << '\n';
      return 0;
    }
    if (*scan_cmd) {
      const auto verifier = make_verifier(scan_town, scan_certificates, scan_revocations);
      std::unique_ptr<platform::FrameSource> source;
      if (!scan_images.empty()) {
        // Paced like a camera, so that each image is decoded rather than replaced by the next.
        source = std::make_unique<platform::ImageFileSource>(
            std::vector<std::filesystem::path>(scan_images.begin(), scan_images.end()), false,
            std::chrono::milliseconds(300));
      } else {
        platform::CameraRequest request;
        if (!camera_device.empty()) request.device = camera_device;
        source = std::make_unique<platform::V4l2Camera>(request);
      }
      return scan(verifier, *source, scan_seconds);
    }
    if (*check) {
      const auto verifier = make_verifier(town_public, certificates_file, revocations_file);
      int bad = 0;
      for (const auto& image : images) {
        const auto result = passes::check_pass_image(verifier, image);
        std::cout << passes::format_line(result) << '\n';
        bad += result.all_valid() ? 0 : 1;
      }
      return bad == 0 ? 0 : 1;
    }
    if (*qr) {
      platform::write_png(qr_out, platform::render_qr(platform::encode_qr(qr_text, platform::QrErrorCorrection::medium), module_px));
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "allervers-passes: " << e.what() << '\n';
    return 2;
  }
  return 0;
}
