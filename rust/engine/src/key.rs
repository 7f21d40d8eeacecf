//! Keys as Qt 6.4's OpenSSL backend holds them: one legacy per-algorithm object (RSA, DSA,
//! EC_KEY, DH) or an opaque EVP_PKEY, read and written through the very OpenSSL calls Qt makes,
//! so that what is accepted, rejected and produced is the same.

use std::mem::ManuallyDrop;
use std::os::raw::{c_char, c_int, c_void};
use std::ptr;

use foreign_types_shared::{ForeignType, ForeignTypeRef};
use openssl::dh::Dh;
use openssl::dsa::Dsa;
use openssl::ec::EcKey;
use openssl::pkey::{PKey, PKeyRef, Params, Private};
use openssl::rsa::Rsa;
use openssl_sys as ffi;
use crate::sys::*;


/// QSsl::KeyAlgorithm, with Qt's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyAlgorithm {
    Opaque = 0,
    Rsa = 1,
    Dsa = 2,
    Ec = 3,
    Dh = 4,
}

impl KeyAlgorithm {
    pub fn from_qt(value: i32) -> KeyAlgorithm {
        match value {
            1 => KeyAlgorithm::Rsa,
            2 => KeyAlgorithm::Dsa,
            3 => KeyAlgorithm::Ec,
            4 => KeyAlgorithm::Dh,
            _ => KeyAlgorithm::Opaque,
        }
    }
}

/// QSsl::KeyType, with Qt's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyType {
    Private = 0,
    Public = 1,
}

impl KeyType {
    pub fn from_qt(value: i32) -> KeyType {
        if value == 1 { KeyType::Public } else { KeyType::Private }
    }
}

/// A memory BIO, owned.
pub(crate) struct MemBio(*mut ffi::BIO);

impl MemBio {
    pub(crate) fn new() -> Option<MemBio> {
        let bio = unsafe { ffi::BIO_new(ffi::BIO_s_mem()) };
        (!bio.is_null()).then_some(MemBio(bio))
    }

    /// A read-only BIO over `data`, which must outlive it.
    pub(crate) fn over(data: &[u8]) -> Option<MemBio> {
        let len = c_int::try_from(data.len()).ok()?;
        let bio = unsafe { ffi::BIO_new_mem_buf(data.as_ptr() as *const c_void, len) };
        (!bio.is_null()).then_some(MemBio(bio))
    }

    pub(crate) fn as_ptr(&self) -> *mut ffi::BIO {
        self.0
    }

    pub(crate) fn contents(&self) -> Vec<u8> {
        const BIO_CTRL_INFO: c_int = 3;
        let mut data: *mut c_char = ptr::null_mut();
        let len = unsafe { BIO_ctrl(self.0, BIO_CTRL_INFO, 0, &mut data as *mut _ as *mut c_void) };
        if len <= 0 || data.is_null() {
            return Vec::new();
        }
        unsafe { std::slice::from_raw_parts(data as *const u8, len as usize) }.to_vec()
    }
}

impl Drop for MemBio {
    fn drop(&mut self) {
        unsafe { ffi::BIO_free_all(self.0) };
    }
}

/// The native object; the type parameters of the wrappers only choose the free function.
enum Native {
    None,
    Rsa(Rsa<Private>),
    Dsa(Dsa<Private>),
    Ec(EcKey<Private>),
    Dh(Dh<Params>),
    Opaque(PKey<Private>),
}

pub struct Key {
    key_type: KeyType,
    algorithm: KeyAlgorithm,
    null: bool,
    native: Native,
}

impl Default for Key {
    fn default() -> Self {
        Key::new()
    }
}

const PKCS8_HEADER: &[u8] = b"-----BEGIN PRIVATE KEY-----";
const PKCS8_FOOTER: &[u8] = b"-----END PRIVATE KEY-----";
const PKCS8_ENC_HEADER: &[u8] = b"-----BEGIN ENCRYPTED PRIVATE KEY-----";
const PKCS8_ENC_FOOTER: &[u8] = b"-----END ENCRYPTED PRIVATE KEY-----";

