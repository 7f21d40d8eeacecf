//! In-memory client <-> server tests of the engine.

use std::sync::{Arc, OnceLock};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use openssl::asn1::{Asn1Integer, Asn1Time};
use openssl::bn::{BigNum, MsbOption};
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::sha::Sha256;
use openssl::x509::extension::{
    AuthorityKeyIdentifier, BasicConstraints, KeyUsage, SubjectAlternativeName,
    SubjectKeyIdentifier,
};
use openssl::x509::{X509Name, X509};
use qsslrs_engine::*;

// ---------------------------------------------------------------- certificates

fn new_key() -> PKey<Private> {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap();
    PKey::from_ec_key(EcKey::generate(&group).unwrap()).unwrap()
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

struct CertSpec<'a> {
    cn: &'a str,
    dns: &'a [&'a str],
    ips: &'a [&'a str],
    ca: bool,
    /// Validity as offsets from now, in days.
    from_days: i64,
    to_days: i64,
}

impl Default for CertSpec<'_> {
    fn default() -> Self {
        CertSpec {
            cn: "test",
            dns: &[],
            ips: &[],
            ca: false,
            from_days: -1,
            to_days: 30,
        }
    }
}

/// Signs with `issuer` (cert, key) or self-signs when None.
fn make_cert(
    spec: &CertSpec,
    key: &PKey<Private>,
    issuer: Option<(&X509, &PKey<Private>)>,
) -> X509 {
    let mut name = X509Name::builder().unwrap();
    name.append_entry_by_nid(Nid::COMMONNAME, spec.cn).unwrap();
    let name = name.build();
    let mut b = X509::builder().unwrap();
    b.set_version(2).unwrap();
    let mut serial = BigNum::new().unwrap();
    serial.rand(64, MsbOption::MAYBE_ZERO, false).unwrap();
    b.set_serial_number(&Asn1Integer::from_bn(&serial).unwrap())
        .unwrap();
    b.set_subject_name(&name).unwrap();
    b.set_issuer_name(issuer.map(|(c, _)| c.subject_name()).unwrap_or(&name))
        .unwrap();
    b.set_pubkey(key).unwrap();
    b.set_not_before(&Asn1Time::from_unix(now() + spec.from_days * 86400).unwrap())
        .unwrap();
    b.set_not_after(&Asn1Time::from_unix(now() + spec.to_days * 86400).unwrap())
        .unwrap();
    if spec.ca {
        b.append_extension(BasicConstraints::new().critical().ca().build().unwrap())
            .unwrap();
        b.append_extension(
            KeyUsage::new()
                .critical()
                .key_cert_sign()
                .crl_sign()
                .build()
                .unwrap(),
        )
        .unwrap();
    } else {
        b.append_extension(BasicConstraints::new().build().unwrap())
            .unwrap();
    }
    let ski = SubjectKeyIdentifier::new()
        .build(&b.x509v3_context(issuer.map(|(c, _)| &**c), None))
        .unwrap();
    b.append_extension(ski).unwrap();
    if issuer.is_some() {
        let aki = AuthorityKeyIdentifier::new()
            .keyid(true)
            .build(&b.x509v3_context(issuer.map(|(c, _)| &**c), None))
            .unwrap();
        b.append_extension(aki).unwrap();
    }
    if !spec.dns.is_empty() || !spec.ips.is_empty() {
        let mut san = SubjectAlternativeName::new();
        for d in spec.dns {
            san.dns(d);
        }
        for i in spec.ips {
            san.ip(i);
        }
        let ext = san
            .build(&b.x509v3_context(issuer.map(|(c, _)| &**c), None))
            .unwrap();
        b.append_extension(ext).unwrap();
    }
    b.sign(
        issuer.map(|(_, k)| k).unwrap_or(key),
        MessageDigest::sha256(),
    )
    .unwrap();
    b.build()
}

struct Identity {
    chain: Vec<X509>,
    key: PKey<Private>,
}

struct Pki {
    ca: X509,
    /// Leaf for localhost / 127.0.0.1 / ::1, signed by `ca`.
    server: Identity,
    /// Self-signed leaf for localhost.
    self_signed: Identity,
    /// Expired leaf signed by `ca`.
    expired: Identity,
    /// Client leaf signed by an intermediate signed by `ca` (chain: leaf, intermediate).
    client: Identity,
}

fn pki() -> &'static Pki {
    static PKI: OnceLock<Pki> = OnceLock::new();
    PKI.get_or_init(|| {
        let ca_key = new_key();
        let ca = make_cert(
            &CertSpec {
                cn: "Test Root CA",
                ca: true,
                to_days: 3650,
                ..Default::default()
            },
            &ca_key,
            None,
        );
        let leaf_spec = CertSpec {
            cn: "localhost",
            dns: &["localhost"],
            ips: &["127.0.0.1", "::1"],
            ..Default::default()
        };
        let k = new_key();
        let server = Identity {
            chain: vec![make_cert(&leaf_spec, &k, Some((&ca, &ca_key)))],
            key: k,
        };
        let k = new_key();
        let self_signed = Identity {
            chain: vec![make_cert(&leaf_spec, &k, None)],
            key: k,
        };
        let k = new_key();
        let expired_spec = CertSpec {
            from_days: -30,
            to_days: -1,
            ..leaf_spec
        };
        let expired = Identity {
            chain: vec![make_cert(&expired_spec, &k, Some((&ca, &ca_key)))],
            key: k,
        };
        let int_key = new_key();
        let int = make_cert(
            &CertSpec {
                cn: "Test Intermediate",
                ca: true,
                ..Default::default()
            },
            &int_key,
            Some((&ca, &ca_key)),
        );
        let k = new_key();
        let client_leaf = make_cert(
            &CertSpec {
                cn: "client user",
                ..Default::default()
            },
            &k,
            Some((&int, &int_key)),
        );
        let client = Identity {
            chain: vec![client_leaf, int],
            key: k,
        };
        Pki {
            ca,
            server,
            self_signed,
            expired,
            client,
        }
    })
}

fn der(c: &X509) -> Vec<u8> {
    c.to_der().unwrap()
}

fn server_cfg(id: &Identity) -> TlsConfig {
    TlsConfig {
        role: Role::Server,
        local_chain_der: id.chain.iter().map(der).collect(),
        private_key_der: Some(id.key.private_key_to_pkcs8().unwrap()),
        ..Default::default()
    }
}

fn client_cfg(trust_ca: bool) -> TlsConfig {
    TlsConfig {
        role: Role::Client,
        ca_certs_der: if trust_ca {
            vec![der(&pki().ca)]
        } else {
            vec![]
        },
        ..Default::default()
    }
}

fn params(name: &str) -> SessionParams {
    SessionParams {
        server_name: Some(name.into()),
        verify_name: Some(name.into()),
    }
}

// ---------------------------------------------------------------- shuttling

struct Pumped {
    client: Result<(), TlsError>,
    server: Result<(), TlsError>,
}

