//! A client handshake against a hostile server: the server's real first flight, mutated (or raw
//! bytes), then whatever the fuzzer adds after it.
#![no_main]
#[path = "common.rs"]
mod common;

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use qsslrs_engine::*;

struct Setup {
    client: Arc<TlsContext>,
    server_flight: Vec<u8>,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let client = TlsContext::shared(&TlsConfig {
            ca_certs_der: vec![common::identity().cert_der.clone()],
            ..TlsConfig::default()
        })
        .unwrap();
        let server = TlsContext::shared(&TlsConfig {
            role: Role::Server,
            local_chain_der: vec![common::identity().cert_der.clone()],
            private_key_der: Some(common::identity().key_der.clone()),
            ..TlsConfig::default()
        })
        .unwrap();
        // A real exchange gives the flight the fuzzer starts from (same client hello each run
        // matters not: the mutations are what is explored).
        let mut c = TlsConn::new(&client, SessionParams::default()).unwrap();
        let mut s = TlsConn::new(&server, SessionParams::default()).unwrap();
        c.process().unwrap();
        s.feed_tls(c.tls_to_send());
        s.process().unwrap();
        Setup { client, server_flight: s.tls_to_send().to_vec() }
    })
}

fuzz_target!(|data: &[u8]| {
    let setup = setup();
    let mut client = TlsConn::new(&setup.client, SessionParams::default()).unwrap();
    let _ = client.process();
    let bytes = common::hostile(&setup.server_flight, data);
    // In a few pieces, as a socket hands them in.
    for piece in bytes.chunks(bytes.len() / 3 + 1) {
        client.feed_tls(piece);
        if client.process().is_err() {
            break;
        }
    }
    let _ = (client.peer_errors(), client.take_events(), client.plaintext().len());
    let _ = client.write_plaintext(b"after");
    client.close();
});
