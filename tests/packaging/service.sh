#!/usr/bin/env bash
# The server's service files (dist/server) hold together: systemd-analyze verify finds nothing
# to say about the unit (run against this build's program), the sysusers line makes the user,
# the shipped settings file is one the server accepts (serve starts with it), and a state folder
# owned by someone else is said so.
# Usage: service.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$(realpath "$1")
build_dir=$(realpath "$2")
work=$(mktemp -d /tmp/allervers-service.XXXXXX)
trap 'rm -rf "$work"' EXIT
server="$build_dir/server/allervers-server"

# The unit as installed, pointing at this build's program (verify checks ExecStart exists).
sed "s|/usr/bin/allervers-server|$server|" "$source_dir/dist/server/allervers-server.service" >"$work/allervers-server.service"
said=$(systemd-analyze verify "$work/allervers-server.service" 2>&1) || { echo "$said"; echo "FAIL: systemd-analyze verify"; exit 1; }
[ -z "$said" ] || { echo "$said"; echo "FAIL: systemd-analyze verify has remarks about the unit"; exit 1; }
for key in 'User=allervers' 'StateDirectory=allervers' 'ConfigurationDirectory=allervers' 'ProtectSystem=strict' \
           'PrivateTmp=yes' 'NoNewPrivileges=yes' 'ExecStart=/usr/bin/allervers-server --config /etc/allervers/server.conf serve'; do
  grep -qx -- "$key" "$source_dir/dist/server/allervers-server.service" || { echo "FAIL: the unit lacks $key"; exit 1; }
done
echo "unit: verified"

# The kiosk's unit likewise (cage and the kiosk as they are here, when installed).
if command -v cage >/dev/null; then
  sed -e "s|/usr/bin/allervers-kiosk|$build_dir/app/allervers-kiosk|" -e "s|/usr/bin/cage|$(command -v cage)|" \
    "$source_dir/dist/kiosk/allervers-kiosk.service" >"$work/allervers-kiosk.service"
  said=$(systemd-analyze verify "$work/allervers-kiosk.service" 2>&1) || { echo "$said"; echo "FAIL: verify (kiosk)"; exit 1; }
  [ -z "$said" ] || { echo "$said"; echo "FAIL: systemd-analyze verify has remarks about the kiosk's unit"; exit 1; }
  echo "kiosk unit: verified"
fi

said=$(systemd-sysusers --dry-run "$source_dir/dist/server/allervers.sysusers" 2>&1) || { echo "$said"; echo "FAIL: systemd-sysusers"; exit 1; }
grep -q "Creating user 'allervers'" <<<"$said" || getent passwd allervers >/dev/null ||
  { echo "$said"; echo "FAIL: the sysusers file does not make the user"; exit 1; }
echo "sysusers: makes the user allervers"

# The shipped settings, with the database and the port moved here (the command line wins).
timeout -s TERM 3 "$server" --config "$source_dir/dist/server/server.conf" --database "sqlite:$work/server.db" \
  serve --listen 127.0.0.1:0 --port-file "$work/port" 2>"$work/log" || [ $? -eq 124 ] || { cat "$work/log"; echo "FAIL: serve"; exit 1; }
[ -s "$work/port" ] || { cat "$work/log"; echo "FAIL: the server did not start with the shipped settings"; exit 1; }
echo "settings: the shipped server.conf starts the server"

# A state folder that belongs to someone else: the server says whose it is and who it runs as.
if [ "$(id -u)" -eq 0 ]; then
  chmod 755 "$work"
  mkdir "$work/state"  # root's, 0755
  cp "$server" "$work/allervers-server" && chmod 755 "$work/allervers-server"
  if setpriv --reuid=nobody --regid=nogroup --clear-groups "$work/allervers-server" \
       --database "sqlite:$work/state/server.db" list-devices 2>"$work/owner.log"; then
    echo "FAIL: the server opened a database in a folder it cannot write"; exit 1
  fi
  grep -q "the folder $work/state belongs to root; nobody, who runs the server, cannot write in it" "$work/owner.log" ||
    { cat "$work/owner.log"; echo "FAIL: the message does not name the folder's owner"; exit 1; }
  [ ! -e "$work/state/server.db" ] || { echo "FAIL: something was made in the folder"; exit 1; }
  echo "state folder owned by someone else: named, with its owner"
fi
