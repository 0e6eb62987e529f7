#!/usr/bin/env bash
# The documented production set-up, run: dist/nginx/allervers.conf in front of this build's
# server, with a certificate made here by openssl; /api/v1/health, the console (login page, static
# files, a login with its Secure cookie) and a device's enrolment and
# sync go through nginx over TLS (the device trusting that certificate), and the server holds
# what the device sent. Exit 77 (skipped) when nginx or openssl is missing.
# Usage: nginx.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
# `grep -q` stops reading at its first match; under pipefail the writer's SIGPIPE would then
# fail a check that passed. `has` reads its whole input.
has() { grep "$@" >/dev/null; }
source_dir=$(realpath "$1")
build_dir=$(realpath "$2")
for tool in nginx openssl curl python3; do
  command -v "$tool" >/dev/null || { echo "SKIPPED: $tool is not installed"; exit 77; }
done
server="$build_dir/server/allervers-server"
device="$build_dir/device/allervers-device"
work=$(mktemp -d /tmp/allervers-nginx.XXXXXX)
pids=()
cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

"$server" --database "sqlite:$work/server.db" serve --listen 127.0.0.1:0 --port-file "$work/port" --behind-tls-proxy --trusted-proxy 127.0.0.1 2>"$work/server.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.1; done
upstream=$(cat "$work/port")
https_port=$(free_port)
http_port=$(free_port)

# The documented site, with this test's ports and certificate.
sed -e "s|listen 443 ssl http2;|listen 127.0.0.1:$https_port ssl http2;|" -e "/listen \[::\]/d" \
    -e "s|listen 80;|listen 127.0.0.1:$http_port;|" \
    -e "s|/etc/ssl/allervers/fullchain.pem|$work/cert.pem|" -e "s|/etc/ssl/allervers/privkey.pem|$work/key.pem|" \
    -e "s|proxy_pass http://127.0.0.1:8080;|proxy_pass http://127.0.0.1:$upstream;|" \
    "$source_dir/dist/nginx/allervers.conf" >"$work/site.conf"
grep -q "proxy_pass http://127.0.0.1:$upstream;" "$work/site.conf" || { echo "FAIL: the site's proxy_pass was not found"; exit 1; }
mkdir -p "$work/nginx"
cat >"$work/nginx.conf" <<CONF
daemon off;
master_process off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 64; }
http {
  access_log $work/nginx/access.log;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  include $work/site.conf;
}
CONF
nginx -t -c "$work/nginx.conf" -p "$work/nginx" 2>&1 | has "test is successful" || { nginx -t -c "$work/nginx.conf" -p "$work/nginx"; exit 1; }
nginx -c "$work/nginx.conf" -p "$work/nginx" &
pids+=($!)
url="https://localhost:$https_port"
for _ in $(seq 100); do curl -fsS --cacert "$work/cert.pem" "$url/api/v1/health" >/dev/null 2>&1 && break; sleep 0.1; done

echo "-- health through nginx"
curl -fsS --cacert "$work/cert.pem" "$url/api/v1/health" | tee "$work/health"; echo
grep -q '"status":"ok"' "$work/health" || { echo "FAIL: health"; exit 1; }
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http_port/api/v1/health")" = 301 ] || { echo "FAIL: plain HTTP is not sent to HTTPS"; exit 1; }

echo "-- a device enrols and syncs through nginx"
"$device" --data "$work/tablet" init --name "Tablette nginx" >/dev/null
"$device" --data "$work/tablet" capture --file "$source_dir/assets/demo/captures-example.jsonl" >/dev/null
code=$("$server" --database "sqlite:$work/server.db" enrol-code --name "Tablette nginx" --url "$url" --no-qr | sed -n 's/^Enrolment code for .*: //p')
"$device" --data "$work/tablet" enrol --ca-file "$work/cert.pem" "$url" "$code"
"$device" --data "$work/tablet" sync
held=$("$server" --database "sqlite:$work/server.db" export --format jsonl | wc -l)
[ "$held" -eq 6 ] || { echo "FAIL: the server holds $held captures, not 6"; exit 1; }
grep -q "POST /api/v1/" "$work/nginx/access.log" || { echo "FAIL: the sync did not go through nginx"; exit 1; }
echo "the server holds the device's 6 captures, sent through nginx over TLS"

