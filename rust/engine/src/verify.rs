//! Verification policy: OpenSSL's collected verify errors become Qt
//! QSslError codes, plus Qt's own host-name check.

use std::net::IpAddr;

use openssl::nid::Nid;
use openssl::ssl::SslRef;
use openssl::x509::{X509Ref, X509};
use openssl_sys as ffi;

use crate::cert;
use crate::config::{PeerVerifyMode, Role, TlsContext};

/// Qt's QSslError::SslError values (qsslerror.h, Qt 6).
pub mod qt_error {
    pub const NO_ERROR: i32 = 0;
    pub const UNABLE_TO_GET_ISSUER_CERTIFICATE: i32 = 1;
    pub const UNABLE_TO_DECRYPT_CERTIFICATE_SIGNATURE: i32 = 2;
    pub const UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: i32 = 3;
    pub const CERTIFICATE_SIGNATURE_FAILED: i32 = 4;
    pub const CERTIFICATE_NOT_YET_VALID: i32 = 5;
    pub const CERTIFICATE_EXPIRED: i32 = 6;
    pub const INVALID_NOT_BEFORE_FIELD: i32 = 7;
    pub const INVALID_NOT_AFTER_FIELD: i32 = 8;
    pub const SELF_SIGNED_CERTIFICATE: i32 = 9;
    pub const SELF_SIGNED_CERTIFICATE_IN_CHAIN: i32 = 10;
    pub const UNABLE_TO_GET_LOCAL_ISSUER_CERTIFICATE: i32 = 11;
    pub const UNABLE_TO_VERIFY_FIRST_CERTIFICATE: i32 = 12;
    pub const CERTIFICATE_REVOKED: i32 = 13;
    pub const INVALID_CA_CERTIFICATE: i32 = 14;
    pub const PATH_LENGTH_EXCEEDED: i32 = 15;
    pub const INVALID_PURPOSE: i32 = 16;
    pub const CERTIFICATE_UNTRUSTED: i32 = 17;
    pub const CERTIFICATE_REJECTED: i32 = 18;
    pub const SUBJECT_ISSUER_MISMATCH: i32 = 19;
    pub const AUTHORITY_ISSUER_SERIAL_NUMBER_MISMATCH: i32 = 20;
    pub const NO_PEER_CERTIFICATE: i32 = 21;
    pub const HOST_NAME_MISMATCH: i32 = 22;
    pub const NO_SSL_SUPPORT: i32 = 23;
    pub const CERTIFICATE_BLACKLISTED: i32 = 24;
    pub const OCSP_NO_RESPONSE_FOUND: i32 = 26;
    pub const OCSP_MALFORMED_REQUEST: i32 = 27;
    pub const OCSP_MALFORMED_RESPONSE: i32 = 28;
    pub const OCSP_INTERNAL_ERROR: i32 = 29;
    pub const OCSP_TRY_LATER: i32 = 30;
    pub const OCSP_SIG_REQUIRED: i32 = 31;
    pub const OCSP_UNAUTHORIZED: i32 = 32;
    pub const OCSP_RESPONSE_CANNOT_BE_TRUSTED: i32 = 33;
    pub const OCSP_RESPONSE_CERT_ID_UNKNOWN: i32 = 34;
    pub const OCSP_RESPONSE_EXPIRED: i32 = 35;
    pub const OCSP_STATUS_UNKNOWN: i32 = 36;
    pub const UNSPECIFIED_ERROR: i32 = -1;
}

/// Which check found a verification problem. Qt reports OpenSSL's chain errors (peerVerifyError)
/// as verification meets them, then its own checks in this order once the handshake is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stage {
    Chain,
    Blacklist,
    Ocsp,
    /// The host name, or a missing peer certificate.
    Peer,
    /// A public-key pin that no certificate of the chain matches (qssl-rs' extension).
    Pin,
}

/// One verification problem, in Qt's terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PeerError {
    /// Qt QSslError::SslError value.
    pub code: i32,
    /// Index into peer_chain_der(), -1 if the error concerns no certificate.
    /// For OpenSSL errors this is the verify depth, exactly as Qt uses it; it
    /// can point past the peer-sent chain (e.g. a trust anchor from the
    /// local store), which Qt turns into a null certificate.
    pub cert_index: i32,
    pub stage: Stage,
}