/// Moves bytes both ways and processes until nothing moves any more.
/// Keeps going after one side fails so its alert reaches the other side.
fn pump(c: &mut TlsConn, s: &mut TlsConn) -> Pumped {
    let mut res = Pumped {
        client: Ok(()),
        server: Ok(()),
    };
    for _ in 0..10_000 {
        res.client = c.process();
        res.server = s.process();
        let mut moved = false;
        let n = c.tls_to_send().len();
        if n > 0 {
            s.feed_tls(c.tls_to_send());
            c.consume_tls_to_send(n);
            moved = true;
        }
        let n = s.tls_to_send().len();
        if n > 0 {
            c.feed_tls(s.tls_to_send());
            s.consume_tls_to_send(n);
            moved = true;
        }
        if !moved {
            return res;
        }
    }
    panic!("pump did not settle");
}

fn connect(ccfg: &TlsConfig, scfg: &TlsConfig, p: SessionParams) -> (TlsConn, TlsConn, Pumped) {
    let cctx = TlsContext::shared(ccfg).unwrap();
    let sctx = TlsContext::shared(scfg).unwrap();
    let mut c = TlsConn::new(&cctx, p).unwrap();
    let mut s = TlsConn::new(&sctx, SessionParams::default()).unwrap();
    let r = pump(&mut c, &mut s);
    (c, s, r)
}

fn take_plain(c: &mut TlsConn) -> Vec<u8> {
    let v = c.plaintext().to_vec();
    c.consume_plaintext(v.len());
    v
}

fn codes(errs: &[PeerError]) -> Vec<(i32, i32)> {
    errs.iter().map(|e| (e.code, e.cert_index)).collect()
}

// ---------------------------------------------------------------- protocol versions

fn roundtrip_with(version: Protocol) {
    let mut ccfg = client_cfg(true);
    ccfg.min_protocol = version;
    ccfg.max_protocol = Some(version);
    let mut scfg = server_cfg(&pki().server);
    scfg.min_protocol = version;
    scfg.max_protocol = Some(version);
    let (mut c, mut s, r) = connect(&ccfg, &scfg, params("localhost"));
    r.client.unwrap();
    r.server.unwrap();
    assert!(c.is_handshake_done() && s.is_handshake_done());
    assert_eq!(c.protocol(), Some(version));
    assert_eq!(s.protocol(), Some(version));
    let cc = c.cipher().unwrap();
    let sc = s.cipher().unwrap();
    assert_eq!(cc, sc);
    assert_eq!(cc.protocol, Some(version));
    assert!(cc.bits >= 128, "{cc:?}");
    assert!(c.peer_errors().is_empty(), "{:?}", c.peer_errors());
    assert!(c.take_events().contains(&Event::HandshakeDone));
    assert!(s.take_events().contains(&Event::HandshakeDone));

    c.write_plaintext(b"hello from client").unwrap();
    s.write_plaintext(b"hello from server").unwrap();
    let r = pump(&mut c, &mut s);
    r.client.unwrap();
    r.server.unwrap();
    assert_eq!(take_plain(&mut s), b"hello from client");
    assert_eq!(take_plain(&mut c), b"hello from server");
}

#[test]
fn tls12_both_directions() {
    roundtrip_with(Protocol::Tls1_2);
}

#[test]
fn tls13_both_directions() {
    roundtrip_with(Protocol::Tls1_3);
}

#[test]
fn version_mismatch_fails_with_alert() {
    let mut ccfg = client_cfg(true);
    ccfg.min_protocol = Protocol::Tls1_3;
    let mut scfg = server_cfg(&pki().server);
    scfg.max_protocol = Some(Protocol::Tls1_2);
    let (mut c, mut s, r) = connect(&ccfg, &scfg, params("localhost"));
    assert!(
        matches!(r.server, Err(TlsError::Handshake(_))),
        "{:?}",
        r.server.err()
    );
    assert!(
        matches!(r.client, Err(TlsError::Handshake(_))),
        "{:?}",
        r.client.err()
    );
    // protocol_version (70), fatal.
    assert!(s.take_events().contains(&Event::AlertSent {
        level: 2,
        description: 70
    }));
    assert!(c.take_events().contains(&Event::AlertReceived {
        level: 2,
        description: 70
    }));
    assert!(!c.is_handshake_done());
}

#[test]
fn cipher_and_protocol_reporting() {
    let mut ccfg = client_cfg(true);
    ccfg.max_protocol = Some(Protocol::Tls1_2);
    ccfg.cipher_list = Some("ECDHE-ECDSA-AES128-GCM-SHA256".into());
    let (c, s, r) = connect(&ccfg, &server_cfg(&pki().server), params("localhost"));
    r.client.unwrap();
    let ci = c.cipher().unwrap();
    assert_eq!(ci.name, "ECDHE-ECDSA-AES128-GCM-SHA256");
    assert_eq!(ci.protocol_string, "TLSv1.2");
    assert_eq!(ci.protocol, Some(Protocol::Tls1_2));
    assert_eq!((ci.bits, ci.supported_bits), (128, 128));
    assert_eq!(ci.key_exchange, "ECDH");
    assert_eq!(ci.authentication, "ECDSA");
    assert_eq!(ci.encryption, "AESGCM(128)");
    assert_eq!(s.cipher().unwrap().name, ci.name);

    let mut ccfg = client_cfg(true);
    ccfg.ciphersuites = Some("TLS_CHACHA20_POLY1305_SHA256".into());
    let (c, s, r) = connect(&ccfg, &server_cfg(&pki().server), params("localhost"));
    r.client.unwrap();
    assert_eq!(c.protocol(), Some(Protocol::Tls1_3));
    assert_eq!(c.cipher().unwrap().name, "TLS_CHACHA20_POLY1305_SHA256");
    assert_eq!(s.cipher().unwrap().protocol_string, "TLSv1.3");
}

#[test]
fn invalid_config_is_an_error() {
    let mut cfg = client_cfg(false);
    cfg.cipher_list = Some("NO-SUCH-CIPHER".into());
    // Refused as Qt's backend words it, with OpenSSL's reason.
    let Err(TlsError::Setting { message, .. }) = TlsContext::shared(&cfg) else { panic!("cipher list accepted") };
    assert!(message.starts_with("Invalid or empty cipher list (error:"), "{message}");
    let mut cfg = client_cfg(false);
    cfg.min_protocol = Protocol::Tls1_3;
    cfg.max_protocol = Some(Protocol::Tls1_2);
    assert!(matches!(TlsContext::shared(&cfg), Err(TlsError::Config(_))));
    let mut cfg = server_cfg(&pki().server);
    cfg.private_key_der = Some(pki().self_signed.key.private_key_to_der().unwrap()); // wrong key, traditional form
    let Err(TlsError::Setting { message, .. }) = TlsContext::shared(&cfg) else { panic!("wrong key accepted") };
    assert!(message.starts_with("Error loading private key, error:"), "{message}");
    let mut cfg = server_cfg(&pki().server);
    cfg.private_key_der = None;
    assert!(matches!(TlsContext::shared(&cfg), Err(TlsError::Config(_))));
    let mut cfg = client_cfg(false);
    cfg.ca_certs_der = vec![b"not a cert".to_vec()];
    assert!(matches!(TlsContext::shared(&cfg), Err(TlsError::Config(_))));
}

