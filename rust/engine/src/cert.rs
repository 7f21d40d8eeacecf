//! X.509 certificates as Qt 6.4's OpenSSL backend reads them: the same parsing loops, name
//! and extension conversions, and the same OpenSSL calls for everything OpenSSL decides.

use std::os::raw::{c_char, c_int, c_long, c_void};
use std::ptr;

use foreign_types_shared::{ForeignType, ForeignTypeRef};
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::provider::Provider;
use openssl::stack::Stack;
use openssl::x509::store::X509StoreBuilder;
use openssl::x509::{X509Ref, X509StoreContext, X509};
use openssl_sys as ffi;

use crate::key::{base64_lenient, find, Key, MemBio};
use crate::verify::{is_matching_hostname, map_x509_error, qt_error};
use crate::sys::*;


const NID_BASIC_CONSTRAINTS: c_int = 87;
const NID_INFO_ACCESS: c_int = 177;
const NID_SUBJECT_KEY_IDENTIFIER: c_int = 82;
const NID_AUTHORITY_KEY_IDENTIFIER: c_int = 90;
const NID_SUBJECT_ALT_NAME: c_int = 85;
const GEN_EMAIL: c_int = 1;
const GEN_DNS: c_int = 2;
const GEN_URI: c_int = 6;
const GEN_IPADD: c_int = 7;

/// A calendar date and time in UTC, as OpenSSL's ASN1_TIME_to_tm gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateTime {
    pub year: i32,
    pub month: i32,
    pub day: i32,
    pub hour: i32,
    pub minute: i32,
    pub second: i32,
}

/// One subject-alternative-name entry Qt reports: DNS and e-mail as text, IP addresses raw.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AltName {
    Dns(Vec<u8>),
    Email(Vec<u8>),
    Ip(Vec<u8>),
}

/// A scalar in an extension's value map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExtScalar {
    Text(Vec<u8>),
    Bool(bool),
    Int(i64),
    Bytes(Vec<u8>),
}

/// The QVariant shapes Qt gives extension values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExtValue {
    Invalid,
    /// QVariantMap (keys sorted, a repeated key keeps its last value).
    Map(Vec<(Vec<u8>, ExtScalar)>),
    /// QVariantList of strings.
    List(Vec<Vec<u8>>),
    /// QString.
    Text(Vec<u8>),
    /// QByteArray.
    Bytes(Vec<u8>),
}

#[derive(Clone, Debug)]
pub struct Extension {
    pub oid: Vec<u8>,
    pub name: Vec<u8>,
    pub critical: bool,
    pub supported: bool,
    pub value: ExtValue,
}

#[derive(Clone)]
pub struct Certificate {
    x509: X509,
}

/// What Qt's importPkcs12 extracts.
pub struct Pkcs12Contents {
    pub key: Key,
    pub certificate: Certificate,
    pub ca_certificates: Vec<Certificate>,
}

/// PEM as Qt writes it: the header line, base64 in 64-column lines, the footer line.
pub(crate) fn pem_armor(der: &[u8], header: &[u8], footer: &[u8]) -> Vec<u8> {
    let b64 = openssl::base64::encode_block(der);
    let mut pem = Vec::with_capacity(b64.len() + b64.len() / 64 + header.len() + footer.len() + 4);
    pem.extend_from_slice(header);
    pem.push(b'\n');
    for line in b64.as_bytes().chunks(64) {
        pem.extend_from_slice(line);
        pem.push(b'\n');
    }
    pem.extend_from_slice(footer);
    pem.push(b'\n');
    pem
}

const BEGIN_CERT: &[u8] = b"-----BEGIN CERTIFICATE-----";
const END_CERT: &[u8] = b"-----END CERTIFICATE-----";

/// Qt's matchLineFeed: optional spaces, then "\n" or "\r\n".
fn match_line_feed(pem: &[u8], offset: &mut usize) -> bool {
    while pem.get(*offset) == Some(&b' ') {
        *offset += 1;
    }
    match pem.get(*offset) {
        Some(b'\n') => {
            *offset += 1;
            true
        }
        Some(b'\r') if pem.get(*offset + 1) == Some(&b'\n') => {
            *offset += 2;
            true
        }
        _ => false,
    }
}

fn d2i(der: &[u8]) -> Option<(X509, usize)> {
    let len = c_long::try_from(der.len()).ok()?;
    let mut p = der.as_ptr();
    // SAFETY: d2i reads at most len bytes and advances p past what it consumed.
    let x = unsafe { ffi::d2i_X509(ptr::null_mut(), &mut p, len) };
    unsafe { ffi::ERR_clear_error() };
    if x.is_null() {
        return None;
    }
    Some((unsafe { X509::from_ptr(x) }, p as usize - der.as_ptr() as usize))
}

fn limit_reached(count: usize, max: Option<usize>) -> bool {
    max.is_some_and(|m| count >= m)
}

