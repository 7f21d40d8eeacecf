//! TLS sessions for QSslSocket: configuration → shared context → one sans-IO session per socket.
//! Qt's enums cross as shared enums with Qt's values (cpp/qsslsocket_p.cpp checks each against
//! Qt's headers); the mapping to engine types lives here and in errors.rs.

use std::pin::Pin;
use std::sync::Arc;

use qsslrs_engine::{CookieSecret, DhParams, DtlsConn, Event, HelloVerdict, TlsError, Transport, HandshakeHooks, PeerVerifyMode, PskCredentials, Stage, Protocol, Role, SessionParams, TlsConfig, TlsConn, TlsContext};

use crate::errors::{context_failure, failure_from, missing_private_key, no_failure};
use crate::certificate::CertificateList;
use crate::key::Key;

// SAFETY: Key is the Rust type the certificate bridge declares to C++ as qsslrs::Key.
unsafe impl cxx::ExternType for Key {
    type Id = cxx::type_id!("qsslrs::Key");
    type Kind = cxx::kind::Opaque;
}

// SAFETY: CertificateList is the Rust type the certificate bridge declares as qsslrs::CertificateList.
unsafe impl cxx::ExternType for CertificateList {
    type Id = cxx::type_id!("qsslrs::CertificateList");
    type Kind = cxx::kind::Opaque;
}

#[cxx::bridge(namespace = "qsslrs")]
mod ffi {
    /// QSsl::SslProtocol.
    #[repr(i32)]
    enum SslProtocol {
        TlsV1_0 = 0,
        TlsV1_1 = 1,
        TlsV1_2 = 2,
        AnyProtocol = 3,
        SecureProtocols = 4,
        TlsV1_0OrLater = 5,
        TlsV1_1OrLater = 6,
        TlsV1_2OrLater = 7,
        DtlsV1_0 = 8,
        DtlsV1_0OrLater = 9,
        DtlsV1_2 = 10,
        DtlsV1_2OrLater = 11,
        TlsV1_3 = 12,
        TlsV1_3OrLater = 13,
        UnknownProtocol = -1,
    }

    /// QSslSocket::PeerVerifyMode.
    #[repr(i32)]
    enum PeerVerifyMode {
        VerifyNone = 0,
        QueryPeer = 1,
        VerifyPeer = 2,
        AutoVerifyPeer = 3,
    }

    /// The QAbstractSocket::SocketError values a session reports.
    #[repr(i32)]
    enum SocketError {
        RemoteHostClosedError = 1,
        SslHandshakeFailedError = 13,
        SslInternalError = 20,
        SslInvalidUserDataError = 21,
        UnknownSocketError = -1,
    }

    /// QSsl::AlertLevel.
    #[repr(i32)]
    enum AlertLevel {
        Warning = 0,
        Fatal = 1,
        Unknown = 2,
    }

    /// What a session reports, in the order it happened.
    enum SessionEventKind {
        HandshakeDone,
        AlertSent,
        AlertReceived,
        CloseNotify,
        NewSessionTicket,
    }

    struct SessionEvent {
        kind: SessionEventKind,
        alert_level: AlertLevel,
        /// QSsl::AlertType, whose values are the TLS alert description codes.
        alert_type: u8,
        description: String,
        /// NewSessionTicket: the session's DER (QSslConfiguration::sessionTicket()).
        ticket: Vec<u8>,
        /// NewSessionTicket: QSslConfiguration::sessionTicketLifeTimeHint().
        ticket_lifetime_hint: i32,
    }

    /// A fatal error, already in Qt's terms. `ok` is true when there was none.
    struct Failure {
        ok: bool,
        socket_error: SocketError,
        message: String,
    }

    /// Why no context could be built: the errors to emit, in order, and whether the socket is
    /// then aborted (Qt leaves it connected after the settings it reports itself).
    struct ContextFailure {
        errors: Vec<Failure>,
        abort: bool,
    }

    /// Which check found a verification problem (the order Qt reports them in).
    enum PeerErrorStage {
        Chain,
        Blacklist,
        Ocsp,
        Peer,
        Pin,
    }

    /// One verification problem: a QSslError::SslError and the index of its certificate in
    /// the peer chain (-1: none).
    struct PeerErrorView {
        code: i32,
        cert_index: i32,
        stage: PeerErrorStage,
    }

    /// What a handshake established, taken once it is done (or, before, when verification met
    /// new errors: Qt announces those as each step ends).
    struct HandshakeSummary {
        /// False when nothing is reported (no handshake step ended with news).
        present: bool,
        done: bool,
        protocol: SslProtocol,
        cipher: CipherView,
        alpn: Vec<u8>,
        /// In Qt's sslErrors() order; before `done`, only what verification met so far.
        errors: Vec<PeerErrorView>,
        /// Why the stapled OCSP response could not be used at all (the handshake then fails);
        /// empty when it could, or was not checked.
        ocsp_failure: String,
        ocsp: OcspResponseView,
        /// Resumed from the session offered with set_session_ticket (or a cached one).
        resumed: bool,
        /// The connection's session as the handshake left it.
        session: SessionTicketView,
    }

