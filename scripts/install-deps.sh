#!/usr/bin/env bash
# Installs, from Debian 12's packages only, everything Aller-vers needs to build, test and run.
# Idempotent: does nothing when every package is already there.
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config ccache
  # libraries
  libsqlite3-dev sqlite3 nlohmann-json3-dev libcli11-dev zlib1g-dev
  libcurl4-openssl-dev libmicrohttpd-dev libsodium-dev libpq-dev postgresql
  libimgui-dev libsdl2-dev libgl-dev libegl-dev
  libzxing-dev libv4l-dev libpng-dev libhpdf-dev libcairo2-dev libxlsxwriter-dev
  # ideas' photos on the public pages: decode, resize, re-encode (web/photo.hpp)
  libstb-dev
  catch2
  # the app's Arabic: FriBiDi shapes and reorders; HarfBuzz (shaping) and ICU (reading order) are
  # the tests' independent references
  libfribidi-dev libharfbuzz-dev libicu-dev
  # the app's read-aloud (espeak-ng into memory, played through SDL audio); sox checks its WAVs in tests
  libespeak-ng-dev sox
  # fonts the app draws with
  fonts-dejavu-core fonts-noto-core
  # a virtual display for the app's screenshot tests
  xvfb xauth libgl1-mesa-dri
  # to look at generated PDFs as pictures
  poppler-utils
  # tests: self-signed certificates; benchmarks: HTTP load
  openssl wrk
  # fuzzing (scripts/fuzz.sh): clang with libFuzzer and the sanitizers' runtimes
  clang libclang-rt-14-dev
  # the nginx packaging test (tests/packaging/nginx.sh): the documented proxy in front
  nginx
  # the server's tests read its XLSX exports back as a spreadsheet program would
  python3-openpyxl
  # the mails about ideas are tested against a real local SMTP relay (tests/web/tools/smtp_sink.py)
  python3-aiosmtpd
  # the office console: Bootstrap and Chart.js served from Debian's folders, never a CDN
  libjs-bootstrap5 libjs-chart.js
  # the console's browser tests (tests/web/browser): headless Chromium driven by Selenium;
  # npm installs axe-core for them below, outside the source tree
  chromium chromium-driver python3-selenium
  # the lobby kiosk as an appliance (cage, its Xwayland) and its test's screenshots (grim)
  cage xwayland grim
)

# axe-core (accessibility checks in the browser tests) is an npm package, not a Debian one: a
# test dependency installed once here into a folder outside the source tree, never downloaded
# while tests run. ALLERVERS_TEST_TOOLS moves it.
install_test_tools() {
  local tools="${ALLERVERS_TEST_TOOLS:-/opt/allervers-test-tools}"
  if [ -f "$tools/node_modules/axe-core/axe.min.js" ]; then return; fi
  # The machine's own npm when it has one (Node.js from elsewhere conflicts with Debian's npm
  # package); Debian's otherwise.
  if ! command -v npm >/dev/null; then
    echo "install-deps: installing npm"
    $SUDO apt-get update -q && $SUDO apt-get install -y -q --no-install-recommends npm
  fi
  echo "install-deps: installing axe-core into $tools"
  $SUDO mkdir -p "$tools"
  $SUDO npm install --prefix "$tools" --no-audit --no-fund axe-core@4
}

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  install_test_tools
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
install_test_tools
