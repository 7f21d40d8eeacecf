// Shared by the handshake targets: one server identity, made once per process.
use std::sync::OnceLock;

use openssl::asn1::Asn1Time;
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::PKey;
use openssl::x509::{X509Name, X509};

pub struct Identity {
    pub cert_der: Vec<u8>,
    pub key_der: Vec<u8>,
}

pub fn identity() -> &'static Identity {
    static ID: OnceLock<Identity> = OnceLock::new();
    ID.get_or_init(|| {
        let key = PKey::from_ec_key(EcKey::generate(&EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap()).unwrap())
            .unwrap();
        let mut name = X509Name::builder().unwrap();
        name.append_entry_by_nid(Nid::COMMONNAME, "localhost").unwrap();
        let name = name.build();
        let mut b = X509::builder().unwrap();
        b.set_version(2).unwrap();
        b.set_subject_name(&name).unwrap();
        b.set_issuer_name(&name).unwrap();
        b.set_pubkey(&key).unwrap();
        b.set_not_before(&Asn1Time::days_from_now(0).unwrap()).unwrap();
        b.set_not_after(&Asn1Time::days_from_now(30).unwrap()).unwrap();
        b.sign(&key, MessageDigest::sha256()).unwrap();
        Identity { cert_der: b.build().to_der().unwrap(), key_der: key.private_key_to_pkcs8().unwrap() }
    })
}

/// `real` with `patch` laid over it byte by byte (XOR): the fuzzer starts from a real flight and
/// mutates inside its records. A first byte of 0 instead takes the rest as the bytes themselves.
#[allow(dead_code)] // (not every target starts from a real flight)
pub fn hostile(real: &[u8], input: &[u8]) -> Vec<u8> {
    match input.split_first() {
        Some((0, raw)) => raw.to_vec(),
        Some((_, patch)) => {
            let mut out = real.to_vec();
            for (byte, p) in out.iter_mut().zip(patch) {
                *byte ^= p;
            }
            out.extend_from_slice(patch.get(real.len()..).unwrap_or_default());
            out
        }
        None => real.to_vec(),
    }
}
