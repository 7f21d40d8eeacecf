//! Handshake driving and the OpenSSL callbacks that turn into events.
//!
//! OpenSSL reports alerts, new sessions and verification results through C
//! callbacks that only see the `SSL*`. Each connection hangs an
//! `Arc<Mutex<Shared>>` off its SSL's ex_data; the callbacks find it there
//! and append to it, and the connection drains it afterwards.

use std::os::raw::c_int;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use foreign_types_shared::ForeignTypeRef;
use openssl::error::ErrorStack;
use openssl::ex_data::Index;
use openssl::ssl::{
    ErrorCode, Ssl, SslRef, SslSession, SslSessionRef, SslStream, SslVerifyMode, SslVersion,
};

use crate::error::TlsError;
use crate::sys::*;

/// Something the connection wants to tell its owner about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    HandshakeDone,
    /// TLS alert level (1 warning, 2 fatal) and AlertDescription code.
    AlertSent {
        level: u8,
        description: u8,
    },
    AlertReceived {
        level: u8,
        description: u8,
    },
    CloseNotifyReceived,
    /// A resumable TLS 1.3 session from a NewSessionTicket the server sent after the handshake
    /// (client only). TLS 1.2 delivers its ticket inside the handshake: see
    /// `TlsConn::current_session`.
    NewSessionTicket(SessionTicket),
}

/// A session as Qt keeps it: i2d_SSL_SESSION's DER and the ticket lifetime hint in seconds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionTicket {
    pub der: Vec<u8>,
    pub lifetime_hint: u64,
}

impl SessionTicket {
    pub(crate) fn of(session: &SslSessionRef) -> Option<SessionTicket> {
        let der = session.to_der().ok()?;
        // SAFETY: a live session; the call only reads it.
        let lifetime_hint = unsafe { SSL_SESSION_get_ticket_lifetime_hint(session.as_ptr()) } as u64;
        Some(SessionTicket { der, lifetime_hint })
    }
}

/// Questions the engine asks its owner in the middle of a handshake. Qt asks them through
/// signals whose slots answer before they return (preSharedKeyAuthenticationRequired,
/// handshakeInterruptedOnError), and OpenSSL's callbacks cannot be resumed later, so the answers
/// are synchronous. They are only asked from inside `TlsConn::process_with`.
pub trait HandshakeHooks {
    /// A client needs its PSK identity and key; `hint` is the server's identity hint, None when it
    /// sent none. An empty key refuses, which fails the handshake.
    fn psk_client(&mut self, hint: Option<&[u8]>, max_identity_len: usize, max_psk_len: usize)
        -> PskCredentials;
    /// A server needs the key for the identity the client named. An empty key refuses.
    fn psk_server(&mut self, identity: Option<&[u8]>, max_psk_len: usize) -> Vec<u8>;
    /// With `TlsConfig::interrupt_on_verify_error`: a verification error as OpenSSL meets it (a
    /// QSslError::SslError code and the certificate it concerns). True goes on, false fails the
    /// handshake.
    fn verification_error(&mut self, qt_error: i32, certificate_der: &[u8]) -> bool;
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PskCredentials {
    pub identity: Vec<u8>,
    pub key: Vec<u8>,
}

/// The owner that answers no question: every PSK request and every interruption is refused.
pub struct NoHooks;

impl HandshakeHooks for NoHooks {
    fn psk_client(&mut self, _: Option<&[u8]>, _: usize, _: usize) -> PskCredentials {
        PskCredentials::default()
    }
    fn psk_server(&mut self, _: Option<&[u8]>, _: usize) -> Vec<u8> {
        Vec::new()
    }
    fn verification_error(&mut self, _: i32, _: &[u8]) -> bool {
        false
    }
}

/// The hooks of the `process_with` call under way; valid only during it.
struct HooksPtr(*mut (dyn HandshakeHooks + 'static));
// SAFETY: only dereferenced on the thread that runs process_with, while it runs.
unsafe impl Send for HooksPtr {}

/// State written by callbacks, read by the connection.
#[derive(Default)]
pub(crate) struct Shared {
    pub events: Vec<Event>,
    /// (X509_V_ERR_* code, depth), exact repeats removed, in report order.
    pub verify_errors: Vec<(i32, i32)>,
    hooks: Option<HooksPtr>,
    /// A TLS 1.3 ClientHello is being built: the PSK client callback that follows asks for an
    /// external PSK to offer, which Qt never does (see `tls13_psk_probe`).
    pub tls13_psk_probe: bool,
    /// The owner refused a verification error (see `HandshakeHooks::verification_error`).
    pub verification_refused: bool,
    /// DTLS server: who the client is (its address and port), what its cookie is made from.
    pub peer_id: Vec<u8>,
    /// DTLS: the first retransmission timeout in microseconds (0: OpenSSL's own second).
    pub dtls_first_timeout_us: u32,
}

/// Lends `hooks` to the callbacks of one connection for as long as the returned guard lives (the
/// span of one `process_with` call), and takes them back however the call ends.
pub(crate) fn lend_hooks<'a>(shared: &SharedRef, hooks: &'a mut dyn HandshakeHooks) -> impl Drop + 'a {
    struct Lend<'a>(SharedRef, std::marker::PhantomData<&'a mut ()>);
    impl Drop for Lend<'_> {
        fn drop(&mut self) {
            lock(&self.0).hooks = None;
        }
    }
    // SAFETY: only the lifetime is erased; Lend clears the pointer before `hooks` can go.
    let erased: *mut (dyn HandshakeHooks + 'static) = unsafe { std::mem::transmute(hooks) };
    lock(shared).hooks = Some(HooksPtr(erased));
    Lend(shared.clone(), std::marker::PhantomData)
}