/// The peer's chain as Qt lists it: leaf first (a server's view of its client lacks it).
pub(crate) fn peer_chain(ssl: &SslRef) -> Vec<X509> {
    let leaf = ssl.peer_certificate();
    let chain: Vec<X509> =
        ssl.peer_cert_chain().map(|s| s.iter().map(|c| c.to_owned()).collect()).unwrap_or_default();
    match leaf {
        Some(leaf) if chain.first().map(|first| first.as_ref()) != Some(leaf.as_ref()) => {
            std::iter::once(leaf).chain(chain).collect()
        }
        _ => chain,
    }
}

/// The one verification pipeline, for TLS and DTLS alike: problems in Qt's order (sslErrors()) —
/// blacklisted certificates of the peer chain, the stapled OCSP response (`ocsp`), host name or
/// missing peer certificate, then OpenSSL's chain errors (`raw`: X509_V_ERR_* and verify depth,
/// as the verify callback recorded them; cert_index = depth).
pub(crate) fn peer_errors(
    ssl: &SslRef,
    ctx: &TlsContext,
    verify_name: Option<&str>,
    raw: &[(i32, i32)],
    ocsp: &[PeerError],
) -> Vec<PeerError> {
    let config = &ctx.config;
    // The blacklist and the host name are checked whatever the verify mode (Qt 6.4 does so for
    // VerifyNone too); OpenSSL's errors need the verify callback VerifyNone goes without.
    let mut out = blacklist_errors(&peer_chain(ssl));
    out.extend_from_slice(ocsp);
    match ssl.peer_certificate() {
        Some(cert) => {
            if let (Role::Client, Some(name)) = (config.role, verify_name) {
                if !is_matching_hostname(&cert, name) {
                    out.push(PeerError { code: qt_error::HOST_NAME_MISMATCH, cert_index: 0, stage: Stage::Peer });
                }
            }
        }
        None => {
            if config.effective_verify_mode() == PeerVerifyMode::VerifyPeer {
                out.push(PeerError { code: qt_error::NO_PEER_CERTIFICATE, cert_index: -1, stage: Stage::Peer });
            }
        }
    }
    if !pins_match(ssl, &ctx.public_key_pins) {
        let cert_index = if ssl.peer_certificate().is_some() { 0 } else { -1 };
        out.push(PeerError { code: qt_error::CERTIFICATE_REJECTED, cert_index, stage: Stage::Pin });
    }
    out.extend(raw.iter().map(|&(code, depth)| PeerError {
        code: map_x509_error(code),
        cert_index: depth,
        stage: Stage::Chain,
    }));
    out
}

/// SHA-256 of a certificate's SubjectPublicKeyInfo DER: what a public-key pin names.
pub fn public_key_pin(cert: &X509Ref) -> Option<Vec<u8>> {
    let spki = cert.public_key().ok()?.public_key_to_der().ok()?;
    Some(openssl::sha::sha256(&spki).to_vec())
}

/// True without pins; with pins, when a certificate the peer sent or verification chained to
/// (its trust anchor included) has one of the pinned keys.
fn pins_match(ssl: &SslRef, pins: &[Vec<u8>]) -> bool {
    if pins.is_empty() {
        return true;
    }
    let verified = ssl.verified_chain().map(|chain| chain.iter().map(|c| c.to_owned()).collect::<Vec<_>>());
    peer_chain(ssl)
        .iter()
        .chain(verified.iter().flatten())
        .filter_map(|cert| public_key_pin(cert))
        .any(|pin| pins.contains(&pin))
}

/// X509_V_ERR_* to QSslError::SslError, as Qt's `_q_OpenSSL_to_QSslError`.
pub fn map_x509_error(code: i32) -> i32 {
    use qt_error::*;
    match code {
        ffi::X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT => UNABLE_TO_GET_ISSUER_CERTIFICATE,
        ffi::X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE => UNABLE_TO_DECRYPT_CERTIFICATE_SIGNATURE,
        ffi::X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY => UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY,
        ffi::X509_V_ERR_CERT_SIGNATURE_FAILURE => CERTIFICATE_SIGNATURE_FAILED,
        ffi::X509_V_ERR_CERT_NOT_YET_VALID => CERTIFICATE_NOT_YET_VALID,
        ffi::X509_V_ERR_CERT_HAS_EXPIRED => CERTIFICATE_EXPIRED,
        ffi::X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD => INVALID_NOT_BEFORE_FIELD,
        ffi::X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD => INVALID_NOT_AFTER_FIELD,
        ffi::X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT => SELF_SIGNED_CERTIFICATE,
        ffi::X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN => SELF_SIGNED_CERTIFICATE_IN_CHAIN,
        ffi::X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY => UNABLE_TO_GET_LOCAL_ISSUER_CERTIFICATE,
        ffi::X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE => UNABLE_TO_VERIFY_FIRST_CERTIFICATE,
        ffi::X509_V_ERR_CERT_REVOKED => CERTIFICATE_REVOKED,
        ffi::X509_V_ERR_INVALID_CA => INVALID_CA_CERTIFICATE,
        ffi::X509_V_ERR_PATH_LENGTH_EXCEEDED => PATH_LENGTH_EXCEEDED,
        ffi::X509_V_ERR_INVALID_PURPOSE => INVALID_PURPOSE,
        ffi::X509_V_ERR_CERT_UNTRUSTED => CERTIFICATE_UNTRUSTED,
        ffi::X509_V_ERR_CERT_REJECTED => CERTIFICATE_REJECTED,
        _ => UNSPECIFIED_ERROR,
    }
}

