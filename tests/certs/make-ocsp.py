#!/usr/bin/env python3
"""make-ocsp.py CERTS_DIR: OCSP responses about CERTS_DIR/server.pem (issuer ca.pem), as a
server staples them (openssl s_server -status_file, Qt's "Qt-OCSP-response"). Made at test time:
their validity is relative to now.
  ocsp-good.der       good, signed by the CA
  ocsp-revoked.der    revoked (keyCompromise)
  ocsp-unknown.der    status unknown
  ocsp-expired.der    good, but nextUpdate a day ago
  ocsp-untrusted.der  good, signed by a responder nobody trusts
  ocsp-othercert.der  good, but about client.pem
  ocsp-trylater.der   an unsuccessful response (tryLater)
  ocsp-junk.der       bytes that are no OCSP response
"""
import datetime
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from cryptography.x509.oid import NameOID


def load(directory, name):
    return x509.load_pem_x509_certificate((directory / name).read_bytes())


def rogue_responder():
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "qssl-rs rogue responder")])
    now = datetime.datetime.utcnow()
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    return cert, key


def response(subject, issuer, signer, signer_key, status, this_update, next_update, revoked=False,
             include_signer=False):
    builder = ocsp.OCSPResponseBuilder().add_response(
        cert=subject, issuer=issuer, algorithm=hashes.SHA1(), cert_status=status,
        this_update=this_update, next_update=next_update,
        revocation_time=this_update if revoked else None,
        revocation_reason=x509.ReasonFlags.key_compromise if revoked else None,
    ).responder_id(ocsp.OCSPResponderEncoding.HASH, signer)
    if include_signer:
        builder = builder.certificates([signer])
    return builder.sign(signer_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make-ocsp.py CERTS_DIR")
    directory = Path(sys.argv[1])
    ca = load(directory, "ca.pem")
    ca_key = serialization.load_pem_private_key((directory / "ca.key").read_bytes(), password=None)
    server = load(directory, "server.pem")
    client = load(directory, "client.pem")
    now = datetime.datetime.utcnow()
    hour, day = datetime.timedelta(hours=1), datetime.timedelta(days=1)
    good, revoked, unknown = ocsp.OCSPCertStatus.GOOD, ocsp.OCSPCertStatus.REVOKED, ocsp.OCSPCertStatus.UNKNOWN
    rogue, rogue_key = rogue_responder()
    files = {
        "ocsp-good.der": response(server, ca, ca, ca_key, good, now - hour, now + day),
        "ocsp-revoked.der": response(server, ca, ca, ca_key, revoked, now - hour, now + day, revoked=True),
        "ocsp-unknown.der": response(server, ca, ca, ca_key, unknown, now - hour, now + day),
        "ocsp-expired.der": response(server, ca, ca, ca_key, good, now - 2 * day, now - day),
        "ocsp-untrusted.der": response(server, ca, rogue, rogue_key, good, now - hour, now + day,
                                       include_signer=True),
        "ocsp-othercert.der": response(client, ca, ca, ca_key, good, now - hour, now + day),
        "ocsp-trylater.der": ocsp.OCSPResponseBuilder.build_unsuccessful(
            ocsp.OCSPResponseStatus.TRY_LATER).public_bytes(serialization.Encoding.DER),
        "ocsp-junk.der": b"this is no OCSP response",
    }
    for name, der in files.items():
        (directory / name).write_bytes(der)


if __name__ == "__main__":
    main()