/// The bytes of an ASN1_STRING.
unsafe fn asn1_bytes<'a>(s: *const ffi::ASN1_STRING) -> &'a [u8] {
    let len = ffi::ASN1_STRING_length(s);
    let data = ffi::ASN1_STRING_get0_data(s);
    if data.is_null() || len <= 0 {
        return &[];
    }
    std::slice::from_raw_parts(data, len as usize)
}

fn c_str_bytes(p: *const c_char) -> Vec<u8> {
    if p.is_null() {
        return Vec::new();
    }
    unsafe { std::ffi::CStr::from_ptr(p) }.to_bytes().to_vec()
}

/// Qt's asn1ObjectId: the dotted OID (80-byte buffer).
unsafe fn object_id(obj: *const ffi::ASN1_OBJECT) -> Vec<u8> {
    if obj.is_null() {
        return Vec::new();
    }
    let mut buf = [0 as c_char; 80];
    ffi::OBJ_obj2txt(buf.as_mut_ptr(), buf.len() as c_int, obj, 1);
    c_str_bytes(buf.as_ptr())
}

/// Qt's asn1ObjectName: the short name if OpenSSL knows one, else the OID.
unsafe fn object_name(obj: *const ffi::ASN1_OBJECT) -> Vec<u8> {
    if obj.is_null() {
        return Vec::new();
    }
    let nid = ffi::OBJ_obj2nid(obj);
    if nid != ffi::NID_undef {
        return c_str_bytes(ffi::OBJ_nid2sn(nid));
    }
    object_id(obj)
}

fn date(time: *const ffi::ASN1_TIME) -> Option<DateTime> {
    if time.is_null() {
        return None;
    }
    let mut tm = Tm::default();
    // SAFETY: time is a valid ASN1_TIME of the certificate.
    if unsafe { ASN1_TIME_to_tm(time, &mut tm) } != 1 {
        return None;
    }
    Some(DateTime {
        year: tm.tm_year + 1900,
        month: tm.tm_mon + 1,
        day: tm.tm_mday,
        hour: tm.tm_hour,
        minute: tm.tm_min,
        second: tm.tm_sec,
    })
}

/// Inserts into a QVariantMap-like sorted map: a repeated key keeps the last value.
fn map_insert(map: &mut Vec<(Vec<u8>, ExtScalar)>, key: Vec<u8>, value: ExtScalar) {
    match map.binary_search_by(|(k, _)| utf16_order(k).cmp(&utf16_order(&key))) {
        Ok(i) => map[i].1 = value,
        Err(i) => map.insert(i, (key, value)),
    }
}

/// QString ordering (UTF-16 code units) of UTF-8 keys.
fn utf16_order(key: &[u8]) -> Vec<u16> {
    String::from_utf8_lossy(key).encode_utf16().collect()
}

/// Frees a value from X509V3_EXT_d2i as Qt does.
unsafe fn free_ext_internal(meth: *const ExtMethod, value: *mut c_void) {
    if value.is_null() || meth.is_null() {
        return;
    }
    if let Some(it) = (*meth).it {
        ASN1_item_free(value, it());
    } else if let Some(free) = (*meth).ext_free {
        free(value);
    }
}

/// Qt's x509ExtensionToValue: the extensions it understands itself.
unsafe fn known_extension_value(ext: *mut ffi::X509_EXTENSION) -> ExtValue {
    let nid = ffi::OBJ_obj2nid(ffi::X509_EXTENSION_get_object(ext));
    match nid {
        NID_BASIC_CONSTRAINTS => {
            let bc = ffi::X509V3_EXT_d2i(ext) as *mut BasicConstraints;
            if bc.is_null() {
                return ExtValue::Invalid;
            }
            let mut map = Vec::new();
            map_insert(&mut map, b"ca".to_vec(), ExtScalar::Bool((*bc).ca != 0));
            if !(*bc).pathlen.is_null() {
                map_insert(&mut map, b"pathLenConstraint".to_vec(), ExtScalar::Int(ffi::ASN1_INTEGER_get((*bc).pathlen) as i64));
            }
            BASIC_CONSTRAINTS_free(bc);
            ExtValue::Map(map)
        }
        NID_INFO_ACCESS => {
            let aia = ffi::X509V3_EXT_d2i(ext) as *mut ffi::OPENSSL_STACK;
            if aia.is_null() {
                return ExtValue::Invalid;
            }
            let mut map = Vec::new();
            for i in 0..ffi::OPENSSL_sk_num(aia) {
                let ad = ffi::OPENSSL_sk_value(aia, i) as *const ffi::ACCESS_DESCRIPTION;
                let location = (*ad).location;
                if (*location).type_ != GEN_URI {
                    continue;
                }
                let uri = (*location).d as *const ffi::ASN1_STRING;
                let len = ffi::ASN1_STRING_length(uri);
                if !(0..8192).contains(&len) {
                    continue;
                }
                map_insert(&mut map, object_name((*ad).method), ExtScalar::Text(asn1_bytes(uri).to_vec()));
            }
            AUTHORITY_INFO_ACCESS_free(aia);
            ExtValue::Map(map)
        }
        NID_SUBJECT_KEY_IDENTIFIER => {
            let meth = X509V3_EXT_get(ext);
            let value = ffi::X509V3_EXT_d2i(ext);
            if value.is_null() || meth.is_null() {
                return ExtValue::Invalid;
            }
            let text = match (*meth).i2s {
                Some(i2s) => {
                    let s = i2s(meth, value);
                    let text = c_str_bytes(s);
                    ffi::CRYPTO_free(s as *mut c_void, concat!(file!(), "\0").as_ptr() as *const c_char, line!() as c_int);
                    text
                }
                None => Vec::new(),
            };
            free_ext_internal(meth, value);
            ExtValue::Text(text)
        }
        NID_AUTHORITY_KEY_IDENTIFIER => {
            let akid = ffi::X509V3_EXT_d2i(ext) as *mut ffi::AUTHORITY_KEYID;
            if akid.is_null() {
                return ExtValue::Invalid;
            }
            let mut map = Vec::new();
            if !(*akid).keyid.is_null() {
                let hex: Vec<u8> = asn1_bytes((*akid).keyid as *const ffi::ASN1_STRING)
                    .iter()
                    .flat_map(|b| format!("{b:02x}").into_bytes())
                    .collect();
                map_insert(&mut map, b"keyid".to_vec(), ExtScalar::Bytes(hex));
            }
            if !(*akid).serial.is_null() {
                map_insert(&mut map, b"serial".to_vec(), ExtScalar::Int(ffi::ASN1_INTEGER_get((*akid).serial) as i64));
            }
            ffi::AUTHORITY_KEYID_free(akid);
            ExtValue::Map(map)
        }
        _ => ExtValue::Invalid,
    }
}

