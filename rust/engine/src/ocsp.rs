//! OCSP stapling as Qt 6.4's OpenSSL backend checks it: after the handshake, on a client that
//! asked for a status and verifies its peer, the stapled response becomes QSslErrors (or a fatal
//! handshake failure) and the QOcspResponse that ocspResponses() lists.

use foreign_types_shared::{ForeignType, ForeignTypeRef};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::ocsp::{OcspCertId, OcspResponse};
use openssl::ssl::SslRef;
use openssl::stack::Stack;
use openssl::x509::{X509Ref, X509VerifyResult, X509};
use openssl_sys as ffi;

use crate::sys::*;
use crate::verify::{qt_error, PeerError, Stage};

/// QOcspCertificateStatus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CertificateStatus {
    Good = 0,
    Revoked = 1,
    Unknown = 2,
}

/// One QOcspResponse: the status of the peer's certificate and who vouched for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OcspResponseInfo {
    pub status: CertificateStatus,
    /// QOcspRevocationReason (-1: None).
    pub revocation_reason: i32,
    /// The issuer whose CertID matched (Qt calls it the responder); None when none matched.
    pub responder: Option<X509>,
}

/// What checking the stapled response found.
#[derive(Clone, Debug, Default)]
pub struct OcspOutcome {
    /// Errors in Qt's order; each concerns the peer's certificate (index 0) or none.
    pub errors: Vec<PeerError>,
    /// A response Qt cannot use at all: the handshake fails with this text.
    pub failure: Option<String>,
    pub response: Option<OcspResponseInfo>,
}

fn error(code: i32, concerns_peer: bool) -> PeerError {
    PeerError { code, cert_index: if concerns_peer { 0 } else { -1 }, stage: Stage::Ocsp }
}

fn fatal(text: &str) -> OcspOutcome {
    OcspOutcome { failure: Some(text.to_owned()), ..OcspOutcome::default() }
}

/// QSslError for an OCSPResponseStatus other than successful (NoError for values OCSP does not
/// define, as in Qt).
fn response_status_error(status: i32) -> i32 {
    match status {
        ffi::OCSP_RESPONSE_STATUS_MALFORMEDREQUEST => qt_error::OCSP_MALFORMED_REQUEST,
        ffi::OCSP_RESPONSE_STATUS_INTERNALERROR => qt_error::OCSP_INTERNAL_ERROR,
        ffi::OCSP_RESPONSE_STATUS_TRYLATER => qt_error::OCSP_TRY_LATER,
        ffi::OCSP_RESPONSE_STATUS_SIGREQUIRED => qt_error::OCSP_SIG_REQUIRED,
        ffi::OCSP_RESPONSE_STATUS_UNAUTHORIZED => qt_error::OCSP_UNAUTHORIZED,
        _ => qt_error::NO_ERROR,
    }
}

/// OpenSSL's CRLReason to QOcspRevocationReason (removeFromCRL follows certificateHold there,
/// 7 being unused in CRLReason).
fn revocation_reason(reason: i32) -> i32 {
    match reason {
        0..=6 => reason,
        ffi::OCSP_REVOKED_STATUS_REMOVEFROMCRL => 7,
        _ => -1,
    }
}

/// Checks the response stapled to `ssl`'s handshake. `peer` is the server's certificate.
pub(crate) fn check(ssl: &SslRef, peer: &X509Ref) -> OcspOutcome {
    let outcome = check_stapled(ssl, peer);
    // Qt clears OpenSSL's error queue whatever happened.
    let _ = openssl::error::ErrorStack::get();
    outcome
}