/// A passphrase as OpenSSL's default PEM callback reads it: a C string (Qt passes
/// QByteArray::data(), so an embedded NUL ends it and a null array is "").
fn c_phrase(pass: &[u8]) -> Vec<u8> {
    let mut v = pass.to_vec();
    v.push(0);
    v
}

impl Key {
    /// A null key with Qt's defaults (public, opaque).
    pub fn new() -> Key {
        Key { key_type: KeyType::Public, algorithm: KeyAlgorithm::Opaque, null: true, native: Native::None }
    }

    pub fn is_null(&self) -> bool {
        self.null
    }

    pub fn key_type(&self) -> KeyType {
        self.key_type
    }

    pub fn algorithm(&self) -> KeyAlgorithm {
        self.algorithm
    }

    /// Qt's decodePem: the requested type and algorithm stick even when decoding fails.
    pub fn from_pem(pem: &[u8], algorithm: KeyAlgorithm, key_type: KeyType, pass: &[u8]) -> Key {
        let mut key = Key::new();
        if pem.is_empty() {
            return key;
        }
        key.key_type = key_type;
        key.algorithm = algorithm;
        let Some(bio) = MemBio::over(pem) else { return key };
        let phrase = c_phrase(pass);
        let u = phrase.as_ptr() as *mut c_void;
        let public = key_type == KeyType::Public;
        // SAFETY: each reader returns a new owned object or null.
        key.native = unsafe {
            match algorithm {
                KeyAlgorithm::Rsa => {
                    let p = if public {
                        ffi::PEM_read_bio_RSA_PUBKEY(bio.as_ptr(), ptr::null_mut(), None, u)
                    } else {
                        ffi::PEM_read_bio_RSAPrivateKey(bio.as_ptr(), ptr::null_mut(), None, u)
                    };
                    if p.is_null() { Native::None } else { Native::Rsa(Rsa::from_ptr(p)) }
                }
                KeyAlgorithm::Dsa => {
                    let p = if public {
                        ffi::PEM_read_bio_DSA_PUBKEY(bio.as_ptr(), ptr::null_mut(), None, u)
                    } else {
                        ffi::PEM_read_bio_DSAPrivateKey(bio.as_ptr(), ptr::null_mut(), None, u)
                    };
                    if p.is_null() { Native::None } else { Native::Dsa(Dsa::from_ptr(p)) }
                }
                KeyAlgorithm::Ec => {
                    let p = if public {
                        ffi::PEM_read_bio_EC_PUBKEY(bio.as_ptr(), ptr::null_mut(), None, u)
                    } else {
                        ffi::PEM_read_bio_ECPrivateKey(bio.as_ptr(), ptr::null_mut(), None, u)
                    };
                    if p.is_null() { Native::None } else { Native::Ec(EcKey::from_ptr(p)) }
                }
                KeyAlgorithm::Dh => {
                    let p = if public {
                        ffi::PEM_read_bio_PUBKEY(bio.as_ptr(), ptr::null_mut(), None, u)
                    } else {
                        ffi::PEM_read_bio_PrivateKey(bio.as_ptr(), ptr::null_mut(), None, u)
                    };
                    if p.is_null() {
                        Native::None
                    } else {
                        let pkey = PKey::<Private>::from_ptr(p);
                        let dh = ffi::EVP_PKEY_get1_DH(pkey.as_ptr());
                        if dh.is_null() { Native::None } else { Native::Dh(Dh::from_ptr(dh)) }
                    }
                }
                KeyAlgorithm::Opaque => Native::None,
            }
        };
        key.null = matches!(key.native, Native::None);
        unsafe { ffi::ERR_clear_error() };
        key
    }