/// Qt's x509UnknownExtensionToValue: OpenSSL's own printers (i2v, i2s, i2r), or the raw bytes
/// of an extension OpenSSL does not know.
unsafe fn generic_extension_value(ext: *mut ffi::X509_EXTENSION) -> ExtValue {
    let meth = X509V3_EXT_get(ext);
    if meth.is_null() {
        let data = ffi::X509_EXTENSION_get_data(ext);
        return ExtValue::Bytes(asn1_bytes(data as *const ffi::ASN1_STRING).to_vec());
    }
    let internal = ffi::X509V3_EXT_d2i(ext);
    if internal.is_null() {
        return ExtValue::Invalid;
    }
    let value = if let Some(i2v) = (*meth).i2v {
        let values = i2v(meth, internal, ptr::null_mut());
        let mut map = Vec::new();
        let mut list = Vec::new();
        let mut is_map = false;
        if !values.is_null() {
            for j in 0..ffi::OPENSSL_sk_num(values) {
                let cv = ffi::OPENSSL_sk_value(values, j) as *const ConfValue;
                match (!(*cv).name.is_null(), !(*cv).value.is_null()) {
                    (true, true) => {
                        is_map = true;
                        map_insert(&mut map, c_str_bytes((*cv).name), ExtScalar::Text(c_str_bytes((*cv).value)));
                    }
                    (true, false) => list.push(c_str_bytes((*cv).name)),
                    (false, true) => list.push(c_str_bytes((*cv).value)),
                    (false, false) => {}
                }
            }
            for j in 0..ffi::OPENSSL_sk_num(values) {
                X509V3_conf_free(ffi::OPENSSL_sk_value(values, j) as *mut ConfValue);
            }
            ffi::OPENSSL_sk_free(values);
        }
        if is_map { ExtValue::Map(map) } else { ExtValue::List(list) }
    } else if let Some(i2s) = (*meth).i2s {
        let s = i2s(meth, internal);
        let text = c_str_bytes(s);
        if !s.is_null() {
            ffi::CRYPTO_free(s as *mut c_void, concat!(file!(), "\0").as_ptr() as *const c_char, line!() as c_int);
        }
        ExtValue::Text(text)
    } else if let Some(i2r) = (*meth).i2r {
        match MemBio::new() {
            Some(bio) => {
                i2r(meth, internal, bio.as_ptr(), 0);
                ExtValue::Bytes(bio.contents())
            }
            None => ExtValue::Bytes(Vec::new()),
        }
    } else {
        ExtValue::Invalid
    };
    free_ext_internal(meth, internal);
    value
}

impl Certificate {
    /// Shares a certificate OpenSSL has already decoded (a peer's chain): no second parse.
    pub fn from_x509(x509: X509) -> Certificate {
        Certificate { x509 }
    }

    /// One certificate from DER (trailing bytes ignored), as QSslCertificate(der, QSsl::Der).
    pub fn from_der(der: &[u8]) -> Option<Certificate> {
        Certificate::list_from_der(der, Some(1)).pop()
    }

