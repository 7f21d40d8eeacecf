//! QSslKey's engine: keys decoded and encoded as Qt's OpenSSL backend does. Declared in the
//! certificate bridge, which hands out keys too (public keys, PKCS#12).

use qsslrs_engine::key::{Key as EngineKey, KeyAlgorithm, KeyType};

pub struct Key(pub EngineKey);

pub(crate) fn engine_key_new() -> Box<Key> {
    Box::new(Key(EngineKey::new()))
}

pub(crate) fn engine_key_decode(data: &[u8], der: bool, algorithm: i32, key_type: i32, pass: &[u8]) -> Box<Key> {
    let (algorithm, key_type) = (KeyAlgorithm::from_qt(algorithm), KeyType::from_qt(key_type));
    Box::new(Key(if der {
        EngineKey::from_der(data, algorithm, key_type, pass)
    } else {
        EngineKey::from_pem(data, algorithm, key_type, pass)
    }))
}

/// # Safety
/// `handle` is 0 or an EVP_PKEY* of the libcrypto we link; unless `share`, the caller gives its
/// reference up (QSslKey's contract).
pub(crate) unsafe fn engine_key_from_handle(handle: usize, key_type: i32, share: bool) -> Box<Key> {
    // SAFETY: forwarded from this function's contract.
    Box::new(Key(unsafe { EngineKey::from_handle(handle as *mut _, KeyType::from_qt(key_type), share) }))
}

impl Key {
    pub(crate) fn is_null(&self) -> bool {
        self.0.is_null()
    }
    pub(crate) fn key_type(&self) -> i32 {
        self.0.key_type() as i32
    }
    pub(crate) fn algorithm(&self) -> i32 {
        self.0.algorithm() as i32
    }
    pub(crate) fn length(&self) -> i32 {
        self.0.length()
    }
    pub(crate) fn to_pem(&self, pass: &[u8]) -> Vec<u8> {
        self.0.to_pem(pass)
    }
    pub(crate) fn to_der(&self, pass: &[u8]) -> Vec<u8> {
        self.0.to_der(pass)
    }
    pub(crate) fn handle(&self) -> usize {
        self.0.handle() as usize
    }
    pub(crate) fn share_handle(&self) -> usize {
        self.0.share_handle() as usize
    }
}