    /// Qt's decodeDer: the DER is wrapped into PEM under the header Qt picks, then decoded.
    pub fn from_der(der: &[u8], algorithm: KeyAlgorithm, key_type: KeyType, pass: &[u8]) -> Key {
        if der.is_empty() {
            return Key::new();
        }
        let shape = Key { key_type, algorithm, null: true, native: Native::None };
        Key::from_pem(&shape.pem_from_der(der), algorithm, key_type, pass)
    }

    /// Qt's fromHandle (QSslKey(Qt::HANDLE, type)). An RSA, DSA, DH or EC EVP_PKEY is unwrapped
    /// into its legacy object and released; any other kind is kept, freed with the key, as an
    /// opaque key. Either way the key takes `key_type`, whatever the EVP_PKEY holds. Qt 6.4
    /// keeps all its native pointers in one union and counts the key null when that is null,
    /// so only a legacy object that cannot be had makes the key null (its algorithm stays).
    ///
    /// `share`: take a reference of our own rather than the caller's (a Qt-made key handing
    /// its EVP_PKEY over keeps its own).
    ///
    /// A vendored build cannot take one: libQSslRs then exports none of its OpenSSL, so any
    /// EVP_PKEY an app or Qt holds belongs to another libcrypto (another layout and allocator),
    /// and nothing tells the two apart. The key is then null (opaque, of `key_type`) and the
    /// handle is neither read nor freed: it stays the caller's.
    ///
    /// # Safety
    /// `handle` is null or a valid EVP_PKEY of the libcrypto this crate links; unless `share`,
    /// the caller gives its reference up.
    pub unsafe fn from_handle(handle: *mut ffi::EVP_PKEY, key_type: KeyType, share: bool) -> Key {
        if handle.is_null() || cfg!(feature = "vendored") {
            return Key { key_type, ..Key::new() };
        }
        // SAFETY: a valid EVP_PKEY (the caller's contract); we either adopt the caller's
        // reference or take a new one (EVP_PKEY_up_ref), so the PKey owns exactly one.
        let pkey = if share {
            PKeyRef::<Private>::from_ptr(handle).to_owned()
        } else {
            PKey::<Private>::from_ptr(handle)
        };
        Key::from_own_pkey(pkey, key_type)
    }

    /// from_handle for a key the engine itself got from OpenSSL: of our libcrypto even in a
    /// vendored build.
    pub(crate) fn from_own_pkey(pkey: PKey<Private>, key_type: KeyType) -> Key {
        match Key::from_pkey(&pkey) {
            Some(unwrapped) => {
                let null = matches!(unwrapped.native, Native::None);
                Key { key_type, null, ..unwrapped }
            }
            None => Key { key_type, null: false, native: Native::Opaque(pkey), ..Key::new() },
        }
    }

    /// A reference of its own to an opaque key's EVP_PKEY, for a new owner (Qt's
    /// QSslKey(Qt::HANDLE) takes the one it is given); null for any other key.
    pub fn share_handle(&self) -> *mut ffi::EVP_PKEY {
        match &self.native {
            Native::Opaque(k) => ManuallyDrop::new(k.clone()).as_ptr(),
            _ => ptr::null_mut(),
        }
    }

    /// Qt's fromEVP_PKEY: a private key of a supported algorithm, else None.
    pub(crate) fn from_pkey(pkey: &PKey<Private>) -> Option<Key> {
        let p = pkey.as_ptr();
        // SAFETY: the get1 functions return a new reference or null.
        let (algorithm, native) = unsafe {
            match EVP_PKEY_type(EVP_PKEY_get_base_id(p)) {
                ffi::EVP_PKEY_RSA => (KeyAlgorithm::Rsa, ptr_or_none(ffi::EVP_PKEY_get1_RSA(p), |r| Native::Rsa(Rsa::from_ptr(r)))),
                ffi::EVP_PKEY_DSA => (KeyAlgorithm::Dsa, ptr_or_none(ffi::EVP_PKEY_get1_DSA(p), |r| Native::Dsa(Dsa::from_ptr(r)))),
                ffi::EVP_PKEY_DH => (KeyAlgorithm::Dh, ptr_or_none(ffi::EVP_PKEY_get1_DH(p), |r| Native::Dh(Dh::from_ptr(r)))),
                ffi::EVP_PKEY_EC => (KeyAlgorithm::Ec, ptr_or_none(ffi::EVP_PKEY_get1_EC_KEY(p), |r| Native::Ec(EcKey::from_ptr(r)))),
                _ => return None,
            }
        };
        Some(Key { key_type: KeyType::Private, algorithm, null: false, native })
    }

