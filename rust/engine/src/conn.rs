//! The sans-IO connection: ciphertext in via `feed_tls`, work done in
//! `process`, ciphertext out via `tls_to_send`, plaintext via `plaintext`.

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::mem::MaybeUninit;
use std::sync::{Arc, Mutex};

use foreign_types_shared::{ForeignType, ForeignTypeRef};
use openssl::error::ErrorStack;
use openssl::pkey::{PKey, Private};
use openssl::ssl::{ErrorCode, Ssl, SslSession, SslStream, StatusType};

use crate::cert::Certificate;
use crate::cipher::CipherInfo;
use crate::config::{PeerVerifyMode, Protocol, Role, TlsContext};
use crate::error::TlsError;
use crate::handshake::{
    self, Event, HandshakeHooks, NoHooks, SessionTicket, Shared, SharedRef,
};
use crate::key::{Key, KeyType};
use crate::ocsp::{self, OcspOutcome, OcspResponseInfo};
use crate::verify::{self, PeerError};

/// Per-connection parameters that are not part of the shared context.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionParams {
    /// SNI host name; ACE'd, trailing dot dropped, never sent for IP literals.
    pub server_name: Option<String>,
    /// Name checked against the peer certificate (client only); None = no check.
    pub verify_name: Option<String>,
}

/// Sessions recently offered for resumption, decoded: a client offers the same saved session
/// (QSslConfiguration::sessionTicket()) to connection after connection, and decoding one costs as
/// much as decoding the peer's certificate inside it.
/// Each connection gets a copy of its own, as from decoding: OpenSSL marks a session it has
/// resumed (TLS 1.3 tickets are for one use).
fn decoded_session(der: &[u8]) -> Result<SslSession, TlsError> {
    const KEPT: usize = 8;
    static RECENT: Mutex<VecDeque<(Vec<u8>, SslSession)>> = Mutex::new(VecDeque::new());
    let mut recent = RECENT.lock().unwrap_or_else(|e| e.into_inner());
    let position = recent.iter().position(|(known, _)| known.as_slice() == der);
    let decoded = match position {
        Some(index) => &recent[index].1,
        None => {
            let session = SslSession::from_der(der)
                .map_err(|e| TlsError::Config(format!("Invalid session: {e}")))?;
            if recent.len() == KEPT {
                recent.pop_back();
            }
            recent.push_front((der.to_vec(), session));
            &recent[0].1
        }
    };
    // SAFETY: a live session; the copy is a new reference of our own, or null.
    let copy = unsafe { crate::sys::SSL_SESSION_dup(decoded.as_ptr()) };
    if copy.is_null() {
        return Err(TlsError::Config(format!("Cannot copy session: {}", ErrorStack::get())));
    }
    // SAFETY: the SslSession adopts that reference.
    Ok(unsafe { SslSession::from_ptr(copy) })
}

/// A byte FIFO that consumes from the front without shifting on every call.
#[derive(Default)]
struct ByteQueue {
    buf: Vec<u8>,
    head: usize,
}

impl ByteQueue {
    fn as_slice(&self) -> &[u8] {
        &self.buf[self.head..]
    }
    fn len(&self) -> usize {
        self.buf.len() - self.head
    }
    /// An emptied queue gives its memory back: an idle connection holds no buffer.
    fn consume(&mut self, n: usize) {
        self.head += n.min(self.len());
        if self.head == self.buf.len() {
            self.buf = Vec::new();
            self.head = 0;
        }
    }
    /// Room for `additional` more bytes. Growing copies only the live bytes into a new buffer
    /// (a reallocation would copy the whole old allocation, consumed and spare parts included).
    fn make_room(&mut self, additional: usize) {
        if self.head > 0 && self.head >= self.len() {
            self.buf.drain(..self.head);
            self.head = 0;
        }
        if self.buf.capacity() - self.buf.len() >= additional {
            return;
        }
        let live = self.as_slice();
        let mut grown = Vec::with_capacity((live.len() + additional).max(2 * live.len()));
        grown.extend_from_slice(live);
        self.buf = grown;
        self.head = 0;
    }
    fn extend(&mut self, data: &[u8]) {
        self.make_room(data.len());
        self.buf.extend_from_slice(data);
    }
    fn reserve(&mut self, additional: usize) {
        self.make_room(additional);
    }
    fn spare(&mut self, min: usize) -> &mut [MaybeUninit<u8>] {
        self.make_room(min);
        self.buf.spare_capacity_mut()
    }
    /// # Safety
    /// The first `n` bytes of the last `spare()` slice must be initialised.
    unsafe fn commit(&mut self, n: usize) {
        self.buf.set_len(self.buf.len() + n);
    }
}