/// Runs `ask` with the hooks of the `process_with` call under way, without holding the lock
/// (the owner's answer may take its time and may touch other sockets). None outside one.
fn ask_owner<R>(ssl: &SslRef, ask: impl FnOnce(&mut dyn HandshakeHooks) -> R) -> Option<R> {
    let shared = ssl.ex_data(shared_index())?;
    let hooks = lock(shared).hooks.as_ref()?.0;
    // SAFETY: process_with stores this pointer for exactly as long as the SSL call that runs
    // this callback, on this thread, and holds no other reference to the hooks meanwhile.
    Some(ask(unsafe { &mut *hooks }))
}

/// Client PSK callback. In TLS 1.3 OpenSSL also calls it while it builds the ClientHello, to offer
/// an external PSK; Qt declines that (unless QT_USE_TLS_1_3_PSK is set) and asks its app only
/// for a TLS 1.2 PSK key exchange, which sends the server's hint.
pub(crate) fn on_psk_client(
    ssl: &mut SslRef,
    hint: Option<&[u8]>,
    identity: &mut [u8],
    psk: &mut [u8],
) -> Result<usize, ErrorStack> {
    let probe = ssl
        .ex_data(shared_index())
        .is_some_and(|shared| std::mem::take(&mut lock(shared).tls13_psk_probe));
    if probe && std::env::var_os("QT_USE_TLS_1_3_PSK").is_none() {
        return Ok(0);
    }
    let (max_identity, max_psk) = (identity.len(), psk.len());
    let answer = ask_owner(ssl, |hooks| hooks.psk_client(hint, max_identity, max_psk))
        .unwrap_or_default();
    if answer.key.is_empty() {
        return Ok(0);
    }
    // OpenSSL zeroes the identity buffer (one byte longer than the slice) before the call.
    let id_len = answer.identity.len().min(identity.len());
    identity[..id_len].copy_from_slice(&answer.identity[..id_len]);
    let key_len = answer.key.len().min(psk.len());
    psk[..key_len].copy_from_slice(&answer.key[..key_len]);
    Ok(key_len)
}

pub(crate) fn on_psk_server(
    ssl: &mut SslRef,
    identity: Option<&[u8]>,
    psk: &mut [u8],
) -> Result<usize, ErrorStack> {
    let max_psk = psk.len();
    let key = ask_owner(ssl, |hooks| hooks.psk_server(identity, max_psk)).unwrap_or_default();
    let key_len = key.len().min(psk.len());
    psk[..key_len].copy_from_slice(&key[..key_len]);
    Ok(key_len)
}