echo "-- the office console through nginx"
headers=$(curl -fsS --cacert "$work/cert.pem" -D - -o "$work/login.html" "$url/office/login")
grep -qi "^content-security-policy: .*default-src 'none'" <<<"$headers" || { echo "FAIL: the login page lost its CSP on the way"; exit 1; }
grep -q 'action="/office/login"' "$work/login.html" || { echo "FAIL: the login page"; exit 1; }
[ "$(curl -s --cacert "$work/cert.pem" -o /dev/null -w '%{http_code}' "$url/static/app/console.css")" = 200 ] || { echo "FAIL: static files"; exit 1; }
link=$("$server" --database "sqlite:$work/server.db" add-user --name "Admin nginx" --role admin --base-url "$url" | tail -n 1)
token=${link##*token=}
password="un mot de passe assez long"
curl -fsS --cacert "$work/cert.pem" -o /dev/null -H "Origin: $url" --data-urlencode "token=$token" \
  --data-urlencode "password=$password" --data-urlencode "confirm=$password" "$url/office/set-password" \
  || { echo "FAIL: setting the password through nginx"; exit 1; }
login_headers=$(curl -sS --cacert "$work/cert.pem" -D - -o /dev/null -c "$work/cookies" -H "Origin: $url" \
  --data-urlencode "name=Admin nginx" --data-urlencode "password=$password" "$url/office/login")
cookie=$(grep -i "^set-cookie:" <<<"$login_headers" || true)
[ -n "$cookie" ] || { echo "FAIL: no session after logging in through nginx"; echo "$login_headers"; exit 1; }
for flag in Secure HttpOnly "SameSite=Strict"; do
  grep -qi "$flag" <<<"$cookie" || { echo "FAIL: the session cookie lacks $flag behind nginx: $cookie"; exit 1; }
done
curl -fsS --cacert "$work/cert.pem" -b "$work/cookies" "$url/office/" | has "Admin nginx" \
  || { echo "FAIL: the console's home page after logging in through nginx"; exit 1; }
echo "the console's pages, static files and a login went through nginx (session cookie Secure, HttpOnly, SameSite=Strict)"

echo "-- the client address: from nginx's X-Forwarded-For, never from what a client claims"
# The client at 127.0.0.3 claims to be 198.51.100.66; nginx appends the address it saw.
curl -fsS --interface 127.0.0.3 --cacert "$work/cert.pem" -H "X-Forwarded-For: 198.51.100.66" -o /dev/null "$url/api/v1/health?via=nginx"
# A client reaching the server directly (not through the trusted proxy) claims the same.
curl -fsS --interface 127.0.0.4 -H "X-Forwarded-For: 198.51.100.66" -o /dev/null "http://127.0.0.1:$upstream/api/v1/health?direct"
for _ in $(seq 50); do has "127.0.0.4 GET /api/v1/health" "$work/server.log" && break; sleep 0.1; done
has "127.0.0.3 GET /api/v1/health" "$work/server.log" || { echo "FAIL: the client behind nginx was not seen as 127.0.0.3"; cat "$work/server.log"; exit 1; }
has "127.0.0.4 GET /api/v1/health" "$work/server.log" || { echo "FAIL: a direct client was not seen as itself"; cat "$work/server.log"; exit 1; }
if has "198.51.100.66" "$work/server.log"; then echo "FAIL: a client-written X-Forwarded-For was believed"; cat "$work/server.log"; exit 1; fi
echo "behind nginx the server sees each client's own address; a forged X-Forwarded-For is ignored"