/// The BIO OpenSSL talks to: reads from what the peer sent, writes to what
/// we must send. An empty input is "would block", which OpenSSL turns into
/// WANT_READ; output never blocks.
#[derive(Default)]
struct MemIo {
    incoming: ByteQueue,
    outgoing: ByteQueue,
}

impl Read for MemIo {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let avail = self.incoming.as_slice();
        if avail.is_empty() {
            return Err(io::ErrorKind::WouldBlock.into());
        }
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.incoming.consume(n);
        Ok(n)
    }
}

impl Write for MemIo {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.outgoing.extend(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// One record's worth; SSL_read hands out at most one record per call.
const READ_CHUNK: usize = 16 * 1024 + 512;
/// The plaintext of a full TLS record, and what a record adds to it at most (header, MAC or
/// tag, padding, TLS 1.3's content type).
const MAX_RECORD_PLAINTEXT: usize = 16 * 1024;
const RECORD_OVERHEAD: usize = 5 + 256 + 64;

pub struct TlsConn {
    stream: SslStream<MemIo>,
    shared: SharedRef,
    ctx: Arc<TlsContext>,
    params: SessionParams,
    plaintext_in: ByteQueue,
    /// Plaintext written before the handshake finished.
    pending_out: Vec<u8>,
    handshake_done: bool,
    /// Handshake done but verification failed in VerifyPeer mode: queued
    /// plaintext must not be encrypted until the owner decides (Qt keeps it
    /// in its write buffer until sslErrors are ignored).
    output_held: bool,
    error: Option<TlsError>,
    peer_closed: bool,
    close_sent: bool,
    /// The stapled response as checked once the handshake is done (when Qt checks it).
    ocsp: Option<OcspOutcome>,
}

impl std::fmt::Debug for TlsConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsConn")
            .field("role", &self.ctx.config.role)
            .field("handshake_done", &self.handshake_done)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl TlsConn {
    pub fn new(ctx: &Arc<TlsContext>, params: SessionParams) -> Result<TlsConn, TlsError> {
        let config = &ctx.config;
        let mut ssl = Ssl::new(&ctx.ctx)?;
        let shared: SharedRef = Arc::new(Mutex::new(Shared::default()));
        handshake::attach(&mut ssl, &shared, handshake::verify_setting(config));
        match config.role {
            Role::Client => {
                ssl.set_connect_state();
                if config.ocsp_stapling {
                    ssl.set_status_type(StatusType::OCSP)?;
                }
                if let Some(name) = &params.server_name {
                    // As Qt: ACE form, no trailing dot, never for IP literals.
                    let ace = verify::to_ace(name);
                    let ace = ace.strip_suffix('.').unwrap_or(&ace);
                    if !ace.is_empty() && verify::parse_ip(name).is_none() {
                        // Qt only warns when SNI cannot be set; so do we (silently).
                        let _ = ssl.set_hostname(ace);
                    }
                }
            }
            Role::Server => ssl.set_accept_state(),
        }
        let stream = SslStream::new(ssl, MemIo::default())?;
        Ok(TlsConn {
            stream,
            shared,
            ctx: ctx.clone(),
            params,
            plaintext_in: ByteQueue::default(),
            pending_out: Vec::new(),
            handshake_done: false,
            output_held: false,
            error: None,
            peer_closed: false,
            close_sent: false,
            ocsp: None,
        })
    }

    /// Bytes received from the peer. Ignored once the connection has failed.
    pub fn feed_tls(&mut self, ciphertext: &[u8]) {
        if self.error.is_none() {
            self.stream.get_mut().incoming.extend(ciphertext);
        }
    }

    /// Room for at least `len` more received bytes, to be filled in place (a socket read straight
    /// into the engine) and then handed over with `commit_tls_input`.
    pub fn tls_input_room(&mut self, len: usize) -> &mut [MaybeUninit<u8>] {
        &mut self.stream.get_mut().incoming.spare(len)[..len]
    }

    /// # Safety
    /// The first `n` bytes of the last `tls_input_room` must have been written.
    pub unsafe fn commit_tls_input(&mut self, n: usize) {
        if self.error.is_none() {
            // SAFETY: as the caller promises.
            unsafe { self.stream.get_mut().incoming.commit(n) };
        }
    }

    /// Drives the handshake and decrypts every complete record available.
    /// A fatal error is kept and returned again by every later call.
    /// Questions the handshake raises (PSK, interruptions) are refused: see `process_with`.
    pub fn process(&mut self) -> Result<(), TlsError> {
        self.process_with(&mut NoHooks)
    }

    /// `process`, with `hooks` answering what the handshake asks while it runs.
    pub fn process_with(&mut self, hooks: &mut dyn HandshakeHooks) -> Result<(), TlsError> {
        let _lend = handshake::lend_hooks(&self.shared, hooks);
        self.drive()
    }

    fn drive(&mut self) -> Result<(), TlsError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        if !self.handshake_done {
            match handshake::drive(&mut self.stream) {
                Ok(true) => {
                    self.handshake_done = true;
                    self.ocsp = self.check_ocsp();
                    handshake::lock(&self.shared)
                        .events
                        .push(Event::HandshakeDone);
                    // Never hand early data to a peer that failed verification
                    // while verification is mandatory.
                    self.output_held = self.ctx.config.effective_verify_mode()
                        == PeerVerifyMode::VerifyPeer
                        && !self.peer_errors().is_empty();
                    if !self.output_held {
                        self.flush_pending()?;
                    }
                }
                Ok(false) => return Ok(()),
                // Qt reports a handshake its app refused from handshakeInterruptedOnError
                // without OpenSSL's reason ("Error during SSL handshake: ").
                Err(TlsError::Handshake(_)) if handshake::lock(&self.shared).verification_refused => {
                    ErrorStack::get();
                    return Err(self.fail(TlsError::Handshake(String::new())));
                }
                Err(e) => return Err(self.fail(e)),
            }
        }
        self.read_all()
    }

    fn read_all(&mut self) -> Result<(), TlsError> {
        let result = self.decrypt_available();
        // The room offered to SSL_read is not kept when nothing came.
        if self.plaintext_in.len() == 0 {
            self.plaintext_in = ByteQueue::default();
        }
        // Nor OpenSSL's record buffers once all input is consumed: SSL_MODE_RELEASE_BUFFERS
        // frees them only after application data, not after post-handshake messages (tickets).
        if self.stream.get_ref().incoming.len() == 0 {
            // SAFETY: a live SSL; OpenSSL refuses (returns 0) while anything is pending.
            unsafe { crate::sys::SSL_free_buffers(self.stream.ssl().as_ptr()) };
        }
        result
    }

    fn decrypt_available(&mut self) -> Result<(), TlsError> {
        // The plaintext is no larger than the ciphertext it comes from: one allocation.
        let incoming = self.stream.get_ref().incoming.len();
        if incoming > READ_CHUNK {
            self.plaintext_in.reserve(incoming);
        }
        // Bytes after close_notify are not application data.
        while !self.peer_closed {
            let spare = self.plaintext_in.spare(READ_CHUNK);
            match self.stream.ssl_read_uninit(spare) {
                Ok(n) => unsafe { self.plaintext_in.commit(n) },
                Err(e) => match e.code() {
                    ErrorCode::WANT_READ | ErrorCode::WANT_WRITE => break,
                    ErrorCode::ZERO_RETURN => {
                        self.peer_closed = true;
                        handshake::lock(&self.shared)
                            .events
                            .push(Event::CloseNotifyReceived);
                    }
                    _ => return Err(self.fail(TlsError::Protocol(handshake::describe(&e)))),
                },
            }
        }
        Ok(())
    }

    fn flush_pending(&mut self) -> Result<(), TlsError> {
        if self.pending_out.is_empty() {
            return Ok(());
        }
        let data = std::mem::take(&mut self.pending_out);
        self.encrypt(&data)
    }

    /// True while plaintext output is held back after a handshake whose
    /// verification failed in VerifyPeer mode (see `release_pending_plaintext`).
    pub fn is_output_held(&self) -> bool {
        self.output_held
    }

    /// The owner accepted the peer despite its errors (Qt: ignoreSslErrors
    /// and continue): encrypt the held plaintext now and stop holding.
    pub fn release_pending_plaintext(&mut self) -> Result<(), TlsError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        self.output_held = false;
        if self.handshake_done {
            self.flush_pending()?;
        }
        Ok(())
    }

