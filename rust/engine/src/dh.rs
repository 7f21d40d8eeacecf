//! Diffie-Hellman parameters as Qt 6.4's OpenSSL backend validates them.

use std::os::raw::{c_int, c_long};
use std::ptr;

use foreign_types_shared::ForeignType;
use openssl::dh::Dh;
use openssl::pkey::Params;
use openssl_sys as ffi;

use crate::key::MemBio;
use crate::sys::*;


const DH_CHECK_P_NOT_PRIME: c_int = 0x01;
const DH_CHECK_P_NOT_SAFE_PRIME: c_int = 0x02;
const DH_NOT_SUITABLE_GENERATOR: c_int = 0x08;

/// QSslDiffieHellmanParameters::Error, with Qt's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DhError {
    InvalidInputData = 1,
    UnsafeParameters = 2,
}

/// Qt's isSafeDH: at least 1024 bits, DH_check passes on primality and generator, where
/// g = 2 with p ≡ 11 or 23 (mod 24) is accepted (RFC 2409/3526 groups).
fn is_safe(dh: &Dh<Params>) -> bool {
    let p = dh.as_ptr();
    // SAFETY: valid DH; the BIGNUMs belong to it.
    unsafe {
        if DH_bits(p) < 1024 {
            return false;
        }
        let mut status: c_int = 0;
        if ffi::DH_check(p, &mut status) != 1 {
            return false;
        }
        let (mut bp, mut bq, mut bg) = (ptr::null(), ptr::null(), ptr::null());
        ffi::DH_get0_pqg(p, &mut bp, &mut bq, &mut bg);
        if BN_is_word(bg, 2) == 1 {
            let residue = BN_mod_word(bp, 24);
            if residue == 11 || residue == 23 {
                status &= !DH_NOT_SUITABLE_GENERATOR;
            }
        }
        status & (DH_CHECK_P_NOT_PRIME | DH_CHECK_P_NOT_SAFE_PRIME | DH_NOT_SUITABLE_GENERATOR) == 0
    }
}

/// Qt's dhParametersFromDer: the input itself when it holds safe DHparams.
pub fn from_der(der: &[u8]) -> Result<Vec<u8>, DhError> {
    if der.is_empty() {
        return Err(DhError::InvalidInputData);
    }
    let len = c_long::try_from(der.len()).map_err(|_| DhError::InvalidInputData)?;
    let mut data = der.as_ptr();
    // SAFETY: d2i reads at most len bytes.
    let raw = unsafe { ffi::d2i_DHparams(ptr::null_mut(), &mut data, len) };
    unsafe { ffi::ERR_clear_error() };
    if raw.is_null() {
        return Err(DhError::InvalidInputData);
    }
    let dh = unsafe { Dh::<Params>::from_ptr(raw) };
    if is_safe(&dh) { Ok(der.to_vec()) } else { Err(DhError::UnsafeParameters) }
}

/// Qt's dhParametersFromPem: the DER of the first "DH PARAMETERS" block when safe.
pub fn from_pem(pem: &[u8]) -> Result<Vec<u8>, DhError> {
    if pem.is_empty() {
        return Err(DhError::InvalidInputData);
    }
    let bio = MemBio::over(pem).ok_or(DhError::InvalidInputData)?;
    // SAFETY: returns an owned DH or null.
    let raw = unsafe { ffi::PEM_read_bio_DHparams(bio.as_ptr(), ptr::null_mut(), None, ptr::null_mut()) };
    unsafe { ffi::ERR_clear_error() };
    if raw.is_null() {
        return Err(DhError::InvalidInputData);
    }
    let dh = unsafe { Dh::<Params>::from_ptr(raw) };
    if !is_safe(&dh) {
        return Err(DhError::UnsafeParameters);
    }
    dh.params_to_der().ok().filter(|d| !d.is_empty()).ok_or(DhError::InvalidInputData)
}

#[cfg(test)]
mod tests {
    use super::*;
    use openssl::bn::BigNum;

    #[test]
    fn accepts_ietf_group_and_rejects_small_or_garbage() {
        let p = BigNum::get_rfc2409_prime_1024().unwrap();
        let dh = Dh::from_pqg(p, None, BigNum::from_u32(2).unwrap()).unwrap();
        let der = dh.params_to_der().unwrap();
        assert_eq!(from_der(&der), Ok(der.clone()));
        assert_eq!(from_pem(&dh.params_to_pem().unwrap()), Ok(der));
        assert_eq!(from_der(b""), Err(DhError::InvalidInputData));
        assert_eq!(from_pem(b"garbage"), Err(DhError::InvalidInputData));
        let small = Dh::from_pqg(BigNum::from_u32(23).unwrap(), None, BigNum::from_u32(5).unwrap()).unwrap();
        assert_eq!(from_der(&small.params_to_der().unwrap()), Err(DhError::UnsafeParameters));
    }
}