    /// What one process() call did.
    struct ProcessResult {
        failure: Failure,
        /// In the order they happened; HandshakeDone refers to `handshake`.
        events: Vec<SessionEvent>,
        handshake: HandshakeSummary,
    }

    /// What one DTLS call did: the datagrams to send (each one UDP datagram), the events, and
    /// the handshake summary when the handshake finished in this call.
    struct DtlsResult {
        failure: Failure,
        datagrams: Vec<DerBlob>,
        events: Vec<SessionEvent>,
        handshake: HandshakeSummary,
        /// decrypt(): the datagram's application data.
        plaintext: Vec<u8>,
        /// handle_timeout(): a flight was sent again.
        retransmitted: bool,
    }

    /// What QDtlsClientVerifier makes of a datagram.
    enum HelloVerdictKind {
        Verified,
        Answered,
        Dropped,
        Failed,
    }

    struct HelloVerdictView {
        kind: HelloVerdictKind,
        /// Answered: the HelloVerifyRequest to send. Failed: the reason.
        datagrams: Vec<DerBlob>,
        error: String,
    }

    /// The checked stapled OCSP response (a QOcspResponse); `present` false when there is none.
    struct OcspResponseView {
        present: bool,
        /// QOcspCertificateStatus
        status: i32,
        /// QOcspRevocationReason
        revocation_reason: i32,
        /// DER of the issuer whose CertID matched; empty when none did.
        responder_der: Vec<u8>,
    }

    struct DerBlob {
        der: Vec<u8>,
    }

    /// A session as QSslConfiguration keeps it; `der` is empty when there is none.
    struct SessionTicketView {
        der: Vec<u8>,
        lifetime_hint: i32,
    }

    /// A negotiated or available cipher. `name` is empty for "no cipher".
    struct CipherView {
        name: String,
        protocol: SslProtocol,
        protocol_string: String,
        bits: i32,
        supported_bits: i32,
        key_exchange: String,
        authentication: String,
        encryption: String,
    }

    // QSslKey's and QSslCertificate's engine types, declared by the certificate bridge (a Rust
    // type cannot be declared in two bridges; an alias can).
    extern "C++" {
        include!("qsslrs-bridge/src/certificate.rs.h");
        type Key = crate::key::Key;
        type CertificateList = crate::certificate::CertificateList;
    }

    // The session's owner, asked during process() (PSK, handshakeMustInterruptOnError).
    unsafe extern "C++" {
        include!("qsslrs-bridge/include/session_hooks.h");
        type SessionHooks;
        fn psk_client(
            self: Pin<&mut SessionHooks>,
            hint: &[u8],
            has_hint: bool,
            max_identity_length: usize,
            max_key_length: usize,
            identity: &mut Vec<u8>,
            key: &mut Vec<u8>,
        );
        fn psk_server(
            self: Pin<&mut SessionHooks>,
            identity: &[u8],
            has_identity: bool,
            max_key_length: usize,
            key: &mut Vec<u8>,
        );
        fn verification_error(self: Pin<&mut SessionHooks>, qt_error: i32, certificate_der: &[u8]) -> bool;
    }

