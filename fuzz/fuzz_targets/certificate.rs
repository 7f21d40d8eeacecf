//! Certificates from PEM or DER, and everything QSslCertificate reads from them.
#![no_main]
use libfuzzer_sys::fuzz_target;
use qsslrs_engine::cert::{verify_chain, Certificate};

fuzz_target!(|data: &[u8]| {
    let mut certificates = Certificate::list_from_pem(data, Some(8));
    certificates.extend(Certificate::list_from_der(data, Some(8)));
    for certificate in &certificates {
        let _ = certificate.to_text();
        let _ = certificate.to_pem();
        let _ = (certificate.version(), certificate.serial_number(), certificate.subject(), certificate.issuer());
        let _ = (certificate.not_before(), certificate.not_after(), certificate.is_self_signed());
        let _ = (certificate.alt_names(), certificate.extensions(), certificate.sha1(), certificate.is_blacklisted());
        let _ = certificate.public_key().length();
    }
    let chain: Vec<&Certificate> = certificates.iter().collect();
    let _ = verify_chain(&chain, &chain, "localhost");
});
