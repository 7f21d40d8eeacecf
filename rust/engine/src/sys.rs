//! Every raw OpenSSL declaration the engine needs beyond openssl-sys (functions, the C layouts
//! they use, control codes), in one place as rust-openssl keeps openssl-sys apart. libssl and
//! libcrypto are linked through openssl-sys; the safe wrappers live with their users.
#![allow(non_camel_case_types)]

use std::os::raw::{c_char, c_int, c_long, c_uint, c_ulong, c_void};

use openssl_sys as ffi;
use openssl_sys::{EVP_MD, SSL, SSL_CTX, SSL_SESSION};

pub type SSL_psk_use_session_cb_func = unsafe extern "C" fn(
    ssl: *mut SSL,
    md: *const EVP_MD,
    id: *mut *const u8,
    id_len: *mut usize,
    session: *mut *mut SSL_SESSION,
) -> c_int;

extern "C" {
    /// Frees the record buffers of a connection with nothing pending in them (else returns 0).
    pub fn SSL_free_buffers(ssl: *mut SSL) -> c_int;
    /// A copy of a session (its certificates shared, not decoded again).
    pub fn SSL_SESSION_dup(session: *const SSL_SESSION) -> *mut SSL_SESSION;
    pub fn SSL_CTX_set_psk_use_session_callback(ctx: *mut SSL_CTX, cb: Option<SSL_psk_use_session_cb_func>);
    pub fn SSL_CTX_use_psk_identity_hint(ctx: *mut SSL_CTX, hint: *const c_char) -> c_int;
    /// The name of a group (NID or TLS group id) as OpenSSL 3 spells it ("x25519",
    /// "X25519MLKEM768"); null for one it does not know.
    pub fn SSL_group_to_name(ssl: *mut SSL, id: c_int) -> *const c_char;
}

/// SSL_get_negotiated_group() is this SSL_ctrl() (a macro in ssl.h).
pub const SSL_CTRL_GET_NEGOTIATED_GROUP: c_int = 134;

// X.509 (cert.rs)
/// OpenSSL's X509V3_EXT_METHOD (x509v3.h), of which Qt calls the printers directly.
#[repr(C)]
pub struct ExtMethod {
    pub ext_nid: c_int,
    pub ext_flags: c_int,
    /// ASN1_ITEM_EXP: a function returning the ASN1_ITEM (OpenSSL 3).
    pub it: Option<unsafe extern "C" fn() -> *const c_void>,
    pub ext_new: *const c_void,
    pub ext_free: Option<unsafe extern "C" fn(*mut c_void)>,
    pub d2i: *const c_void,
    pub i2d: *const c_void,
    pub i2s: Option<unsafe extern "C" fn(*const ExtMethod, *mut c_void) -> *mut c_char>,
    pub s2i: *const c_void,
    pub i2v: Option<unsafe extern "C" fn(*const ExtMethod, *mut c_void, *mut c_void) -> *mut ffi::OPENSSL_STACK>,
    pub v2i: *const c_void,
    pub i2r: Option<unsafe extern "C" fn(*const ExtMethod, *mut c_void, *mut ffi::BIO, c_int) -> c_int>,
    pub r2i: *const c_void,
    pub usr_data: *mut c_void,
}

#[repr(C)]
pub struct ConfValue {
    pub section: *mut c_char,
    pub name: *mut c_char,
    pub value: *mut c_char,
}

#[repr(C)]
pub struct BasicConstraints {
    pub ca: c_int,
    pub pathlen: *mut ffi::ASN1_INTEGER,
}

/// glibc's pub struct tm.
#[repr(C)]
#[derive(Default)]
pub struct Tm {
    pub tm_sec: c_int,
    pub tm_min: c_int,
    pub tm_hour: c_int,
    pub tm_mday: c_int,
    pub tm_mon: c_int,
    pub tm_year: c_int,
    pub tm_wday: c_int,
    pub tm_yday: c_int,
    pub tm_isdst: c_int,
    pub tm_gmtoff: c_long,
    pub tm_zone: usize,
}