#[test]
fn traditional_key_der_is_accepted() {
    let mut cfg = server_cfg(&pki().server);
    cfg.private_key_der = Some(pki().server.key.private_key_to_der().unwrap());
    let (_, _, r) = connect(&client_cfg(true), &cfg, params("localhost"));
    r.client.unwrap();
    r.server.unwrap();
}

// ---------------------------------------------------------------- data

fn pseudo_random(len: usize, mut seed: u64) -> Vec<u8> {
    let mut v = Vec::with_capacity(len);
    while v.len() < len {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        v.extend_from_slice(&seed.to_le_bytes());
    }
    v.truncate(len);
    v
}

fn sha(d: &[u8]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(d);
    h.finish()
}

/// Moves ciphertext one way in `chunk`-sized pieces, processing after each,
/// and returns (received plaintext, largest piece seen in one process()).
fn stream_one_way(from: &mut TlsConn, to: &mut TlsConn, chunk: usize) -> (Vec<u8>, usize) {
    let mut got = Vec::new();
    let mut biggest = 0;
    while !from.tls_to_send().is_empty() {
        let n = from.tls_to_send().len().min(chunk);
        to.feed_tls(&from.tls_to_send()[..n]);
        from.consume_tls_to_send(n);
        to.process().unwrap();
        biggest = biggest.max(to.plaintext().len());
        got.extend_from_slice(to.plaintext());
        let l = to.plaintext().len();
        to.consume_plaintext(l);
    }
    (got, biggest)
}

#[test]
fn large_data_10mib_each_way() {
    const SIZE: usize = 10 * 1024 * 1024;
    let (mut c, mut s, r) = connect(
        &client_cfg(true),
        &server_cfg(&pki().server),
        params("localhost"),
    );
    r.client.unwrap();
    r.server.unwrap();
    // Let TLS 1.3 tickets arrive first so only application data moves below.
    let _ = pump(&mut c, &mut s);
    let up = pseudo_random(SIZE, 0x1234_5678_9abc_def1);
    let down = pseudo_random(SIZE, 0x0fed_cba9_8765_4321);

    let t = Instant::now();
    c.write_plaintext(&up).unwrap();
    s.write_plaintext(&down).unwrap();
    let t_encrypt = t.elapsed();

    let t = Instant::now();
    let (got_up, big_up) = stream_one_way(&mut c, &mut s, 1 << 20);
    let (got_down, big_down) = stream_one_way(&mut s, &mut c, 1 << 20);
    let t_decrypt = t.elapsed();

    assert_eq!(got_up.len(), SIZE);
    assert_eq!(got_down.len(), SIZE);
    assert_eq!(sha(&got_up), sha(&up));
    assert_eq!(sha(&got_down), sha(&down));
    // 1 MiB of ciphertext per process() must come out as ~1 MiB of plaintext, not one record.
    assert!(big_up > 900 * 1024, "largest plaintext piece {big_up}");
    assert!(big_down > 900 * 1024, "largest plaintext piece {big_down}");

    // Everything at once: one process() yields the whole 10 MiB.
    let t = Instant::now();
    c.write_plaintext(&up).unwrap();
    let n = c.tls_to_send().len();
    s.feed_tls(c.tls_to_send());
    c.consume_tls_to_send(n);
    s.process().unwrap();
    assert_eq!(s.plaintext().len(), SIZE);
    assert_eq!(sha(s.plaintext()), sha(&up));
    let t_bulk = t.elapsed();
    eprintln!(
        "10 MiB each way: encrypt both {t_encrypt:?}, decrypt both (1 MiB feeds) {t_decrypt:?}; \
         10 MiB single feed encrypt+decrypt {t_bulk:?}"
    );
}

#[test]
fn data_written_before_handshake_arrives() {
    let cctx = TlsContext::shared(&client_cfg(true)).unwrap();
    let sctx = TlsContext::shared(&server_cfg(&pki().server)).unwrap();
    let mut c = TlsConn::new(&cctx, params("localhost")).unwrap();
    let mut s = TlsConn::new(&sctx, SessionParams::default()).unwrap();
    c.write_plaintext(b"early client ").unwrap();
    c.write_plaintext(b"data").unwrap();
    s.write_plaintext(b"early server data").unwrap();
    assert_eq!(c.pending_plaintext_out(), 17);
    assert_eq!(s.pending_plaintext_out(), 17);
    assert!(c.plaintext().is_empty());
    let r = pump(&mut c, &mut s);
    r.client.unwrap();
    r.server.unwrap();
    assert_eq!(c.pending_plaintext_out(), 0);
    assert_eq!(s.pending_plaintext_out(), 0);
    assert_eq!(take_plain(&mut s), b"early client data");
    assert_eq!(take_plain(&mut c), b"early server data");
}

#[test]
fn early_data_held_when_verification_fails() {
    let cctx = TlsContext::shared(&client_cfg(false)).unwrap();
    let sctx = TlsContext::shared(&server_cfg(&pki().self_signed)).unwrap();
    let mut c = TlsConn::new(&cctx, params("localhost")).unwrap();
    let mut s = TlsConn::new(&sctx, SessionParams::default()).unwrap();
    c.write_plaintext(b"secret").unwrap();
    let r = pump(&mut c, &mut s);
    r.client.unwrap();
    assert!(c.is_handshake_done());
    assert!(c.is_output_held());
    assert_eq!(c.pending_plaintext_out(), 6);
    c.write_plaintext(b" more").unwrap(); // still queued, order kept
    let _ = pump(&mut c, &mut s);
    assert!(
        s.plaintext().is_empty(),
        "nothing may reach an unverified peer"
    );
    // The owner ignores the errors: data flows.
    c.release_pending_plaintext().unwrap();
    assert!(!c.is_output_held());
    let _ = pump(&mut c, &mut s);
    assert_eq!(take_plain(&mut s), b"secret more");

    // Errors without VerifyPeer (QueryPeer, VerifyNone) do not hold anything, as in Qt.
    for mode in [PeerVerifyMode::QueryPeer, PeerVerifyMode::VerifyNone] {
        let mut ccfg = client_cfg(false);
        ccfg.verify_mode = mode;
        let cctx = TlsContext::shared(&ccfg).unwrap();
        let mut c = TlsConn::new(&cctx, params("wrong.example")).unwrap();
        let mut s = TlsConn::new(&sctx, SessionParams::default()).unwrap();
        c.write_plaintext(b"early").unwrap();
        let _ = pump(&mut c, &mut s);
        // Qt 6.4 checks the host name under VerifyNone too (only OpenSSL's errors are not
        // collected then).
        assert!(c.peer_errors().iter().any(|e| e.code == qt_error::HOST_NAME_MISMATCH));
        assert!(!c.is_output_held());
        assert_eq!(take_plain(&mut s), b"early");
    }
}