    /// Qt's certificatesFromPem: every BEGIN/END CERTIFICATE block whose base64 decodes to a
    /// certificate; the scan stops at a marker not followed by a line end.
    pub fn list_from_pem(pem: &[u8], max: Option<usize>) -> Vec<Certificate> {
        let mut certs = Vec::new();
        let mut offset = 0;
        while !limit_reached(certs.len(), max) {
            let Some(start) = find(pem, BEGIN_CERT, offset) else { break };
            let mut start = start + BEGIN_CERT.len();
            if !match_line_feed(pem, &mut start) {
                break;
            }
            let Some(end) = find(pem, END_CERT, start) else { break };
            offset = end + END_CERT.len();
            if offset < pem.len() && !match_line_feed(pem, &mut offset) {
                break;
            }
            if let Some((x509, _)) = d2i(&base64_lenient(&pem[start..end])) {
                certs.push(Certificate { x509 });
            }
        }
        certs
    }

    /// Qt's certificatesFromDer, including its bookkeeping: after each certificate the
    /// remaining size shrinks by the total consumed so far, so a third certificate of the same
    /// size as the first two is never read.
    pub fn list_from_der(der: &[u8], max: Option<usize>) -> Vec<Certificate> {
        let mut certs = Vec::new();
        let mut pos = 0usize;
        let mut size = der.len() as i64;
        while size > 0 && !limit_reached(certs.len(), max) {
            let window = &der[pos..pos + (size as usize).min(der.len() - pos)];
            let Some((x509, used)) = d2i(window) else { break };
            certs.push(Certificate { x509 });
            pos += used;
            size -= pos as i64;
        }
        certs
    }

    pub fn x509(&self) -> &X509Ref {
        &self.x509
    }

    pub fn to_der(&self) -> Vec<u8> {
        self.x509.to_der().unwrap_or_default()
    }

    /// Qt's toPem: base64 of the DER in 64-column lines.
    pub fn to_pem(&self) -> Vec<u8> {
        pem_armor(&self.to_der(), BEGIN_CERT, END_CERT)
    }

    /// X509_print, cut at 16384 bytes as Qt reads it.
    pub fn to_text(&self) -> Vec<u8> {
        let Some(bio) = MemBio::new() else { return Vec::new() };
        let mut buf = vec![0u8; 16384];
        // SAFETY: valid certificate and BIO; buf holds 16384 bytes.
        let n = unsafe {
            ffi::X509_print(bio.as_ptr(), self.x509.as_ptr());
            BIO_read(bio.as_ptr(), buf.as_mut_ptr() as *mut c_void, buf.len() as c_int)
        };
        buf.truncate(n.max(0) as usize);
        buf
    }

    /// X509 version field plus one.
    pub fn version(&self) -> i64 {
        (unsafe { ffi::X509_get_version(self.x509.as_ptr()) }) as i64 + 1
    }

    /// The serial number's content bytes, as lowercase hex pairs joined by ':'.
    pub fn serial_number(&self) -> Vec<u8> {
        serial_text(&self.x509)
    }

    fn name_entries(name: *mut ffi::X509_NAME) -> Vec<(Vec<u8>, Vec<u8>)> {
        let mut entries = Vec::new();
        if name.is_null() {
            return entries;
        }
        // SAFETY: entries of a valid name; ASN1_STRING_to_UTF8 allocates the output.
        unsafe {
            for i in 0..ffi::X509_NAME_entry_count(name) {
                let e = ffi::X509_NAME_get_entry(name, i);
                let attr = object_name(ffi::X509_NAME_ENTRY_get_object(e));
                let mut out: *mut u8 = ptr::null_mut();
                let n = ffi::ASN1_STRING_to_UTF8(&mut out, ffi::X509_NAME_ENTRY_get_data(e));
                let value = if n > 0 && !out.is_null() { std::slice::from_raw_parts(out, n as usize).to_vec() } else { Vec::new() };
                if !out.is_null() {
                    ffi::CRYPTO_free(out as *mut c_void, concat!(file!(), "\0").as_ptr() as *const c_char, line!() as c_int);
                }
                entries.push((attr, value));
            }
            ffi::ERR_clear_error();
        }
        entries
    }

    /// (attribute short name or OID, UTF-8 value) in certificate order.
    pub fn subject(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        Certificate::name_entries(unsafe { ffi::X509_get_subject_name(self.x509.as_ptr()) })
    }

    pub fn issuer(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        Certificate::name_entries(unsafe { ffi::X509_get_issuer_name(self.x509.as_ptr()) })
    }

    pub fn not_before(&self) -> Option<DateTime> {
        date(unsafe { X509_get0_notBefore(self.x509.as_ptr()) })
    }

    pub fn not_after(&self) -> Option<DateTime> {
        date(unsafe { X509_get0_notAfter(self.x509.as_ptr()) })
    }

    pub fn is_self_signed(&self) -> bool {
        let p = self.x509.as_ptr();
        let r = unsafe { ffi::X509_check_issued(p, p) };
        unsafe { ffi::ERR_clear_error() };
        r == ffi::X509_V_OK
    }

