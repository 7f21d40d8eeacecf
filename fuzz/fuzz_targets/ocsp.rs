//! A stapled OCSP response, whatever its bytes, checked by a client that asked for one.
#![no_main]
#[path = "common.rs"]
mod common;

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use qsslrs_engine::*;

fn client() -> &'static Arc<TlsContext> {
    static CLIENT: OnceLock<Arc<TlsContext>> = OnceLock::new();
    CLIENT.get_or_init(|| {
        TlsContext::shared(&TlsConfig {
            ca_certs_der: vec![common::identity().cert_der.clone()],
            ocsp_stapling: true,
            ..TlsConfig::default()
        })
        .unwrap()
    })
}

fuzz_target!(|data: &[u8]| {
    // The server staples exactly these bytes (a context per input: the response is part of it).
    let mut config = TlsConfig {
        role: Role::Server,
        local_chain_der: vec![common::identity().cert_der.clone()],
        private_key_der: Some(common::identity().key_der.clone()),
        ..TlsConfig::default()
    };
    config.backend_options.push((STAPLED_RESPONSE_KEY.to_vec(), Some(data.to_vec())));
    let Ok(server) = TlsContext::shared(&config) else { return };
    let mut c = TlsConn::new(client(), SessionParams::default()).unwrap();
    let mut s = TlsConn::new(&server, SessionParams::default()).unwrap();
    for _ in 0..6 {
        let _ = c.process();
        let _ = s.process();
        let (to_server, to_client) = (c.tls_to_send().to_vec(), s.tls_to_send().to_vec());
        c.consume_tls_to_send(to_server.len());
        s.consume_tls_to_send(to_client.len());
        s.feed_tls(&to_server);
        c.feed_tls(&to_client);
    }
    let _ = (c.ocsp_failure(), c.ocsp_response(), c.peer_errors());
});