#[test]
fn close_notify_event() {
    let (mut c, mut s, r) = connect(
        &client_cfg(true),
        &server_cfg(&pki().server),
        params("localhost"),
    );
    r.client.unwrap();
    c.take_events();
    s.take_events();
    c.write_plaintext(b"last words").unwrap();
    c.close();
    assert!(matches!(c.write_plaintext(b"more"), Err(TlsError::Closed)));
    let r = pump(&mut c, &mut s);
    r.client.unwrap();
    r.server.unwrap();
    assert_eq!(take_plain(&mut s), b"last words");
    assert!(s.peer_closed());
    assert!(!c.peer_closed());
    let sev = s.take_events();
    assert!(sev.contains(&Event::CloseNotifyReceived), "{sev:?}");
    assert!(
        sev.contains(&Event::AlertReceived {
            level: 1,
            description: 0
        }),
        "{sev:?}"
    );
    assert!(c.take_events().contains(&Event::AlertSent {
        level: 1,
        description: 0
    }));
    // The server answers; now the client sees it too.
    s.close();
    let r = pump(&mut c, &mut s);
    r.client.unwrap();
    assert!(c.peer_closed());
    assert!(c.take_events().contains(&Event::CloseNotifyReceived));
}

// ---------------------------------------------------------------- verification

#[test]
fn self_signed_without_ca() {
    let (c, _s, r) = connect(
        &client_cfg(false),
        &server_cfg(&pki().self_signed),
        params("localhost"),
    );
    r.client.unwrap();
    r.server.unwrap();
    assert_eq!(c.raw_verify_errors(), vec![(18, 0)]);
    assert_eq!(
        codes(&c.peer_errors()),
        vec![(qt_error::SELF_SIGNED_CERTIFICATE, 0)]
    );
    assert_eq!(c.peer_chain_der(), vec![der(&pki().self_signed.chain[0])]);
}

#[test]
fn untrusted_ca_signed_leaf() {
    let (c, _s, r) = connect(
        &client_cfg(false),
        &server_cfg(&pki().server),
        params("localhost"),
    );
    r.client.unwrap();
    let errs = codes(&c.peer_errors());
    assert!(
        errs.contains(&(qt_error::UNABLE_TO_GET_LOCAL_ISSUER_CERTIFICATE, 0)),
        "{errs:?}"
    );
}

#[test]
fn trusted_ca_no_errors() {
    for name in ["localhost", "LOCALHOST", "127.0.0.1", "::1"] {
        let (c, _s, r) = connect(&client_cfg(true), &server_cfg(&pki().server), params(name));
        r.client.unwrap();
        assert!(c.peer_errors().is_empty(), "{name}: {:?}", c.peer_errors());
    }
    // No verify_name: no host-name check at all.
    let p = SessionParams {
        server_name: Some("elsewhere.test".into()),
        verify_name: None,
    };
    let (c, _s, r) = connect(&client_cfg(true), &server_cfg(&pki().server), p);
    r.client.unwrap();
    assert!(c.peer_errors().is_empty());
}

#[test]
fn wrong_host_name() {
    for name in ["example.com", "127.0.0.2"] {
        let (c, _s, r) = connect(&client_cfg(true), &server_cfg(&pki().server), params(name));
        r.client.unwrap();
        assert_eq!(
            codes(&c.peer_errors()),
            vec![(qt_error::HOST_NAME_MISMATCH, 0)],
            "{name}"
        );
    }
    // Both a mismatch and a chain problem: host name first, as in Qt.
    let (c, _s, _) = connect(
        &client_cfg(false),
        &server_cfg(&pki().self_signed),
        params("example.com"),
    );
    assert_eq!(
        codes(&c.peer_errors()),
        vec![
            (qt_error::HOST_NAME_MISMATCH, 0),
            (qt_error::SELF_SIGNED_CERTIFICATE, 0)
        ]
    );
}

#[test]
fn expired_certificate() {
    let (c, _s, r) = connect(
        &client_cfg(true),
        &server_cfg(&pki().expired),
        params("localhost"),
    );
    r.client.unwrap();
    assert_eq!(
        codes(&c.peer_errors()),
        vec![(qt_error::CERTIFICATE_EXPIRED, 0)]
    );
}

#[test]
fn verify_none_records_nothing() {
    let mut ccfg = client_cfg(false);
    ccfg.verify_mode = PeerVerifyMode::VerifyNone;
    let (c, _s, r) = connect(&ccfg, &server_cfg(&pki().self_signed), params("localhost"));
    r.client.unwrap();
    assert!(c.raw_verify_errors().is_empty());
    assert!(c.peer_errors().is_empty());
}

#[test]
fn server_verify_peer_without_client_cert() {
    for version in [Protocol::Tls1_2, Protocol::Tls1_3] {
        let mut scfg = server_cfg(&pki().server);
        scfg.verify_mode = PeerVerifyMode::VerifyPeer;
        scfg.max_protocol = Some(version);
        let (_c, s, r) = connect(&client_cfg(true), &scfg, params("localhost"));
        r.client.unwrap();
        r.server.unwrap();
        assert!(s.is_handshake_done());
        assert_eq!(
            codes(&s.peer_errors()),
            vec![(qt_error::NO_PEER_CERTIFICATE, -1)]
        );
        assert!(s.peer_chain_der().is_empty());
    }
    // Auto on a server means QueryPeer: a missing client cert is fine.
    let (_c, s, r) = connect(
        &client_cfg(true),
        &server_cfg(&pki().server),
        params("localhost"),
    );
    r.server.unwrap();
    assert!(s.peer_errors().is_empty());
}

#[test]
fn client_certificate_chain_visible_on_server() {
    for version in [Protocol::Tls1_2, Protocol::Tls1_3] {
        let mut ccfg = client_cfg(true);
        ccfg.local_chain_der = pki().client.chain.iter().map(der).collect();
        ccfg.private_key_der = Some(pki().client.key.private_key_to_pkcs8().unwrap());
        ccfg.max_protocol = Some(version);
        let mut scfg = server_cfg(&pki().server);
        scfg.verify_mode = PeerVerifyMode::VerifyPeer;
        scfg.ca_certs_der = vec![der(&pki().ca)];
        let (c, s, r) = connect(&ccfg, &scfg, params("localhost"));
        r.client.unwrap();
        r.server.unwrap();
        let expected: Vec<Vec<u8>> = pki().client.chain.iter().map(der).collect();
        assert_eq!(s.peer_chain_der(), expected, "{version:?}");
        assert!(s.peer_errors().is_empty(), "{:?}", s.peer_errors());
        // The server has the root in its store, so OpenSSL auto-chains it (as under Qt).
        assert_eq!(
            c.peer_chain_der(),
            vec![der(&pki().server.chain[0]), der(&pki().ca)]
        );
    }
}

#[test]
fn server_reports_untrusted_client_cert() {
    let mut ccfg = client_cfg(true);
    ccfg.local_chain_der = vec![der(&pki().self_signed.chain[0])];
    ccfg.private_key_der = Some(pki().self_signed.key.private_key_to_pkcs8().unwrap());
    let mut scfg = server_cfg(&pki().server);
    scfg.verify_mode = PeerVerifyMode::QueryPeer;
    let (_c, s, r) = connect(&ccfg, &scfg, params("localhost"));
    r.server.unwrap();
    assert_eq!(
        codes(&s.peer_errors()),
        vec![(qt_error::SELF_SIGNED_CERTIFICATE, 0)]
    );
}

#[test]
fn sni_is_sent_but_not_for_ip_literals() {
    let (_c, s, r) = connect(
        &client_cfg(true),
        &server_cfg(&pki().server),
        params("LocalHost."),
    );
    r.server.unwrap();
    assert_eq!(s.server_name().as_deref(), Some("localhost"));
    let (_c, s, r) = connect(
        &client_cfg(true),
        &server_cfg(&pki().server),
        params("127.0.0.1"),
    );
    r.server.unwrap();
    assert_eq!(s.server_name(), None);
}

