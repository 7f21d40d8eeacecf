//! OpenSSL functions that openssl-sys does not declare. libssl and libcrypto are linked through
//! openssl-sys; the safe wrappers live with their users.
#![allow(non_camel_case_types)]

use std::os::raw::{c_char, c_int};

use openssl_sys::{EVP_MD, SSL, SSL_CTX, SSL_SESSION};

pub type SSL_psk_use_session_cb_func = unsafe extern "C" fn(
    ssl: *mut SSL,
    md: *const EVP_MD,
    id: *mut *const u8,
    id_len: *mut usize,
    session: *mut *mut SSL_SESSION,
) -> c_int;

extern "C" {
    pub fn SSL_CTX_set_psk_use_session_callback(ctx: *mut SSL_CTX, cb: Option<SSL_psk_use_session_cb_func>);
    pub fn SSL_CTX_use_psk_identity_hint(ctx: *mut SSL_CTX, hint: *const c_char) -> c_int;
}
