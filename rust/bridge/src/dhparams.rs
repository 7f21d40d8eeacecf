//! QSslDiffieHellmanParameters' engine: decoding and Qt's safety check.

use qsslrs_engine::dh;

#[cxx::bridge(namespace = "qsslrs")]
mod ffi {
    struct DhParamsView {
        /// QSslDiffieHellmanParameters::Error
        error: i32,
        /// The DER to keep when `error` is NoError.
        der: Vec<u8>,
    }

    extern "Rust" {
        fn engine_dh_params_decode(data: &[u8], der: bool) -> DhParamsView;
    }
}

fn engine_dh_params_decode(data: &[u8], der: bool) -> ffi::DhParamsView {
    match if der { dh::from_der(data) } else { dh::from_pem(data) } {
        Ok(der) => ffi::DhParamsView { error: 0, der },
        Err(e) => ffi::DhParamsView { error: e as i32, der: Vec::new() },
    }
}