    /// Qt's subjectAlternativeNames: DNS, e-mail and IP entries shorter than 8192 bytes.
    pub fn alt_names(&self) -> Vec<AltName> {
        let mut names = Vec::new();
        // SAFETY: X509_get_ext_d2i returns an owned GENERAL_NAMES stack or null.
        unsafe {
            let stack = ffi::X509_get_ext_d2i(self.x509.as_ptr(), NID_SUBJECT_ALT_NAME, ptr::null_mut(), ptr::null_mut())
                as *mut ffi::OPENSSL_STACK;
            ffi::ERR_clear_error();
            if stack.is_null() {
                return names;
            }
            for i in 0..ffi::OPENSSL_sk_num(stack) {
                let gn = ffi::OPENSSL_sk_value(stack, i) as *const ffi::GENERAL_NAME;
                let kind = (*gn).type_;
                if kind != GEN_DNS && kind != GEN_EMAIL && kind != GEN_IPADD {
                    continue;
                }
                let s = (*gn).d as *const ffi::ASN1_STRING;
                let len = ffi::ASN1_STRING_length(s);
                if !(0..8192).contains(&len) {
                    continue;
                }
                let bytes = asn1_bytes(s).to_vec();
                names.push(match kind {
                    GEN_DNS => AltName::Dns(bytes),
                    GEN_EMAIL => AltName::Email(bytes),
                    _ => AltName::Ip(bytes),
                });
            }
            for i in 0..ffi::OPENSSL_sk_num(stack) {
                ffi::GENERAL_NAME_free(ffi::OPENSSL_sk_value(stack, i) as *mut ffi::GENERAL_NAME);
            }
            ffi::OPENSSL_sk_free(stack);
        }
        names
    }

    /// Qt's extensions(), one per X.509 extension in certificate order.
    pub fn extensions(&self) -> Vec<Extension> {
        let mut out = Vec::new();
        let x = self.x509.as_ptr();
        // SAFETY: extensions belong to the certificate.
        unsafe {
            for i in 0..ffi::X509_get_ext_count(x) {
                let ext = ffi::X509_get_ext(x, i);
                if ext.is_null() {
                    continue;
                }
                let obj = ffi::X509_EXTENSION_get_object(ext);
                if obj.is_null() {
                    out.push(Extension { oid: Vec::new(), name: Vec::new(), critical: false, supported: false, value: ExtValue::Invalid });
                    continue;
                }
                let mut e = Extension {
                    oid: object_id(obj),
                    name: object_name(obj),
                    critical: ffi::X509_EXTENSION_get_critical(ext) != 0,
                    supported: false,
                    value: known_extension_value(ext),
                };
                if e.value != ExtValue::Invalid {
                    e.supported = true;
                } else {
                    e.value = generic_extension_value(ext);
                }
                out.push(e);
            }
            ffi::ERR_clear_error();
        }
        out
    }

    /// Qt's publicKey(): RSA, DSA and EC keys; a null key otherwise.
    pub fn public_key(&self) -> Key {
        match self.x509.public_key() {
            Ok(pkey) => Key::public_from_pkey(&pkey),
            Err(_) => Key::new(),
        }
    }

    /// X509_cmp equality, as Qt.
    pub fn equals(&self, other: &Certificate) -> bool {
        let r = unsafe { ffi::X509_cmp(self.x509.as_ptr(), other.x509.as_ptr()) };
        unsafe { ffi::ERR_clear_error() };
        r == 0
    }

    /// SHA-1 of the DER, which Qt's qHash feeds to qHashBits.
    pub fn sha1(&self) -> Vec<u8> {
        self.x509.digest(openssl::hash::MessageDigest::sha1()).map(|d| d.to_vec()).unwrap_or_default()
    }

    pub fn handle(&self) -> *mut ffi::X509 {
        self.x509.as_ptr()
    }

    /// Qt's isBlacklisted (see [`is_blacklisted`]).
    pub fn is_blacklisted(&self) -> bool {
        is_blacklisted(&self.x509)
    }
}

/// Qt's serial number text: lowercase hex bytes joined by ':'.
fn serial_text(x509: &X509Ref) -> Vec<u8> {
    // SAFETY: the serial belongs to the certificate.
    let serial = unsafe { X509_get_serialNumber(x509.as_ptr()) };
    if serial.is_null() {
        return Vec::new();
    }
    let bytes = unsafe { asn1_bytes(serial as *const ffi::ASN1_STRING) };
    bytes.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":").into_bytes()
}

/// Qt's isBlacklisted: the serial of a known fraudulent certificate together with its common
/// name as subject or issuer CN. Works on any X509, so that a peer's chain is checked without
/// decoding it again.
pub fn is_blacklisted(x509: &X509Ref) -> bool {
    let serial = serial_text(x509);
    if !BLACKLIST.iter().any(|(s, _)| s.as_bytes() == serial.as_slice()) {
        return false;
    }
    let cns: Vec<Vec<u8>> = [x509.subject_name(), x509.issuer_name()]
        .into_iter()
        .flat_map(|name| name.entries_by_nid(Nid::COMMONNAME))
        .filter_map(|entry| entry.data().to_string().ok().map(String::into_bytes))
        .collect();
    BLACKLIST
        .iter()
        .any(|(s, cn)| s.as_bytes() == serial.as_slice() && cns.iter().any(|v| v == cn.as_bytes()))
}

