#!/usr/bin/env bash
# The main job on embedded defaults: installs what is missing, builds, then runs the demo —
# a device loaded with the demo consultations and example captures, a local central server
# on SQLite, the device enrolled and synced to it, and the touch app on the same device.
# Safe to run again: it reuses the demo folder (build/demo) and adds nothing twice.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DALLERVERS_BUILD_TESTS=OFF -DALLERVERS_BUILD_BENCH=OFF >/dev/null
cmake --build build/release -j "$(nproc)"

bin=build/release
demo=build/demo
device="$bin/device/allervers-device"
server="$bin/server/allervers-server"
kiosk="$bin/app/allervers-kiosk"
mkdir -p "$demo"

echo
echo "== 1. A tablet: the demo consultations and the example captures (typed-in paper questionnaires) =="
if [ ! -f "$demo/tablet/allervers-device.sqlite" ]; then
  "$device" --data "$demo/tablet" init --name "Tablette démo"
fi
"$device" --data "$demo/tablet" capture --file assets/demo/captures-example.jsonl || true

if [ -x "$server" ]; then
  echo
  echo "== 2. The town's central server on SQLite, on 127.0.0.1:8470 =="
  port=8470
  db="sqlite:$demo/server.sqlite"
  "$server" --database "$db" serve --listen "127.0.0.1:$port" --quiet >"$demo/server.log" 2>&1 &
  server_pid=$!
  trap 'kill $server_pid 2>/dev/null || true' EXIT
  for _ in $(seq 100); do
    curl -fsS "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1 && break
    sleep 0.1
  done
  if ! "$device" --data "$demo/tablet" status --format json | grep -q '"server": "http'; then
    echo "The coordinator makes a one-time enrolment code (shown as a QR code for the tablet's camera):"
    "$server" --database "$db" enrol-code --name "Tablette démo" --url "http://127.0.0.1:$port" | tee "$demo/enrol.txt"
    code=$(sed -n 's/^Enrolment code for .*: //p' "$demo/enrol.txt")
    "$device" --data "$demo/tablet" enrol "http://127.0.0.1:$port" "$code"
  fi
  echo
  echo "== 3. Sync: the tablet sends what it holds =="
  "$device" --data "$demo/tablet" sync
  echo
  echo "== What the office sees =="
  "$server" --database "$db" list-devices
  "$server" --database "$db" export --format csv --no-personal-data --output "$demo/avis.csv"
  "$server" --database "$db" export --format xlsx --no-personal-data --output "$demo/export.xlsx"
  echo "(opinions exported to $demo/avis.csv for French Excel, everything to $demo/export.xlsx)"
  "$server" --database "$db" population import assets/demo/population.csv
  "$server" --database "$db" population show
fi

echo
echo "== The tablet now =="
"$device" --data "$demo/tablet" status

if [ -x "$kiosk" ]; then
  echo
  if [ -n "${DISPLAY:-}" ]; then
    echo "== 4. The touch app (close its window to end the demo) =="
    "$kiosk" --data "$demo/tablet"
  else
    echo "== 4. No display here: the touch app renders its screens under Xvfb to $demo/screens/ =="
    LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1920x1280x24" "$kiosk" --data "$demo/tablet" \
      --screenshot-dir "$demo/screens" --screenshot-script assets/demo/kiosk-tour.txt
    ls "$demo/screens"
  fi
fi