    extern "Rust" {
        type SessionConfig;
        type SessionContext;
        type Session;
        type DtlsSession;

        fn engine_config_new(server: bool) -> Box<SessionConfig>;
        /// False when `protocol` cannot be used for TLS.
        fn set_protocol(self: &mut SessionConfig, protocol: SslProtocol) -> bool;
        /// Depth 0 means unlimited.
        fn set_verify(self: &mut SessionConfig, mode: PeerVerifyMode, depth: i32);
        fn add_ca_certificate(self: &mut SessionConfig, der: &[u8]);
        fn set_use_system_ca(self: &mut SessionConfig, on: bool);
        fn add_local_certificate(self: &mut SessionConfig, der: &[u8]);
        fn set_private_key(self: &mut SessionConfig, der: &[u8]);
        /// OpenSSL cipher names; TLS 1.3 suites and older ciphers may be mixed.
        fn add_cipher(self: &mut SessionConfig, openssl_name: &str);
        fn add_alpn(self: &mut SessionConfig, protocol: &[u8]);
        /// QSslConfiguration's QSsl::SslOptions (those that shape the TLS context).
        fn set_ssl_options(self: &mut SessionConfig, qt_options: i32);
        /// A QSslEllipticCurve (OpenSSL NID), in QSslConfiguration::ellipticCurves() order.
        fn add_curve(self: &mut SessionConfig, nid: i32);
        /// A backendConfiguration() entry, in the map's order; `is_bytes` false when the QVariant
        /// cannot become a QByteArray.
        fn add_backend_option(self: &mut SessionConfig, key: &[u8], value: &[u8], is_bytes: bool);
        /// QSslConfiguration::handshakeMustInterruptOnError().
        fn set_interrupt_on_verify_error(self: &mut SessionConfig, on: bool);
        /// QSslConfiguration::preSharedKeyIdentityHint() (servers).
        fn set_psk_identity_hint(self: &mut SessionConfig, hint: &[u8]);
        /// QSslConfiguration::ocspStaplingEnabled().
        fn set_ocsp_stapling(self: &mut SessionConfig, on: bool);
        /// DTLS instead of TLS, with `protocol` (a DTLS one: false otherwise); `cookie_secret`
        /// non-empty makes a server ask for cookies, made with the OpenSSL digest `cookie_hash`
        /// (QDtlsClientVerifier::GeneratorParameters).
        fn set_datagram_transport(
            self: &mut SessionConfig,
            protocol: SslProtocol,
            cookie_secret: &[u8],
            cookie_hash: &str,
        ) -> bool;
        /// QSslConfiguration::diffieHellmanParameters(): DHparams DER (empty: none), or not valid.
        fn set_dh_parameters(self: &mut SessionConfig, der: &[u8], valid: bool);
        /// The context for this configuration, shared with every equal configuration. On error,
        /// `failure` says what to report.
        fn engine_context_shared(
            config: &SessionConfig,
            failure: &mut ContextFailure,
        ) -> Result<Box<SessionContext>>;

        /// A DTLS session with the peer `peer_id` (its address and port: a server's cookies are
        /// made from it); `mtu` is QDtls::mtuHint() (0: the default).
        /// With `check_name` (a client's), the server's certificate must name `verify_name` (an
        /// empty one never matches, as in Qt).
        fn engine_dtls_session_new(
            context: &SessionContext,
            peer_id: &[u8],
            mtu: u16,
            verify_name: &str,
            check_name: bool,
        ) -> Result<Box<DtlsSession>>;
        /// A server with cookies starts from a ClientHello with a good cookie (DTLSv1_listen).
        fn listen(self: &mut DtlsSession, datagram: &[u8]) -> HelloVerdictView;
        /// QDtlsClientVerifier::verifyClient with a server context with cookies.
        fn engine_dtls_verify_client(context: &SessionContext, peer_id: &[u8], datagram: &[u8]) -> HelloVerdictView;
        /// Drives the handshake with `datagram` (empty: none, as for a client's first call).
        fn handshake(self: &mut DtlsSession, datagram: &[u8], hooks: Pin<&mut SessionHooks>) -> DtlsResult;
        /// Milliseconds until handle_timeout() is wanted; -1 while nothing waits for an answer.
        fn timeout_ms(self: &DtlsSession) -> i64;
        /// The timer expired: what to send again.
        fn handle_timeout(self: &mut DtlsSession) -> DtlsResult;
        fn encrypt(self: &mut DtlsSession, plaintext: &[u8]) -> DtlsResult;
        fn decrypt(self: &mut DtlsSession, datagram: &[u8]) -> DtlsResult;
        /// close_notify, to send.
        fn shutdown(self: &mut DtlsSession) -> DtlsResult;
        fn is_handshake_done(self: &DtlsSession) -> bool;
        /// The peer's chain, leaf first, as OpenSSL decoded it (shared, not parsed again).
        fn peer_certificates(self: &DtlsSession) -> Box<CertificateList>;
        fn peer_closed(self: &DtlsSession) -> bool;

        fn engine_session_new(
            context: &SessionContext,
            server_name: &str,
            verify_name: &str,
        ) -> Result<Box<Session>>;
        fn feed_tls(self: &mut Session, ciphertext: &[u8]);
        /// Room for `len` received bytes, written in place and then committed: a socket reads
        /// straight into the engine. Valid until the next call on the session.
        fn tls_input_room(self: &mut Session, len: usize) -> *mut u8;
        /// # Safety
        /// The first `n` bytes of the last tls_input_room() must have been written.
        unsafe fn commit_tls_input(self: &mut Session, n: usize);
        /// Drives the session; `hooks` answers what the handshake asks meanwhile.
        fn process(self: &mut Session, hooks: Pin<&mut SessionHooks>) -> ProcessResult;
        fn tls_to_send(self: &Session) -> &[u8];
        fn consume_tls_to_send(self: &mut Session, n: usize);
        fn plaintext(self: &Session) -> &[u8];
        fn consume_plaintext(self: &mut Session, n: usize);
        fn write_plaintext(self: &mut Session, data: &[u8]) -> Failure;
        fn pending_plaintext_out(self: &Session) -> usize;
        /// The peer was accepted despite verification errors (they were ignored): the engine,
        /// which holds output to a peer that failed verification, may send again.
        fn release_pending_plaintext(self: &mut Session) -> Failure;
        fn close(self: &mut Session);
        fn take_events(self: &mut Session) -> Vec<SessionEvent>;
        fn is_handshake_done(self: &Session) -> bool;
        /// The peer's chain, leaf first, as OpenSSL decoded it (shared, not parsed again).
        fn peer_certificates(self: &Session) -> Box<CertificateList>;
        fn peer_closed(self: &Session) -> bool;
        /// QSslConfiguration::ephemeralServerKey() of this connection; a null key when there is
        /// none to report (server side, RSA key exchange).
        fn ephemeral_server_key(self: &Session) -> Box<Key>;
        /// RFC 5705 / RFC 8446 keying material (`has_context` false: no context at all, which
        /// TLS 1.2 tells apart from an empty one); empty before the handshake or on failure.
        fn export_keying_material(self: &Session, label: &[u8], context: &[u8], has_context: bool, length: usize) -> Vec<u8>;
        /// The key exchange's group as OpenSSL names it; empty when there is none (yet).
        fn negotiated_group(self: &Session) -> String;
        /// Offers a saved session (QSslConfiguration::sessionTicket()) for resumption; before the
        /// handshake. One that cannot be used just means a full handshake, as in Qt.
        fn set_session_ticket(self: &mut Session, der: &[u8]);

        fn engine_available_ciphers() -> Vec<CipherView>;
        /// Where the system's root certificates live, in the order they are searched.
        fn engine_system_ca_dirs() -> Vec<String>;
        fn engine_library_version_number() -> i64;
        /// Called once as the library loads, before Qt's own TLS backend can start.
        fn engine_reserve_ex_indices();
        fn engine_library_version_string() -> String;
    }
}

