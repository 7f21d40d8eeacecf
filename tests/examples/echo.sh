#!/usr/bin/env bash
# sslclient against sslechoserver on 127.0.0.1: the session is printed, the line comes back,
# and sslclient exits 0.   echo.sh SSLECHOSERVER SSLCLIENT CERTS_DIR
set -euo pipefail
server_bin=$1 client_bin=$2 certs=$3
out=$(mktemp)
trap 'kill "${server_pid:-}" 2>/dev/null || true; rm -f "$out"' EXIT
"$server_bin" --cert "$certs/server.pem" --key "$certs/server.key" >"$out" &
server_pid=$!
for _ in $(seq 50); do grep -q listening "$out" && break; sleep 0.1; done
address=$(sed -n 's/^listening on //p' "$out")
reply=$(echo "echo through qssl-rs" | "$client_bin" "$address" --cafile "$certs/ca.pem" --servername localhost)
echo "$reply"
grep -q '^Protocol: TLSv1.3$' <<<"$reply"
grep -q '^Key exchange group: [A-Za-z0-9]' <<<"$reply"
grep -q '^echo through qssl-rs$' <<<"$reply"
# Without the CA the client reports the problem and gives up.
if echo x | "$client_bin" "$address" >/dev/null 2>&1; then
    echo "FAIL: sslclient accepted an untrusted server" >&2
    exit 1
fi