    fn encrypt(&mut self, mut data: &[u8]) -> Result<(), TlsError> {
        // Room for the records at once (each adds at most a header, a tag and padding).
        let records = data.len() / MAX_RECORD_PLAINTEXT + 1;
        self.stream.get_mut().outgoing.reserve(data.len() + records * RECORD_OVERHEAD);
        while !data.is_empty() {
            match self.stream.ssl_write(data) {
                Ok(n) => data = &data[n..],
                Err(e) => return Err(self.fail(TlsError::Protocol(handshake::describe(&e)))),
            }
        }
        Ok(())
    }

    fn fail(&mut self, e: TlsError) -> TlsError {
        self.error = Some(e.clone());
        self.pending_out = Vec::new();
        e
    }

    /// The stored fatal error, if any.
    pub fn error(&self) -> Option<&TlsError> {
        self.error.as_ref()
    }

    pub fn tls_to_send(&self) -> &[u8] {
        self.stream.get_ref().outgoing.as_slice()
    }

    pub fn consume_tls_to_send(&mut self, n: usize) {
        self.stream.get_mut().outgoing.consume(n);
    }

    pub fn plaintext(&self) -> &[u8] {
        self.plaintext_in.as_slice()
    }

    pub fn consume_plaintext(&mut self, n: usize) {
        self.plaintext_in.consume(n);
    }

