#!/usr/bin/env bash
# make-corpus.sh DIR: seed corpora for the fuzz targets, made from the test PKI (never from
# outside the repo): certificates and keys in PEM and DER, PKCS#12 files, DH parameters, OCSP
# responses. The handshake targets start from real flights by themselves (an empty seed is one).
set -euo pipefail
out=$1
here=$(cd "$(dirname "$0")" && pwd)
pki=$(mktemp -d)
trap 'rm -rf "$pki"' EXIT
"$here/../tests/certs/make-certs.sh" "$pki" >/dev/null
export OPENSSL_CONF=/dev/null
for target in certificate key pkcs12 dhparams tls_client tls_server dtls ocsp; do
    mkdir -p "$out/$target"
done
for cert in "$pki"/*.pem; do
    name=$(basename "$cert" .pem)
    cp "$cert" "$out/certificate/$name.pem"
    openssl x509 -in "$cert" -outform DER -out "$out/certificate/$name.der" 2>/dev/null || true
done
for key in "$pki"/*.key; do
    name=$(basename "$key" .key)
    # First byte: EC (2) or RSA (1), private, PEM (0x00) or DER (0x10); see fuzz_targets/key.rs.
    { printf '\x02'; cat "$key"; } >"$out/key/$name-pem"
    { printf '\x12'; openssl pkey -in "$key" -outform DER 2>/dev/null; } >"$out/key/$name-der"
    { printf '\x02'; openssl pkey -in "$key" -aes256 -passout pass:secret 2>/dev/null; printf '\0secret'; } \
        >"$out/key/$name-encrypted"
done
openssl pkcs12 -export -in "$pki/server.pem" -inkey "$pki/server.key" -passout pass:secret \
    -out "$pki/server.p12" 2>/dev/null
{ cat "$pki/server.p12"; printf '\0secret'; } >"$out/pkcs12/server"
openssl genpkey -genparam -algorithm DH -pkeyopt dh_paramgen_prime_len:512 -out "$pki/dh.pem" 2>/dev/null
cp "$pki/dh.pem" "$out/dhparams/dh.pem"
openssl pkeyparam -in "$pki/dh.pem" -outform DER -out "$out/dhparams/dh.der" 2>/dev/null || true
cp "$pki"/ocsp-*.der "$out/ocsp/"
printf '\x01' >"$out/tls_client/real-flight"
printf '\x01' >"$out/tls_server/real-hello"
printf '\x00' >"$out/dtls/empty"
