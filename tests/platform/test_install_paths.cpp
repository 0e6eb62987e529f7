// Where a program finds its shipped data: the override, else ../share/allervers beside it.
#include <catch2/catch.hpp>

#include "allervers/platform/files.hpp"
#include "allervers/platform/install_paths.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using allervers::platform::FileError;
using allervers::platform::find_assets_dir;

TEST_CASE("an installed program finds its data in ../share/allervers beside its folder") {
  allervers::test::TempDir prefix;
  fs::create_directories(prefix / "bin");
  fs::create_directories(prefix / "share/allervers/i18n");
  CHECK(find_assets_dir(std::nullopt, prefix / "bin/allervers-server") == prefix / "share/allervers");
}

TEST_CASE("the override wins, and must be a folder") {
  allervers::test::TempDir prefix;
  fs::create_directories(prefix / "share/allervers/i18n");
  fs::create_directories(prefix / "elsewhere");
  CHECK(find_assets_dir((prefix / "elsewhere").string(), prefix / "bin/x") == prefix / "elsewhere");
  CHECK(find_assets_dir(std::string(), prefix / "bin/x") == prefix / "share/allervers");  // empty: unset
  CHECK_THROWS_WITH(find_assets_dir((prefix / "missing").string(), prefix / "bin/x"),
                    Catch::Contains("ALLERVERS_ASSETS names") && Catch::Contains("not a folder"));
}

TEST_CASE("no data beside the program is a sentence naming where it looked") {
  allervers::test::TempDir prefix;
  fs::create_directories(prefix / "share/allervers");  // present but without its translations
  CHECK_THROWS_AS(find_assets_dir(std::nullopt, prefix / "bin/x"), FileError);
  CHECK_THROWS_WITH(find_assets_dir(std::nullopt, prefix / "bin/x"),
                    Catch::Contains((prefix / "share/allervers/i18n").string()));
}

TEST_CASE("the build tree links build/share/allervers to the source's assets") {
  // A program at build/<room>/<name> finds the same files the tests read.
  const fs::path found = find_assets_dir(std::nullopt, allervers::test::binary_dir() / "device" / "allervers-device");
  CHECK(fs::equivalent(found, allervers::test::assets_dir()));
}

TEST_CASE("the running program's own path is a file that exists") {
  CHECK(fs::is_regular_file(allervers::platform::own_executable()));
}
