#!/bin/sh
# The public pages under load (wrk, a Debian package): the health endpoint as the floor, the
# home page and a consultation's page (each answer signs a fresh form token), then real web
# submissions (form fetched, posted, stored through the devices' ingest with SQLite
# synchronous=FULL: durable before the 303). docs/benchmarks.md records the figures.
#
# Usage: bench/public/bench_public.sh BUILD_DIR [SECONDS]
set -eu
build=${1:?usage: bench_public.sh BUILD_DIR [SECONDS]}
seconds=${2:-10}
here=$(cd "$(dirname "$0")" && pwd)
assets=$(cd "$here/../../assets" && pwd)
work=$(mktemp -d)
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT

"$build/server/allervers-server" --database "sqlite:$work/bench.db" serve --listen 127.0.0.1:0 --port-file "$work/port" \
  --quiet --web-assets "$assets/web" --behind-tls-proxy --trusted-proxy 127.0.0.1 --threads 8 &
server=$!
while [ ! -s "$work/port" ]; do sleep 0.1; done
url="http://127.0.0.1:$(cat "$work/port")"

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
for path in /api/v1/health / /c/place-jean-jaures; do
  echo "== GET $path, wrk -t2 -c32 -d${seconds}s"
  wrk -t2 -c32 -d"${seconds}s" --latency "$url$path" | grep -E "Requests/sec|Latency  |  50%|  99%|Non-2xx|Socket errors"
done
echo "== web submissions (GET the form, POST it), wrk -t8 -c8 -d${seconds}s"
wrk -t8 -c8 -d"${seconds}s" --latency -s "$here/submit.lua" "$url" | grep -E "Requests/sec|Latency  |  50%|  99%|submissions|Non-2xx"
echo "stored: $(sqlite3 "$work/bench.db" "SELECT COUNT(*) FROM captures WHERE channel = 'web'") web captures"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