/// SSL_CTX_set_psk_use_session_callback: called just before the PSK client callback while a
/// TLS 1.3 ClientHello is built. No session (success with none) lets OpenSSL fall back to the
/// client callback, which the flag tells what it is being asked.
pub(crate) unsafe extern "C" fn tls13_psk_probe(
    ssl: *mut openssl_sys::SSL,
    _md: *const openssl_sys::EVP_MD,
    _id: *mut *const u8,
    _id_len: *mut usize,
    session: *mut *mut openssl_sys::SSL_SESSION,
) -> c_int {
    if !session.is_null() {
        *session = std::ptr::null_mut();
    }
    if let Some(shared) = SslRef::from_ptr(ssl).ex_data(shared_index()) {
        lock(shared).tls13_psk_probe = true;
    }
    1
}

pub(crate) type SharedRef = Arc<Mutex<Shared>>;

pub(crate) fn lock(s: &SharedRef) -> MutexGuard<'_, Shared> {
    // A panic elsewhere must not turn every later callback into a panic
    // across the FFI boundary.
    s.lock().unwrap_or_else(|e| e.into_inner())
}

pub(crate) fn shared_index() -> Index<Ssl, SharedRef> {
    static IDX: OnceLock<Index<Ssl, SharedRef>> = OnceLock::new();
    *IDX.get_or_init(|| Ssl::new_ex_index().expect("SSL ex_data index"))
}

const SSL_CB_READ: c_int = 0x04;
const SSL_CB_WRITE: c_int = 0x08;
const SSL_CB_ALERT: c_int = 0x4000;


unsafe extern "C" fn info_callback(ssl: *const openssl_sys::SSL, where_: c_int, ret: c_int) {
    if where_ & SSL_CB_ALERT == 0 || ssl.is_null() {
        return;
    }
    let ssl = SslRef::from_ptr(ssl as *mut openssl_sys::SSL);
    let Some(shared) = ssl.ex_data(shared_index()) else {
        return;
    };
    let level = ((ret >> 8) & 0xff) as u8;
    let description = (ret & 0xff) as u8;
    let ev = if where_ & SSL_CB_WRITE != 0 {
        Event::AlertSent { level, description }
    } else if where_ & SSL_CB_READ != 0 {
        Event::AlertReceived { level, description }
    } else {
        return;
    };
    lock(shared).events.push(ev);
}

/// Context-level new-session callback (client only), routed to the connection. OpenSSL also
/// calls it at the end of a TLS 1.2 handshake; like Qt, only TLS 1.3 tickets that can resume
/// count as new tickets.
pub(crate) fn on_new_session(ssl: &mut SslRef, session: SslSession) {
    let Some(shared) = ssl.ex_data(shared_index()) else {
        return;
    };
    let tls13 = ssl.version2() == Some(SslVersion::TLS1_3);
    // SAFETY: a live session; the call only reads it.
    if !tls13 || unsafe { SSL_SESSION_is_resumable(session.as_ptr()) } != 1 {
        return;
    }
    if let Some(ticket) = SessionTicket::of(&session) {
        lock(shared).events.push(Event::NewSessionTicket(ticket));
    }
}


/// Takes, once, every SSL ex_data index a connection uses: rust-openssl's own (the session
/// context, the verify closure) and ours.
///
/// Qt's OpenSSL backend, in the same process and the same libcrypto, takes one SSL index and also
/// writes its socket to the next one, which belongs to whoever asks for an index after it. Taken
/// before Qt's backend starts, ours can never be that one; taken later, our free callback could
/// run on Qt's pointer when Qt frees its SSL.
pub fn reserve_ex_indices() {
    static RESERVED: OnceLock<()> = OnceLock::new();
    RESERVED.get_or_init(|| {
        let Ok(builder) = openssl::ssl::SslContext::builder(openssl::ssl::SslMethod::tls()) else {
            return;
        };
        if let Ok(mut ssl) = Ssl::new(&builder.build()) {
            attach(&mut ssl, &SharedRef::default(), Some((SslVerifyMode::PEER, OnVerifyError::Collect)));
        }
    });
}

/// How the verify callback treats an error OpenSSL meets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OnVerifyError {
    /// Record it and go on: like Qt, collect everything and let the policy layer (and the
    /// app's ignoreSslErrors) decide once the handshake is done.
    Collect,
    /// Record it and ask the owner at once (Qt's handshakeMustInterruptOnError).
    AskOwner,
}

