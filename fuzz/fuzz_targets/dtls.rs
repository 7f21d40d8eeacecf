//! DTLS in both roles fed hostile datagrams (a length byte before each), the server with
//! cookies; and the stateless client verifier.
#![no_main]
#[path = "common.rs"]
mod common;

use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use qsslrs_engine::*;

fn contexts() -> &'static (Arc<TlsContext>, Arc<TlsContext>) {
    static CONTEXTS: OnceLock<(Arc<TlsContext>, Arc<TlsContext>)> = OnceLock::new();
    CONTEXTS.get_or_init(|| {
        let datagram = |role, cookies: bool| TlsConfig {
            role,
            transport: Transport::Datagram,
            min_protocol: Protocol::Dtls1_2,
            verify_mode: PeerVerifyMode::VerifyNone,
            local_chain_der: vec![common::identity().cert_der.clone()],
            private_key_der: Some(common::identity().key_der.clone()),
            dtls_cookie: cookies.then(|| CookieSecret { secret: b"secret".to_vec(), digest: "SHA256".into() }),
            ..TlsConfig::default()
        };
        (
            TlsContext::shared(&datagram(Role::Client, false)).unwrap(),
            TlsContext::shared(&datagram(Role::Server, true)).unwrap(),
        )
    })
}

fn datagrams(data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = data;
    while let Some((&len, tail)) = rest.split_first() {
        let len = usize::from(len).min(tail.len());
        out.push(&tail[..len]);
        rest = &tail[len..];
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let (client_ctx, server_ctx) = contexts();
    let mut client = DtlsConn::new(client_ctx, b"server", 300, None).unwrap();
    let mut server = DtlsConn::new(server_ctx, b"client", 300, None).unwrap();
    let _ = client.process();
    for datagram in datagrams(data) {
        let _ = dtls_verify_client_hello(server_ctx, b"client", datagram);
        client.feed_datagram(datagram);
        server.feed_datagram(datagram);
        let _ = client.process();
        let _ = server.process();
        let _ = (client.take_datagrams(), server.take_datagrams());
    }
    let _ = client.decrypt(data);
});
