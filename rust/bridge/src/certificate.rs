//! QSslCertificate's and QSslKey's engine: parsing, fields, PKCS#12 import, chain verification.

use qsslrs_engine::cert::{self, AltName, Certificate as EngineCert, ExtScalar, ExtValue};

use crate::key::{engine_key_decode, engine_key_from_handle, engine_key_new, Key};

#[cxx::bridge(namespace = "qsslrs")]
mod ffi {
    /// One entry of a distinguished name: attribute short name (or OID) and UTF-8 value.
    struct NameEntryView {
        attribute: Vec<u8>,
        value: Vec<u8>,
    }

    /// A UTC date and time; `valid` is false when OpenSSL could not read the field.
    struct DateView {
        valid: bool,
        year: i32,
        month: i32,
        day: i32,
        hour: i32,
        minute: i32,
        second: i32,
    }

    enum AltNameKind {
        Dns,
        Email,
        Ip,
    }

    struct AltNameView {
        kind: AltNameKind,
        /// Latin-1 text, or 4/16 raw address bytes for Ip.
        data: Vec<u8>,
    }

    enum ExtValueKind {
        Invalid,
        Map,
        List,
        Text,
        Bytes,
        Bool,
        Int,
    }

    /// A map entry or list item (then `key` is empty) of an extension's value.
    struct ExtEntryView {
        key: Vec<u8>,
        /// Text, Bytes, Bool or Int.
        kind: ExtValueKind,
        data: Vec<u8>,
        number: i64,
    }

    struct ExtensionView {
        oid: Vec<u8>,
        name: Vec<u8>,
        critical: bool,
        supported: bool,
        /// Invalid, Map, List, Text or Bytes (Text/Bytes in `data`).
        kind: ExtValueKind,
        entries: Vec<ExtEntryView>,
        data: Vec<u8>,
    }

    /// One verification error: a QSslError::SslError and the chain index it concerns.
    struct VerifyErrorView {
        code: i32,
        index: i32,
    }

    extern "Rust" {
        type Certificate;
        type CertificateList;
        type Pkcs12;
        type Key;

        /// A null key (Qt's defaults: public, opaque).
        fn engine_key_new() -> Box<Key>;
        /// `algorithm` is QSsl::KeyAlgorithm, `key_type` QSsl::KeyType.
        fn engine_key_decode(data: &[u8], der: bool, algorithm: i32, key_type: i32, pass: &[u8]) -> Box<Key>;
        /// QSslKey(Qt::HANDLE): takes an EVP_PKEY* (0: none), the caller's reference unless
        /// `share`. A vendored build takes none (null key, handle left alone).
        unsafe fn engine_key_from_handle(handle: usize, key_type: i32, share: bool) -> Box<Key>;
        fn is_null(self: &Key) -> bool;
        /// QSsl::KeyType
        fn key_type(self: &Key) -> i32;
        /// QSsl::KeyAlgorithm
        fn algorithm(self: &Key) -> i32;
        fn length(self: &Key) -> i32;
        fn to_pem(self: &Key, pass: &[u8]) -> Vec<u8>;
        fn to_der(self: &Key, pass: &[u8]) -> Vec<u8>;
        /// RSA*, DSA*, EC_KEY*, DH* or (opaque) EVP_PKEY*, as Qt::HANDLE.
        fn handle(self: &Key) -> usize;
        /// An opaque key's EVP_PKEY* with a reference for the caller to own; 0 for other keys.
        fn share_handle(self: &Key) -> usize;

        /// `max` < 0: no limit.
        fn engine_certificates_from_pem(data: &[u8], max: i32) -> Box<CertificateList>;
        fn engine_certificates_from_der(data: &[u8], max: i32) -> Box<CertificateList>;
        fn is_empty(self: &CertificateList) -> bool;
        /// Removes and returns the first certificate; fails when the list is empty.
        fn take_first(self: &mut CertificateList) -> Result<Box<Certificate>>;

        fn to_der(self: &Certificate) -> Vec<u8>;
        fn to_pem(self: &Certificate) -> Vec<u8>;
        fn to_text(self: &Certificate) -> Vec<u8>;
        fn version(self: &Certificate) -> i64;
        fn serial_number(self: &Certificate) -> Vec<u8>;
        fn subject(self: &Certificate) -> Vec<NameEntryView>;
        fn issuer(self: &Certificate) -> Vec<NameEntryView>;
        fn not_before(self: &Certificate) -> DateView;
        fn not_after(self: &Certificate) -> DateView;
        fn is_self_signed(self: &Certificate) -> bool;
        fn is_blacklisted(self: &Certificate) -> bool;
        fn alt_names(self: &Certificate) -> Vec<AltNameView>;
        fn extensions(self: &Certificate) -> Vec<ExtensionView>;
        fn public_key(self: &Certificate) -> Box<Key>;
        fn equals(self: &Certificate, other: &Certificate) -> bool;
        fn sha1(self: &Certificate) -> Vec<u8>;
        /// SHA-256 of the SubjectPublicKeyInfo: the certificate's public-key pin (empty when its
        /// key cannot be read).
        fn public_key_pin(self: &Certificate) -> Vec<u8>;
        /// The X509*, as Qt::HANDLE.
        fn handle(self: &Certificate) -> usize;
        /// Qt's host name rules for a peer's certificate (common names and DNS entries).
        fn is_matching_hostname(self: &Certificate, peer_name: &str) -> bool;
        /// One name of a certificate against a lowercase ACE host name, wildcards as Qt.
        fn engine_hostname_matches_pattern(pattern: &str, host_name: &str) -> bool;

        /// Fails (no exception: `ok()` false) for anything Qt's importPkcs12 rejects.
        fn engine_import_pkcs12(data: &[u8], pass: &[u8]) -> Box<Pkcs12>;
        fn ok(self: &Pkcs12) -> bool;
        fn take_key(self: &mut Pkcs12) -> Box<Key>;
        fn take_certificate(self: &mut Pkcs12) -> Result<Box<Certificate>>;
        fn take_ca_certificates(self: &mut Pkcs12) -> Box<CertificateList>;

        /// `roots`: the trusted certificates Qt would use (already without expired ones).
        fn engine_verify_chain(chain: &CertificateList, roots: &CertificateList, host_name: &str) -> Vec<VerifyErrorView>;
        fn engine_certificate_list_new() -> Box<CertificateList>;
        fn push(self: &mut CertificateList, cert: &Certificate);
    }
}

