//! A server handshake against a hostile client: a real ClientHello (and its follow-up),
//! mutated, or raw bytes.
#![no_main]
#[path = "common.rs"]
mod common;

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use qsslrs_engine::*;

struct Setup {
    server: Arc<TlsContext>,
    client_hello: Vec<u8>,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let client = TlsContext::shared(&TlsConfig { verify_mode: PeerVerifyMode::VerifyNone, ..TlsConfig::default() })
            .unwrap();
        let server = TlsContext::shared(&TlsConfig {
            role: Role::Server,
            local_chain_der: vec![common::identity().cert_der.clone()],
            private_key_der: Some(common::identity().key_der.clone()),
            verify_mode: PeerVerifyMode::QueryPeer,
            ..TlsConfig::default()
        })
        .unwrap();
        let mut c = TlsConn::new(&client, SessionParams::default()).unwrap();
        c.process().unwrap();
        Setup { server, client_hello: c.tls_to_send().to_vec() }
    })
}

fuzz_target!(|data: &[u8]| {
    let setup = setup();
    let mut server = TlsConn::new(&setup.server, SessionParams::default()).unwrap();
    let bytes = common::hostile(&setup.client_hello, data);
    for piece in bytes.chunks(bytes.len() / 2 + 1) {
        server.feed_tls(piece);
        if server.process().is_err() {
            break;
        }
    }
    let _ = (server.peer_errors(), server.take_events(), server.tls_to_send().len());
});
