//! In-memory DTLS client <-> server tests: datagrams lost, reordered, duplicated, fragmented by a
//! small MTU, cookies, garbage.

use std::sync::OnceLock;
use std::time::Duration;

use openssl::asn1::Asn1Time;
use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::x509::extension::SubjectAlternativeName;
use openssl::x509::{X509Name, X509};
use qsslrs_engine::*;

struct Identity {
    cert: X509,
    key: PKey<Private>,
}

/// One self-signed server certificate for localhost, made once.
fn identity() -> &'static Identity {
    static ID: OnceLock<Identity> = OnceLock::new();
    ID.get_or_init(|| {
        let key = PKey::from_ec_key(EcKey::generate(&EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).unwrap()).unwrap())
            .unwrap();
        let mut name = X509Name::builder().unwrap();
        name.append_entry_by_nid(Nid::COMMONNAME, "localhost").unwrap();
        let name = name.build();
        let mut b = X509::builder().unwrap();
        b.set_version(2).unwrap();
        b.set_subject_name(&name).unwrap();
        b.set_issuer_name(&name).unwrap();
        b.set_pubkey(&key).unwrap();
        b.set_not_before(&Asn1Time::days_from_now(0).unwrap()).unwrap();
        b.set_not_after(&Asn1Time::days_from_now(30).unwrap()).unwrap();
        let san = SubjectAlternativeName::new().dns("localhost").build(&b.x509v3_context(None, None)).unwrap();
        b.append_extension(san).unwrap();
        b.sign(&key, MessageDigest::sha256()).unwrap();
        Identity { cert: b.build(), key }
    })
}

fn server_config(cookies: bool) -> TlsConfig {
    TlsConfig {
        role: Role::Server,
        transport: Transport::Datagram,
        min_protocol: Protocol::Dtls1_2,
        local_chain_der: vec![identity().cert.to_der().unwrap()],
        private_key_der: Some(identity().key.private_key_to_pkcs8().unwrap()),
        dtls_cookie: cookies.then(|| CookieSecret { secret: b"0123456789abcdef".to_vec(), digest: "SHA256".into() }),
        ..TlsConfig::default()
    }
}

fn client_config() -> TlsConfig {
    TlsConfig {
        role: Role::Client,
        transport: Transport::Datagram,
        min_protocol: Protocol::Dtls1_2,
        ca_certs_der: vec![identity().cert.to_der().unwrap()],
        ..TlsConfig::default()
    }
}

/// Short, so that lost flights cost little time; long enough that a busy machine does not fire it
/// in the middle of a flight.
const FIRST_TIMEOUT: Duration = Duration::from_millis(30);

fn pair(cookies: bool, mtu: u16) -> (DtlsConn, DtlsConn) {
    let client = TlsContext::shared(&client_config()).unwrap();
    let server = TlsContext::shared(&server_config(cookies)).unwrap();
    let mut c = DtlsConn::new(&client, b"server:443", mtu, Some("localhost")).unwrap();
    let mut s = DtlsConn::new(&server, b"127.0.0.1:5000", mtu, None).unwrap();
    for conn in [&mut c, &mut s] {
        conn.set_first_timeout(FIRST_TIMEOUT);
    }
    (c, s)
}

/// Runs the handshake through `network` (what the network does to every flight, both ways),
/// firing the retransmission timers when nothing moves; returns how many timeouts were handled.
fn handshake(c: &mut DtlsConn, s: &mut DtlsConn, network: &mut dyn FnMut(Vec<Vec<u8>>) -> Vec<Vec<u8>>) -> usize {
    let mut timeouts = 0;
    for _ in 0..2000 {
        c.process().unwrap();
        s.process().unwrap();
        if c.is_handshake_done() && s.is_handshake_done() {
            return timeouts;
        }
        let mut moved = false;
        for datagram in network(c.take_datagrams()) {
            s.feed_datagram(&datagram);
            moved = true;
        }
        for datagram in network(s.take_datagrams()) {
            c.feed_datagram(&datagram);
            moved = true;
        }
        if !moved {
            // Nothing in flight: wait for the earliest retransmission timer.
            let wait = [c.timeout(), s.timeout()].into_iter().flatten().min().unwrap_or(FIRST_TIMEOUT);
            std::thread::sleep(wait.min(Duration::from_secs(2)) + Duration::from_millis(1));
            for conn in [&mut *c, &mut *s] {
                if conn.timeout() == Some(Duration::ZERO) {
                    assert!(conn.handle_timeout().unwrap());
                    timeouts += 1;
                }
            }
        }
    }
    panic!("the handshake did not finish");
}

