#!/usr/bin/env bash
# The lobby kiosk as dist/kiosk/allervers-kiosk.service runs it: cage (headless back-end, no
# input devices) showing `allervers-kiosk --kiosk` with SDL on Wayland, as a user other than
# root (cage refuses root). grim takes a screenshot; the welcome screen must be on it (several
# colours, the kiosk's light background), not a black or empty output. Copies the screenshot
# to BUILD_DIR/screenshots/kiosk-cage.png. Exit 77 (skipped) when cage, grim, Xwayland or
# python3 is missing here.
# Usage: kiosk_cage.sh KIOSK_BINARY BUILD_DIR
set -euo pipefail
kiosk=$(realpath "$1")
build_dir=$(realpath "$2")
for tool in cage grim Xwayland python3 setpriv; do
  command -v "$tool" >/dev/null || { echo "SKIPPED: $tool is not installed (apt-get install cage grim xwayland)"; exit 77; }
done
work=$(mktemp -d /tmp/allervers-cage.XXXXXX)
chmod 755 "$work"
cage_pid=
cleanup() {
  local status=$?
  # cage 0.1.4 aborts on SIGTERM under the headless back-end (an assertion in
  # wl_display_terminate): its own exit status says nothing about the kiosk.
  # The kiosk outlives cage's abort (its display gone, it does not notice): end cage's whole
  # session, then anything still running this test's own copy of the program.
  if [ -n "$cage_pid" ]; then
    kill -TERM -- "-$cage_pid" 2>/dev/null || true
    sleep 0.5
    kill -KILL -- "-$cage_pid" 2>/dev/null || true
    wait "$cage_pid" 2>/dev/null || true
  fi
  for pid in $(pgrep -f "^$work/bin/allervers-kiosk" || true); do kill -KILL "$pid" 2>/dev/null || true; done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
mkdir -p "$work/run" "$work/data" "$work/bin" "$work/share"
chmod 700 "$work/run"
# The program and its data where the kiosk's user can reach them (a clone under /root cannot be).
cp "$kiosk" "$work/bin/allervers-kiosk"
cp -rL "$build_dir/share/allervers" "$work/share/allervers"
chmod -R a+rX "$work/bin" "$work/share"
kiosk="$work/bin/allervers-kiosk"
as_user=()
if [ "$(id -u)" -eq 0 ]; then  # cage will not run as root: the kiosk has its own user in production
  chown nobody:nogroup "$work/run" "$work/data"
  as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
export XDG_RUNTIME_DIR="$work/run" HOME="$work" WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman \
  SDL_VIDEODRIVER=wayland LIBGL_ALWAYS_SOFTWARE=1 ALLERVERS_REPORT_STARTUP=1
unset WAYLAND_DISPLAY DISPLAY
setsid "${as_user[@]}" cage -d -- "$kiosk" --kiosk --staff-pin 2468 --no-camera --no-sound --data "$work/data" \
  >"$work/cage.log" 2>&1 &
cage_pid=$!
for _ in $(seq 300); do
  grep -q "first frame after" "$work/cage.log" && break
  kill -0 "$cage_pid" 2>/dev/null || { cat "$work/cage.log"; echo "FAIL: cage or the kiosk stopped"; exit 1; }
  sleep 0.1
done
grep -q "first frame after" "$work/cage.log" || { cat "$work/cage.log"; echo "FAIL: no first frame within 30 s"; exit 1; }
sleep 1  # the compositor shows the frame the app committed
display=$(ls "$work/run" | grep -m1 '^wayland-[0-9]*$')
"${as_user[@]}" env WAYLAND_DISPLAY="$display" grim -t ppm "$work/data/shot.ppm"
"${as_user[@]}" env WAYLAND_DISPLAY="$display" grim "$work/data/shot.png"
mkdir -p "$build_dir/screenshots"
cp "$work/data/shot.png" "$build_dir/screenshots/kiosk-cage.png"
python3 - "$work/data/shot.ppm" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
parts = data.split(b'\n', 3)  # P6, size, max, pixels
width, height = map(int, parts[1].split())
pixels = parts[3]
colours = {pixels[i:i + 3] for i in range(0, len(pixels), 3 * 97)}
light = sum(1 for i in range(0, len(pixels), 3 * 97) if min(pixels[i:i + 3]) > 200)
share = light / (len(pixels) // (3 * 97))
print(f"screenshot {width}x{height}: {len(colours)} colours sampled, {share:.0%} light background")
if len(colours) < 8 or share < 0.5:
    sys.exit("FAIL: the screen is not the kiosk's welcome screen (blank, black or empty)")
PY
echo "kiosk under cage on Wayland: $(grep -o 'first frame after [0-9.]* ms' "$work/cage.log")"
