#include "allervers/passes/check.hpp"

#include <algorithm>

#include "allervers/platform/image_io.hpp"
#include "allervers/platform/qr.hpp"

namespace allervers::passes {

bool ImageCheckResult::all_valid() const {
  return !error && !codes.empty() && std::all_of(codes.begin(), codes.end(), [](const auto& c) { return c.check.ok(); });
}

ImageCheckResult check_pass_image(const PassVerifier& verifier, const std::filesystem::path& image) {
  ImageCheckResult result;
  result.image = image;
  platform::Frame frame;
  try {
    frame = platform::read_image(image);
  } catch (const std::exception& e) {
    result.error = e.what();
    return result;
  }
  platform::DecodeOptions options;
  options.try_harder = true;
  options.both_binarizers = true;
  options.max_codes = 64;  // a whole printed sheet in one image
  for (auto& code : platform::QrDecoder(options).decode_all(frame)) {
    auto check = verifier.verify(code.text);
    result.codes.push_back({std::move(code.text), std::move(check)});
  }
  return result;
}

std::string format_line(const ImageCheckResult& result) {
  std::string line = result.image.string() + ": ";
  if (result.error) {
    // The image error already starts with the file name.
    const std::string& e = *result.error;
    const std::string prefix = result.image.string() + ": ";
    return line + "error: " + (e.rfind(prefix, 0) == 0 ? e.substr(prefix.size()) : e);
  }
  if (result.codes.empty()) return line + "no code found";
  if (result.all_valid()) {
    line += "ok, " + std::to_string(result.codes.size()) + (result.codes.size() == 1 ? " pass: " : " passes: ");
    for (std::size_t i = 0; i < result.codes.size(); ++i) {
      const Pass& pass = *result.codes[i].check.pass;
      if (i) line += ", ";
      line += pass.id.str() + (pass.issuer == Issuer::town ? " (town)" : " (device " + std::to_string(pass.certificate) + ")");
    }
    return line;
  }
  std::size_t refused = 0;
  for (const auto& code : result.codes) refused += code.check.ok() ? 0u : 1u;
  line += "refused";
  if (result.codes.size() > 1)
    line += " " + std::to_string(refused) + " of " + std::to_string(result.codes.size());
  for (const auto& code : result.codes) {
    if (code.check.ok()) continue;
    line += ", ";
    line += to_string(code.check.problem);
    line += ": ";
    line += describe(code.check.problem);
    if (code.check.pass) line += " (" + code.check.pass->id.str() + ")";
  }
  return line;
}

}  // namespace allervers::passes