pub use ffi::{
    CipherView, ContextFailure, DerBlob, DtlsResult, Failure, HandshakeSummary, HelloVerdictKind, HelloVerdictView, OcspResponseView, PeerErrorStage, PeerErrorView,
    ProcessResult, SocketError, SslProtocol, AlertLevel, SessionEvent, SessionEventKind, SessionTicketView,
};

// QSsl::SslOption values.
const DISABLE_EMPTY_FRAGMENTS: i32 = 0x01;
const DISABLE_SESSION_TICKETS: i32 = 0x02;
const DISABLE_COMPRESSION: i32 = 0x04;
const DISABLE_LEGACY_RENEGOTIATION: i32 = 0x10;
const DISABLE_SERVER_CIPHER_PREFERENCE: i32 = 0x80;

fn qt_protocol_of(protocol: Protocol) -> SslProtocol {
    match protocol {
        Protocol::Tls1_0 => SslProtocol::TlsV1_0,
        Protocol::Tls1_1 => SslProtocol::TlsV1_1,
        Protocol::Tls1_2 => SslProtocol::TlsV1_2,
        Protocol::Tls1_3 => SslProtocol::TlsV1_3,
        Protocol::Dtls1_0 => SslProtocol::DtlsV1_0,
        Protocol::Dtls1_2 => SslProtocol::DtlsV1_2,
    }
}

/// The protocol range a QSsl::SslProtocol allows; None for DTLS and UnknownProtocol. Qt gives any
/// other value OpenSSL's own range.
fn protocol_range(protocol: SslProtocol) -> Option<(Protocol, Option<Protocol>)> {
    Some(match protocol {
        SslProtocol::TlsV1_0 => (Protocol::Tls1_0, Some(Protocol::Tls1_0)),
        SslProtocol::TlsV1_1 => (Protocol::Tls1_1, Some(Protocol::Tls1_1)),
        SslProtocol::TlsV1_2 => (Protocol::Tls1_2, Some(Protocol::Tls1_2)),
        SslProtocol::TlsV1_3 => (Protocol::Tls1_3, Some(Protocol::Tls1_3)),
        SslProtocol::AnyProtocol | SslProtocol::TlsV1_0OrLater => (Protocol::Tls1_0, None),
        SslProtocol::TlsV1_1OrLater => (Protocol::Tls1_1, None),
        SslProtocol::SecureProtocols | SslProtocol::TlsV1_2OrLater => (Protocol::Tls1_2, None),
        SslProtocol::TlsV1_3OrLater => (Protocol::Tls1_3, None),
        SslProtocol::UnknownProtocol
        | SslProtocol::DtlsV1_0
        | SslProtocol::DtlsV1_0OrLater
        | SslProtocol::DtlsV1_2
        | SslProtocol::DtlsV1_2OrLater => return None,
        _ => (Protocol::Tls1_0, None),
    })
}

pub struct SessionConfig(TlsConfig);

fn engine_config_new(server: bool) -> Box<SessionConfig> {
    Box::new(SessionConfig(TlsConfig {
        role: if server { Role::Server } else { Role::Client },
        ..TlsConfig::default()
    }))
}

impl SessionConfig {
    fn set_protocol(&mut self, protocol: SslProtocol) -> bool {
        let Some((min, max)) = protocol_range(protocol) else { return false };
        self.0.min_protocol = min;
        self.0.max_protocol = max;
        true
    }

    fn set_verify(&mut self, mode: ffi::PeerVerifyMode, depth: i32) {
        self.0.verify_mode = match mode {
            ffi::PeerVerifyMode::VerifyNone => PeerVerifyMode::VerifyNone,
            ffi::PeerVerifyMode::QueryPeer => PeerVerifyMode::QueryPeer,
            ffi::PeerVerifyMode::VerifyPeer => PeerVerifyMode::VerifyPeer,
            _ => PeerVerifyMode::AutoVerifyPeer,
        };
        self.0.verify_depth = depth.max(0);
    }