#[test]
fn alpn_negotiation() {
    let mut ccfg = client_cfg(true);
    ccfg.alpn = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let mut scfg = server_cfg(&pki().server);
    scfg.alpn = vec![b"http/1.1".to_vec(), b"h2".to_vec()];
    let (c, s, r) = connect(&ccfg, &scfg, params("localhost"));
    r.client.unwrap();
    assert_eq!(c.alpn_selected().as_deref(), Some(&b"h2"[..]));
    assert_eq!(s.alpn_selected().as_deref(), Some(&b"h2"[..]));
    // No overlap: nothing selected, handshake still succeeds.
    scfg.alpn = vec![b"spdy/3".to_vec()];
    let (c, _s, r) = connect(&ccfg, &scfg, params("localhost"));
    r.client.unwrap();
    assert_eq!(c.alpn_selected(), None);
}

/// The NewSessionTicket events (TLS 1.3 tickets that arrived after the handshake).
fn tickets(events: Vec<Event>) -> Vec<(Vec<u8>, u64)> {
    events
        .into_iter()
        .filter_map(|e| match e {
            Event::NewSessionTicket(t) => Some((t.der, t.lifetime_hint)),
            _ => None,
        })
        .collect()
}

/// A client offering `ticket` to a new connection of the server context.
fn resume(ccfg: &TlsConfig, sctx: &Arc<TlsContext>, ticket: &[u8]) -> (TlsConn, TlsConn) {
    let cctx = TlsContext::shared(ccfg).unwrap();
    let mut c = TlsConn::new(&cctx, params("localhost")).unwrap();
    c.set_session_ticket_der(ticket).unwrap();
    let mut s = TlsConn::new(sctx, SessionParams::default()).unwrap();
    pump(&mut c, &mut s).client.unwrap();
    (c, s)
}

#[test]
fn tls13_ticket_resumes_against_our_server_context() {
    let ccfg = client_cfg(true);
    let scfg = server_cfg(&pki().server);
    let sctx = TlsContext::shared(&scfg).unwrap(); // keep the server context (ticket keys) alive
    let (mut c, _s, r) = connect(&ccfg, &scfg, params("localhost"));
    r.client.unwrap();
    assert_eq!(c.protocol(), Some(Protocol::Tls1_3));
    // OpenSSL's server sends two tickets after a full handshake.
    let got = tickets(c.take_events());
    assert_eq!(got.len(), 2);
    let (ticket, hint) = got.last().unwrap().clone();
    assert!(hint > 0);
    assert!(!c.session_reused());
    let (c2, s2) = resume(&ccfg, &sctx, &ticket);
    assert!(c2.session_reused());
    assert!(s2.session_reused());

    let (c3, s3) = resume(&ccfg, &sctx, &c.current_session().unwrap().der);
    assert!(c3.session_reused() && s3.session_reused(), "the latest ticket is the current session");
    // A ticket of another server context (other ticket keys): a full handshake.
    let other = TlsContext::shared(&TlsConfig { verify_depth: 7, ..scfg.clone() }).unwrap();
    let (c4, _s4) = resume(&ccfg, &other, &ticket);
    assert!(!c4.session_reused());
}

#[test]
fn tls12_session_resumes_against_our_server_context() {
    let mut ccfg = client_cfg(true);
    ccfg.max_protocol = Some(Protocol::Tls1_2);
    let scfg = server_cfg(&pki().server);
    let sctx = TlsContext::shared(&scfg).unwrap();
    let (mut c, _s, r) = connect(&ccfg, &scfg, params("localhost"));
    r.client.unwrap();
    // TLS 1.2 delivers its ticket inside the handshake: no NewSessionTicket event.
    assert!(tickets(c.take_events()).is_empty());
    let session = c.current_session().expect("session");
    assert!(session.lifetime_hint > 0);
    let (c2, s2) = resume(&ccfg, &sctx, &session.der);
    assert!(c2.session_reused());
    assert!(s2.session_reused());
}

#[test]
fn no_tickets_still_connects_and_junk_sessions_are_refused() {
    // Tickets off (SSL_OP_NO_TICKET): the connection still works.
    let mut scfg = server_cfg(&pki().server);
    scfg.session_tickets = false;
    let mut ccfg = client_cfg(true);
    ccfg.max_protocol = Some(Protocol::Tls1_2);
    let (mut c, _s, r) = connect(&ccfg, &scfg, params("localhost"));
    r.client.unwrap();
    assert!(c.take_events().contains(&Event::HandshakeDone));
    assert!(c.set_session_ticket_der(b"junk").is_err());
}

// ---------------------------------------------------------------- garbage

fn assert_sticky(conn: &mut TlsConn, first: TlsError) {
    assert_eq!(conn.process().unwrap_err(), first);
    conn.feed_tls(b"more bytes");
    assert_eq!(conn.process().unwrap_err(), first);
    assert_eq!(conn.write_plaintext(b"x").unwrap_err(), first);
    assert_eq!(conn.error(), Some(&first));
}

