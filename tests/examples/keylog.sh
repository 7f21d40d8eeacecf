#!/usr/bin/env bash
# SSLKEYLOGFILE with the examples: off unless set (no file, no warning); set, both processes
# warn once on stderr and append the same secrets to the file (the client's and the server's
# lines of each session match).   keylog.sh SSLECHOSERVER SSLCLIENT CERTS_DIR
set -euo pipefail
server_bin=$1 client_bin=$2 certs=$3
work=$(mktemp -d)
trap 'kill "${server_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
warning='qssl-rs: writing TLS session secrets to'

# One echo through the examples, with the environment given; leaves both stderrs in $work.
echo_once() {
    env "$@" "$server_bin" --cert "$certs/server.pem" --key "$certs/server.key" \
        >"$work/server.out" 2>"$work/server.err" &
    server_pid=$!
    for _ in $(seq 50); do grep -q listening "$work/server.out" && break; sleep 0.1; done
    address=$(sed -n 's/^listening on //p' "$work/server.out")
    echo "key log test" | env "$@" "$client_bin" "$address" --cafile "$certs/ca.pem" --servername localhost \
        >"$work/client.out" 2>"$work/client.err"
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
    grep -q '^key log test$' "$work/client.out"
}

echo_once -u SSLKEYLOGFILE
if grep -q "$warning" "$work/server.err" "$work/client.err" || [ -e "$work/keys.log" ]; then
    echo "FAIL: secrets logged without SSLKEYLOGFILE" >&2
    exit 1
fi

echo_once SSLKEYLOGFILE="$work/keys.log"
for side in server client; do
    if [ "$(grep -c "$warning $work/keys.log (SSLKEYLOGFILE)" "$work/$side.err")" != 1 ]; then
        echo "FAIL: the $side did not warn once:" >&2
        cat "$work/$side.err" >&2
        exit 1
    fi
done
# TLS 1.3: five secrets per session, each logged by both ends.
for label in CLIENT_HANDSHAKE_TRAFFIC_SECRET SERVER_HANDSHAKE_TRAFFIC_SECRET CLIENT_TRAFFIC_SECRET_0 \
             SERVER_TRAFFIC_SECRET_0 EXPORTER_SECRET; do
    lines=$(grep "^$label " "$work/keys.log" | sort | uniq -c)
    if [ "$(wc -l <<<"$lines")" != 1 ] || ! grep -q '^ *2 ' <<<"$lines"; then
        echo "FAIL: $label not logged once by each end:" >&2
        cat "$work/keys.log" >&2
        exit 1
    fi
done
echo "PASS: $(wc -l <"$work/keys.log") key log lines, matching between client and server"
