#pragma once
// Checking passes in images (a scanned or rendered print run, a photo of a resident's
// phone): decode every QR code in each image and verify it. Behind
// `allervers-device check-pass IMAGE...` and `allervers-passes check`.
//
//   passes::CertificateStore certificates(passes::TownPublicKey::parse(town_key_text));
//   passes::PassVerifier verifier(std::move(certificates), revocations);
//   int refused = 0;
//   for (const auto& image : images) {
//     const auto result = passes::check_pass_image(verifier, image);
//     std::cout << passes::format_line(result) << '\n';
//     refused += result.all_valid() ? 0 : 1;
//   }
//   return refused == 0 ? 0 : 1;
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "allervers/passes/pass.hpp"

namespace allervers::passes {

struct CodeInImage {
  std::string text;  // as decoded
  PassCheck check;
};

struct ImageCheckResult {
  std::filesystem::path image;
  std::optional<std::string> error;  // the image could not be read
  std::vector<CodeInImage> codes;    // every QR code found, in reading order
  // True when the image was read, holds at least one code, and every code is a valid pass.
  bool all_valid() const;
};

// Reads the image (PNG or PGM) and decodes its codes with the thorough still-image settings.
ImageCheckResult check_pass_image(const PassVerifier& verifier, const std::filesystem::path& image);

// One line per image, for people and for scripts (fields separated by ": " and ", "):
//   "sheet-1.png: ok, 8 passes: 3K7QM2XPA9 (town), ..."
//   "photo.png: refused, bad_signature: signature does not match: altered or forged (3K7QM2XPA9)"
//   "blank.png: no code found"
//   "missing.png: error: cannot be opened"
std::string format_line(const ImageCheckResult& result);

}  // namespace allervers::passes