    /// Qt's publicKeyFromX509: RSA, DSA and EC public keys; anything else gives a null key.
    pub(crate) fn public_from_pkey(pkey: &PKey<openssl::pkey::Public>) -> Key {
        let p = pkey.as_ptr();
        let mut key = Key::new();
        // SAFETY: as in from_pkey.
        let (algorithm, native) = unsafe {
            match EVP_PKEY_type(EVP_PKEY_get_base_id(p)) {
                ffi::EVP_PKEY_RSA => (KeyAlgorithm::Rsa, ptr_or_none(ffi::EVP_PKEY_get1_RSA(p), |r| Native::Rsa(Rsa::from_ptr(r)))),
                ffi::EVP_PKEY_DSA => (KeyAlgorithm::Dsa, ptr_or_none(ffi::EVP_PKEY_get1_DSA(p), |r| Native::Dsa(Dsa::from_ptr(r)))),
                ffi::EVP_PKEY_EC => (KeyAlgorithm::Ec, ptr_or_none(ffi::EVP_PKEY_get1_EC_KEY(p), |r| Native::Ec(EcKey::from_ptr(r)))),
                _ => return key,
            }
        };
        key.algorithm = algorithm;
        key.null = matches!(native, Native::None);
        key.native = native;
        key
    }

    /// The native object: RSA*, DSA*, EC_KEY*, DH* or, for an opaque key, EVP_PKEY*.
    pub fn handle(&self) -> *mut c_void {
        match &self.native {
            Native::None => ptr::null_mut(),
            Native::Rsa(k) => k.as_ptr() as *mut c_void,
            Native::Dsa(k) => k.as_ptr() as *mut c_void,
            Native::Ec(k) => k.as_ptr() as *mut c_void,
            Native::Dh(k) => k.as_ptr() as *mut c_void,
            Native::Opaque(k) => k.as_ptr() as *mut c_void,
        }
    }

    /// Bits, or -1 for a null or opaque key.
    pub fn length(&self) -> i32 {
        if self.null {
            return -1;
        }
        // SAFETY: valid objects owned by self.
        unsafe {
            match &self.native {
                Native::Rsa(k) => RSA_bits(k.as_ptr()),
                Native::Dsa(k) => DSA_bits(k.as_ptr()),
                Native::Dh(k) => DH_bits(k.as_ptr()),
                Native::Ec(k) => ffi::EC_GROUP_get_degree(ffi::EC_KEY_get0_group(k.as_ptr())) as i32,
                Native::None | Native::Opaque(_) => -1,
            }
        }
    }

