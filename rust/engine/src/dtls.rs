//! Sans-IO DTLS: whole datagrams in, whole datagrams out (one or more records each, never a byte
//! stream), and the retransmission timer left to the caller, which asks `timeout()` and calls
//! `handle_timeout()` when it expires. Verification, PSK and alerts are the stream connection's
//! (`handshake::attach`), so DTLS reports the same errors as TLS.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use foreign_types_shared::ForeignTypeRef;
use openssl::hash::MessageDigest;
use openssl::memcmp;
use openssl::pkey::PKey;
use openssl::sign::Signer;
use openssl::ssl::{ErrorCode, Ssl, SslContextBuilder, SslRef, SslStream};

use crate::cert::Certificate;
use crate::config::{CookieSecret, PeerVerifyMode, Role, TlsContext, Transport};
use crate::error::TlsError;
use crate::handshake::{self, Event, HandshakeHooks, NoHooks, Shared, SharedRef};
use crate::verify::{self, PeerError};
use crate::sys::*;

/// Datagrams as OpenSSL's BIO sees them: a read takes one datagram, a write gives one.
#[derive(Default)]
struct DatagramIo {
    incoming: VecDeque<Vec<u8>>,
    outgoing: VecDeque<Vec<u8>>,
    /// Until the handshake is done (see acceptable_records).
    handshaking: bool,
}

/// The records of a datagram that OpenSSL may see: whole ones only, and no application data
/// before the handshake is done (it would be lost on a real network too, and OpenSSL 3.0 keeps
/// such a record and fails the connection on it once the handshake is done if it does not
/// decrypt). None when nothing is left; an empty datagram would read as the end of the transport.
/// The datagram itself when all of it may be seen, as nearly always.
fn acceptable_records(datagram: &[u8], handshaking: bool) -> Option<Cow<'_, [u8]>> {
    const HEADER: usize = 13;
    const APPLICATION_DATA: u8 = 23;
    let records = || {
        let mut rest = datagram;
        std::iter::from_fn(move || {
            let length = usize::from(u16::from_be_bytes([*rest.get(11)?, *rest.get(12)?]));
            let record = rest.get(..HEADER + length)?;
            rest = &rest[record.len()..];
            Some(record)
        })
    };
    let acceptable = |record: &[u8]| !(handshaking && record[0] == APPLICATION_DATA);
    let whole: usize = records().map(<[u8]>::len).sum();
    if whole == datagram.len() && records().all(acceptable) {
        return (!datagram.is_empty()).then_some(Cow::Borrowed(datagram));
    }
    let kept: Vec<u8> = records().filter(|record| acceptable(record)).flatten().copied().collect();
    (!kept.is_empty()).then_some(Cow::Owned(kept))
}

impl Read for DatagramIo {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while let Some(datagram) = self.incoming.pop_front() {
            if let Some(records) = acceptable_records(&datagram, self.handshaking) {
                // A datagram larger than OpenSSL's buffer is cut, as a UDP read would cut it.
                let n = records.len().min(buf.len());
                buf[..n].copy_from_slice(&records[..n]);
                return Ok(n);
            }
        }
        Err(io::ErrorKind::WouldBlock.into())
    }
}

impl Write for DatagramIo {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.outgoing.push_back(buf.to_vec());
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The smallest path MTU DTLS works with; OpenSSL ignores smaller ones.
const MIN_MTU: u32 = 256;
/// Without a hint, what Qt assumes for a UDP path (1500 bytes of Ethernet less IP and UDP).
const DEFAULT_MTU: u32 = 1472;

pub struct DtlsConn {
    stream: SslStream<DatagramIo>,
    shared: SharedRef,
    ctx: Arc<TlsContext>,
    /// The name a client checks the server's certificate against (Qt's own check).
    verify_name: Option<String>,
    handshake_done: bool,
    error: Option<TlsError>,
    peer_closed: bool,
    close_sent: bool,
}

impl std::fmt::Debug for DtlsConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DtlsConn")
            .field("role", &self.ctx.config.role)
            .field("handshake_done", &self.handshake_done)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}

