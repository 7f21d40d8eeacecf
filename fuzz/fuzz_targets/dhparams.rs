//! Diffie-Hellman parameters from PEM or DER (QSslDiffieHellmanParameters).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = qsslrs_engine::dh::from_der(data);
    let _ = qsslrs_engine::dh::from_pem(data);
});
