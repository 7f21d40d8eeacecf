#!/usr/bin/env bash
# Runs the qmlchat example (examples/qmlchat) against sslechoserver on 127.0.0.1, with freshly
# made test certificates. Needs a display (or QT_QPA_PLATFORM=offscreen and --smoke). Arguments
# go to qmlchat (--smoke: send one line, exit once it is echoed).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${QSSLRS_BUILD_DIR:-build}
[ -x "$build/examples/qmlchat/qmlchat" ] || scripts/bootstrap.sh
certs=$(mktemp -d)
trap 'kill "${server_pid:-}" 2>/dev/null || true; rm -rf "$certs"' EXIT
tests/certs/make-certs.sh "$certs" >/dev/null
"$build/examples/sslechoserver/sslechoserver" --cert "$certs/server.pem" --key "$certs/server.key" >"$certs/server.out" &
server_pid=$!
for _ in $(seq 50); do grep -q listening "$certs/server.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$certs/server.out")
"$build/examples/qmlchat/qmlchat" --host localhost --port "$port" --ca "$certs/ca.pem" "$@"