    fn add_ca_certificate(&mut self, der: &[u8]) {
        self.0.ca_certs_der.push(der.to_vec());
    }

    fn set_use_system_ca(&mut self, on: bool) {
        self.0.use_system_ca = on;
    }

    fn add_local_certificate(&mut self, der: &[u8]) {
        self.0.local_chain_der.push(der.to_vec());
    }

    fn set_private_key(&mut self, der: &[u8]) {
        self.0.private_key_der = Some(der.to_vec());
    }

    fn add_cipher(&mut self, openssl_name: &str) {
        // TLS 1.3 suites are configured apart from the older cipher list in OpenSSL.
        let list = if openssl_name.starts_with("TLS_") {
            &mut self.0.ciphersuites
        } else {
            &mut self.0.cipher_list
        };
        match list {
            Some(names) => {
                names.push(':');
                names.push_str(openssl_name);
            }
            None => *list = Some(openssl_name.to_owned()),
        }
    }

    fn add_alpn(&mut self, protocol: &[u8]) {
        self.0.alpn.push(protocol.to_vec());
    }

    fn set_ssl_options(&mut self, qt_options: i32) {
        let off = |option: i32| qt_options & option == 0;
        self.0.empty_fragments = off(DISABLE_EMPTY_FRAGMENTS);
        self.0.session_tickets = off(DISABLE_SESSION_TICKETS);
        self.0.compression = off(DISABLE_COMPRESSION);
        self.0.legacy_renegotiation = off(DISABLE_LEGACY_RENEGOTIATION);
        self.0.server_cipher_preference = off(DISABLE_SERVER_CIPHER_PREFERENCE);
    }

    fn add_curve(&mut self, nid: i32) {
        self.0.curves.push(nid);
    }

    fn add_backend_option(&mut self, key: &[u8], value: &[u8], is_bytes: bool) {
        self.0.backend_options.push((key.to_vec(), is_bytes.then(|| value.to_vec())));
    }

    fn set_interrupt_on_verify_error(&mut self, on: bool) {
        self.0.interrupt_on_verify_error = on;
    }

    fn set_psk_identity_hint(&mut self, hint: &[u8]) {
        self.0.psk_identity_hint = hint.to_vec();
    }

    fn set_ocsp_stapling(&mut self, on: bool) {
        self.0.ocsp_stapling = on;
    }

    fn set_datagram_transport(&mut self, protocol: SslProtocol, cookie_secret: &[u8], cookie_hash: &str) -> bool {
        // As Qt maps the DTLS protocols.
        let (min, max) = match protocol {
            SslProtocol::DtlsV1_0 => (Protocol::Dtls1_0, Some(Protocol::Dtls1_0)),
            SslProtocol::DtlsV1_0OrLater => (Protocol::Dtls1_0, None),
            SslProtocol::DtlsV1_2 => (Protocol::Dtls1_2, Some(Protocol::Dtls1_2)),
            SslProtocol::DtlsV1_2OrLater => (Protocol::Dtls1_2, None),
            _ => return false,
        };
        self.0.min_protocol = min;
        self.0.max_protocol = max;
        self.0.transport = Transport::Datagram;
        self.0.dtls_cookie = (!cookie_secret.is_empty())
            .then(|| CookieSecret { secret: cookie_secret.to_vec(), digest: cookie_hash.to_owned() });
        true
    }

    fn set_dh_parameters(&mut self, der: &[u8], valid: bool) {
        self.0.dh_params = match (valid, der.is_empty()) {
            (false, _) => DhParams::Invalid,
            (true, true) => DhParams::Empty,
            (true, false) => DhParams::Der(der.to_vec()),
        };
    }
}

pub struct SessionContext(Arc<TlsContext>);

fn engine_context_shared(
    config: &SessionConfig,
    failure: &mut ContextFailure,
) -> Result<Box<SessionContext>, String> {
    // Qt refuses this itself, before OpenSSL sees the certificate, and reports it as a setting.
    if !config.0.local_chain_der.is_empty() && config.0.private_key_der.is_none() {
        *failure = missing_private_key();
        return Err("Cannot provide a certificate with no key".into());
    }
    TlsContext::shared(&config.0)
        .map(|context| Box::new(SessionContext(context)))
        .map_err(|error| {
            *failure = context_failure(&error);
            error.to_string()
        })
}

pub struct Session(TlsConn);

pub struct DtlsSession(DtlsConn);

fn engine_dtls_session_new(
    context: &SessionContext,
    peer_id: &[u8],
    mtu: u16,
    verify_name: &str,
    check_name: bool,
) -> Result<Box<DtlsSession>, String> {
    let name = check_name.then_some(verify_name);
    DtlsConn::new(&context.0, peer_id, mtu, name).map(|conn| Box::new(DtlsSession(conn))).map_err(|e| e.to_string())
}

