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
  "$server" serve --database "sqlite:$demo/server.sqlite" --listen "127.0.0.1:$port" >"$demo/server.log" 2>&1 &
  server_pid=$!
  trap 'kill $server_pid 2>/dev/null || true' EXIT
  for _ in $(seq 50); do
    curl -fsS "http://127.0.0.1:$port/api/v1/health" >/dev/null 2>&1 && break
    sleep 0.1
  done
  if ! "$device" --data "$demo/tablet" status --format json | grep -q '"enrolled": true'; then
    code=$("$server" enrol-code --database "sqlite:$demo/server.sqlite" --name "Tablette démo" --plain)
    "$device" --data "$demo/tablet" enrol "http://127.0.0.1:$port" "$code" || true
  fi
  echo
  echo "== 3. Sync: the tablet sends what it holds =="
  "$device" --data "$demo/tablet" sync || true
  "$server" list-devices --database "sqlite:$demo/server.sqlite" || true
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
    xvfb-run -a -s "-screen 0 1280x800x24" "$kiosk" --data "$demo/tablet" --screenshot-dir "$demo/screens" --screenshot-all || true
    ls "$demo/screens" 2>/dev/null || true
  fi
fi