extern "C" {
    pub fn X509V3_EXT_get(ext: *mut ffi::X509_EXTENSION) -> *const ExtMethod;
    pub fn X509V3_conf_free(value: *mut ConfValue);
    pub fn ASN1_item_free(value: *mut c_void, it: *const c_void);
    pub fn ASN1_TIME_to_tm(time: *const ffi::ASN1_TIME, tm: *mut Tm) -> c_int;
    pub fn X509_get0_notBefore(x: *const ffi::X509) -> *const ffi::ASN1_TIME;
    pub fn X509_get0_notAfter(x: *const ffi::X509) -> *const ffi::ASN1_TIME;
    pub fn X509_get_serialNumber(x: *mut ffi::X509) -> *mut ffi::ASN1_INTEGER;
    pub fn BASIC_CONSTRAINTS_free(bc: *mut BasicConstraints);
    pub fn AUTHORITY_INFO_ACCESS_free(aia: *mut ffi::OPENSSL_STACK);
    pub fn BIO_read(bio: *mut ffi::BIO, data: *mut c_void, len: c_int) -> c_int;
    pub fn X509_STORE_CTX_set_verify_cb(ctx: *mut ffi::X509_STORE_CTX, cb: Option<unsafe extern "C" fn(c_int, *mut ffi::X509_STORE_CTX) -> c_int>);
    pub fn d2i_PKCS12_bio(bio: *mut ffi::BIO, p12: *mut *mut ffi::PKCS12) -> *mut ffi::PKCS12;
}

// Diffie-Hellman parameters (dh.rs)
extern "C" {
    pub fn BN_is_word(a: *const ffi::BIGNUM, w: c_ulong) -> c_int;
    pub fn BN_mod_word(a: *const ffi::BIGNUM, w: c_ulong) -> c_ulong;
}

// Keys (key.rs)
extern "C" {
    pub fn RSA_bits(rsa: *const ffi::RSA) -> c_int;
    pub fn DSA_bits(dsa: *const ffi::DSA) -> c_int;
    pub fn DH_bits(dh: *const ffi::DH) -> c_int;
    pub fn EVP_PKEY_get_base_id(pkey: *const ffi::EVP_PKEY) -> c_int;
    pub fn EVP_PKEY_type(id: c_int) -> c_int;
    pub fn BIO_ctrl(bio: *mut ffi::BIO, cmd: c_int, larg: c_long, parg: *mut c_void) -> c_long;
}

// Curves (curve.rs)
extern "C" {
    pub fn OBJ_ln2nid(name: *const std::os::raw::c_char) -> std::os::raw::c_int;
}

// Ciphers (cipher.rs)
extern "C" {
    // Not wrapped by openssl-sys; libssl is linked through it.
    pub fn SSL_get_ciphers(ssl: *const openssl_sys::SSL) -> *mut openssl_sys::stack_st_SSL_CIPHER;
}

// Handshake callbacks, sessions and errors (handshake.rs)
extern "C" {
    // Not wrapped by openssl-sys; libssl is linked through it.
    pub fn SSL_set_info_callback(
        ssl: *mut openssl_sys::SSL,
        cb: Option<unsafe extern "C" fn(*const openssl_sys::SSL, c_int, c_int)>,
    );
}
extern "C" {
    pub fn SSL_SESSION_get_ticket_lifetime_hint(
        s: *const openssl_sys::SSL_SESSION,
    ) -> std::os::raw::c_ulong;
    pub fn SSL_SESSION_is_resumable(s: *const openssl_sys::SSL_SESSION) -> c_int;
}
extern "C" {
    // Not bound by openssl-sys; libcrypto is linked through it.
    pub fn ERR_error_string_n(e: std::os::raw::c_ulong, buf: *mut std::os::raw::c_char, len: usize);
}