    /// Qt's toPem: traditional PEM (SubjectPublicKeyInfo for public keys), encrypted with
    /// 3DES when a private key gets a passphrase; empty for null and opaque keys.
    pub fn to_pem(&self, pass: &[u8]) -> Vec<u8> {
        if self.null {
            return Vec::new();
        }
        let Some(bio) = MemBio::new() else { return Vec::new() };
        let Ok(pass_len) = c_int::try_from(pass.len()) else { return Vec::new() };
        let private = self.key_type == KeyType::Private;
        let cipher = if private && !pass.is_empty() { unsafe { ffi::EVP_des_ede3_cbc() } } else { ptr::null() };
        let kstr = if cipher.is_null() { ptr::null_mut() } else { pass.as_ptr() as *mut u8 };
        let klen = if cipher.is_null() { 0 } else { pass_len };
        let b = bio.as_ptr();
        // SAFETY: valid objects; OpenSSL only reads kstr.
        let ok = unsafe {
            match &self.native {
                Native::Rsa(k) if private => ffi::PEM_write_bio_RSAPrivateKey(b, k.as_ptr(), cipher, kstr, klen, None, ptr::null_mut()),
                Native::Rsa(k) => ffi::PEM_write_bio_RSA_PUBKEY(b, k.as_ptr()),
                Native::Dsa(k) if private => ffi::PEM_write_bio_DSAPrivateKey(b, k.as_ptr(), cipher, kstr, klen, None, ptr::null_mut()),
                Native::Dsa(k) => ffi::PEM_write_bio_DSA_PUBKEY(b, k.as_ptr()),
                Native::Ec(k) if private => ffi::PEM_write_bio_ECPrivateKey(b, k.as_ptr(), cipher, kstr, klen, None, ptr::null_mut()),
                Native::Ec(k) => ffi::PEM_write_bio_EC_PUBKEY(b, k.as_ptr()),
                Native::Dh(k) => {
                    let pkey = ffi::EVP_PKEY_new();
                    let mut ok = 0;
                    if !pkey.is_null() && ffi::EVP_PKEY_set1_DH(pkey, k.as_ptr()) == 1 {
                        ok = if private {
                            ffi::PEM_write_bio_PrivateKey(b, pkey, cipher, kstr, klen, None, ptr::null_mut())
                        } else {
                            ffi::PEM_write_bio_PUBKEY(b, pkey)
                        };
                    }
                    if !pkey.is_null() {
                        ffi::EVP_PKEY_free(pkey);
                    }
                    ok
                }
                Native::None | Native::Opaque(_) => 0,
            }
        };
        unsafe { ffi::ERR_clear_error() };
        if ok == 1 { bio.contents() } else { Vec::new() }
    }

    /// Qt's QSslKey::toDer: the body of toPem() decoded; nothing for an encrypted private key.
    pub fn to_der(&self, pass: &[u8]) -> Vec<u8> {
        if self.null || self.algorithm == KeyAlgorithm::Opaque {
            return Vec::new();
        }
        if self.key_type == KeyType::Private && !pass.is_empty() {
            return Vec::new();
        }
        self.der_from_pem(&self.to_pem(pass))
    }

    fn pem_label(&self) -> Option<(&'static [u8], &'static [u8])> {
        if self.key_type == KeyType::Public {
            return Some((b"-----BEGIN PUBLIC KEY-----", b"-----END PUBLIC KEY-----"));
        }
        match self.algorithm {
            KeyAlgorithm::Rsa => Some((b"-----BEGIN RSA PRIVATE KEY-----", b"-----END RSA PRIVATE KEY-----")),
            KeyAlgorithm::Dsa => Some((b"-----BEGIN DSA PRIVATE KEY-----", b"-----END DSA PRIVATE KEY-----")),
            KeyAlgorithm::Ec => Some((b"-----BEGIN EC PRIVATE KEY-----", b"-----END EC PRIVATE KEY-----")),
            KeyAlgorithm::Dh => Some((PKCS8_HEADER, PKCS8_FOOTER)),
            KeyAlgorithm::Opaque => None,
        }
    }

    /// Qt's pemFromDer: base64 in 64-column lines under the header for the type and algorithm,
    /// or the PKCS#8 one when the DER is an EncryptedPrivateKeyInfo.
    fn pem_from_der(&self, der: &[u8]) -> Vec<u8> {
        let (header, footer) = if is_encrypted_pkcs8(der) {
            (PKCS8_ENC_HEADER, PKCS8_ENC_FOOTER)
        } else {
            // An opaque private key has no header in Qt (unreachable there).
            self.pem_label().unwrap_or((b"", b""))
        };
        crate::cert::pem_armor(der, header, footer)
    }

