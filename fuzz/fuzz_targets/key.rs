//! Keys in every format Qt reads, with and without a passphrase: the first byte chooses the
//! algorithm, the type and whether the rest is PEM or DER; a NUL splits off a passphrase.
#![no_main]
use libfuzzer_sys::fuzz_target;
use qsslrs_engine::key::{Key, KeyAlgorithm, KeyType};

fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else { return };
    let (body, pass) = match rest.iter().position(|&b| b == 0) {
        Some(at) => (&rest[..at], &rest[at + 1..]),
        None => (rest, &[][..]),
    };
    let algorithm = KeyAlgorithm::from_qt(i32::from(choice & 0x7));
    let key_type = KeyType::from_qt(i32::from((choice >> 3) & 1));
    let key = if choice & 0x10 == 0 {
        Key::from_pem(body, algorithm, key_type, pass)
    } else {
        Key::from_der(body, algorithm, key_type, pass)
    };
    if !key.is_null() {
        let _ = (key.length(), key.to_pem(b""), key.to_der(b""), key.to_pem(pass));
    }
});
