// The town's time from the system's tz database: Paris in winter and in summer, the two
// changes of each year to the minute, a zone name that is a path refused, and every cut-short
// or corrupted zone file refused with its reason rather than read past its end.
#include <catch2/catch.hpp>

#include <fstream>

#include "allervers/web/town_time.hpp"

using allervers::web::TownTime;

namespace {
// 2026-03-29 01:00:00 UTC: clocks go from 02:00 to 03:00 in Paris; 2026-10-25 01:00:00 UTC: back to 02:00.
constexpr std::int64_t kSpringForward = 1'774'746'000'000;
constexpr std::int64_t kFallBack = 1'792'890'000'000;

std::string paris_file() {
  std::ifstream in("/usr/share/zoneinfo/Europe/Paris", std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
}  // namespace

TEST_CASE("town time: Paris in winter and summer, and the two changes to the minute") {
  const auto paris = TownTime::load("Europe/Paris");
  CHECK(paris.zone() == "Europe/Paris");
  CHECK(paris.format(1'768'478'400'000) == "15/01/2026 13:00");  // 12:00 UTC in January: UTC+1
  CHECK(paris.format(1'784'116'800'000) == "15/07/2026 14:00");  // 12:00 UTC in July: UTC+2
  CHECK(paris.format(kSpringForward - 1000, true) == "29/03/2026 01:59:59");
  CHECK(paris.format(kSpringForward) == "29/03/2026 03:00");
  CHECK(paris.format(kFallBack - 1000, true) == "25/10/2026 02:59:59");
  CHECK(paris.format(kFallBack) == "25/10/2026 02:00");
  CHECK(paris.offset_seconds(kFallBack) == 3600);
  CHECK(paris.format(0) == "01/01/1970 01:00");
  // Other towns: overseas France.
  CHECK(TownTime::load("America/Martinique").format(1'768'478'400'000) == "15/01/2026 08:00");
  CHECK(TownTime::load("UTC").format(kFallBack) == "25/10/2026 01:00");
}

TEST_CASE("town time: a zone name that is not one is refused, naming it") {
  for (const char* name : {"", "../../etc/passwd", "/etc/localtime", "Europe/Nulle-Part", "Europe/Paris\n", "Europe/../UTC"}) {
    try {
      TownTime::load(name);
      FAIL("accepted: " << name);
    } catch (const std::runtime_error& e) {
      CHECK(std::string(e.what()).find("time zone") == 0);
    }
  }
  CHECK_THROWS_WITH(TownTime::parse("texte", std::string(60, 'a')), Catch::Contains("not a TZif zone file"));
}

TEST_CASE("town time: every cut-short or corrupted zone file is refused or read within its bytes") {
  const std::string whole = paris_file();
  REQUIRE(whole.size() > 100);
  int refused = 0;
  for (std::size_t n = 0; n < whole.size(); ++n) {
    try {
      TownTime::parse("cut", whole.substr(0, n));
    } catch (const std::runtime_error&) {
      ++refused;
    }
  }
  CHECK(refused > 0);
  // Each byte of the header and counts set to 0xFF in turn: never a read past the end.
  for (std::size_t at = 0; at < 60 && at < whole.size(); ++at) {
    std::string corrupt = whole;
    corrupt[at] = '\xFF';
    try {
      const auto t = TownTime::parse("corrupt", corrupt);
      (void)t.format(kSpringForward);
    } catch (const std::runtime_error&) {
    }
  }
}
