#!/usr/bin/env bash
# make-certs.sh OUTDIR: writes the test PKI into OUTDIR (fresh every run; files are
# generated in a scratch dir and moved into place, so rerunning is safe).
#   ca.pem/.key            self-signed CA "qssl-rs Test CA"
#   server.pem/.key        CN=localhost, SAN localhost, 127.0.0.1, ::1 (EC P-256, CA-signed)
#   server-chain.pem       server + ca
#   server-rsa.pem/.key    as server, RSA 2048 (TLS 1.2 RSA suites)
#   selfsigned.pem/.key    CN=localhost, SAN localhost, 127.0.0.1, self-signed
#   expired.pem/.key       CA-signed, SAN localhost, 127.0.0.1, notAfter in the past
#   wronghost.pem/.key     CA-signed, CN/SAN wrong.example only
#   client.pem/.key        CA-signed, CN=qssl-rs client (clientAuth)
#   blacklisted-ca.pem     CA-signed intermediate CA with the serial and CN of an entry of Qt's
#                          certificate blacklist (27:b1, "NIC CA 2014")
#   blacklisted.pem/.key   signed by blacklisted-ca, CN=localhost, SAN localhost, 127.0.0.1
#                          (serverAuth, clientAuth); blacklisted-chain.pem = it + blacklisted-ca
#   ocsp-*.der             OCSP responses about server.pem, made by make-ocsp.py
set -euo pipefail

if [ $# -ne 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
out=$1
script_dir=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
tmp=$(mktemp -d "${out%/}/.make-certs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export OPENSSL_CONF=/dev/null   # ignore the system openssl.cnf

ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

cat > ext.cnf <<'CNF'
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[selfsigned_ext]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
[expired_ext]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
authorityKeyIdentifier = keyid
[wronghost_ext]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:wrong.example
authorityKeyIdentifier = keyid
[client_ext]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
[intermediate_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[blacklisted_ext]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
authorityKeyIdentifier = keyid
# "openssl ca" is only used for the expired certificate (explicit dates).
[ca]
default_ca = testca
[testca]
database = index.txt
new_certs_dir = .
serial = serial.txt
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[anything]
organizationName = optional
commonName = supplied
CNF

# CA
ec_key ca.key
openssl req -new -x509 -key ca.key -out ca.pem -days 3650 -sha256 \
    -subj "/O=qssl-rs/CN=qssl-rs Test CA" -extensions ca_ext -config ext.cnf 2>/dev/null

# sign NAME SUBJECT EXTSECTION: CSR for NAME.key, signed by the CA, valid from now for 2 years.
sign() {
    local name=$1 subj=$2 ext=$3
    openssl req -new -key "$name.key" -out "$name.csr" -subj "$subj" -config ext.cnf 2>/dev/null
    openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -set_serial "0x$(openssl rand -hex 8)" \
        -days 730 -sha256 -extfile ext.cnf -extensions "$ext" -out "$name.pem" 2>/dev/null
}

ec_key server.key
sign server "/O=qssl-rs/CN=localhost" server_ext
cat server.pem ca.pem > server-chain.pem

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out server-rsa.key 2>/dev/null
sign server-rsa "/O=qssl-rs/CN=localhost" server_ext

ec_key selfsigned.key
openssl req -new -x509 -key selfsigned.key -out selfsigned.pem -days 730 -sha256 \
    -subj "/O=qssl-rs/CN=localhost" -extensions selfsigned_ext -config ext.cnf 2>/dev/null

ec_key wronghost.key
sign wronghost "/O=qssl-rs/CN=wrong.example" wronghost_ext

ec_key client.key
sign client "/O=qssl-rs/CN=qssl-rs client" client_ext

# A chain whose intermediate matches Qt's blacklist (serial and CN are all it compares); the
# leaf itself is not blacklisted.
ec_key blacklisted-ca.key
openssl req -new -key blacklisted-ca.key -out blacklisted-ca.csr -subj "/O=qssl-rs/CN=NIC CA 2014" \
    -config ext.cnf 2>/dev/null
openssl x509 -req -in blacklisted-ca.csr -CA ca.pem -CAkey ca.key -set_serial 0x27b1 -days 730 -sha256 \
    -extfile ext.cnf -extensions intermediate_ext -out blacklisted-ca.pem 2>/dev/null
ec_key blacklisted.key
openssl req -new -key blacklisted.key -out blacklisted.csr -subj "/O=qssl-rs/CN=localhost" -config ext.cnf 2>/dev/null
openssl x509 -req -in blacklisted.csr -CA blacklisted-ca.pem -CAkey blacklisted-ca.key \
    -set_serial "0x$(openssl rand -hex 8)" -days 730 -sha256 -extfile ext.cnf -extensions blacklisted_ext \
    -out blacklisted.pem 2>/dev/null
cat blacklisted.pem blacklisted-ca.pem > blacklisted-chain.pem

# Expired: valid 2020-01-01 .. 2021-01-01.
ec_key expired.key
openssl req -new -key expired.key -out expired.csr -subj "/O=qssl-rs/CN=localhost" -config ext.cnf 2>/dev/null
: > index.txt
openssl rand -hex 8 > serial.txt
openssl ca -batch -config ext.cnf -name testca -cert ca.pem -keyfile ca.key -in expired.csr \
    -out expired.pem -notext -startdate 20200101000000Z -enddate 20210101000000Z \
    -extfile ext.cnf -extensions expired_ext 2>/dev/null >/dev/null

for f in ca server server-rsa selfsigned expired wronghost client blacklisted-ca blacklisted; do
    chmod 600 "$f.key"
    mv -f "$f.key" "$out/$f.key"
    mv -f "$f.pem" "$out/$f.pem"
done
mv -f server-chain.pem "$out/server-chain.pem"
mv -f blacklisted-chain.pem "$out/blacklisted-chain.pem"
# Stapled OCSP responses about server.pem (see make-ocsp.py).
"$script_dir/make-ocsp.py" "$out"