impl DtlsConn {
    /// `peer_id` names the peer (its address and port): a server's cookies are made from it.
    /// `mtu` is QDtls::mtuHint() (0: the default). A client checks the server's certificate
    /// against `verify_name`.
    pub fn new(
        ctx: &Arc<TlsContext>,
        peer_id: &[u8],
        mtu: u16,
        verify_name: Option<&str>,
    ) -> Result<DtlsConn, TlsError> {
        let config = &ctx.config;
        if config.transport != Transport::Datagram {
            return Err(TlsError::Config("a DTLS connection needs a datagram context".into()));
        }
        let mut ssl = Ssl::new(&ctx.ctx)?;
        let shared: SharedRef = Arc::new(Mutex::new(Shared::default()));
        handshake::lock(&shared).peer_id = peer_id.to_vec();
        handshake::attach(&mut ssl, &shared, handshake::verify_setting(config));
        let mtu = if mtu == 0 { DEFAULT_MTU } else { u32::from(mtu).max(MIN_MTU) };
        ssl.set_mtu(mtu)?;
        match config.role {
            Role::Client => ssl.set_connect_state(),
            Role::Server => ssl.set_accept_state(),
        }
        let stream = SslStream::new(ssl, DatagramIo { handshaking: true, ..DatagramIo::default() })?;
        Ok(DtlsConn {
            stream,
            shared,
            ctx: ctx.clone(),
            verify_name: verify_name.map(str::to_owned),
            handshake_done: false,
            error: None,
            peer_closed: false,
            close_sent: false,
        })
    }

    /// A server with cookies takes its first datagram here (DTLSv1_listen): true when it is a
    /// ClientHello with a good cookie, which the handshake then goes on from (`process`);
    /// otherwise a HelloVerifyRequest may be waiting in `take_datagrams`, and the datagram is gone.
    pub fn listen(&mut self) -> Result<bool, TlsError> {
        let config = &self.ctx.config;
        if config.role != Role::Server || config.dtls_cookie.is_none() {
            return Err(TlsError::Config("listening needs a DTLS server context with cookies".into()));
        }
        // SAFETY: plain allocation, freed below; the SSL is alive.
        let result = unsafe {
            let client = BIO_ADDR_new();
            if client.is_null() {
                return Err(TlsError::Internal("BIO_ADDR_new failed".into()));
            }
            let result = DTLSv1_listen(self.stream.ssl().as_ptr(), client);
            BIO_ADDR_free(client);
            result
        };
        if result < 0 {
            let stack = openssl::error::ErrorStack::get();
            return Err(TlsError::Handshake(if stack.errors().is_empty() {
                String::new()
            } else {
                handshake::describe(&stack.into())
            }));
        }
        // What listen left unread is not part of the handshake.
        self.stream.get_mut().incoming.clear();
        Ok(result > 0)
    }

    /// One datagram from the peer. Ignored once the connection has failed.
    pub fn feed_datagram(&mut self, datagram: &[u8]) {
        if self.error.is_none() && !datagram.is_empty() {
            self.stream.get_mut().incoming.push_back(datagram.to_vec());
        }
    }

    /// Drives the handshake with what was fed; questions (PSK, interruptions) are refused.
    pub fn process(&mut self) -> Result<(), TlsError> {
        self.process_with(&mut NoHooks)
    }