/// Qt's handshake-time blacklist check: every certificate of the peer chain (leaf first, as
/// `peer_chain`), not only the leaf as QSslCertificate::verify checks. One
/// CertificateBlacklisted per listed certificate, in chain order; Qt reports them ahead of every
/// other error and whatever the verify mode, and they are ordinary errors: fatal only to a socket
/// that verifies its peer and has not ignored them.
pub fn blacklist_errors(chain: &[X509]) -> Vec<PeerError> {
    chain
        .iter()
        .enumerate()
        .filter(|(_, cert)| cert::is_blacklisted(cert))
        .map(|(index, _)| PeerError {
            code: qt_error::CERTIFICATE_BLACKLISTED,
            cert_index: index as i32,
            stage: Stage::Blacklist,
        })
        .collect()
}

/// QHostAddress-like parse: plain IPv4/IPv6 literal, IPv6 also in brackets.
/// A scope id ("fe80::1%eth0") is ignored for comparison.
pub fn parse_ip(name: &str) -> Option<IpAddr> {
    let s = name
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .unwrap_or(name);
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(ip);
    }
    match s.split_once('%') {
        Some((addr, _scope)) if addr.contains(':') => {
            addr.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6)
        }
        _ => None,
    }
}

/// QUrl::toAce: lowercase ASCII, IDNA for anything else; "" when invalid.
pub fn to_ace(name: &str) -> String {
    if name.is_ascii() {
        return name.to_ascii_lowercase();
    }
    idna::domain_to_ascii(name).unwrap_or_default()
}

/// Qt's QTlsBackend::isMatchingHostname(cert, peerName).
pub fn is_matching_hostname(cert: &X509Ref, peer_name: &str) -> bool {
    let alt_names = cert.subject_alt_names();

    if let Some(ip) = parse_ip(peer_name) {
        if let Some(names) = &alt_names {
            for gn in names.iter() {
                if let Some(bytes) = gn.ipaddress() {
                    // StrictConversion: an IPv4 address never equals an IPv4-mapped IPv6 one.
                    let same = match ip {
                        IpAddr::V4(v4) => bytes == v4.octets(),
                        IpAddr::V6(v6) => bytes == v6.octets(),
                    };
                    if same {
                        return true;
                    }
                }
            }
        }
    }

    let host = to_ace(peer_name);
    if host.is_empty() {
        return false;
    }
    for entry in cert.subject_name().entries_by_nid(Nid::COMMONNAME) {
        if let Ok(cn) = entry.data().to_string() {
            if matches_pattern(&cn, &host) {
                return true;
            }
        }
    }
    if let Some(names) = &alt_names {
        for gn in names.iter() {
            if let Some(dns) = gn.dnsname() {
                if matches_pattern(dns, &host) {
                    return true;
                }
            }
        }
    }
    false
}

