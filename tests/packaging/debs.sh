#!/usr/bin/env bash
# The Debian packages hold what docs/admin.md says: CPack makes them from this build into a
# temporary folder, then dpkg-deb's listing and control fields are checked.
# Usage: debs.sh BUILD_DIR
set -euo pipefail
# `grep -q` stops reading at its first match; under pipefail the writer's SIGPIPE would then
# fail a check that passed. `has` reads its whole input.
has() { grep "$@" >/dev/null; }
build_dir=$(realpath "$1")
out=$(mktemp -d /tmp/allervers-debs.XXXXXX)
trap 'rm -rf "$out"' EXIT
(cd "$build_dir" && cpack -G DEB -B "$out" >"$out/cpack.log" 2>&1) || { cat "$out/cpack.log"; exit 1; }

failed=0
fail() { echo "FAIL: $*"; failed=1; }
deb() { ls "$out"/"$1"_*.deb 2>/dev/null | head -1; }
has_file() { dpkg-deb -c "$1" | awk '{print $6}' | has -x "$2" || fail "$(basename "$1") lacks $2"; }
depends_on() { dpkg-deb -f "$1" Depends | has -- "$2" || fail "$(basename "$1") does not depend on $2 (Depends: $(dpkg-deb -f "$1" Depends))"; }

for package in allervers-data allervers-server allervers-kiosk allervers-device; do
  [ -n "$(deb $package)" ] || { fail "no $package package"; continue; }
  file=$(deb $package)
  echo "$(basename "$file"): $(dpkg-deb -f "$file" Architecture) — Depends: $(dpkg-deb -f "$file" Depends)"
  # Everything under /usr, nothing from the build machine's prefix.
  outside=$(dpkg-deb -c "$file" | awk '{print $6}' | grep -v -E '^\./$|^\./usr/|^\./etc/|^\./lib/systemd/' || true)
  [ -z "$outside" ] || fail "$package installs outside /usr, /etc and /lib/systemd: $outside"
  if dpkg-deb -c "$file" | has '/usr/local'; then fail "$package installs in /usr/local"; fi
done

data=$(deb allervers-data) server=$(deb allervers-server) kiosk=$(deb allervers-kiosk) device=$(deb allervers-device)
[ "$(dpkg-deb -f "$data" Architecture)" = all ] || fail "allervers-data is not Architecture: all"
has_file "$data" ./usr/share/allervers/demo/catalog.json
has_file "$data" ./usr/share/allervers/i18n/fr.json
has_file "$data" ./usr/share/allervers/i18n/en.json
has_file "$server" ./usr/bin/allervers-server
has_file "$server" ./usr/lib/systemd/system/allervers-server.service
has_file "$server" ./usr/lib/sysusers.d/allervers-server.conf
has_file "$server" ./etc/allervers/server.conf
dpkg-deb --ctrl-tarfile "$server" | tar -tf - | has -x './conffiles' || fail "allervers-server has no conffiles"
dpkg-deb --ctrl-tarfile "$server" | tar -xOf - ./conffiles | has -x /etc/allervers/server.conf ||
  fail "/etc/allervers/server.conf is not a conffile"
dpkg-deb --ctrl-tarfile "$server" | tar -tf - | has -x './postinst' || fail "allervers-server has no postinst"
has_file "$kiosk" ./usr/bin/allervers-kiosk
has_file "$kiosk" ./usr/lib/systemd/system/allervers-kiosk.service
has_file "$kiosk" ./usr/lib/sysusers.d/allervers-kiosk.conf
dpkg-deb -f "$kiosk" Recommends | has cage || fail "allervers-kiosk does not recommend cage"
has_file "$device" ./usr/bin/allervers-device
version=$(dpkg-deb -f "$data" Version)
for file in "$server" "$kiosk" "$device"; do
  depends_on "$file" "allervers-data (= $version)"
  depends_on "$file" libc6
done
depends_on "$server" libsqlite3-0
depends_on "$server" libmicrohttpd12
depends_on "$server" libpq5
depends_on "$server" libsodium23
depends_on "$kiosk" libsdl2-2.0-0
depends_on "$kiosk" fonts-dejavu-core
depends_on "$kiosk" fonts-noto-core
depends_on "$device" libcurl4
exit $failed