    /// `process`, with `hooks` answering what the handshake asks while it runs.
    pub fn process_with(&mut self, hooks: &mut dyn HandshakeHooks) -> Result<(), TlsError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        let _lend = handshake::lend_hooks(&self.shared, hooks);
        if !self.handshake_done {
            match handshake::drive(&mut self.stream) {
                Ok(true) => {
                    self.handshake_done = true;
                    self.stream.get_mut().handshaking = false;
                    handshake::lock(&self.shared).events.push(Event::HandshakeDone);
                }
                Ok(false) => {}
                Err(e) => return Err(self.fail(e)),
            }
        }
        Ok(())
    }

    /// The datagrams to send, oldest first; each leaves as one UDP datagram.
    pub fn take_datagrams(&mut self) -> Vec<Vec<u8>> {
        self.stream.get_mut().outgoing.drain(..).collect()
    }

    /// How long until the handshake wants `handle_timeout()` (a lost flight is sent again);
    /// None while no flight waits for an answer.
    pub fn timeout(&self) -> Option<Duration> {
        let mut tv = timeval { tv_sec: 0, tv_usec: 0 };
        // SAFETY: a live SSL; OpenSSL writes the timeval.
        let armed = unsafe {
            openssl_sys::SSL_ctrl(
                self.stream.ssl().as_ptr(),
                DTLS_CTRL_GET_TIMEOUT,
                0,
                (&mut tv as *mut timeval).cast(),
            )
        };
        (armed == 1).then(|| Duration::new(tv.tv_sec.max(0) as u64, (tv.tv_usec.max(0) as u32) * 1000))
    }

    /// The first retransmission timeout of the handshake (OpenSSL's default is one second); each
    /// further one doubles, up to a minute, as OpenSSL's own timer does.
    pub fn set_first_timeout(&mut self, first: Duration) {
        let micros = u32::try_from(first.as_micros()).unwrap_or(u32::MAX).max(1);
        handshake::lock(&self.shared).dtls_first_timeout_us = micros;
        // SAFETY: a live SSL; the callback only reads its ex_data.
        unsafe { DTLS_set_timer_cb(self.stream.ssl().as_ptr(), Some(next_timeout)) };
    }

    /// The timer expired: the last flight goes again (`take_datagrams`), unless OpenSSL has given
    /// up, which fails the handshake. True when something was sent again.
    pub fn handle_timeout(&mut self) -> Result<bool, TlsError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        // SAFETY: a live SSL.
        let result =
            unsafe { openssl_sys::SSL_ctrl(self.stream.ssl().as_ptr(), DTLS_CTRL_HANDLE_TIMEOUT, 0, std::ptr::null_mut()) };
        if result < 0 {
            let stack = openssl::error::ErrorStack::get();
            let text = if stack.errors().is_empty() {
                "The DTLS handshake timed out".to_owned()
            } else {
                handshake::describe(&stack.into())
            };
            return Err(self.fail(TlsError::Handshake(text)));
        }
        Ok(result > 0)
    }

    /// One datagram of application data (QDtls::writeDatagramEncrypted): a record of its own.
    pub fn encrypt(&mut self, plaintext: &[u8]) -> Result<(), TlsError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        if !self.handshake_done || self.close_sent {
            return Err(TlsError::Closed);
        }
        match self.stream.ssl_write(plaintext) {
            Ok(_) => Ok(()),
            Err(e) => Err(TlsError::Protocol(handshake::describe(&e))),
        }
    }

    /// The application data of one datagram (QDtls::decryptDatagram). Records that fail their
    /// check are dropped, as DTLS drops them; a close_notify ends the connection.
    pub fn decrypt(&mut self, datagram: &[u8]) -> Result<Vec<u8>, TlsError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        self.stream.get_mut().incoming.push_back(datagram.to_vec());
        // A datagram's records decrypt to fewer bytes than the datagram: read straight into the
        // result.
        let mut out = vec![0u8; datagram.len()];
        let mut filled = 0;
        while !self.stream.get_ref().incoming.is_empty() && !self.peer_closed && filled < out.len() {
            match self.stream.ssl_read(&mut out[filled..]) {
                Ok(n) => filled += n,
                Err(e) => match e.code() {
                    ErrorCode::WANT_READ | ErrorCode::WANT_WRITE => break,
                    ErrorCode::ZERO_RETURN => {
                        self.peer_closed = true;
                        handshake::lock(&self.shared).events.push(Event::CloseNotifyReceived);
                    }
                    _ => return Err(self.fail(TlsError::Protocol(handshake::describe(&e)))),
                },
            }
        }
        self.stream.get_mut().incoming.clear();
        out.truncate(filled);
        Ok(out)
    }

    /// Queues close_notify (QDtls::shutdown), once the handshake is done.
    pub fn shutdown(&mut self) {
        if self.close_sent || !self.handshake_done || self.error.is_some() {
            return;
        }
        self.close_sent = true;
        let _ = self.stream.shutdown();
    }

    fn fail(&mut self, e: TlsError) -> TlsError {
        self.error = Some(e.clone());
        e
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

    /// Verification problems in Qt's order, as for TLS (`verify::peer_errors`); unlike
    /// QSslSocket, QDtls reports none when it does not verify its peer.
    pub fn peer_errors(&self) -> Vec<PeerError> {
        if self.ctx.config.effective_verify_mode() != PeerVerifyMode::VerifyPeer {
            return Vec::new();
        }
        let raw = handshake::lock(&self.shared).verify_errors.clone();
        verify::peer_errors(self.stream.ssl(), &self.ctx, self.verify_name.as_deref(), &raw, &[])
    }

    /// Leaf first, for both roles.
    pub fn peer_chain(&self) -> Vec<Certificate> {
        verify::peer_chain(self.stream.ssl()).into_iter().map(Certificate::from_x509).collect()
    }

    pub fn peer_chain_der(&self) -> Vec<Vec<u8>> {
        self.peer_chain().iter().map(Certificate::to_der).collect()
    }

    pub fn protocol(&self) -> Option<crate::Protocol> {
        self.handshake_done.then(|| self.stream.ssl().version2().and_then(crate::Protocol::from_openssl)).flatten()
    }

    pub fn cipher(&self) -> Option<crate::CipherInfo> {
        self.handshake_done.then(|| self.stream.ssl().current_cipher().map(crate::CipherInfo::from_openssl)).flatten()
    }
}