/// Qt's QTlsBackend::isMatchingHostname(cn, hostname); `hostname` is
/// already lowercased/ACE'd. Indices are byte offsets: every character
/// the rules look at ('*', '.') is ASCII, so they agree with Qt's.
pub fn matches_pattern(cn: &str, hostname: &str) -> bool {
    let Some(wildcard) = cn.find('*') else {
        let ace = to_ace(cn);
        return !ace.is_empty() && ace == hostname;
    };

    let Some(first_dot) = cn.find('.') else {
        return false;
    };
    // At least three labels, the last one non-empty.
    let Some(second_dot) = cn[first_dot + 1..].find('.').map(|i| i + first_dot + 1) else {
        return false;
    };
    if second_dot + 1 >= cn.len() {
        return false;
    }
    // '*' must be the last character of the first label.
    if wildcard + 1 != first_dot {
        return false;
    }
    // Only one '*'.
    if cn.rfind('*') != Some(wildcard) {
        return false;
    }
    // No wildcard inside an A-label (RFC 6125 7.2).
    if cn
        .as_bytes()
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"xn--"))
    {
        return false;
    }
    // Characters before '*' compare case-insensitively.
    if wildcard > 0 {
        match hostname.get(..wildcard) {
            Some(prefix) if prefix.eq_ignore_ascii_case(&cn[..wildcard]) => {}
            _ => return false,
        }
    }
    // Everything after the first '.' must match exactly (or after ACE).
    let host_rest = match hostname.find('.') {
        Some(i) => &hostname[i + 1..],
        None => hostname,
    };
    let cn_rest = &cn[first_dot + 1..];
    if host_rest != cn_rest && host_rest != to_ace(cn_rest) {
        return false;
    }
    // Wildcards never match IP addresses.
    if parse_ip(hostname).is_some() {
        return false;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use openssl::asn1::Asn1Time;
    use openssl::ec::{EcGroup, EcKey};
    use openssl::hash::MessageDigest;
    use openssl::pkey::{PKey, Private};
    use openssl::x509::extension::SubjectAlternativeName;
    use openssl::x509::{X509Builder, X509Name, X509};

    #[test]
    fn exact_names() {
        assert!(matches_pattern("example.com", "example.com"));
        assert!(matches_pattern("Example.COM", "example.com"));
        assert!(!matches_pattern("example.com", "www.example.com"));
        assert!(!matches_pattern("", ""));
        assert!(matches_pattern("bücher.de", "xn--bcher-kva.de"));
    }

    #[test]
    fn wildcards() {
        assert!(matches_pattern("*.example.com", "www.example.com"));
        // The rest is compared raw or after ACE (which lowercases).
        assert!(matches_pattern("*.Example.com", "www.example.com"));
        assert!(!matches_pattern("*.example.com", "a.b.example.com"));
        assert!(!matches_pattern("*.example.com", "example.com"));
        // Fewer than three labels.
        assert!(!matches_pattern("*.com", "example.com"));
        assert!(!matches_pattern("*.example.", "www.example."));
        // '*' not at the end of the first label.
        assert!(!matches_pattern("w*w.example.com", "www.example.com"));
        assert!(!matches_pattern("www.*.com", "www.example.com"));
        assert!(!matches_pattern("*", "localhost"));
        // More than one '*'.
        assert!(!matches_pattern("**.example.com", "ww.example.com"));
        // Prefix before '*'.
        assert!(matches_pattern("ww*.example.com", "www.example.com"));
        assert!(matches_pattern("WW*.example.com", "www.example.com"));
        assert!(matches_pattern("www*.example.com", "www.example.com"));
        assert!(!matches_pattern("xx*.example.com", "www.example.com"));
        // A-labels.
        assert!(!matches_pattern("xn--*.example.com", "xn--foo.example.com"));
        assert!(!matches_pattern("XN--*.example.com", "xn--foo.example.com"));
        // IP literals never match wildcards.
        assert!(!matches_pattern("*.0.0.1", "127.0.0.1"));
        // Non-ASCII rest is compared after ACE.
        assert!(matches_pattern("*.bücher.de", "www.xn--bcher-kva.de"));
    }

    #[test]
    fn ace() {
        assert_eq!(to_ace("LocalHost"), "localhost");
        assert_eq!(to_ace("Bücher.de"), "xn--bcher-kva.de");
        assert_eq!(to_ace("127.0.0.1"), "127.0.0.1");
    }

    #[test]
    fn ip_parse() {
        assert!(parse_ip("127.0.0.1").is_some());
        assert!(parse_ip("::1").is_some());
        assert!(parse_ip("[::1]").is_some());
        assert!(parse_ip("fe80::1%eth0").is_some());
        assert!(parse_ip("localhost").is_none());
        assert!(parse_ip("1.2.3").is_none());
    }

    /// A one-day P-256 certificate for `cn`, its issuer name and signature still to be set.
    fn builder(cn: &str) -> (X509Builder, PKey<Private>, X509Name) {
        let key = PKey::from_ec_key(
            EcKey::generate(&EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap()).unwrap(),
        )
        .unwrap();
        let mut name = X509Name::builder().unwrap();
        name.append_entry_by_nid(Nid::COMMONNAME, cn).unwrap();
        let name = name.build();
        let mut b = X509::builder().unwrap();
        b.set_version(2).unwrap();
        b.set_subject_name(&name).unwrap();
        b.set_pubkey(&key).unwrap();
        b.set_not_before(&Asn1Time::days_from_now(0).unwrap()).unwrap();
        b.set_not_after(&Asn1Time::days_from_now(1).unwrap()).unwrap();
        (b, key, name)
    }

    fn cert(cn: &str, dns: &[&str], ips: &[&str]) -> X509 {
        let (mut b, key, name) = builder(cn);
        b.set_issuer_name(&name).unwrap();
        if !dns.is_empty() || !ips.is_empty() {
            let mut san = SubjectAlternativeName::new();
            for d in dns {
                san.dns(d);
            }
            for i in ips {
                san.ip(i);
            }
            let ext = san.build(&b.x509v3_context(None, None)).unwrap();
            b.append_extension(ext).unwrap();
        }
        b.sign(&key, MessageDigest::sha256()).unwrap();
        b.build()
    }

    #[test]
    fn certificate_matching() {
        let c = cert(
            "server.test",
            &["localhost", "*.wild.test"],
            &["127.0.0.1", "::1"],
        );
        assert!(is_matching_hostname(&c, "server.test"));
        assert!(is_matching_hostname(&c, "SERVER.test"));
        assert!(is_matching_hostname(&c, "localhost"));
        assert!(is_matching_hostname(&c, "a.wild.test"));
        assert!(!is_matching_hostname(&c, "wild.test"));
        assert!(is_matching_hostname(&c, "127.0.0.1"));
        assert!(is_matching_hostname(&c, "::1"));
        assert!(is_matching_hostname(&c, "0:0::1"));
        assert!(!is_matching_hostname(&c, "127.0.0.2"));
        assert!(!is_matching_hostname(&c, "::ffff:127.0.0.1"));
        assert!(!is_matching_hostname(&c, "other.test"));
        assert!(!is_matching_hostname(&c, ""));
        // An IP written as CN matches by exact string compare, as in Qt.
        let c = cert("10.0.0.1", &[], &[]);
        assert!(is_matching_hostname(&c, "10.0.0.1"));
    }

    fn signed(cn: &str, serial: u32, issuer: Option<(&X509, &PKey<Private>)>) -> (X509, PKey<Private>) {
        let (mut b, key, name) = builder(cn);
        let serial = openssl::bn::BigNum::from_u32(serial).unwrap().to_asn1_integer().unwrap();
        b.set_serial_number(&serial).unwrap();
        b.set_issuer_name(issuer.map_or(&*name, |(cert, _)| cert.subject_name())).unwrap();
        b.sign(issuer.map_or(&key, |(_, k)| k), MessageDigest::sha256()).unwrap();
        (b.build(), key)
    }

    #[test]
    fn blacklist_covers_the_whole_chain() {
        // Serial 27:b1 with CN "NIC CA 2014" is on Qt's list; the same serial under another
        // name is not, nor is a certificate merely issued by the listed one.
        let (root, root_key) = signed("root", 1, None);
        let (listed, listed_key) = signed("NIC CA 2014", 0x27b1, Some((&root, &root_key)));
        let (other, _) = signed("other CA", 0x27b1, Some((&root, &root_key)));
        let (leaf, _) = signed("localhost", 2, Some((&listed, &listed_key)));
        let blacklisted =
            |index| PeerError { code: qt_error::CERTIFICATE_BLACKLISTED, cert_index: index, stage: Stage::Blacklist };
        assert_eq!(blacklist_errors(&[leaf.clone(), listed.clone(), root.clone()]), [blacklisted(1)]);
        assert_eq!(
            blacklist_errors(&[listed.clone(), leaf.clone(), listed.clone()]),
            [blacklisted(0), blacklisted(2)]
        );
        assert!(blacklist_errors(&[leaf, other, root]).is_empty());
        assert!(blacklist_errors(&[]).is_empty());
    }

    #[test]
    fn error_mapping() {
        assert_eq!(
            map_x509_error(ffi::X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT),
            qt_error::SELF_SIGNED_CERTIFICATE
        );
        assert_eq!(
            map_x509_error(ffi::X509_V_ERR_CERT_HAS_EXPIRED),
            qt_error::CERTIFICATE_EXPIRED
        );
        assert_eq!(
            map_x509_error(ffi::X509_V_ERR_INVALID_CA),
            qt_error::INVALID_CA_CERTIFICATE
        );
        assert_eq!(
            map_x509_error(ffi::X509_V_ERR_CERT_CHAIN_TOO_LONG),
            qt_error::UNSPECIFIED_ERROR
        );
        assert_eq!(map_x509_error(12345), qt_error::UNSPECIFIED_ERROR);
    }
}
