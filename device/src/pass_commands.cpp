// check-pass: decode and verify residents' passes in images (checking a print run, a photo of a
// phone), offline, with the town key, device certificates and revocations this device holds.
#include <iostream>

#include "allervers/passes/check.hpp"
#include "allervers/passes/device_settings.hpp"
#include "allervers/storage/device_store.hpp"
#include "commands.hpp"

namespace allervers::device {
namespace {

struct CheckPassOptions {
  std::vector<std::filesystem::path> images;
  std::string town_key;  // overrides the device's
};

int run_check_pass(const GlobalOptions& global, const CheckPassOptions& options) {
  auto store = storage::DeviceStore::open(global.data_dir, storage::OpenOptions{true, 5000, {}});
  const std::string town_key =
      !options.town_key.empty() ? options.town_key : store.setting(core::settings::town_key).value_or("");
  // The town's retired keys go with the device's own key only, not with one given here.
  auto verifier = passes::verifier_from_settings(
      town_key, store.setting(core::settings::certificates), store.setting(core::settings::revocations),
      options.town_key.empty() ? store.setting(core::settings::retired_town_keys) : std::nullopt);
  if (!verifier) {
    std::cerr << "error: this device holds no town key yet — enrol and sync it, or give --town-key AVK1-…\n";
    return kExitFailed;
  }
  int refused = 0;
  for (const auto& image : options.images) {
    const auto result = passes::check_pass_image(*verifier, image);
    std::cout << passes::format_line(result) << '\n';
    refused += result.all_valid() ? 0 : 1;
  }
  return refused == 0 ? kExitOk : kExitRefused;
}

}  // namespace

void add_pass_commands(CLI::App& app, GlobalOptions& global, CommandRunner& run) {
  auto options = std::make_shared<CheckPassOptions>();
  auto* check = app.add_subcommand("check-pass", "Decode and verify passes in images (PNG, PGM); one line per image");
  check->add_option("images", options->images, "Image files")->required()->check(CLI::ExistingFile);
  check->add_option("--town-key", options->town_key, "The town's public key (AVK1-…), instead of the one the device holds");
  check->callback([&global, &run, options] { run = [&global, options] { return run_check_pass(global, *options); }; });
}

}  // namespace allervers::device