/// Serial numbers and common names of certificates known to be fraudulent (Comodo 2011,
/// DigiNotar, TURKTRUST, ANSSI, NIC India, the MD5 rogue CA), as listed by Qt.
const BLACKLIST: &[(&str, &str)] = &[
    ("04:7e:cb:e9:fc:a5:5f:7b:d0:9e:ae:36:e1:0c:ae:1e", "mail.google.com"),
    ("f5:c8:6a:f3:61:62:f1:3a:64:f5:4f:6d:c9:58:7c:06", "www.google.com"),
    ("d7:55:8f:da:f5:f1:10:5b:b2:13:28:2b:70:77:29:a3", "login.yahoo.com"),
    ("39:2a:43:4f:0e:07:df:1f:8a:a3:05:de:34:e0:c2:29", "login.yahoo.com"),
    ("3e:75:ce:d4:6b:69:30:21:21:88:30:ae:86:a8:2a:71", "login.yahoo.com"),
    ("e9:02:8b:95:78:e4:15:dc:1a:71:0a:2b:88:15:44:47", "login.skype.com"),
    ("92:39:d5:34:8f:40:d1:69:5a:74:54:70:e1:f2:3f:43", "addons.mozilla.org"),
    ("b0:b7:13:3e:d0:96:f9:b5:6f:ae:91:c8:74:bd:3a:c0", "login.live.com"),
    ("d8:f3:5f:4e:b7:87:2b:2d:ab:06:92:e3:15:38:2f:b0", "global trustee"),
    ("05:e2:e6:a4:cd:09:ea:54:d6:65:b0:75:fe:22:a2:56", "*.google.com"),
    ("0c:76:da:9c:91:0c:4e:2c:9e:fe:15:d0:58:93:3c:4c", "DigiNotar Root CA"),
    ("f1:4a:13:f4:87:2b:56:dc:39:df:84:ca:7a:a1:06:49", "DigiNotar Services CA"),
    ("36:16:71:55:43:42:1b:9d:e6:cb:a3:64:41:df:24:38", "DigiNotar Services 1024 CA"),
    ("0a:82:bd:1e:14:4e:88:14:d7:5b:1a:55:27:be:bf:3e", "DigiNotar Root CA G2"),
    ("a4:b6:ce:e3:2e:d3:35:46:26:3c:b3:55:3a:a8:92:21", "CertiID Enterprise Certificate Authority"),
    ("5b:d5:60:9c:64:17:68:cf:21:0e:35:fd:fb:05:ad:41", "DigiNotar Qualified CA"),
    ("46:9c:2c:b0", "DigiNotar Services 1024 CA"),
    ("07:27:10:0d", "DigiNotar Cyber CA"),
    ("07:27:0f:f9", "DigiNotar Cyber CA"),
    ("07:27:10:03", "DigiNotar Cyber CA"),
    ("01:31:69:b0", "DigiNotar PKIoverheid CA Overheid en Bedrijven"),
    ("01:31:34:bf", "DigiNotar PKIoverheid CA Organisatie - G2"),
    ("d6:d0:29:77:f1:49:fd:1a:83:f2:b9:ea:94:8c:5c:b4", "DigiNotar Extended Validation CA"),
    ("1e:7d:7a:53:3d:45:30:41:96:40:0f:71:48:1f:45:04", "DigiNotar Public CA 2025"),
    ("46:9c:2c:af", "DigiNotar Root CA"),
    ("46:9c:3c:c9", "DigiNotar Root CA"),
    ("07:27:14:a9", "Digisign Server ID (Enrich)"),
    ("4c:0e:63:6a", "Digisign Server ID - (Enrich)"),
    ("72:03:21:05:c5:0c:08:57:3d:8e:a5:30:4e:fe:e8:b0", "UTN-USERFirst-Hardware"),
    ("41", "MD5 Collisions Inc. (http://www.phreedom.org/md5)"),
    ("08:27", "*.EGO.GOV.TR"),
    ("08:64", "e-islem.kktcmerkezbankasi.org"),
    ("03:1d:a7", "AC DG Tr\u{e9}sor SSL"),
    ("27:83", "NIC Certifying Authority"),
    ("27:92", "NIC CA 2011"),
    ("27:b1", "NIC CA 2014"),
];

