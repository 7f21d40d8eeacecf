//! PKCS#12 files (QSslCertificate::importPkcs12), the passphrase after a NUL.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (body, pass) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let _ = qsslrs_engine::cert::import_pkcs12(body, pass);
});