use ffi::{AltNameKind, AltNameView, DateView, ExtEntryView, ExtValueKind, ExtensionView, NameEntryView, VerifyErrorView};

pub struct Certificate(EngineCert);

/// Certificates in order; C++ drains it with take_first().
pub struct CertificateList(std::collections::VecDeque<EngineCert>);

impl From<Vec<EngineCert>> for CertificateList {
    fn from(certs: Vec<EngineCert>) -> CertificateList {
        CertificateList(certs.into())
    }
}

pub struct Pkcs12 {
    ok: bool,
    key: qsslrs_engine::key::Key,
    certificate: Option<EngineCert>,
    cas: std::collections::VecDeque<EngineCert>,
}

fn limit(max: i32) -> Option<usize> {
    usize::try_from(max).ok()
}

fn engine_certificates_from_pem(data: &[u8], max: i32) -> Box<CertificateList> {
    Box::new(CertificateList(EngineCert::list_from_pem(data, limit(max)).into()))
}

fn engine_certificates_from_der(data: &[u8], max: i32) -> Box<CertificateList> {
    Box::new(CertificateList(EngineCert::list_from_der(data, limit(max)).into()))
}

fn engine_certificate_list_new() -> Box<CertificateList> {
    Box::new(CertificateList(Default::default()))
}

impl CertificateList {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    fn take_first(&mut self) -> Result<Box<Certificate>, &'static str> {
        self.0.pop_front().map(|c| Box::new(Certificate(c))).ok_or("no certificate left")
    }
    fn push(&mut self, cert: &Certificate) {
        self.0.push_back(cert.0.clone());
    }
}

fn names(entries: Vec<(Vec<u8>, Vec<u8>)>) -> Vec<NameEntryView> {
    entries.into_iter().map(|(attribute, value)| NameEntryView { attribute, value }).collect()
}

fn date(d: Option<cert::DateTime>) -> DateView {
    match d {
        Some(d) => DateView { valid: true, year: d.year, month: d.month, day: d.day, hour: d.hour, minute: d.minute, second: d.second },
        None => DateView { valid: false, year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 },
    }
}

fn scalar(key: Vec<u8>, value: ExtScalar) -> ExtEntryView {
    let (kind, data, number) = match value {
        ExtScalar::Text(t) => (ExtValueKind::Text, t, 0),
        ExtScalar::Bytes(b) => (ExtValueKind::Bytes, b, 0),
        ExtScalar::Bool(b) => (ExtValueKind::Bool, Vec::new(), i64::from(b)),
        ExtScalar::Int(i) => (ExtValueKind::Int, Vec::new(), i),
    };
    ExtEntryView { key, kind, data, number }
}