// Context configuration (config.rs)
// The SSL_CONF API and SSL_CTRL_SET_GROUPS are bound by neither openssl nor openssl-sys;
// libssl is linked through openssl-sys.
#[allow(non_camel_case_types)]
pub enum SSL_CONF_CTX {}
pub const SSL_CTRL_SET_GROUPS: c_int = 91;
pub const SSL_CONF_FLAG_FILE: c_uint = 0x2;
extern "C" {
    pub fn SSL_CONF_CTX_new() -> *mut SSL_CONF_CTX;
    pub fn SSL_CONF_CTX_free(cctx: *mut SSL_CONF_CTX);
    pub fn SSL_CONF_CTX_set_flags(cctx: *mut SSL_CONF_CTX, flags: c_uint) -> c_uint;
    pub fn SSL_CONF_CTX_set_ssl_ctx(cctx: *mut SSL_CONF_CTX, ctx: *mut openssl_sys::SSL_CTX);
    pub fn SSL_CONF_cmd(cctx: *mut SSL_CONF_CTX, cmd: *const c_char, value: *const c_char) -> c_int;
    pub fn SSL_CONF_CTX_finish(cctx: *mut SSL_CONF_CTX) -> c_int;
}

// OCSP (ocsp.rs)
pub enum OCSP_SINGLERESP {}

extern "C" {
    pub fn OCSP_resp_count(bs: *mut ffi::OCSP_BASICRESP) -> c_int;
    pub fn OCSP_resp_get0(bs: *mut ffi::OCSP_BASICRESP, idx: c_int) -> *mut OCSP_SINGLERESP;
    pub fn OCSP_resp_get0_certs(bs: *const ffi::OCSP_BASICRESP) -> *const ffi::stack_st_X509;
    pub fn OCSP_SINGLERESP_get0_id(single: *const OCSP_SINGLERESP) -> *const ffi::OCSP_CERTID;
    pub fn OCSP_id_get0_info(
        name_hash: *mut *mut ffi::ASN1_OCTET_STRING,
        md: *mut *mut ffi::ASN1_OBJECT,
        key_hash: *mut *mut ffi::ASN1_OCTET_STRING,
        serial: *mut *mut ffi::ASN1_INTEGER,
        id: *mut ffi::OCSP_CERTID,
    ) -> c_int;
    pub fn OCSP_id_cmp(a: *const ffi::OCSP_CERTID, b: *const ffi::OCSP_CERTID) -> c_int;
    pub fn OCSP_single_get0_status(
        single: *mut OCSP_SINGLERESP,
        reason: *mut c_int,
        revtime: *mut *mut ffi::ASN1_GENERALIZEDTIME,
        thisupd: *mut *mut ffi::ASN1_GENERALIZEDTIME,
        nextupd: *mut *mut ffi::ASN1_GENERALIZEDTIME,
    ) -> c_int;
}

// DTLS (dtls.rs): DTLSv1_get_timeout and DTLSv1_handle_timeout are SSL_ctrl macros.
pub const DTLS_CTRL_GET_TIMEOUT: c_int = 73;
pub const DTLS_CTRL_HANDLE_TIMEOUT: c_int = 74;

#[repr(C)]
pub struct timeval {
    pub tv_sec: c_long,
    pub tv_usec: c_long,
}

pub type DTLS_timer_cb = unsafe extern "C" fn(ssl: *mut SSL, timer_us: std::os::raw::c_uint) -> std::os::raw::c_uint;

extern "C" {
    pub fn DTLS_set_timer_cb(ssl: *mut SSL, cb: Option<DTLS_timer_cb>);
}

pub enum BIO_ADDR {}

extern "C" {
    pub fn DTLSv1_listen(ssl: *mut SSL, client: *mut BIO_ADDR) -> c_int;
    pub fn BIO_ADDR_new() -> *mut BIO_ADDR;
    pub fn BIO_ADDR_free(addr: *mut BIO_ADDR);
}
