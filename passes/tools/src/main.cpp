// allervers-passes — the town's pass tool: make the town key, print sheets of passes, make a
// QR image, check passes in images. The server's `passes` subcommand calls the same library.
#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "allervers/passes/check.hpp"
#include "allervers/passes/print.hpp"
#include "allervers/platform/image_io.hpp"
#include "allervers/platform/qr.hpp"

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
    if (*check) {
      const std::string key_text = town_public.rfind("AVK1-", 0) == 0 ? town_public : read_text(town_public);
      passes::CertificateStore store(passes::TownPublicKey::parse(key_text));
      if (!certificates_file.empty()) {
        std::istringstream lines(read_text(certificates_file));
        for (std::string line; std::getline(lines, line);)
          if (!line.empty()) store.add(passes::DeviceCertificate::parse(line));
      }
      passes::RevocationList revoked;
      if (!revocations_file.empty()) revoked = passes::RevocationList::from_json(read_text(revocations_file));
      const passes::PassVerifier verifier(std::move(store), std::move(revoked));
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