fn exchange(c: &mut DtlsConn, s: &mut DtlsConn) {
    c.encrypt(b"ping").unwrap();
    let datagrams = c.take_datagrams();
    assert_eq!(datagrams.len(), 1, "one datagram per write");
    assert_eq!(s.decrypt(&datagrams[0]).unwrap(), b"ping");
    s.encrypt(b"pong").unwrap();
    let answer: Vec<u8> = s.take_datagrams().iter().flat_map(|d| c.decrypt(d).unwrap()).collect();
    assert_eq!(answer, b"pong");
}

#[test]
fn handshake_and_datagrams() {
    let (mut c, mut s) = pair(false, 0);
    assert_eq!(handshake(&mut c, &mut s, &mut |flight| flight), 0);
    assert_eq!(c.protocol(), Some(Protocol::Dtls1_2));
    assert!(c.peer_errors().is_empty(), "{:?}", c.peer_errors());
    exchange(&mut c, &mut s);
    // close_notify ends the peer's side.
    c.shutdown();
    let close = c.take_datagrams();
    assert_eq!(close.len(), 1);
    assert!(s.decrypt(&close[0]).unwrap().is_empty());
    assert!(s.peer_closed());
}

#[test]
fn lost_datagrams_are_sent_again() {
    let (mut c, mut s) = pair(false, 0);
    // Every other flight is lost once.
    let mut flight = 0;
    let timeouts = handshake(&mut c, &mut s, &mut |datagrams| {
        flight += 1;
        if flight % 2 == 1 && flight < 8 { Vec::new() } else { datagrams }
    });
    assert!(timeouts > 0);
    exchange(&mut c, &mut s);
}

#[test]
fn reordered_and_duplicated_datagrams() {
    let (mut c, mut s) = pair(false, 300);
    let timeouts = handshake(&mut c, &mut s, &mut |mut datagrams| {
        datagrams.reverse();
        let copies = datagrams.clone();
        datagrams.extend(copies);
        datagrams
    });
    assert!(timeouts < 10, "{timeouts}");
    exchange(&mut c, &mut s);
}

#[test]
fn small_mtu_fragments_the_handshake() {
    // (OpenSSL sends its NewSessionTicket, about 280 bytes here, unfragmented: 300 leaves room.)
    let (mut c, mut s) = pair(false, 300);
    let mut largest = 0;
    let mut most_in_a_flight = 0;
    handshake(&mut c, &mut s, &mut |datagrams| {
        most_in_a_flight = most_in_a_flight.max(datagrams.len());
        largest = datagrams.iter().map(Vec::len).max().unwrap_or(0).max(largest);
        datagrams
    });
    assert!(largest <= 300, "{largest}");
    assert!(most_in_a_flight > 2, "{most_in_a_flight}");
    exchange(&mut c, &mut s);
}

#[test]
fn cookies_are_required_and_checked() {
    let (mut c, mut s) = pair(true, 0);
    c.process().unwrap();
    let hello = c.take_datagrams();
    for datagram in &hello {
        s.feed_datagram(datagram);
    }
    s.process().unwrap();
    assert!(!s.is_handshake_done());
    // The server answers the first ClientHello with a HelloVerifyRequest (type 3) only.
    let verify_request = s.take_datagrams();
    assert!(!verify_request.is_empty());
    assert!(verify_request.iter().all(|d| d[13] == 3), "HelloVerifyRequest only");
    for datagram in &verify_request {
        c.feed_datagram(datagram);
    }
    c.process().unwrap();
    let hello_with_cookie = c.take_datagrams();

    // The same ClientHello, cookie and all, from another address: refused.
    let server = TlsContext::shared(&server_config(true)).unwrap();
    let mut elsewhere = DtlsConn::new(&server, b"10.0.0.9:7000", 0, None).unwrap();
    for datagram in &hello_with_cookie {
        elsewhere.feed_datagram(datagram);
    }
    elsewhere.process().unwrap();
    let answer = elsewhere.take_datagrams();
    assert!(answer.iter().all(|d| d[13] == 3), "a wrong cookie must not get a ServerHello");

    // From the right address, the handshake goes on.
    for datagram in &hello_with_cookie {
        s.feed_datagram(datagram);
    }
    handshake(&mut c, &mut s, &mut |flight| flight);
    exchange(&mut c, &mut s);
}

