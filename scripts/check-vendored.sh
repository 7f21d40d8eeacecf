#!/usr/bin/env bash
# Builds libQSslRs with the vendored, static OpenSSL (-DQSSLRS_VENDORED_OPENSSL=ON) into
# build-vendored, checks that it needs no system libssl/libcrypto and exports none of their
# symbols, runs the examples against each other on 127.0.0.1 (post-quantum key exchange) and
# the extension header's suite (tst_qsslrs).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

cmake -S . -B build-vendored -G Ninja -DQSSLRS_VENDORED_OPENSSL=ON -DQSSLRS_BUILD_TESTS=ON -DQSSLRS_BUILD_QML=OFF -DQSSLRS_BUILD_BENCH=OFF >/dev/null
cmake --build build-vendored --target QSslRs sslclient sslechoserver tst_qsslrs
library=build-vendored/libQSslRs.so
if ldd "$library" | grep -E '(libssl|libcrypto)\.so'; then
    echo "FAIL: the vendored build still needs the system's OpenSSL" >&2
    exit 1
fi
if nm -D --defined-only "$library" | grep -q -E ' (SSL|EVP|OPENSSL)_'; then
    echo "FAIL: the vendored build exports OpenSSL symbols" >&2
    exit 1
fi

certs=$(mktemp -d)
trap 'kill "${server_pid:-}" 2>/dev/null || true; rm -rf "$certs"' EXIT
tests/certs/make-certs.sh "$certs" >/dev/null
build-vendored/examples/sslechoserver/sslechoserver --cert "$certs/server.pem" --key "$certs/server.key" >"$certs/server.out" &
server_pid=$!
for _ in $(seq 50); do grep -q listening "$certs/server.out" 2>/dev/null && break; sleep 0.1; done
address=$(sed -n 's/^listening on //p' "$certs/server.out")
reply=$(echo "vendored" | build-vendored/examples/sslclient/sslclient "$address" --cafile "$certs/ca.pem" --servername localhost)
echo "$reply"
grep -q '^vendored$' <<<"$reply" || { echo "FAIL: no echo through the vendored build" >&2; exit 1; }
# Its OpenSSL (3.5 or later) has post-quantum groups, and negotiates the hybrid one by default.
grep -q '^Key exchange group: X25519MLKEM768$' <<<"$reply" \
    || { echo "FAIL: the vendored build did not negotiate X25519MLKEM768" >&2; exit 1; }
# The extension header's suite on this OpenSSL (its peers: the system's openssl command).
QT_QPA_PLATFORM=offscreen QSSLRS_TEST_CERTS="$certs" build-vendored/tests/cpp/tst_qsslrs/tst_qsslrs
echo "vendored OpenSSL build: OK (no system libssl/libcrypto)"
