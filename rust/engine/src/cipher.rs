//! Cipher descriptions in the shape of Qt's QSslCipher.

use foreign_types_shared::ForeignTypeRef;
use openssl::ssl::{Ssl, SslCipher, SslCipherRef, SslContext, SslMethod};
use openssl::stack::StackRef;

use crate::config::Protocol;
use crate::sys::*;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CipherInfo {
    /// OpenSSL name, e.g. "TLS_AES_256_GCM_SHA384".
    pub name: String,
    /// Parsed like Qt does from `protocol_string`; None where Qt says
    /// UnknownProtocol (e.g. "SSLv3" for suites defined before TLS 1.0).
    pub protocol: Option<Protocol>,
    /// SSL_CIPHER_get_version / description's 2nd field, e.g. "TLSv1.3".
    pub protocol_string: String,
    pub bits: i32,
    /// Algorithm bits.
    pub supported_bits: i32,
    pub key_exchange: String,
    pub authentication: String,
    pub encryption: String,
}

/// Qt's protocol-string parse: "TLSv1" → 1.0, "TLSv1.N" → 1.N, "DTLSv1(.2)", else unknown.
fn parse_protocol(s: &str) -> Option<Protocol> {
    match s {
        "DTLSv1" => return Some(Protocol::Dtls1_0),
        "DTLSv1.2" => return Some(Protocol::Dtls1_2),
        _ => {}
    }
    let tail = s.strip_prefix("TLSv1")?;
    match tail {
        "" => Some(Protocol::Tls1_0),
        ".1" => Some(Protocol::Tls1_1),
        ".2" => Some(Protocol::Tls1_2),
        ".3" => Some(Protocol::Tls1_3),
        _ => None,
    }
}

impl CipherInfo {
    /// Same fields Qt's createCiphersuite() takes from SSL_CIPHER_description.
    pub(crate) fn from_openssl(c: &SslCipherRef) -> CipherInfo {
        let desc = c.description();
        let field = |prefix: &str| {
            desc.split_whitespace()
                .find_map(|f| f.strip_prefix(prefix))
                .unwrap_or_default()
                .to_string()
        };
        // The description's second field ("TLSv1", "SSLv3", "TLSv1.2"), not SSL_CIPHER_get_version
        // ("TLSv1.0"): that is the string Qt reports and parses.
        let protocol_string = desc.split_whitespace().nth(1).unwrap_or_default().to_string();
        let bits = c.bits();
        CipherInfo {
            name: c.name().to_string(),
            protocol: parse_protocol(&protocol_string),
            protocol_string,
            bits: bits.secret,
            supported_bits: bits.algorithm,
            key_exchange: field("Kx="),
            authentication: field("Au="),
            encryption: field("Enc="),
        }
    }
}


/// Every cipher OpenSSL enables by default for a TLS client (TLS 1.3
/// suites included), minus anonymous-DH ones, as Qt's resetDefaultCiphers
/// builds QSslConfiguration::supportedCiphers(). Qt's default ciphers are
/// the subset with `bits >= 128`.
pub fn ciphers_available() -> Vec<CipherInfo> {
    let Ok(ctx) = SslContext::builder(SslMethod::tls_client()).map(|b| b.build()) else {
        return Vec::new();
    };
    let Ok(ssl) = Ssl::new(&ctx) else {
        return Vec::new();
    };
    let stack = unsafe { SSL_get_ciphers(ssl.as_ptr()) };
    if stack.is_null() {
        return Vec::new();
    }
    let stack: &StackRef<SslCipher> = unsafe { StackRef::from_ptr(stack) };
    stack
        .iter()
        .map(CipherInfo::from_openssl)
        .filter(|c| {
            let n = c.name.to_ascii_lowercase();
            !(n.starts_with("adh") || n.starts_with("exp-adh") || n.starts_with("aecdh"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_strings() {
        assert_eq!(parse_protocol("TLSv1.3"), Some(Protocol::Tls1_3));
        assert_eq!(parse_protocol("TLSv1.2"), Some(Protocol::Tls1_2));
        assert_eq!(parse_protocol("TLSv1"), Some(Protocol::Tls1_0));
        assert_eq!(parse_protocol("SSLv3"), None);
    }

    #[test]
    fn available_has_tls13_and_tls12() {
        let all = ciphers_available();
        let t13 = all
            .iter()
            .find(|c| c.name == "TLS_AES_256_GCM_SHA384")
            .expect("TLS 1.3 suite");
        assert_eq!(t13.protocol, Some(Protocol::Tls1_3));
        assert_eq!(t13.bits, 256);
        assert_eq!(t13.encryption, "AESGCM(256)");
        let c = all
            .iter()
            .find(|c| c.name == "ECDHE-RSA-AES128-GCM-SHA256")
            .expect("TLS 1.2 suite");
        assert_eq!(c.key_exchange, "ECDH");
        assert_eq!(c.authentication, "RSA");
        assert_eq!(c.protocol_string, "TLSv1.2");
        assert!(!all.iter().any(|c| c.name.starts_with("ADH")));
    }
}