/// Qt's importPkcs12. The legacy provider is loaded for the duration of the import only, so
/// that old RC2/3DES bundles open (Qt 6.4 cannot read them) without changing anything else.
pub fn import_pkcs12(data: &[u8], pass: &[u8]) -> Option<Pkcs12Contents> {
    if data.is_empty() {
        return None;
    }
    let _legacy = Provider::try_load(None, "legacy", true).ok();
    let bio = MemBio::over(data)?;
    let mut pass_c = pass.to_vec();
    pass_c.push(0);
    let mut pkey: *mut ffi::EVP_PKEY = ptr::null_mut();
    let mut cert: *mut ffi::X509 = ptr::null_mut();
    let mut ca: *mut ffi::stack_st_X509 = ptr::null_mut();
    // SAFETY: outputs are owned by us afterwards and wrapped at once.
    let parsed = unsafe {
        let p12 = d2i_PKCS12_bio(bio.as_ptr(), ptr::null_mut());
        if p12.is_null() {
            ffi::ERR_clear_error();
            return None;
        }
        let ok = ffi::PKCS12_parse(p12, pass_c.as_ptr() as *const c_char, &mut pkey, &mut cert, &mut ca);
        ffi::PKCS12_free(p12);
        ffi::ERR_clear_error();
        ok == 1
    };
    let pkey = (!pkey.is_null()).then(|| unsafe { PKey::<Private>::from_ptr(pkey) });
    let cert = (!cert.is_null()).then(|| unsafe { X509::from_ptr(cert) });
    let ca = (!ca.is_null()).then(|| unsafe { Stack::<X509>::from_ptr(ca) });
    if !parsed {
        return None;
    }
    let key = Key::from_pkey(pkey.as_ref()?)?;
    Some(Pkcs12Contents {
        key,
        certificate: without_aux(cert.as_ref()?)?,
        ca_certificates: ca.map(|s| s.iter().filter_map(without_aux).collect()).unwrap_or_default(),
    })
}

/// A copy without the PKCS#12 attributes (friendly name, key id) OpenSSL attaches, which Qt's
/// X509_dup drops too and which X509_print would otherwise show.
fn without_aux(x509: &X509Ref) -> Option<Certificate> {
    d2i(&x509.to_der().ok()?).map(|(x509, _)| Certificate { x509 })
}

/// One verification error: a QSslError::SslError and the index into the chain it concerns
/// (which may point past the chain, for a certificate OpenSSL found in the store).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VerifyError {
    pub code: i32,
    pub index: i32,
}

/// Qt's X509CertificateOpenSSL::verify: `roots` already filtered to unexpired ones by the
/// caller. Blacklist and host-name errors come first, then OpenSSL's in the order reported.
pub fn verify_chain(chain: &[&Certificate], roots: &[&Certificate], host_name: &str) -> Vec<VerifyError> {
    let unspecified = vec![VerifyError { code: qt_error::UNSPECIFIED_ERROR, index: -1 }];
    let Some(leaf) = chain.first() else { return unspecified };
    let collected = match collect_openssl_errors(chain, roots) {
        Ok(errors) => errors,
        Err(_) => return unspecified,
    };
    let mut errors = Vec::new();
    if leaf.is_blacklisted() {
        errors.push(VerifyError { code: qt_error::CERTIFICATE_BLACKLISTED, index: 0 });
    }
    if !host_name.is_empty() && !is_matching_hostname(leaf.x509(), host_name) {
        errors.push(VerifyError { code: qt_error::HOST_NAME_MISMATCH, index: 0 });
    }
    errors.extend(collected.into_iter().filter(|&(code, _)| code != ffi::X509_V_OK).map(|(code, depth)| VerifyError {
        code: map_x509_error(code),
        index: depth,
    }));
    errors
}

fn collect_openssl_errors(chain: &[&Certificate], roots: &[&Certificate]) -> Result<Vec<(i32, i32)>, openssl::error::ErrorStack> {
    let mut store = X509StoreBuilder::new()?;
    for root in roots {
        // A duplicate root is not an error for Qt.
        let _ = store.add_cert(root.x509.clone());
    }
    let store = store.build();
    let mut intermediates = Stack::new()?;
    for cert in &chain[1..] {
        intermediates.push(cert.x509.clone())?;
    }
    let mut ctx = X509StoreContext::new()?;
    COLLECTED.with(|c| c.borrow_mut().clear());
    ctx.init(&store, &chain[0].x509, &intermediates, |c| {
        // Qt's callback records every error and lets verification go on.
        unsafe extern "C" fn keep_going(ok: c_int, ctx: *mut ffi::X509_STORE_CTX) -> c_int {
            if ok == 0 {
                let entry = (ffi::X509_STORE_CTX_get_error(ctx), ffi::X509_STORE_CTX_get_error_depth(ctx));
                COLLECTED.with(|c| c.borrow_mut().push(entry));
            }
            1
        }
        unsafe { X509_STORE_CTX_set_verify_cb(c.as_ptr(), Some(keep_going)) };
        let _ = c.verify_cert();
        Ok(())
    })?;
    unsafe { ffi::ERR_clear_error() };
    Ok(COLLECTED.with(|c| std::mem::take(&mut *c.borrow_mut())))
}