fn engine_dtls_verify_client(context: &SessionContext, peer_id: &[u8], datagram: &[u8]) -> HelloVerdictView {
    verdict_view(qsslrs_engine::dtls_verify_client_hello(&context.0, peer_id, datagram))
}

fn verdict_view(verdict: Result<HelloVerdict, TlsError>) -> HelloVerdictView {
    let view = |kind, datagrams: Vec<Vec<u8>>, error: String| HelloVerdictView {
        kind,
        datagrams: datagrams.into_iter().map(|der| DerBlob { der }).collect(),
        error,
    };
    match verdict {
        Ok(HelloVerdict::Verified) => view(HelloVerdictKind::Verified, Vec::new(), String::new()),
        Ok(HelloVerdict::Answer(datagrams)) => view(HelloVerdictKind::Answered, datagrams, String::new()),
        Ok(HelloVerdict::Dropped) => view(HelloVerdictKind::Dropped, Vec::new(), String::new()),
        Err(error) => view(HelloVerdictKind::Failed, Vec::new(), error.message()),
    }
}

impl DtlsSession {
    fn listen(&mut self, datagram: &[u8]) -> HelloVerdictView {
        self.0.feed_datagram(datagram);
        let verdict = self.0.listen().map(|verified| {
            let answer = self.0.take_datagrams();
            match (verified, answer.is_empty()) {
                (true, _) => HelloVerdict::Verified,
                (false, true) => HelloVerdict::Dropped,
                (false, false) => HelloVerdict::Answer(answer),
            }
        });
        verdict_view(verdict)
    }

    fn handshake(&mut self, datagram: &[u8], hooks: Pin<&mut ffi::SessionHooks>) -> DtlsResult {
        self.0.feed_datagram(datagram);
        let was_done = self.0.is_handshake_done();
        let outcome = self.0.process_with(&mut Owner(hooks));
        let handshake = if !was_done && self.0.is_handshake_done() { self.summary() } else { no_summary() };
        self.result(outcome, false, handshake, Vec::new())
    }

    fn timeout_ms(&self) -> i64 {
        self.0.timeout().map_or(-1, |left| i64::try_from(left.as_millis()).unwrap_or(i64::MAX))
    }

    fn handle_timeout(&mut self) -> DtlsResult {
        let outcome = self.0.handle_timeout();
        let retransmitted = matches!(outcome, Ok(true));
        DtlsResult { retransmitted, ..self.result(outcome.map(|_| ()), false, no_summary(), Vec::new()) }
    }

    fn encrypt(&mut self, plaintext: &[u8]) -> DtlsResult {
        let outcome = self.0.encrypt(plaintext);
        self.result(outcome, true, no_summary(), Vec::new())
    }

    fn decrypt(&mut self, datagram: &[u8]) -> DtlsResult {
        match self.0.decrypt(datagram) {
            Ok(plaintext) => self.result(Ok(()), true, no_summary(), plaintext),
            Err(error) => self.result(Err(error), true, no_summary(), Vec::new()),
        }
    }

    fn shutdown(&mut self) -> DtlsResult {
        self.0.shutdown();
        self.result(Ok(()), true, no_summary(), Vec::new())
    }

    fn peer_certificates(&self) -> Box<CertificateList> {
        Box::new(CertificateList::from(self.0.peer_chain()))
    }

    fn is_handshake_done(&self) -> bool {
        self.0.is_handshake_done()
    }

    fn peer_closed(&self) -> bool {
        self.0.peer_closed()
    }

    fn summary(&self) -> HandshakeSummary {
        let conn = &self.0;
        HandshakeSummary {
            present: true,
            done: true,
            protocol: conn.protocol().map_or(SslProtocol::UnknownProtocol, qt_protocol_of),
            cipher: conn.cipher().map_or_else(no_cipher, cipher_view),
            errors: conn.peer_errors().into_iter().map(peer_error_view).collect(),
            ..no_summary()
        }
    }

    fn result(
        &mut self,
        outcome: Result<(), TlsError>,
        handshake_was_done: bool,
        handshake: HandshakeSummary,
        plaintext: Vec<u8>,
    ) -> DtlsResult {
        DtlsResult {
            failure: match outcome {
                Ok(()) => no_failure(),
                Err(error) => failure_from(&error, handshake_was_done),
            },
            datagrams: self.0.take_datagrams().into_iter().map(|der| DerBlob { der }).collect(),
            events: self.0.take_events().into_iter().map(event_view).collect(),
            handshake,
            plaintext,
            retransmitted: false,
        }
    }
}

fn engine_session_new(
    context: &SessionContext,
    server_name: &str,
    verify_name: &str,
) -> Result<Box<Session>, String> {
    let non_empty = |name: &str| (!name.is_empty()).then(|| name.to_owned());
    let params = SessionParams { server_name: non_empty(server_name), verify_name: non_empty(verify_name) };
    TlsConn::new(&context.0, params)
        .map(|conn| Box::new(Session(conn)))
        .map_err(|error| error.to_string())
}