    /// Qt's derFromPem: the base64 between the first matching header and footer, after any
    /// RFC 1421 header lines ("Proc-Type: ...").
    fn der_from_pem(&self, pem: &[u8]) -> Vec<u8> {
        let Some(own) = self.pem_label() else { return Vec::new() };
        let mut candidates = vec![own];
        if self.key_type != KeyType::Public {
            candidates.push((PKCS8_ENC_HEADER, PKCS8_ENC_FOOTER));
            candidates.push((PKCS8_HEADER, PKCS8_FOOTER));
        }
        for (header, footer) in candidates {
            let Some(start) = find(pem, header, 0) else { continue };
            let body_start = start + header.len();
            let Some(end) = find(pem, footer, body_start) else { continue };
            let mut body = &pem[body_start..end];
            if find(body, b"Proc-Type:", 0).is_some() {
                body = skip_header_lines(body);
            }
            return base64_lenient(body);
        }
        Vec::new()
    }
}

fn ptr_or_none<T>(p: *mut T, wrap: impl FnOnce(*mut T) -> Native) -> Native {
    if p.is_null() { Native::None } else { wrap(p) }
}

pub(crate) fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from > hay.len() {
        return None;
    }
    hay[from..].windows(needle.len().max(1)).position(|w| w == needle).map(|p| p + from)
}

/// Skips "Field: value" lines (with folded continuation lines) up to the first line that holds
/// no colon, as Qt's header parser does.
fn skip_header_lines(body: &[u8]) -> &[u8] {
    let mut i = 0;
    while i < body.len() {
        let Some(colon) = find(body, b":", i) else { break };
        let mut j = colon + 1;
        loop {
            // A header without a line end: Qt keeps the whole body.
            let Some(nl) = find(body, b"\n", j) else { return body };
            i = nl + 1;
            j = i;
            if !(i < body.len() && (body[i] == b' ' || body[i] == b'\t')) {
                break;
            }
        }
    }
    &body[i.min(body.len())..]
}

/// QByteArray::fromBase64: skips characters outside the alphabet, stops at '='.
pub(crate) fn base64_lenient(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buf: u32 = 0;
    let mut nbits = 0;
    for &c in text {
        let d = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => continue,
        };
        buf = (buf << 6) | u32::from(d);
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push((buf >> nbits) as u8);
            buf &= (1 << nbits) - 1;
        }
    }
    out
}

/// One DER element: (tag, contents, total length), or None when malformed or truncated.
pub(crate) fn der_element(data: &[u8]) -> Option<(u8, &[u8], usize)> {
    let tag = *data.first()?;
    let first = *data.get(1)?;
    let (len, hdr) = if first & 0x80 == 0 {
        (usize::from(first), 2)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 7 {
            return None;
        }
        let bytes = data.get(2..2 + n)?;
        let len = bytes.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        (usize::try_from(len).ok()?, 2 + n)
    };
    let contents = data.get(hdr..hdr.checked_add(len)?)?;
    Some((tag, contents, hdr + len))
}

pub(crate) fn der_children(mut data: &[u8]) -> Option<Vec<(u8, &[u8])>> {
    let mut items = Vec::new();
    while !data.is_empty() {
        let (tag, contents, total) = der_element(data)?;
        items.push((tag, contents));
        data = &data[total..];
    }
    Some(items)
}

/// Dotted form of an OBJECT IDENTIFIER's contents.
pub(crate) fn oid_text(contents: &[u8]) -> String {
    let mut parts: Vec<u64> = Vec::new();
    let mut value: u64 = 0;
    for &b in contents {
        value = (value << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if parts.is_empty() {
                let first = (value / 40).min(2);
                parts.push(first);
                parts.push(value - first * 40);
            } else {
                parts.push(value);
            }
            value = 0;
        }
    }
    parts.iter().map(u64::to_string).collect::<Vec<_>>().join(".")
}