/// What the verify callback of a connection with `config` does: nothing under VerifyNone (Qt
/// installs none then), else record, and ask the owner at once with handshakeMustInterruptOnError.
pub(crate) fn verify_setting(config: &crate::TlsConfig) -> Option<(SslVerifyMode, OnVerifyError)> {
    let on_error = if config.interrupt_on_verify_error { OnVerifyError::AskOwner } else { OnVerifyError::Collect };
    match config.effective_verify_mode() {
        crate::PeerVerifyMode::VerifyNone => None,
        _ => Some((SslVerifyMode::PEER, on_error)),
    }
}

/// Hooks the connection's shared state, the alert callback and (unless
/// verification is off) the recording verify callback into a new SSL.
pub(crate) fn attach(ssl: &mut SslRef, shared: &SharedRef, verify: Option<(SslVerifyMode, OnVerifyError)>) {
    ssl.set_ex_data(shared_index(), shared.clone());
    unsafe { SSL_set_info_callback(ssl.as_ptr(), Some(info_callback)) };
    if let Some((mode, on_error)) = verify {
        let rec = shared.clone();
        ssl.set_verify_callback(mode, move |ok, store| {
            if ok {
                return true;
            }
            let code = store.error().as_raw();
            let entry = (code, store.error_depth() as i32);
            {
                let mut s = lock(&rec);
                if !s.verify_errors.contains(&entry) {
                    s.verify_errors.push(entry);
                }
            }
            match on_error {
                OnVerifyError::Collect => true,
                OnVerifyError::AskOwner => {
                    let der = store.current_cert().and_then(|c| c.to_der().ok()).unwrap_or_default();
                    let hooks = lock(&rec).hooks.as_ref().map(|h| h.0);
                    // SAFETY: as in ask_owner (this callback only has the store, not the SSL).
                    let go_on = hooks.is_some_and(|h| {
                        unsafe { &mut *h }.verification_error(crate::verify::map_x509_error(code), &der)
                    });
                    lock(&rec).verification_refused |= !go_on;
                    go_on
                }
            }
        });
    }
}

/// One step of the handshake. Ok(true) = finished, Ok(false) = needs more
/// input from the peer.
pub(crate) fn drive<S: std::io::Read + std::io::Write>(
    stream: &mut SslStream<S>,
) -> Result<bool, TlsError> {
    match stream.do_handshake() {
        Ok(()) => Ok(true),
        Err(e) if e.code() == ErrorCode::WANT_READ || e.code() == ErrorCode::WANT_WRITE => {
            Ok(false)
        }
        Err(e) => Err(TlsError::Handshake(describe(&e))),
    }
}

/// Human-readable text for an OpenSSL failure, like Qt's getErrorsFromOpenSsl.
pub(crate) fn describe(e: &openssl::ssl::Error) -> String {
    if let Some(stack) = e.ssl_error() {
        let s = stack_text(stack);
        if !s.is_empty() {
            return s;
        }
    }
    match e.code() {
        ErrorCode::ZERO_RETURN => "The TLS/SSL connection has been closed".into(),
        ErrorCode::SYSCALL => "Unexpected end of TLS stream".into(),
        c => format!("OpenSSL error code {}", c.as_raw()),
    }
}

fn stack_text(stack: &ErrorStack) -> String {
    stack
        .errors()
        .iter()
        .map(|e| openssl_error_string(e.code()))
        .collect::<Vec<_>>()
        .join(", ")
}


/// OpenSSL's own one-line form, which Qt shows: "error:0A0000F4:SSL routines::unexpected message"
/// (rust-openssl's Display adds the function, file and line).
fn openssl_error_string(code: std::os::raw::c_ulong) -> String {
    let mut buf = [0 as std::os::raw::c_char; 256];
    // SAFETY: the buffer is writable for its full length; OpenSSL NUL-terminates within it.
    unsafe { ERR_error_string_n(code, buf.as_mut_ptr(), buf.len()) };
    // SAFETY: NUL-terminated by ERR_error_string_n above.
    unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) }.to_string_lossy().into_owned()
}