thread_local! {
    /// Errors reported by the verify callback, which runs synchronously on this thread.
    static COLLECTED: std::cell::RefCell<Vec<(i32, i32)>> = const { std::cell::RefCell::new(Vec::new()) };
}

#[cfg(test)]
mod tests {
    use super::*;
    use openssl::asn1::{Asn1Integer, Asn1Time};
    use openssl::bn::BigNum;
    use openssl::hash::MessageDigest;
    use openssl::rsa::Rsa;
    use openssl::x509::extension::{BasicConstraints as Bc, SubjectAlternativeName};
    use openssl::x509::X509NameBuilder;

    fn make_cert(cn: &str, serial: u32) -> X509 {
        let key = PKey::from_rsa(Rsa::generate(1024).unwrap()).unwrap();
        let mut name = X509NameBuilder::new().unwrap();
        name.append_entry_by_text("OU", "first").unwrap();
        name.append_entry_by_text("OU", "second").unwrap();
        name.append_entry_by_text("CN", cn).unwrap();
        let name = name.build();
        let mut b = X509::builder().unwrap();
        b.set_version(2).unwrap();
        b.set_serial_number(&Asn1Integer::from_bn(&BigNum::from_u32(serial).unwrap()).unwrap()).unwrap();
        b.set_subject_name(&name).unwrap();
        b.set_issuer_name(&name).unwrap();
        b.set_pubkey(&key).unwrap();
        b.set_not_before(&Asn1Time::from_str("20200102030405Z").unwrap()).unwrap();
        b.set_not_after(&Asn1Time::days_from_now(30).unwrap()).unwrap();
        b.append_extension(Bc::new().critical().ca().pathlen(2).build().unwrap()).unwrap();
        let san = SubjectAlternativeName::new().dns("a.example").ip("::1").email("x@y").build(&b.x509v3_context(None, None)).unwrap();
        b.append_extension(san).unwrap();
        b.sign(&key, MessageDigest::sha256()).unwrap();
        b.build()
    }

    #[test]
    fn parses_fields_like_qt() {
        let der = make_cert("host", 0x0102).to_der().unwrap();
        let cert = Certificate::from_der(&der).unwrap();
        assert_eq!(cert.version(), 3);
        assert_eq!(cert.serial_number(), b"01:02");
        assert_eq!(cert.not_before(), Some(DateTime { year: 2020, month: 1, day: 2, hour: 3, minute: 4, second: 5 }));
        assert!(cert.is_self_signed());
        assert_eq!(cert.subject()[2], (b"CN".to_vec(), b"host".to_vec()));
        assert_eq!(cert.alt_names()[1], AltName::Ip(vec![0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]));
        let ext = &cert.extensions()[0];
        assert!(ext.critical && ext.supported);
        assert_eq!(ext.value, ExtValue::Map(vec![(b"ca".to_vec(), ExtScalar::Bool(true)), (b"pathLenConstraint".to_vec(), ExtScalar::Int(2))]));
        assert!(!cert.is_blacklisted());
        assert_eq!(cert.public_key().length(), 1024);
        assert!(cert.equals(&Certificate::from_der(&der).unwrap()));
    }

    #[test]
    fn pem_scanning_and_der_quirk() {
        let a = Certificate::from_der(&make_cert("a", 1).to_der().unwrap()).unwrap();
        let mut pem = a.to_pem();
        pem.extend_from_slice(b"junk\n");
        pem.extend_from_slice(&a.to_pem());
        assert_eq!(Certificate::list_from_pem(&pem, None).len(), 2);
        assert_eq!(Certificate::list_from_pem(&pem, Some(1)).len(), 1);
        // No line end after BEGIN: Qt stops scanning.
        assert!(Certificate::list_from_pem(b"-----BEGIN CERTIFICATE-----xx", None).is_empty());
        let der = a.to_der();
        let three = [der.clone(), der.clone(), der.clone()].concat();
        assert_eq!(Certificate::list_from_der(&three, None).len(), 2);
        assert!(Certificate::list_from_der(&der[..der.len() - 1], None).is_empty());
        assert!(Certificate::from_der(b"").is_none());
    }

    #[test]
    fn verify_reports_self_signed_and_hostname() {
        let a = Certificate::from_der(&make_cert("host", 7).to_der().unwrap()).unwrap();
        let errors = verify_chain(&[&a], &[], "other");
        assert_eq!(errors[0], VerifyError { code: qt_error::HOST_NAME_MISMATCH, index: 0 });
        assert!(errors.contains(&VerifyError { code: qt_error::SELF_SIGNED_CERTIFICATE, index: 0 }));
        assert!(verify_chain(&[&a], &[&a], "a.example").is_empty());
        assert_eq!(verify_chain(&[], &[], "")[0].code, qt_error::UNSPECIFIED_ERROR);
    }

    #[test]
    fn pkcs12_bad_input() {
        assert!(import_pkcs12(b"", b"").is_none());
        assert!(import_pkcs12(b"\x30\x03\x02\x01", b"").is_none());
    }
}
