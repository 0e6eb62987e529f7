#!/usr/bin/env bash
# Renders the demo catalog's pictograms: each hand-written SVG of assets/demo/pictograms/src/
# becomes assets/demo/NAME.png, beside catalog.json, where `publish-catalog` and
# `serve --catalog` read the PNG a catalog names (docs/consultation-format.md). The PNGs are
# committed: this tool is for whoever draws them, not a build step.
#   bash scripts/render-pictograms.sh [SIZE]    # SIZE in pixels, 256 by default
# Needs rsvg-convert (Debian: apt-get install librsvg2-bin).
set -euo pipefail
cd "$(dirname "$0")/.."
size="${1:-256}"
src=assets/demo/pictograms/src
out=assets/demo
command -v rsvg-convert >/dev/null ||
  { echo "render-pictograms: rsvg-convert is missing (apt-get install librsvg2-bin)" >&2; exit 2; }
# 256 px: a question's pictogram is about 220 px high on a kiosk with text at 200 %; the app
# scales down, never up. The catalog refuses more than 2048 px and 2 MiB.
case "$size" in ''|*[!0-9]*) echo "render-pictograms: SIZE is a number of pixels, not $size" >&2; exit 2 ;; esac
if [ "$size" -lt 64 ] || [ "$size" -gt 2048 ]; then
  echo "render-pictograms: SIZE between 64 and 2048 pixels, not $size" >&2
  exit 2
fi
count=0
for svg in "$src"/*.svg; do
  name=$(basename "$svg" .svg)
  case "$name" in *[!a-z0-9_-]*) echo "render-pictograms: $svg: a pictogram's name is a-z 0-9 - _ only" >&2; exit 1 ;; esac
  rsvg-convert --width "$size" --height "$size" --format png --output "$out/$name.png" "$svg"
  count=$((count + 1))
done
echo "render-pictograms: $count pictograms rendered at ${size} px in $out/"
