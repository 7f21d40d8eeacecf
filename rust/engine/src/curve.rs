//! Elliptic curves by OpenSSL NID, as QSslEllipticCurve's ids are.

use std::ffi::{CStr, CString};

use openssl_sys as ffi;
use crate::sys::*;


/// The curves of RFC 4492 and RFC 7027 (brainpool) that Qt counts as TLS named curves.
const TLS_NAMED_CURVES: &[&str] = &[
    "sect163k1", "sect163r1", "sect163r2", "sect193r1", "sect193r2", "sect233k1", "sect233r1",
    "sect239k1", "sect283k1", "sect283r1", "sect409k1", "sect409r1", "sect571k1", "sect571r1",
    "secp160k1", "secp160r1", "secp160r2", "secp192k1", "prime192v1", "secp224k1", "secp224r1",
    "secp256k1", "prime256v1", "secp384r1", "secp521r1", "brainpoolP256r1", "brainpoolP384r1",
    "brainpoolP512r1",
];

/// OBJ_sn2nid; 0 when unknown. NIST names ("P-256") are not tried: the Qt 6.4 this
/// matches cannot resolve EC_curve_nist2nid against OpenSSL 3 and gets 0 for them too.
pub fn nid_from_short_name(name: &str) -> i32 {
    let Ok(c) = CString::new(name) else { return 0 };
    if name.is_empty() {
        return 0;
    }
    unsafe { ffi::OBJ_sn2nid(c.as_ptr()) }
}

/// OBJ_ln2nid; 0 when unknown.
pub fn nid_from_long_name(name: &str) -> i32 {
    let Ok(c) = CString::new(name) else { return 0 };
    if name.is_empty() {
        return 0;
    }
    unsafe { OBJ_ln2nid(c.as_ptr()) }
}

fn text(p: *const std::os::raw::c_char) -> Option<String> {
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
}

/// OBJ_nid2sn; None for 0 or an unknown NID.
pub fn short_name(nid: i32) -> Option<String> {
    if nid == 0 {
        return None;
    }
    text(unsafe { ffi::OBJ_nid2sn(nid) })
}

/// OBJ_nid2ln; None for 0 or an unknown NID.
pub fn long_name(nid: i32) -> Option<String> {
    if nid == 0 {
        return None;
    }
    text(unsafe { ffi::OBJ_nid2ln(nid) })
}

pub fn is_tls_named_curve(nid: i32) -> bool {
    nid != 0 && TLS_NAMED_CURVES.iter().any(|n| nid_from_short_name(n) == nid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_tls_curves() {
        let nid = nid_from_short_name("prime256v1");
        assert_eq!(nid, 415);
        assert_eq!(long_name(nid).as_deref(), Some("prime256v1"));
        assert!(is_tls_named_curve(nid));
        assert!(!is_tls_named_curve(nid_from_short_name("X25519")));
        assert_eq!(nid_from_short_name("P-256"), 0);
        assert_eq!(nid_from_short_name(""), 0);
        assert_eq!(short_name(0), None);
    }
}