impl Session {
    fn feed_tls(&mut self, ciphertext: &[u8]) {
        self.0.feed_tls(ciphertext);
    }

    fn tls_input_room(&mut self, len: usize) -> *mut u8 {
        self.0.tls_input_room(len).as_mut_ptr().cast()
    }

    unsafe fn commit_tls_input(&mut self, n: usize) {
        // SAFETY: as the caller promises.
        unsafe { self.0.commit_tls_input(n) }
    }

    fn process(&mut self, hooks: Pin<&mut ffi::SessionHooks>) -> ProcessResult {
        let handshake_was_done = self.0.is_handshake_done();
        let chain_errors_before = self.0.raw_verify_errors().len();
        let failure = match self.0.process_with(&mut Owner(hooks)) {
            Ok(()) => no_failure(),
            Err(error) => failure_from(&error, handshake_was_done),
        };
        let done_now = !handshake_was_done && self.0.is_handshake_done();
        let news_before_done = !self.0.is_handshake_done() && self.0.raw_verify_errors().len() > chain_errors_before;
        let handshake = if done_now || news_before_done { self.summary() } else { no_summary() };
        ProcessResult { failure, events: self.take_events(), handshake }
    }

    /// What the handshake has established so far.
    fn summary(&self) -> HandshakeSummary {
        let conn = &self.0;
        let current = conn.current_session();
        HandshakeSummary {
            present: true,
            done: conn.is_handshake_done(),
            protocol: conn.protocol().map_or(SslProtocol::UnknownProtocol, qt_protocol_of),
            cipher: conn.cipher().map_or_else(no_cipher, cipher_view),
            alpn: conn.alpn_selected().unwrap_or_default(),
            errors: conn.peer_errors().into_iter().map(peer_error_view).collect(),
            ocsp_failure: conn.ocsp_failure().unwrap_or_default().to_owned(),
            ocsp: conn.ocsp_response().map_or_else(no_ocsp_response, ocsp_response_view),
            resumed: conn.session_reused(),
            session: current.map_or(SessionTicketView { der: Vec::new(), lifetime_hint: 0 }, |ticket| {
                SessionTicketView { der: ticket.der, lifetime_hint: hint_of(ticket.lifetime_hint) }
            }),
        }
    }

    fn tls_to_send(&self) -> &[u8] {
        self.0.tls_to_send()
    }

    fn consume_tls_to_send(&mut self, n: usize) {
        self.0.consume_tls_to_send(n);
    }

    fn plaintext(&self) -> &[u8] {
        self.0.plaintext()
    }

    fn consume_plaintext(&mut self, n: usize) {
        self.0.consume_plaintext(n);
    }

    fn write_plaintext(&mut self, data: &[u8]) -> Failure {
        match self.0.write_plaintext(data) {
            Ok(()) => no_failure(),
            Err(error) => failure_from(&error, true),
        }
    }

    fn pending_plaintext_out(&self) -> usize {
        self.0.pending_plaintext_out()
    }

    fn release_pending_plaintext(&mut self) -> Failure {
        match self.0.release_pending_plaintext() {
            Ok(()) => no_failure(),
            Err(error) => failure_from(&error, true),
        }
    }

    fn close(&mut self) {
        self.0.close();
    }

    fn take_events(&mut self) -> Vec<SessionEvent> {
        self.0.take_events().into_iter().map(event_view).collect()
    }

    fn peer_certificates(&self) -> Box<CertificateList> {
        Box::new(CertificateList::from(self.0.peer_chain()))
    }

    fn is_handshake_done(&self) -> bool {
        self.0.is_handshake_done()
    }

    fn peer_closed(&self) -> bool {
        self.0.peer_closed()
    }
    fn ephemeral_server_key(&self) -> Box<Key> {
        Box::new(Key(self.0.ephemeral_server_key().unwrap_or_default()))
    }

    fn export_keying_material(&self, label: &[u8], context: &[u8], has_context: bool, length: usize) -> Vec<u8> {
        let Ok(label) = std::str::from_utf8(label) else {
            return Vec::new();
        };
        self.0.export_keying_material(label, has_context.then_some(context), length).unwrap_or_default()
    }

    fn negotiated_group(&self) -> String {
        self.0.negotiated_group().unwrap_or_default()
    }

    fn set_session_ticket(&mut self, der: &[u8]) {
        let _ = self.0.set_session_ticket_der(der);
    }


}

fn no_summary() -> HandshakeSummary {
    HandshakeSummary {
        present: false,
        done: false,
        protocol: SslProtocol::UnknownProtocol,
        cipher: no_cipher(),
        alpn: Vec::new(),
        errors: Vec::new(),
        ocsp_failure: String::new(),
        ocsp: no_ocsp_response(),
        resumed: false,
        session: SessionTicketView { der: Vec::new(), lifetime_hint: 0 },
    }
}