#[test]
fn garbage_into_server_and_client() {
    let sctx = TlsContext::shared(&server_cfg(&pki().server)).unwrap();
    let cctx = TlsContext::shared(&client_cfg(true)).unwrap();
    for seed in 1..200u64 {
        let len = (seed as usize * 37) % 3000 + 1;
        let junk = pseudo_random(len, seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let mut s = TlsConn::new(&sctx, SessionParams::default()).unwrap();
        s.feed_tls(&junk);
        if let Err(e) = s.process() {
            assert_sticky(&mut s, e);
        }
        let mut c = TlsConn::new(&cctx, params("localhost")).unwrap();
        c.process().unwrap(); // ClientHello out
        c.feed_tls(&junk);
        if let Err(e) = c.process() {
            assert_sticky(&mut c, e);
        }
    }
    // Plain HTTP at a TLS server is a handshake error.
    let mut s = TlsConn::new(&sctx, SessionParams::default()).unwrap();
    s.feed_tls(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    let e = s.process().unwrap_err();
    assert!(matches!(e, TlsError::Handshake(_)), "{e:?}");
    assert_sticky(&mut s, e);
}

#[test]
fn truncated_and_corrupted_handshake() {
    let sctx = TlsContext::shared(&server_cfg(&pki().server)).unwrap();
    let cctx = TlsContext::shared(&client_cfg(true)).unwrap();
    let mut c = TlsConn::new(&cctx, params("localhost")).unwrap();
    c.process().unwrap();
    let hello = c.tls_to_send().to_vec();
    assert!(hello.len() > 50);

    // Byte by byte: waits, never fails, then completes the hello.
    let mut s = TlsConn::new(&sctx, SessionParams::default()).unwrap();
    for b in &hello {
        s.feed_tls(&[*b]);
        s.process().unwrap();
    }
    assert!(
        !s.tls_to_send().is_empty(),
        "server answered a complete hello"
    );

    // Truncated hello: waits for more.
    let mut s = TlsConn::new(&sctx, SessionParams::default()).unwrap();
    s.feed_tls(&hello[..hello.len() / 2]);
    s.process().unwrap();
    assert!(s.tls_to_send().is_empty());

    // Every single-byte corruption of the hello: error or not, never a panic.
    for i in 0..hello.len() {
        let mut bad = hello.clone();
        bad[i] ^= 0x5a;
        let mut s = TlsConn::new(&sctx, SessionParams::default()).unwrap();
        s.feed_tls(&bad);
        if let Err(e) = s.process() {
            assert_sticky(&mut s, e);
        }
    }
}

#[test]
fn garbage_after_handshake_is_sticky() {
    let (mut c, mut s, r) = connect(
        &client_cfg(true),
        &server_cfg(&pki().server),
        params("localhost"),
    );
    r.client.unwrap();
    r.server.unwrap();
    // A well-formed application-data record header with junk inside: bad MAC.
    let mut rec = vec![23u8, 3, 3, 0, 64];
    rec.extend(pseudo_random(64, 77));
    s.feed_tls(&rec);
    let e = s.process().unwrap_err();
    assert!(matches!(e, TlsError::Protocol(_)), "{e:?}");
    assert_sticky(&mut s, e);
    // The server told the client (bad_record_mac, fatal) before giving up.
    assert!(s.take_events().contains(&Event::AlertSent {
        level: 2,
        description: 20
    }));
    let n = s.tls_to_send().len();
    c.feed_tls(s.tls_to_send());
    s.consume_tls_to_send(n);
    let e = c.process().unwrap_err();
    assert!(c.take_events().contains(&Event::AlertReceived {
        level: 2,
        description: 20
    }));
    assert_sticky(&mut c, e);
    c.close(); // no-op on a failed connection, must not panic
    assert!(c.tls_to_send().is_empty());
}

#[test]
fn corrupted_application_data_in_flight() {
    let (mut c, mut s, r) = connect(
        &client_cfg(true),
        &server_cfg(&pki().server),
        params("localhost"),
    );
    r.client.unwrap();
    let _ = pump(&mut c, &mut s);
    c.write_plaintext(&pseudo_random(100_000, 5)).unwrap();
    let mut wire = c.tls_to_send().to_vec();
    let n = wire.len();
    c.consume_tls_to_send(n);
    wire[n / 2] ^= 1;
    s.feed_tls(&wire);
    let e = s.process().unwrap_err();
    assert_sticky(&mut s, e);
}

// ---------------------------------------------------------------- context cache

#[test]
fn shared_context_cache() {
    // Configs no other (parallel) test uses, so only this test holds them.
    let mut a = client_cfg(true);
    a.alpn = vec![b"cache-test-a".to_vec()];
    let mut b = client_cfg(true);
    b.alpn = vec![b"cache-test-b".to_vec()];
    let x1 = TlsContext::shared(&a).unwrap();
    let x2 = TlsContext::shared(&a.clone()).unwrap();
    let y = TlsContext::shared(&b).unwrap();
    assert!(Arc::ptr_eq(&x1, &x2));
    assert!(!Arc::ptr_eq(&x1, &y));
    // Connections keep the context alive, and so does the cache of recently used ones: the
    // next connection after the last one closed finds it again.
    let conn = TlsConn::new(&x1, SessionParams::default()).unwrap();
    let weak = Arc::downgrade(&x1);
    drop((x1, x2));
    assert!(Arc::ptr_eq(conn.context(), &TlsContext::shared(&a).unwrap()));
    drop(conn);
    let again = TlsContext::shared(&a).unwrap();
    assert!(Arc::ptr_eq(&again, &weak.upgrade().unwrap()));
    assert_eq!(again.config(), &a);
    // Enough newer configurations push it out; then the last handle frees it.
    let newer: Vec<_> = (0..8)
        .map(|i| {
            let mut c = client_cfg(true);
            c.alpn = vec![format!("cache-test-newer-{i}").into_bytes()];
            TlsContext::shared(&c).unwrap()
        })
        .collect();
    drop((again, newer));
    assert!(weak.upgrade().is_none());
}

#[test]
fn thread_safety_bounds() {
    fn send<T: Send>() {}
    fn send_sync<T: Send + Sync>() {}
    send::<TlsConn>();
    send_sync::<TlsContext>();
    send_sync::<TlsError>();
}

#[test]
fn library_info() {
    assert!(openssl_version_number() >= 0x3000_0000);
    assert!(openssl_version_string().starts_with("OpenSSL"));
    let all = ciphers_available();
    assert!(all.iter().any(|c| c.protocol == Some(Protocol::Tls1_3)));
    assert!(all.iter().any(|c| c.protocol == Some(Protocol::Tls1_2)));
}

#[test]
fn backend_groups_and_curves_restrict_key_exchange() {
    let p384 = || vec![(b"Groups".to_vec(), Some(b"P-384".to_vec()))];
    let x25519_server = TlsConfig {
        backend_options: vec![(b"Groups".to_vec(), Some(b"X25519".to_vec()))],
        ..server_cfg(&pki().server)
    };
    let p384_client = TlsConfig { backend_options: p384(), ..client_cfg(true) };
    let curves_client = TlsConfig { curves: vec![Nid::SECP384R1.as_raw()], ..client_cfg(true) };
    for client in [&p384_client, &curves_client] {
        let (_, _, r) = connect(client, &x25519_server, params("localhost"));
        assert!(matches!(r.client, Err(TlsError::Handshake(_))), "{:?}", r.client);
        let (c, _, r) = connect(client, &server_cfg(&pki().server), params("localhost"));
        assert!(r.client.is_ok() && c.is_handshake_done(), "{:?}", r.client);
    }
}

#[test]
fn ephemeral_server_key_as_qt_reports_it() {
    use qsslrs_engine::key::{KeyAlgorithm, KeyType};
    let groups = |name: &str| vec![(b"Groups".to_vec(), Some(name.as_bytes().to_vec()))];
    let tls12 = TlsConfig { max_protocol: Some(Protocol::Tls1_2), ..client_cfg(true) };
    // (client, server groups, algorithm, length): X25519 has no QSsl algorithm (opaque).
    let cases = [
        (client_cfg(true), "X25519", KeyAlgorithm::Opaque, -1),
        (client_cfg(true), "P-256", KeyAlgorithm::Ec, 256),
        (client_cfg(true), "P-384", KeyAlgorithm::Ec, 384),
        (tls12.clone(), "P-384", KeyAlgorithm::Ec, 384),
        (tls12, "X25519", KeyAlgorithm::Opaque, -1),
    ];
    for (client, server_groups, algorithm, length) in cases {
        let server = TlsConfig { backend_options: groups(server_groups), ..server_cfg(&pki().server) };
        let cctx = TlsContext::shared(&client).unwrap();
        let sctx = TlsContext::shared(&server).unwrap();
        let mut c = TlsConn::new(&cctx, params("localhost")).unwrap();
        let mut s = TlsConn::new(&sctx, SessionParams::default()).unwrap();
        assert!(c.ephemeral_server_key().is_none(), "none before the handshake");
        let r = pump(&mut c, &mut s);
        assert!(r.client.is_ok() && c.is_handshake_done(), "{server_groups}: {:?}", r.client);
        let key = c.ephemeral_server_key().expect(server_groups);
        assert_eq!(
            (key.is_null(), key.key_type(), key.algorithm(), key.length()),
            (false, KeyType::Public, algorithm, length),
            "{server_groups}"
        );
        // Qt writes EC keys as PEM, opaque ones not at all.
        assert_eq!(key.to_pem(b"").is_empty(), algorithm == KeyAlgorithm::Opaque, "{server_groups}");
        // Qt asks only as a client.
        assert!(s.ephemeral_server_key().is_none(), "{server_groups}: server side");
    }
}

// ---------------------------------------------------------------- questions to the owner

/// Answers PSK requests with fixed credentials and interruptions with a fixed verdict, and
/// remembers what it was asked.
#[derive(Default)]
struct Owner {
    identity: Vec<u8>,
    key: Vec<u8>,
    go_on: bool,
    asked: Vec<String>,
}

impl HandshakeHooks for Owner {
    fn psk_client(&mut self, hint: Option<&[u8]>, max_identity: usize, max_psk: usize) -> PskCredentials {
        self.asked.push(format!(
            "client hint={:?} max={max_identity}/{max_psk}",
            hint.map(String::from_utf8_lossy)
        ));
        PskCredentials { identity: self.identity.clone(), key: self.key.clone() }
    }
    fn psk_server(&mut self, identity: Option<&[u8]>, max_psk: usize) -> Vec<u8> {
        self.asked.push(format!("server identity={:?} max={max_psk}", identity.map(String::from_utf8_lossy)));
        self.key.clone()
    }
    fn verification_error(&mut self, qt_error: i32, certificate_der: &[u8]) -> bool {
        self.asked.push(format!("verify {qt_error} cert={}", !certificate_der.is_empty()));
        self.go_on
    }
}

/// Moves what `from` has to send to `to`; false when there was nothing.
fn shuttle(from: &mut TlsConn, to: &mut TlsConn) -> bool {
    let n = from.tls_to_send().len();
    to.feed_tls(from.tls_to_send());
    from.consume_tls_to_send(n);
    n > 0
}

/// `pump` with each side's questions answered by its owner.
fn pump_with(c: &mut TlsConn, co: &mut Owner, s: &mut TlsConn, so: &mut Owner) -> Pumped {
    let mut res = Pumped { client: Ok(()), server: Ok(()) };
    for _ in 0..10_000 {
        res.client = c.process_with(co);
        res.server = s.process_with(so);
        let moved = shuttle(c, s) | shuttle(s, c);
        if !moved {
            return res;
        }
    }
    panic!("pump did not settle");
}

fn psk_configs(hint: &[u8]) -> (TlsConfig, TlsConfig) {
    let cipher = Some("PSK-AES128-GCM-SHA256".to_string());
    // As in Qt, a PSK peer sends no certificate: a client that verifies would reject it.
    let client = TlsConfig {
        max_protocol: Some(Protocol::Tls1_2),
        cipher_list: cipher.clone(),
        verify_mode: PeerVerifyMode::VerifyNone,
        ..client_cfg(false)
    };
    let server = TlsConfig {
        role: Role::Server,
        max_protocol: Some(Protocol::Tls1_2),
        cipher_list: cipher,
        psk_identity_hint: hint.to_vec(),
        ..Default::default()
    };
    (client, server)
}

fn psk_pair(hint: &[u8], client_key: &[u8], server_key: &[u8]) -> (TlsConn, Owner, TlsConn, Owner, Pumped) {
    let (ccfg, scfg) = psk_configs(hint);
    let mut c = TlsConn::new(&TlsContext::shared(&ccfg).unwrap(), SessionParams::default()).unwrap();
    let mut s = TlsConn::new(&TlsContext::shared(&scfg).unwrap(), SessionParams::default()).unwrap();
    let mut co = Owner { identity: b"client-id".to_vec(), key: client_key.to_vec(), ..Default::default() };
    let mut so = Owner { key: server_key.to_vec(), ..Default::default() };
    let r = pump_with(&mut c, &mut co, &mut s, &mut so);
    (c, co, s, so, r)
}

#[test]
fn psk_handshake_asks_both_owners() {
    let (mut c, co, mut s, so, r) = psk_pair(b"the hint", b"\x01\x02\x03\x04", b"\x01\x02\x03\x04");
    r.client.unwrap();
    r.server.unwrap();
    assert!(c.is_handshake_done() && s.is_handshake_done());
    assert_eq!(c.cipher().unwrap().name, "PSK-AES128-GCM-SHA256");
    assert_eq!(co.asked, vec!["client hint=Some(\"the hint\") max=256/512"]);
    assert_eq!(so.asked, vec!["server identity=Some(\"client-id\") max=512"]);
    c.write_plaintext(b"over psk").unwrap();
    pump(&mut c, &mut s);
    assert_eq!(take_plain(&mut s), b"over psk");
}

#[test]
fn psk_refused_or_wrong_fails_the_handshake() {
    let (_, _, _, _, r) = psk_pair(b"", b"", b"\x01");
    assert!(matches!(r.client, Err(TlsError::Handshake(_))), "{:?}", r.client);
    let (_, _, _, so, r) = psk_pair(b"", b"\x01", b"\x02");
    assert!(r.client.is_err() && r.server.is_err());
    assert_eq!(so.asked.len(), 1);
    // No owner to ask: refused.
    let (ccfg, scfg) = psk_configs(b"");
    let (_, _, r) = connect(&ccfg, &scfg, SessionParams::default());
    assert!(r.client.is_err());
}

#[test]
fn tls13_client_never_offers_an_external_psk() {
    // Qt's TLS 1.3 ClientHello carries no external PSK: its app is not asked.
    let mut co = Owner { identity: b"id".to_vec(), key: b"\x01".to_vec(), ..Default::default() };
    let mut so = Owner::default();
    let ccfg = client_cfg(true);
    let mut c = TlsConn::new(&TlsContext::shared(&ccfg).unwrap(), params("localhost")).unwrap();
    let mut s = TlsConn::new(&TlsContext::shared(&server_cfg(&pki().server)).unwrap(), SessionParams::default()).unwrap();
    let r = pump_with(&mut c, &mut co, &mut s, &mut so);
    r.client.unwrap();
    assert_eq!(c.protocol(), Some(Protocol::Tls1_3));
    assert!(co.asked.is_empty() && so.asked.is_empty());
}

fn interrupting_client() -> TlsConfig {
    TlsConfig { interrupt_on_verify_error: true, ..client_cfg(false) }
}

#[test]
fn interrupted_verification_goes_on_when_the_owner_says_so() {
    let mut c = TlsConn::new(&TlsContext::shared(&interrupting_client()).unwrap(), params("localhost")).unwrap();
    let mut s = TlsConn::new(&TlsContext::shared(&server_cfg(&pki().self_signed)).unwrap(), SessionParams::default()).unwrap();
    let mut co = Owner { go_on: true, ..Default::default() };
    let r = pump_with(&mut c, &mut co, &mut s, &mut Owner::default());
    r.client.unwrap();
    assert!(c.is_handshake_done());
    assert_eq!(co.asked, vec![format!("verify {} cert=true", qt_error::SELF_SIGNED_CERTIFICATE)]);
    assert_eq!(codes(&c.peer_errors()), vec![(qt_error::SELF_SIGNED_CERTIFICATE, 0)]);
}

#[test]
fn interrupted_verification_fails_when_the_owner_refuses() {
    let mut c = TlsConn::new(&TlsContext::shared(&interrupting_client()).unwrap(), params("localhost")).unwrap();
    let mut s = TlsConn::new(&TlsContext::shared(&server_cfg(&pki().self_signed)).unwrap(), SessionParams::default()).unwrap();
    let mut co = Owner::default();
    let r = pump_with(&mut c, &mut co, &mut s, &mut Owner::default());
    // Qt gives no reason for a handshake its app refused.
    assert_eq!(r.client, Err(TlsError::Handshake(String::new())));
    assert!(r.server.is_err());
    assert_eq!(co.asked.len(), 1);
    // The server was told why.
    let events = s.take_events();
    assert!(events.iter().any(|e| matches!(e, Event::AlertReceived { level: 2, .. })), "{events:?}");
}

// ---------------------------------------------------------------- OCSP stapling

fn stapling_client() -> TlsConfig {
    TlsConfig { ocsp_stapling: true, ..client_cfg(true) }
}

fn stapling_server(response: &[u8]) -> TlsConfig {
    let mut config = server_cfg(&pki().server);
    config.backend_options.push((STAPLED_RESPONSE_KEY.to_vec(), Some(response.to_vec())));
    config
}

#[test]
fn ocsp_missing_response_is_a_verification_error() {
    let (c, _s, r) = connect(&stapling_client(), &server_cfg(&pki().server), params("localhost"));
    r.client.unwrap();
    assert_eq!(codes(&c.peer_errors()), vec![(qt_error::OCSP_NO_RESPONSE_FOUND, -1)]);
    assert_eq!(c.peer_errors()[0].stage, Stage::Ocsp);
    assert!(c.ocsp_response().is_none() && c.ocsp_failure().is_none());
}

#[test]
fn ocsp_undecodable_response_fails_and_is_only_checked_when_verifying() {
    let (c, _s, r) = connect(&stapling_client(), &stapling_server(b"junk"), params("localhost"));
    r.client.unwrap();
    assert_eq!(c.ocsp_failure(), Some("Failed to decode OCSP response"));
    let query = TlsConfig { verify_mode: PeerVerifyMode::QueryPeer, ..stapling_client() };
    let (c, _s, r) = connect(&query, &stapling_server(b"junk"), params("localhost"));
    r.client.unwrap();
    assert!(c.ocsp_failure().is_none() && c.peer_errors().is_empty());
}

#[test]
fn ocsp_settings_qt_refuses() {
    let server = TlsConfig { ocsp_stapling: true, ..server_cfg(&pki().server) };
    assert_eq!(TlsContext::shared(&server).unwrap_err().message(), "Server-side QSslSocket does not support OCSP stapling");
    let mut client = client_cfg(true);
    client.backend_options.push((STAPLED_RESPONSE_KEY.to_vec(), Some(b"der".to_vec())));
    assert_eq!(TlsContext::shared(&client).unwrap_err().message(), "Client-side sockets do not send OCSP responses");
    // An empty response staples nothing: the handshake fails as in Qt.
    let (_, _, r) = connect(&stapling_client(), &stapling_server(b""), params("localhost"));
    assert!(r.client.is_err() && r.server.is_err());
}

// The extension settings (qssl-rs' own backend keys).

fn with_option(mut config: TlsConfig, key: &[u8], value: &[u8]) -> TlsConfig {
    config.backend_options.push((key.to_vec(), Some(value.to_vec())));
    config
}

fn pin_of(cert: &X509) -> String {
    openssl::base64::encode_block(&qsslrs_engine::verify::public_key_pin(cert).unwrap())
}

#[test]
fn public_key_pins() {
    let server = server_cfg(&pki().server);
    // The leaf's key, or the trust anchor's (verification completed the chain with it): no error.
    for pinned in [&pki().server.chain[0], &pki().ca] {
        let pins = format!("{},{}", openssl::base64::encode_block(&[7; 32]), pin_of(pinned));
        let (c, _s, r) = connect(&with_option(client_cfg(true), PUBLIC_KEY_PINS_KEY, pins.as_bytes()), &server, params("localhost"));
        r.client.unwrap();
        assert!(c.peer_errors().is_empty(), "{:?}", c.peer_errors());
    }
    // None of them: CertificateRejected on the leaf, a check of its own.
    let pins = openssl::base64::encode_block(&[7; 32]);
    let (c, _s, r) = connect(&with_option(client_cfg(true), PUBLIC_KEY_PINS_KEY, pins.as_bytes()), &server, params("localhost"));
    r.client.unwrap();
    assert_eq!(c.peer_errors(), vec![PeerError { code: qt_error::CERTIFICATE_REJECTED, cert_index: 0, stage: Stage::Pin }]);
    // Not digests: the configuration is refused.
    assert!(TlsContext::shared(&with_option(client_cfg(true), PUBLIC_KEY_PINS_KEY, b"abc")).is_err());
}

#[test]
fn keying_material_and_group() {
    for version in [Protocol::Tls1_2, Protocol::Tls1_3] {
        let mut client = client_cfg(true);
        client.min_protocol = version;
        client.max_protocol = Some(version);
        let (c, s, r) = connect(&client, &server_cfg(&pki().server), params("localhost"));
        r.client.unwrap();
        let exported = c.export_keying_material("EXPORTER-test", Some(b"context"), 40).unwrap();
        assert_eq!(exported.len(), 40);
        assert_eq!(s.export_keying_material("EXPORTER-test", Some(b"context"), 40).unwrap(), exported);
        assert_ne!(c.export_keying_material("EXPORTER-test", None, 40).unwrap(), exported);
        assert!(c.negotiated_group().is_some_and(|group| !group.is_empty()));
        assert_eq!(c.negotiated_group(), s.negotiated_group());
    }
}

#[test]
fn server_name_certificates() {
    // The expired identity under its own name; the configuration's own for any other.
    let expired = &pki().expired;
    let mut pem = String::from("-----BEGIN QSSLRS SERVER NAME-----\nold.test\n-----END QSSLRS SERVER NAME-----\n");
    pem += std::str::from_utf8(&expired.chain[0].to_pem().unwrap()).unwrap();
    pem += std::str::from_utf8(&expired.key.private_key_to_pem_pkcs8().unwrap()).unwrap();
    let server = with_option(server_cfg(&pki().server), SERVER_NAME_CERTIFICATES_KEY, pem.as_bytes());
    for (name, chosen) in [("old.test", &expired.chain[0]), ("localhost", &pki().server.chain[0])] {
        let (c, _s, r) = connect(&client_cfg(true), &server, params(name));
        r.client.unwrap();
        assert_eq!(c.peer_chain()[0].x509().to_der().unwrap(), chosen.to_der().unwrap(), "{name}");
    }
    let no_key = "-----BEGIN QSSLRS SERVER NAME-----\nold.test\n-----END QSSLRS SERVER NAME-----\n";
    assert!(TlsContext::shared(&with_option(server_cfg(&pki().server), SERVER_NAME_CERTIFICATES_KEY, no_key.as_bytes())).is_err());
}