/// What a server with cookies makes of a datagram from a client it has no connection with yet
/// (QDtlsClientVerifier::verifyClient).
#[derive(Debug, PartialEq, Eq)]
pub enum HelloVerdict {
    /// A ClientHello with a good cookie: the handshake may start with it.
    Verified,
    /// A ClientHello without (a good) cookie: these datagrams (a HelloVerifyRequest) answer it.
    Answer(Vec<Vec<u8>>),
    /// Not a ClientHello: dropped.
    Dropped,
}

/// Checks a client's first datagram statelessly, with the cookies of `ctx` (a DTLS server
/// context with cookies) for the client `peer_id`.
pub fn verify_client_hello(ctx: &Arc<TlsContext>, peer_id: &[u8], datagram: &[u8]) -> Result<HelloVerdict, TlsError> {
    let mut probe = DtlsConn::new(ctx, peer_id, 0, None)?;
    probe.feed_datagram(datagram);
    let verified = probe.listen()?;
    let answer = probe.take_datagrams();
    Ok(if verified {
        HelloVerdict::Verified
    } else if answer.is_empty() {
        HelloVerdict::Dropped
    } else {
        HelloVerdict::Answer(answer)
    })
}

/// DTLS_set_timer_cb: the first timeout as configured, then doubling up to a minute.
unsafe extern "C" fn next_timeout(ssl: *mut openssl_sys::SSL, previous_us: std::os::raw::c_uint) -> std::os::raw::c_uint {
    const MAX_US: u32 = 60_000_000;
    if previous_us > 0 {
        return previous_us.saturating_mul(2).min(MAX_US);
    }
    SslRef::from_ptr(ssl)
        .ex_data(handshake::shared_index())
        .map_or(1_000_000, |shared| handshake::lock(shared).dtls_first_timeout_us.max(1))
}

/// Cookies for a server's HelloVerifyRequest: an HMAC of the client's peer id (see
/// `DtlsConn::new`) with the configured secret and hash.
pub(crate) fn set_cookie_callbacks(b: &mut SslContextBuilder, cookie: &CookieSecret) -> Result<(), TlsError> {
    let digest = MessageDigest::from_name(&cookie.digest)
        .ok_or_else(|| TlsError::Config(format!("unknown cookie hash {}", cookie.digest)))?;
    let secret = cookie.secret.clone();
    let make = move |ssl: &SslRef| -> Option<Vec<u8>> {
        let shared = ssl.ex_data(handshake::shared_index())?;
        let peer = handshake::lock(shared).peer_id.clone();
        let key = PKey::hmac(&secret).ok()?;
        let mut signer = Signer::new(digest, &key).ok()?;
        signer.update(&peer).ok()?;
        signer.sign_to_vec().ok()
    };
    let verify = make.clone();
    b.set_cookie_generate_cb(move |ssl, out| {
        let cookie = make(ssl).ok_or_else(openssl::error::ErrorStack::get)?;
        // DTLS cookies are at most 255 bytes (DTLS1_COOKIE_LENGTH).
        let n = cookie.len().min(out.len());
        out[..n].copy_from_slice(&cookie[..n]);
        Ok(n)
    });
    b.set_cookie_verify_cb(move |ssl, offered| {
        verify(ssl).is_some_and(|expected| {
            let expected = &expected[..expected.len().min(offered.len().max(1))];
            expected.len() == offered.len() && memcmp::eq(expected, offered)
        })
    });
    Ok(())
}