fn check_stapled(ssl: &SslRef, peer: &X509Ref) -> OcspOutcome {
    let Some(der) = ssl.ocsp_status().filter(|der| !der.is_empty()) else {
        return OcspOutcome { errors: vec![error(qt_error::OCSP_NO_RESPONSE_FOUND, false)], ..Default::default() };
    };
    let Ok(response) = OcspResponse::from_der(der) else {
        return fatal("Failed to decode OCSP response");
    };
    let status = response.status().as_raw();
    if status != ffi::OCSP_RESPONSE_STATUS_SUCCESSFUL {
        // An error message from the responder, not a signed answer.
        return OcspOutcome { errors: vec![error(response_status_error(status), false)], ..Default::default() };
    }
    let Ok(basic) = response.basic() else {
        return fatal("Failed to extract basic OCSP response");
    };

    let mut out = OcspOutcome::default();
    let empty = Stack::<X509>::new().expect("empty stack");
    let peer_chain = ssl.peer_cert_chain();
    let store = ssl.ssl_context().cert_store();
    if basic.verify(peer_chain.unwrap_or(&empty), store, openssl::ocsp::OcspFlag::empty()).is_err() {
        out.errors.push(error(qt_error::OCSP_RESPONSE_CANNOT_BE_TRUSTED, false));
    }
    // SAFETY: a live basic response; the calls only read it and return pointers into it.
    let single = unsafe {
        if OCSP_resp_count(basic.as_ptr()) != 1 {
            out.errors.push(error(qt_error::OCSP_MALFORMED_RESPONSE, false));
            return out;
        }
        OCSP_resp_get0(basic.as_ptr(), 0)
    };
    if single.is_null() {
        return fatal("Failed to decode a SingleResponse from OCSP status response");
    }

    // The response must be about the peer's certificate: its CertID is recreated from the peer
    // and each possible issuer, with the response's own hash.
    let self_signed = peer.issued(peer) == X509VerifyResult::OK;
    let mut responder = None;
    if self_signed {
        if cert_id_matches(single, peer, peer) {
            responder = Some(peer.to_owned());
        }
    } else {
        // SAFETY: a live basic response; the stack stays owned by it.
        let response_certs = unsafe { OCSP_resp_get0_certs(basic.as_ptr()) };
        let candidates: Vec<&X509Ref> = match peer_chain {
            Some(chain) => chain.iter().collect(),
            // SAFETY: a stack of X509 owned by the response, alive as long as `basic`.
            None if !response_certs.is_null() => unsafe {
                openssl::stack::StackRef::<X509>::from_ptr(response_certs as *mut _).iter().collect()
            },
            None => Vec::new(),
        };
        responder = candidates
            .into_iter()
            .find(|issuer| cert_id_matches(single, peer, issuer) && issuer.issued(peer) == X509VerifyResult::OK)
            .map(X509Ref::to_owned);
    }
    if responder.is_none() {
        out.errors.push(error(qt_error::OCSP_RESPONSE_CERT_ID_UNKNOWN, true));
    }

    let mut reason = ffi::OCSP_REVOKED_STATUS_NOSTATUS;
    let mut revoked_at = std::ptr::null_mut();
    let mut this_update = std::ptr::null_mut();
    let mut next_update = std::ptr::null_mut();
    // SAFETY: a live single response; the out pointers point into it.
    let cert_status =
        unsafe { OCSP_single_get0_status(single, &mut reason, &mut revoked_at, &mut this_update, &mut next_update) };
    if this_update.is_null() {
        return fatal("Failed to extract 'this update time' from the SingleResponse");
    }
    // Up to a minute of clock skew, no maximum age, as Qt checks.
    // SAFETY: times owned by the live single response (next_update may be null).
    if unsafe { ffi::OCSP_check_validity(this_update, next_update, 60, -1) } != 1 {
        out.errors.push(error(qt_error::OCSP_RESPONSE_EXPIRED, true));
    }
    let (status, revocation_reason) = match cert_status {
        ffi::V_OCSP_CERTSTATUS_GOOD => (CertificateStatus::Good, -1),
        ffi::V_OCSP_CERTSTATUS_REVOKED => {
            out.errors.push(error(qt_error::CERTIFICATE_REVOKED, true));
            (CertificateStatus::Revoked, revocation_reason(reason))
        }
        _ => {
            out.errors.push(error(qt_error::OCSP_STATUS_UNKNOWN, true));
            (CertificateStatus::Unknown, -1)
        }
    };
    out.response = Some(OcspResponseInfo { status, revocation_reason, responder });
    out
}

/// True when `single` is about `subject` as issued by `issuer`, by the response's own hash.
fn cert_id_matches(single: *mut OCSP_SINGLERESP, subject: &X509Ref, issuer: &X509Ref) -> bool {
    // SAFETY: a live single response; the calls return pointers into it.
    let digest = unsafe {
        let id = OCSP_SINGLERESP_get0_id(single);
        if id.is_null() {
            return false;
        }
        let mut md = std::ptr::null_mut();
        let mut serial = std::ptr::null_mut();
        let ok = OCSP_id_get0_info(
            std::ptr::null_mut(),
            &mut md,
            std::ptr::null_mut(),
            &mut serial,
            id as *mut _,
        );
        if ok != 1 || md.is_null() || serial.is_null() {
            return false;
        }
        MessageDigest::from_nid(Nid::from_raw(ffi::OBJ_obj2nid(md)))
    };
    let Some(digest) = digest else { return false };
    let Ok(recreated) = OcspCertId::from_cert(digest, subject, issuer) else { return false };
    // SAFETY: both ids are live; the comparison only reads them.
    unsafe { OCSP_id_cmp(OCSP_SINGLERESP_get0_id(single), recreated.as_ptr()) == 0 }
}
