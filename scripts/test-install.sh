#!/usr/bin/env bash
# The packages on a fresh Debian 12: debootstrap a minimal root (kept in build/test-install/base
# for the next run), install build/packages/allervers-*.deb into a copy of it with
# `apt-get install ./allervers-*.deb` (dependencies from the mirror), then run from the
# installed paths: the server (its shipped settings file, as the service would), a device
# initialised, enrolled and synced to it, and the kiosk rendering the demo tour under Xvfb.
# Needs root and the Debian mirror; slow (minutes), so not part of scripts/test.sh.
# Usage: scripts/test-install.sh [DEB_DIR]   (default: build the packages with scripts/package.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
debs=${1:-}
if [ -z "$debs" ]; then
  bash scripts/package.sh
  debs=build/packages
fi
debs=$(realpath "$debs")
ls "$debs"/allervers-*.deb >/dev/null
mirror=$(sed -n 's/^URIs: //p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
mirror=${MIRROR:-${mirror:-http://deb.debian.org/debian}}

command -v debootstrap >/dev/null || apt-get install -y -q --no-install-recommends debootstrap
base=build/test-install/base
if [ ! -x "$base/usr/bin/apt-get" ]; then
  echo "== debootstrap bookworm ($mirror) into $base =="
  rm -rf "$base"
  mkdir -p "$(dirname "$base")"
  debootstrap --variant=minbase bookworm "$base" "$mirror" >build/test-install/debootstrap.log 2>&1 ||
    { tail -20 build/test-install/debootstrap.log; exit 1; }
fi
echo "== base root ready: $((SECONDS - started)) s =="

root=$(mktemp -d /tmp/allervers-root.XXXXXX)
cleanup() {
  for m in dev/pts dev proc; do umount "$root/$m" 2>/dev/null || true; done
  rm -rf "$root"
}
trap cleanup EXIT
cp -a "$base/." "$root/"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
mkdir -p "$root/debs"
cp "$debs"/allervers-*.deb "$root/debs/"

echo "== apt-get install ./allervers-*.deb =="
chroot "$root" /bin/bash -euo pipefail -c '
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends /debs/allervers-*.deb curl xvfb xauth libgl1-mesa-dri >/tmp/apt.log 2>&1 ||
    { tail -30 /tmp/apt.log; exit 1; }
  dpkg -l "allervers-*" | grep ^ii'
echo "== installed: $((SECONDS - started)) s =="

chroot "$root" /bin/bash -euo pipefail -c '
  cd /
  getent passwd allervers >/dev/null || { echo "FAIL: no allervers user"; exit 1; }
  [ -f /usr/lib/systemd/system/allervers-server.service ] && [ -f /etc/allervers/server.conf ]
  mkdir -p /var/lib/allervers && chown allervers:allervers /var/lib/allervers
  echo "-- the server as the service runs it (its user, its settings file), on port 8080"
  setpriv --reuid=allervers --regid=allervers --init-groups \
    /usr/bin/allervers-server --config /etc/allervers/server.conf serve --quiet 2>/tmp/server.log &
  server=$!
  for _ in $(seq 100); do curl -fsS http://127.0.0.1:8080/api/v1/health >/dev/null 2>&1 && break; sleep 0.1; done
  curl -fsS http://127.0.0.1:8080/api/v1/health; echo
  echo "-- a device: init, captures, enrolment, sync"
  allervers-device --data /root/tablet init --name "Tablette 1"
  allervers-device --data /root/tablet capture --file /usr/share/allervers/demo/captures-example.jsonl
  code=$(setpriv --reuid=allervers --regid=allervers --init-groups allervers-server --config /etc/allervers/server.conf \
    enrol-code --name "Tablette 1" --url http://127.0.0.1:8080 | sed -n "s/^Enrolment code for .*: //p")
  allervers-device --data /root/tablet enrol http://127.0.0.1:8080 "$code"
  allervers-device --data /root/tablet sync
  allervers-device --data /root/tablet status
  setpriv --reuid=allervers --regid=allervers --init-groups allervers-server --config /etc/allervers/server.conf list-devices
  kill $server; wait $server || true
  echo "-- the kiosk renders the demo tour"
  LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1280x800x24" allervers-kiosk --data /root/tablet --no-camera --no-sound \
    --screenshot-dir /root/shots --screenshot-script /usr/share/allervers/demo/kiosk-tour.txt
  ls -l /root/shots'
mkdir -p build/test-install/shots
cp "$root"/root/shots/*.png build/test-install/shots/
echo "== test-install: passed in $((SECONDS - started)) s (screenshots in build/test-install/shots) =="
