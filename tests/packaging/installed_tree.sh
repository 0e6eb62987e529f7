#!/usr/bin/env bash
# An installed tree runs with the source and build folders out of sight: `cmake --install` to a
# temporary prefix, neither the source's assets nor the build folder named in the installed programs, then — in a private
# mount namespace where both folders are hidden under empty tmpfs mounts — the device tool's
# init, the server's serve (answering /api/v1/health) and the kiosk rendering the demo tour
# under Xvfb, each from the prefix with no override.
# Usage: installed_tree.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$(realpath "$1")
build_dir=$(realpath "$2")
work=$(mktemp -d /tmp/allervers-installed.XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix="$work/prefix"

cmake --install "$build_dir" --prefix "$prefix" --strip >/dev/null
for program in allervers-device allervers-server allervers-kiosk; do
  [ -x "$prefix/bin/$program" ] || { echo "FAIL: $prefix/bin/$program was not installed"; exit 1; }
  # The data's old compiled-in homes. (Source file names in diagnostics, __FILE__ or UBSan's,
  # may name the source folder without being looked up: the hidden-folder run below judges.)
  for dir in "$source_dir/assets" "$build_dir"; do
    if grep -q -F -- "$dir" "$prefix/bin/$program"; then
      echo "FAIL: $program holds the path $dir:"; grep -a -o -F -- "$dir[^[:cntrl:]]*" "$prefix/bin/$program" | sort -u | head
      exit 1
    fi
  done
done
[ -f "$prefix/share/allervers/demo/catalog.json" ] && [ -f "$prefix/share/allervers/i18n/fr.json" ] ||
  { echo "FAIL: the data was not installed in $prefix/share/allervers"; exit 1; }

# What runs from the prefix, with the source and build folders gone.
cat >"$work/run.sh" <<'INNER'
set -euo pipefail
cd /
prefix=$1; work=$2; source_dir=$3; build_dir=$4
unset ALLERVERS_ASSETS ALLERVERS_DATA ALLERVERS_DATABASE
if [ -e "$source_dir/CMakeLists.txt" ] || [ -e "$build_dir/CMakeCache.txt" ]; then
  echo "FAIL: the source or build folder is still visible"; exit 1
fi
echo "-- allervers-device init"
"$prefix/bin/allervers-device" --data "$work/tablet" init --name "Tablette installée" >"$work/init.txt"
cat "$work/init.txt"
# The demo catalog's pictograms are installed beside it and kept by the device.
grep -Eq ", [1-9][0-9]* pictogram\(s\) from $prefix/share/allervers/demo/catalog.json" "$work/init.txt" ||
  { echo "FAIL: the demo catalog's pictograms were not installed beside it"; exit 1; }
"$prefix/bin/allervers-device" --data "$work/tablet" status | grep "Tablette installée" >/dev/null  # whole output read: no SIGPIPE under pipefail

echo "-- allervers-server serve (publishes the demo catalog it ships with)"
"$prefix/bin/allervers-server" --database "sqlite:$work/server.db" serve --listen 127.0.0.1:0 \
  --port-file "$work/port" --quiet 2>"$work/server.log" &
server=$!
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")
health=$(curl -fsS "http://127.0.0.1:$port/api/v1/health")
kill "$server"; wait "$server" || true
grep -q "published the demo catalog" "$work/server.log" || { cat "$work/server.log"; echo "FAIL: no demo catalog"; exit 1; }
echo "health: $health"

echo "-- allervers-kiosk renders the demo tour under Xvfb"
LIBGL_ALWAYS_SOFTWARE=1 xvfb-run -a -s "-screen 0 1280x800x24" "$prefix/bin/allervers-kiosk" --data "$work/tablet" \
  --no-camera --no-sound --screenshot-dir "$work/shots" --screenshot-script "$prefix/share/allervers/demo/kiosk-tour.txt"
for shot in 01-agent-home 02-welcome 03-first-question 04-second-question 05-easy-read-pictograms; do
  [ -s "$work/shots/$shot.png" ] || { echo "FAIL: no $shot.png"; exit 1; }
done
echo "-- the installed programs ran with the source and build folders hidden"
INNER

if unshare -m --propagation private true 2>/dev/null; then
  unshare -m --propagation private bash -c '
    mount -t tmpfs none "$4" && mount -t tmpfs none "$3" && exec bash "$0" "$1" "$2" "$3" "$4"' \
    "$work/run.sh" "$prefix" "$work" "$source_dir" "$build_dir"
else
  echo "NOTE: no private mount namespace here (unshare -m needs root): the source and build folders stay visible"
  # Still run from the prefix; the path check above is what proves nothing points back.
  sed -i 's/^if \[ -e "\$source_dir.*/if false; then/' "$work/run.sh"
  bash "$work/run.sh" "$prefix" "$work" "$source_dir" "$build_dir"
fi