impl Certificate {
    fn to_der(&self) -> Vec<u8> {
        self.0.to_der()
    }
    fn to_pem(&self) -> Vec<u8> {
        self.0.to_pem()
    }
    fn to_text(&self) -> Vec<u8> {
        self.0.to_text()
    }
    fn version(&self) -> i64 {
        self.0.version()
    }
    fn serial_number(&self) -> Vec<u8> {
        self.0.serial_number()
    }
    fn subject(&self) -> Vec<NameEntryView> {
        names(self.0.subject())
    }
    fn issuer(&self) -> Vec<NameEntryView> {
        names(self.0.issuer())
    }
    fn not_before(&self) -> DateView {
        date(self.0.not_before())
    }
    fn not_after(&self) -> DateView {
        date(self.0.not_after())
    }
    fn is_self_signed(&self) -> bool {
        self.0.is_self_signed()
    }
    fn is_blacklisted(&self) -> bool {
        self.0.is_blacklisted()
    }
    fn is_matching_hostname(&self, peer_name: &str) -> bool {
        qsslrs_engine::verify::is_matching_hostname(self.0.x509(), peer_name)
    }
    fn alt_names(&self) -> Vec<AltNameView> {
        self.0
            .alt_names()
            .into_iter()
            .map(|n| match n {
                AltName::Dns(data) => AltNameView { kind: AltNameKind::Dns, data },
                AltName::Email(data) => AltNameView { kind: AltNameKind::Email, data },
                AltName::Ip(data) => AltNameView { kind: AltNameKind::Ip, data },
            })
            .collect()
    }
    fn extensions(&self) -> Vec<ExtensionView> {
        self.0
            .extensions()
            .into_iter()
            .map(|e| {
                let (kind, entries, data) = match e.value {
                    ExtValue::Invalid => (ExtValueKind::Invalid, Vec::new(), Vec::new()),
                    ExtValue::Map(m) => (ExtValueKind::Map, m.into_iter().map(|(k, v)| scalar(k, v)).collect(), Vec::new()),
                    ExtValue::List(l) => (ExtValueKind::List, l.into_iter().map(|t| scalar(Vec::new(), ExtScalar::Text(t))).collect(), Vec::new()),
                    ExtValue::Text(t) => (ExtValueKind::Text, Vec::new(), t),
                    ExtValue::Bytes(b) => (ExtValueKind::Bytes, Vec::new(), b),
                };
                ExtensionView { oid: e.oid, name: e.name, critical: e.critical, supported: e.supported, kind, entries, data }
            })
            .collect()
    }
    fn public_key(&self) -> Box<Key> {
        Box::new(Key(self.0.public_key()))
    }
    fn equals(&self, other: &Certificate) -> bool {
        self.0.equals(&other.0)
    }
    fn sha1(&self) -> Vec<u8> {
        self.0.sha1()
    }
    fn public_key_pin(&self) -> Vec<u8> {
        qsslrs_engine::verify::public_key_pin(self.0.x509()).unwrap_or_default()
    }
    fn handle(&self) -> usize {
        self.0.handle() as usize
    }
}

fn engine_import_pkcs12(data: &[u8], pass: &[u8]) -> Box<Pkcs12> {
    Box::new(match cert::import_pkcs12(data, pass) {
        Some(c) => Pkcs12 { ok: true, key: c.key, certificate: Some(c.certificate), cas: c.ca_certificates.into() },
        None => Pkcs12 { ok: false, key: Default::default(), certificate: None, cas: Default::default() },
    })
}

impl Pkcs12 {
    fn ok(&self) -> bool {
        self.ok
    }
    fn take_key(&mut self) -> Box<Key> {
        Box::new(Key(std::mem::take(&mut self.key)))
    }
    fn take_certificate(&mut self) -> Result<Box<Certificate>, &'static str> {
        self.certificate.take().map(|c| Box::new(Certificate(c))).ok_or("no certificate")
    }
    fn take_ca_certificates(&mut self) -> Box<CertificateList> {
        Box::new(CertificateList(std::mem::take(&mut self.cas)))
    }
}

fn engine_hostname_matches_pattern(pattern: &str, host_name: &str) -> bool {
    qsslrs_engine::verify::matches_pattern(pattern, host_name)
}

fn engine_verify_chain(chain: &CertificateList, roots: &CertificateList, host_name: &str) -> Vec<VerifyErrorView> {
    let chain: Vec<&EngineCert> = chain.0.iter().collect();
    let roots: Vec<&EngineCert> = roots.0.iter().collect();
    cert::verify_chain(&chain, &roots, host_name).into_iter().map(|e| VerifyErrorView { code: e.code, index: e.index }).collect()
}