/// Qt's isEncryptedPkcs8: SEQUENCE { SEQUENCE { OID (PBES2, PBES1 or PKCS#12 PBE), SEQUENCE },
/// OCTET STRING }.
fn is_encrypted_pkcs8(der: &[u8]) -> bool {
    const SEQUENCE: u8 = 0x30;
    const OCTET_STRING: u8 = 0x04;
    const OID: u8 = 0x06;
    const PBES: &[&str] = &[
        "1.2.840.113549.1.5.13",
        "1.2.840.113549.1.5.1",
        "1.2.840.113549.1.5.4",
        "1.2.840.113549.1.5.3",
        "1.2.840.113549.1.5.6",
        "1.2.840.113549.1.5.10",
        "1.2.840.113549.1.5.11",
    ];
    let Some((SEQUENCE, contents, _)) = der_element(der) else { return false };
    let Some(items) = der_children(contents) else { return false };
    let [(SEQUENCE, scheme), (OCTET_STRING, _)] = items[..] else { return false };
    let Some(scheme) = der_children(scheme) else { return false };
    let [(OID, oid), (SEQUENCE, _)] = scheme[..] else { return false };
    let oid = oid_text(oid);
    PBES.contains(&oid.as_str()) || oid.starts_with("1.2.840.113549.1.12")
}

#[cfg(test)]
mod tests {
    use super::*;
    use openssl::symm::Cipher;

    fn rsa_pem() -> Vec<u8> {
        Rsa::generate(1024).unwrap().private_key_to_pem().unwrap()
    }

    #[test]
    fn decodes_and_round_trips_rsa() {
        let pem = rsa_pem();
        let key = Key::from_pem(&pem, KeyAlgorithm::Rsa, KeyType::Private, b"");
        assert!(!key.is_null());
        assert_eq!(key.length(), 1024);
        assert_eq!(key.to_pem(b""), pem);
        let der = key.to_der(b"");
        let again = Key::from_der(&der, KeyAlgorithm::Rsa, KeyType::Private, b"");
        assert_eq!(again.to_der(b""), der);
        assert!(key.to_der(b"secret").is_empty());
    }

    #[test]
    fn encrypted_round_trip_and_wrong_passphrase() {
        let key = Key::from_pem(&rsa_pem(), KeyAlgorithm::Rsa, KeyType::Private, b"");
        let enc = key.to_pem(b"secret");
        assert!(find(&enc, b"DES-EDE3-CBC", 0).is_some());
        assert!(!Key::from_pem(&enc, KeyAlgorithm::Rsa, KeyType::Private, b"secret").is_null());
        assert!(Key::from_pem(&enc, KeyAlgorithm::Rsa, KeyType::Private, b"wrong").is_null());
        assert!(Key::from_pem(&enc, KeyAlgorithm::Rsa, KeyType::Private, b"").is_null());
    }

    #[test]
    fn failed_decode_keeps_requested_shape() {
        let key = Key::from_pem(b"garbage", KeyAlgorithm::Ec, KeyType::Private, b"");
        assert!(key.is_null());
        assert_eq!((key.algorithm(), key.key_type()), (KeyAlgorithm::Ec, KeyType::Private));
        let empty = Key::from_der(b"", KeyAlgorithm::Ec, KeyType::Private, b"");
        assert_eq!((empty.algorithm(), empty.key_type()), (KeyAlgorithm::Opaque, KeyType::Public));
        assert_eq!(empty.length(), -1);
    }

    #[test]
    fn recognises_encrypted_pkcs8() {
        let pkey = PKey::from_rsa(Rsa::generate(1024).unwrap()).unwrap();
        let enc = pkey.private_key_to_pkcs8_passphrase(Cipher::aes_128_cbc(), b"pw").unwrap();
        assert!(is_encrypted_pkcs8(&enc));
        assert!(!is_encrypted_pkcs8(&pkey.private_key_to_der().unwrap()));
        let key = Key::from_der(&enc, KeyAlgorithm::Rsa, KeyType::Private, b"pw");
        assert!(!key.is_null());
    }