#[test]
fn garbage_datagrams_are_dropped() {
    let (mut c, mut s) = pair(true, 0);
    let garbage: Vec<Vec<u8>> = vec![
        vec![],
        vec![0xff; 3],
        vec![22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff],
        vec![23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 9, 0, 4, 1, 2, 3, 4],
        (0..1500).map(|i| (i * 7) as u8).collect(),
    ];
    for datagram in &garbage {
        s.feed_datagram(datagram);
        c.feed_datagram(datagram);
    }
    let _ = s.process();
    let _ = c.process();
    // Garbage costs nothing: a fresh pair still gets through the same way.
    let (mut c, mut s) = pair(true, 0);
    let mut first = true;
    handshake(&mut c, &mut s, &mut |mut flight| {
        if std::mem::take(&mut first) {
            flight.splice(0..0, garbage.clone());
        }
        flight
    });
    exchange(&mut c, &mut s);
    // And after the handshake, garbage decrypts to nothing.
    for datagram in &garbage {
        assert_eq!(s.decrypt(datagram).unwrap_or_default(), Vec::<u8>::new());
    }
}

#[test]
fn verification_errors_as_for_tls() {
    let client = TlsContext::shared(&TlsConfig { ca_certs_der: Vec::new(), ..client_config() }).unwrap();
    let server = TlsContext::shared(&server_config(false)).unwrap();
    let mut c = DtlsConn::new(&client, b"s", 0, Some("localhost")).unwrap();
    let mut s = DtlsConn::new(&server, b"c", 0, None).unwrap();
    handshake(&mut c, &mut s, &mut |flight| flight);
    let errors: Vec<i32> = c.peer_errors().iter().map(|e| e.code).collect();
    assert_eq!(errors, vec![qt_error::SELF_SIGNED_CERTIFICATE]);
}

#[test]
fn stream_contexts_are_refused() {
    let stream = TlsContext::shared(&TlsConfig::default()).unwrap();
    assert!(DtlsConn::new(&stream, b"", 0, None).is_err());
}


#[test]
fn client_hellos_are_verified_statelessly() {
    let server = TlsContext::shared(&server_config(true)).unwrap();
    let client = TlsContext::shared(&client_config()).unwrap();
    let mut c = DtlsConn::new(&client, b"s", 0, Some("localhost")).unwrap();
    c.process().unwrap();
    let hello = c.take_datagrams();
    assert_eq!(hello.len(), 1);
    let HelloVerdict::Answer(answer) = dtls_verify_client_hello(&server, b"peer A", &hello[0]).unwrap() else {
        panic!("a hello without a cookie must be answered")
    };
    c.feed_datagram(&answer[0]);
    c.process().unwrap();
    let with_cookie = c.take_datagrams();
    assert_eq!(dtls_verify_client_hello(&server, b"peer A", &with_cookie[0]).unwrap(), HelloVerdict::Verified);
    assert!(matches!(dtls_verify_client_hello(&server, b"peer B", &with_cookie[0]).unwrap(), HelloVerdict::Answer(_)));
    assert_eq!(dtls_verify_client_hello(&server, b"peer A", b"junk").unwrap(), HelloVerdict::Dropped);
    // A server starts from the verified hello (as QDtls does after QDtlsClientVerifier).
    let mut s = DtlsConn::new(&server, b"peer A", 0, None).unwrap();
    s.feed_datagram(&with_cookie[0]);
    assert!(s.listen().unwrap());
    c.set_first_timeout(FIRST_TIMEOUT);
    s.set_first_timeout(FIRST_TIMEOUT);
    handshake(&mut c, &mut s, &mut |flight| flight);
    exchange(&mut c, &mut s);
    // A server context without cookies cannot verify.
    assert!(dtls_verify_client_hello(&TlsContext::shared(&server_config(false)).unwrap(), b"", &hello[0]).is_err());
}
