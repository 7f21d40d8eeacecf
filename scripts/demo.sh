#!/usr/bin/env bash
# The README's first command: set up, build, then run the demo — sslechoserver on 127.0.0.1
# with a freshly generated certificate, and sslclient connected to it printing the session.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh

certs=$(mktemp -d)
trap 'kill "${server_pid:-}" 2>/dev/null || true; rm -rf "$certs"' EXIT
tests/certs/make-certs.sh "$certs" >/dev/null

build/examples/sslechoserver/sslechoserver --cert "$certs/server.pem" --key "$certs/server.key" >"$certs/server.out" &
server_pid=$!
for _ in $(seq 50); do grep -q listening "$certs/server.out" 2>/dev/null && break; sleep 0.1; done
address=$(sed -n 's/^listening on //p' "$certs/server.out")
echo "== sslechoserver is $(cat "$certs/server.out")"
echo "== sslclient $address --cafile ca.pem --servername localhost"
echo "hello from qssl-rs" | build/examples/sslclient/sslclient "$address" --cafile "$certs/ca.pem" --servername localhost