    #[cfg(not(feature = "vendored"))]
    #[test]
    fn handles_as_qt() {
        // The caller's reference, given up as QSslKey(Qt::HANDLE) expects.
        fn raw<T>(pkey: PKey<T>) -> *mut ffi::EVP_PKEY {
            ManuallyDrop::new(pkey).as_ptr()
        }

        let ed = PKey::generate_ed25519().unwrap();
        let ed_raw = ed.as_ptr();
        let key = unsafe { Key::from_handle(raw(ed), KeyType::Private, false) };
        assert!(!key.is_null());
        assert_eq!((key.algorithm(), key.length()), (KeyAlgorithm::Opaque, -1));
        assert_eq!(key.handle(), ed_raw as *mut c_void);
        assert!(key.to_pem(b"").is_empty() && key.to_der(b"").is_empty());
        let shared = key.share_handle();
        assert_eq!(shared, ed_raw);
        drop(key);
        // The shared reference outlives the key.
        let again = unsafe { Key::from_handle(shared, KeyType::Public, false) };
        assert_eq!((again.is_null(), again.key_type()), (false, KeyType::Public));

        let rsa = Rsa::generate(1024).unwrap();
        let pem = rsa.private_key_to_pem().unwrap();
        let key = unsafe { Key::from_handle(raw(PKey::from_rsa(rsa).unwrap()), KeyType::Private, false) };
        assert!(!key.is_null());
        assert_eq!((key.algorithm(), key.length()), (KeyAlgorithm::Rsa, 1024));
        assert_eq!(key.to_pem(b""), pem);
        assert!(key.share_handle().is_null());

        // The requested type wins over what the EVP_PKEY holds.
        let ec = EcKey::generate(&openssl::ec::EcGroup::from_curve_name(openssl::nid::Nid::X9_62_PRIME256V1).unwrap()).unwrap();
        let public_pem = PKey::from_ec_key(ec.clone()).unwrap().public_key_to_pem().unwrap();
        let key = unsafe { Key::from_handle(raw(PKey::from_ec_key(ec).unwrap()), KeyType::Public, false) };
        assert_eq!((key.algorithm(), key.key_type(), key.length()), (KeyAlgorithm::Ec, KeyType::Public, 256));
        assert_eq!(key.to_pem(b""), public_pem);

        // Shared: the caller keeps its reference.
        let ed = PKey::generate_ed25519().unwrap();
        let key = unsafe { Key::from_handle(ed.as_ptr(), KeyType::Private, true) };
        drop(ed);
        assert!(!key.is_null());

        let none = unsafe { Key::from_handle(ptr::null_mut(), KeyType::Private, false) };
        assert!(none.is_null());
        assert_eq!((none.algorithm(), none.key_type()), (KeyAlgorithm::Opaque, KeyType::Private));
    }

    #[cfg(feature = "vendored")]
    #[test]
    fn vendored_build_leaves_handles_alone() {
        let ed = PKey::generate_ed25519().unwrap();
        let key = unsafe { Key::from_handle(ed.as_ptr(), KeyType::Private, false) };
        assert!(key.is_null());
        assert_eq!((key.algorithm(), key.key_type()), (KeyAlgorithm::Opaque, KeyType::Private));
        assert!(key.handle().is_null());
    }

    #[test]
    fn lenient_base64_and_header_skipping() {
        assert_eq!(base64_lenient(b"aGVs\nbG8=xx"), b"hello");
        assert_eq!(skip_header_lines(b"Proc-Type: 4,ENCRYPTED\nDEK-Info: X\n\nAAAA"), b"\nAAAA");
        assert!(der_element(&[0x30, 0x85, 1, 2, 3, 4, 5]).is_none());
    }
}