fn peer_error_view(error: qsslrs_engine::PeerError) -> PeerErrorView {
    PeerErrorView {
        code: error.code,
        cert_index: error.cert_index,
        stage: match error.stage {
            Stage::Chain => PeerErrorStage::Chain,
            Stage::Blacklist => PeerErrorStage::Blacklist,
            Stage::Ocsp => PeerErrorStage::Ocsp,
            Stage::Peer => PeerErrorStage::Peer,
            Stage::Pin => PeerErrorStage::Pin,
        },
    }
}

fn ocsp_response_view(response: &qsslrs_engine::OcspResponseInfo) -> OcspResponseView {
    OcspResponseView {
        present: true,
        status: response.status as i32,
        revocation_reason: response.revocation_reason,
        responder_der: response.responder.as_ref().and_then(|c| c.to_der().ok()).unwrap_or_default(),
    }
}

fn no_ocsp_response() -> OcspResponseView {
    OcspResponseView { present: false, status: 0, revocation_reason: -1, responder_der: Vec::new() }
}

/// The C++ owner as the engine's HandshakeHooks.
struct Owner<'a>(Pin<&'a mut ffi::SessionHooks>);

impl HandshakeHooks for Owner<'_> {
    fn psk_client(&mut self, hint: Option<&[u8]>, max_identity_len: usize, max_psk_len: usize) -> PskCredentials {
        let mut answer = PskCredentials::default();
        self.0.as_mut().psk_client(
            hint.unwrap_or_default(),
            hint.is_some(),
            max_identity_len,
            max_psk_len,
            &mut answer.identity,
            &mut answer.key,
        );
        answer
    }

    fn psk_server(&mut self, identity: Option<&[u8]>, max_psk_len: usize) -> Vec<u8> {
        let mut key = Vec::new();
        self.0.as_mut().psk_server(identity.unwrap_or_default(), identity.is_some(), max_psk_len, &mut key);
        key
    }

    fn verification_error(&mut self, qt_error: i32, certificate_der: &[u8]) -> bool {
        self.0.as_mut().verification_error(qt_error, certificate_der)
    }
}

/// Qt keeps OpenSSL's unsigned long hint in an int.
fn hint_of(seconds: u64) -> i32 {
    seconds as i32
}

fn cipher_view(info: qsslrs_engine::CipherInfo) -> CipherView {
    CipherView {
        name: info.name,
        protocol: info.protocol.map_or(SslProtocol::UnknownProtocol, qt_protocol_of),
        protocol_string: info.protocol_string,
        bits: info.bits,
        supported_bits: info.supported_bits,
        key_exchange: info.key_exchange,
        authentication: info.authentication,
        encryption: info.encryption,
    }
}

fn no_cipher() -> CipherView {
    CipherView {
        name: String::new(),
        protocol: SslProtocol::UnknownProtocol,
        protocol_string: String::new(),
        bits: 0,
        supported_bits: 0,
        key_exchange: String::new(),
        authentication: String::new(),
        encryption: String::new(),
    }
}

fn event_view(event: Event) -> SessionEvent {
    let plain = |kind| SessionEvent {
        kind,
        alert_level: AlertLevel::Unknown,
        alert_type: 0,
        description: String::new(),
        ticket: Vec::new(),
        ticket_lifetime_hint: 0,
    };
    let alert = |kind, level: u8, code: u8| SessionEvent {
        kind,
        ticket: Vec::new(),
        ticket_lifetime_hint: 0,
        alert_level: match level {
            1 => AlertLevel::Warning,
            2 => AlertLevel::Fatal,
            _ => AlertLevel::Unknown,
        },
        alert_type: code,
        description: alert_description(code),
    };
    match event {
        Event::HandshakeDone => plain(SessionEventKind::HandshakeDone),
        Event::CloseNotifyReceived => plain(SessionEventKind::CloseNotify),
        Event::NewSessionTicket(ticket) => SessionEvent {
            ticket: ticket.der,
            ticket_lifetime_hint: hint_of(ticket.lifetime_hint),
            ..plain(SessionEventKind::NewSessionTicket)
        },
        Event::AlertSent { level, description } => alert(SessionEventKind::AlertSent, level, description),
        Event::AlertReceived { level, description } => {
            alert(SessionEventKind::AlertReceived, level, description)
        }
    }
}

/// OpenSSL's long name of a TLS alert (what Qt puts in alertSent/alertReceived).
fn alert_description(code: u8) -> String {
    // SAFETY: returns a pointer to a static NUL-terminated string for any value.
    let text = unsafe { std::ffi::CStr::from_ptr(openssl_sys::SSL_alert_desc_string_long(i32::from(code))) };
    text.to_string_lossy().into_owned()
}

fn engine_available_ciphers() -> Vec<CipherView> {
    qsslrs_engine::ciphers_available().into_iter().map(cipher_view).collect()
}

fn engine_system_ca_dirs() -> Vec<String> {
    qsslrs_engine::system_ca_dirs()
}

fn engine_reserve_ex_indices() {
    qsslrs_engine::reserve_ex_indices()
}

fn engine_library_version_number() -> i64 {
    qsslrs_engine::openssl_version_number()
}

fn engine_library_version_string() -> String {
    qsslrs_engine::openssl_version_string()
}