    /// Before the handshake finishes the data is queued and encrypted as soon
    /// as it does; afterwards it is encrypted at once into `tls_to_send`.
    /// Exception: while `is_output_held()` it stays queued.
    pub fn write_plaintext(&mut self, data: &[u8]) -> Result<(), TlsError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        if self.close_sent {
            return Err(TlsError::Closed);
        }
        if data.is_empty() {
            return Ok(());
        }
        if !self.handshake_done || self.output_held {
            self.pending_out.extend_from_slice(data);
            return Ok(());
        }
        self.encrypt(data)
    }

    pub fn pending_plaintext_out(&self) -> usize {
        self.pending_out.len()
    }

    /// Queues close_notify. Like Qt, only once the handshake is done and
    /// while the connection is healthy; otherwise a no-op.
    pub fn close(&mut self) {
        if self.close_sent || !self.handshake_done || self.error.is_some() {
            return;
        }
        self.close_sent = true;
        // Returns "sent" (or "received" if the peer closed first); a failure
        // leaves nothing useful to do, and the error queue is already drained.
        let _ = self.stream.shutdown();
    }

    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut handshake::lock(&self.shared).events)
    }

    pub fn is_handshake_done(&self) -> bool {
        self.handshake_done
    }

    pub fn peer_closed(&self) -> bool {
        self.peer_closed
    }

    pub fn role(&self) -> Role {
        self.ctx.config.role
    }

    pub fn context(&self) -> &Arc<TlsContext> {
        &self.ctx
    }

    /// Leaf first, for both roles (a server's SSL_get_peer_cert_chain lacks the leaf).
    pub fn peer_chain(&self) -> Vec<Certificate> {
        verify::peer_chain(self.stream.ssl()).into_iter().map(Certificate::from_x509).collect()
    }

    pub fn peer_chain_der(&self) -> Vec<Vec<u8>> {
        self.peer_chain().iter().map(Certificate::to_der).collect()
    }

    /// Verification problems in Qt's order (sslErrors()): see `verify::peer_errors`.
    pub fn peer_errors(&self) -> Vec<PeerError> {
        let ocsp = self.ocsp.as_ref().map_or(&[][..], |ocsp| &ocsp.errors[..]);
        verify::peer_errors(
            self.stream.ssl(),
            &self.ctx,
            self.params.verify_name.as_deref(),
            &self.raw_verify_errors(),
            ocsp,
        )
    }

    /// The stapled OCSP response Qt would not use at all (the handshake then fails with this
    /// text); None when there is none or it was not checked.
    pub fn ocsp_failure(&self) -> Option<&str> {
        self.ocsp.as_ref().and_then(|ocsp| ocsp.failure.as_deref())
    }

    /// The checked stapled response (QSslSocket::ocspResponses()).
    pub fn ocsp_response(&self) -> Option<&OcspResponseInfo> {
        self.ocsp.as_ref().and_then(|ocsp| ocsp.response.as_ref())
    }

    /// Qt checks a stapled response on a client that asked for one and verifies its peer, when
    /// the peer sent a certificate.
    fn check_ocsp(&self) -> Option<OcspOutcome> {
        let config = &self.ctx.config;
        if !config.ocsp_stapling
            || config.role != Role::Client
            || config.effective_verify_mode() != PeerVerifyMode::VerifyPeer
        {
            return None;
        }
        let peer = self.stream.ssl().peer_certificate()?;
        Some(ocsp::check(self.stream.ssl(), &peer))
    }

    /// (X509_V_ERR_* code, depth) as recorded by the verify callback.
    pub fn raw_verify_errors(&self) -> Vec<(i32, i32)> {
        handshake::lock(&self.shared).verify_errors.clone()
    }

    pub fn protocol(&self) -> Option<Protocol> {
        if !self.handshake_done {
            return None;
        }
        self.stream
            .ssl()
            .version2()
            .and_then(Protocol::from_openssl)
    }

    pub fn cipher(&self) -> Option<CipherInfo> {
        if !self.handshake_done {
            return None;
        }
        self.stream
            .ssl()
            .current_cipher()
            .map(CipherInfo::from_openssl)
    }

    /// Qt's QSslConfiguration::ephemeralServerKey(): the key the server sent for this key
    /// exchange (ECDHE/DHE in TLS 1.2, the key share in TLS 1.3), as a public key made the way
    /// QSslKey(Qt::HANDLE) makes it. Qt asks only as a client; None on a server, before the
    /// handshake and when the key exchange had no such key (RSA).
    pub fn ephemeral_server_key(&self) -> Option<Key> {
        if !self.handshake_done || self.ctx.config.role != Role::Client {
            return None;
        }
        let mut raw = std::ptr::null_mut();
        // Not SslRef::peer_tmp_key, which drains OpenSSL's error queue (Qt leaves it alone).
        // SAFETY: a live SSL; on success `raw` holds a reference of our own.
        let found =
            unsafe { openssl_sys::SSL_get_peer_tmp_key(self.stream.ssl().as_ptr(), &mut raw) };
        if found == 0 || raw.is_null() {
            return None;
        }
        // SAFETY: the PKey adopts that reference.
        let pkey = unsafe { PKey::<Private>::from_ptr(raw) };
        Some(Key::from_own_pkey(pkey, KeyType::Public))
    }

    pub fn alpn_selected(&self) -> Option<Vec<u8>> {
        self.stream
            .ssl()
            .selected_alpn_protocol()
            .map(<[u8]>::to_vec)
    }

    /// The connection's session as it stands (after the handshake: the one negotiated or
    /// resumed); what Qt caches when a handshake completes.
    pub fn current_session(&self) -> Option<SessionTicket> {
        self.stream.ssl().session().and_then(SessionTicket::of)
    }

    /// Offers a saved session for resumption (client, before the handshake).
    pub fn set_session_ticket_der(&mut self, der: &[u8]) -> Result<(), TlsError> {
        let session = decoded_session(der)?;
        if self.handshake_done {
            return Err(TlsError::Config(
                "Cannot set a session after the handshake".into(),
            ));
        }
        // SAFETY: the requirement is that the session belongs to a compatible
        // context; a foreign one just fails to resume and a full handshake runs.
        // SslStream gives no &mut SslRef, hence the raw call.
        let ok =
            unsafe { openssl_sys::SSL_set_session(self.stream.ssl().as_ptr(), session.as_ptr()) };
        if ok == 1 {
            Ok(())
        } else {
            Err(TlsError::Config(format!(
                "Cannot set session: {}",
                openssl::error::ErrorStack::get()
            )))
        }
    }

    /// Keying material exported from the session (RFC 5705; RFC 8446 section 7.5 for TLS 1.3):
    /// `len` bytes for `label` and `context` (None: no context, which TLS 1.2 tells apart from
    /// an empty one). Only once the handshake is done.
    pub fn export_keying_material(&self, label: &str, context: Option<&[u8]>, len: usize) -> Result<Vec<u8>, TlsError> {
        if !self.handshake_done {
            return Err(TlsError::Setting {
                message: "No keying material before the handshake is done".to_owned(),
                openssl_errors: String::new(),
            });
        }
        let mut out = vec![0; len];
        self.stream
            .ssl()
            .export_keying_material(&mut out, label, context)
            .map_err(|e| TlsError::BackendCall { call: "SSL_export_keying_material()", openssl_errors: e.to_string() })?;
        Ok(out)
    }

    /// The group the key exchange used ("x25519", "secp256r1", "X25519MLKEM768"), as OpenSSL
    /// names it; None before the handshake, or without an (EC)DHE key exchange.
    pub fn negotiated_group(&self) -> Option<String> {
        if !self.handshake_done {
            return None;
        }
        let ssl = self.stream.ssl().as_ptr();
        // SAFETY: a live SSL; the name is a static string of OpenSSL's (or null).
        unsafe {
            let id = openssl_sys::SSL_ctrl(ssl, crate::sys::SSL_CTRL_GET_NEGOTIATED_GROUP, 0, std::ptr::null_mut());
            if id <= 0 {
                return None;
            }
            let name = crate::sys::SSL_group_to_name(ssl, id as std::os::raw::c_int);
            (!name.is_null()).then(|| std::ffi::CStr::from_ptr(name).to_string_lossy().into_owned())
        }
    }

    /// The SNI name: the one the client sent (server) or will send (client).
    pub fn server_name(&self) -> Option<String> {
        self.stream
            .ssl()
            .servername(openssl::ssl::NameType::HOST_NAME)
            .map(str::to_string)
    }

    pub fn session_reused(&self) -> bool {
        self.stream.ssl().session_reused()
    }
}
