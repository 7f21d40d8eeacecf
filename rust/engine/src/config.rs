//! Connection configuration and the shared, cached OpenSSL context.
//!
//! Qt builds one SSL_CTX per socket, which costs a full CA-store load per
//! connection. We build one per distinct configuration and share it: the
//! cache holds weak references, so a context lives exactly as long as some
//! connection (or caller) still holds it.

use std::collections::{HashMap, VecDeque};
use std::ffi::CString;
use std::os::raw::{c_int, c_long};
use std::sync::{Arc, Mutex, OnceLock, Weak};

use foreign_types_shared::ForeignType;
use openssl::ec::EcKey;
use openssl::error::ErrorStack;
use openssl::pkey::{PKey, Private};
use openssl::rsa::Rsa;
use openssl::ssl::{
    AlpnError, NameType, SniError, SslContext, SslContextBuilder, SslFiletype, SslMethod, SslMode, SslOptions,
    SslSessionCacheMode, SslVerifyMode, SslVersion,
};
use openssl::x509::store::X509Lookup;
use openssl::x509::X509;

use crate::error::TlsError;
use crate::handshake;
use crate::keylog;
use crate::verify;
use crate::sys::*;


#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub enum Role {
    #[default]
    Client,
    Server,
}

/// TLS and DTLS protocol versions (each transport compares only its own). The numeric codes Qt
/// uses are mapped in the bridge.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord, Default)]
pub enum Protocol {
    Tls1_0,
    Tls1_1,
    #[default]
    Tls1_2,
    Tls1_3,
    Dtls1_0,
    Dtls1_2,
}

impl Protocol {
    pub(crate) fn to_openssl(self) -> SslVersion {
        match self {
            Protocol::Tls1_0 => SslVersion::TLS1,
            Protocol::Tls1_1 => SslVersion::TLS1_1,
            Protocol::Tls1_2 => SslVersion::TLS1_2,
            Protocol::Tls1_3 => SslVersion::TLS1_3,
            Protocol::Dtls1_0 => SslVersion::DTLS1,
            Protocol::Dtls1_2 => SslVersion::DTLS1_2,
        }
    }

    pub(crate) fn from_openssl(v: SslVersion) -> Option<Protocol> {
        if v == SslVersion::TLS1 {
            Some(Protocol::Tls1_0)
        } else if v == SslVersion::TLS1_1 {
            Some(Protocol::Tls1_1)
        } else if v == SslVersion::TLS1_2 {
            Some(Protocol::Tls1_2)
        } else if v == SslVersion::TLS1_3 {
            Some(Protocol::Tls1_3)
        } else if v == SslVersion::DTLS1 {
            Some(Protocol::Dtls1_0)
        } else if v == SslVersion::DTLS1_2 {
            Some(Protocol::Dtls1_2)
        } else {
            None
        }
    }
}

/// Qt's QSslSocket::PeerVerifyMode, same order.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub enum PeerVerifyMode {
    VerifyNone,
    QueryPeer,
    VerifyPeer,
    #[default]
    AutoVerifyPeer,
}

impl PeerVerifyMode {
    /// Resolves AutoVerifyPeer the way Qt does: clients verify, servers only query.
    pub fn effective(self, role: Role) -> PeerVerifyMode {
        match (self, role) {
            (PeerVerifyMode::AutoVerifyPeer, Role::Client) => PeerVerifyMode::VerifyPeer,
            (PeerVerifyMode::AutoVerifyPeer, Role::Server) => PeerVerifyMode::QueryPeer,
            (m, _) => m,
        }
    }
}

#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct TlsConfig {
    pub role: Role,
    /// Default Tls1_2 (Qt 6's SecureProtocols).
    pub min_protocol: Protocol,
    /// None = highest supported (1.3).
    pub max_protocol: Option<Protocol>,
    /// AutoVerifyPeer resolves to VerifyPeer for clients, QueryPeer for servers.
    pub verify_mode: PeerVerifyMode,
    /// 0 = unlimited (Qt's default); otherwise passed to SSL_CTX_set_verify_depth as Qt does.
    pub verify_depth: i32,
    /// Trusted CA certificates (DER).
    pub ca_certs_der: Vec<Vec<u8>>,
    /// Also trust OpenSSL's default verify paths (the system store).
    pub use_system_ca: bool,
    /// Local certificate chain, leaf first (DER).
    pub local_chain_der: Vec<Vec<u8>>,
    /// Private key: PKCS#8 or traditional (RSA/EC/DSA) DER.
    pub private_key_der: Option<Vec<u8>>,
    /// OpenSSL cipher string for TLS <= 1.2; None keeps OpenSSL's default.
    pub cipher_list: Option<String>,
    /// TLS 1.3 ciphersuites string; None keeps OpenSSL's default.
    pub ciphersuites: Option<String>,
    /// ALPN protocols in preference order; entries that are empty or longer
    /// than 255 bytes are skipped, as Qt does.
    pub alpn: Vec<Vec<u8>>,
    /// false sets SSL_OP_NO_TICKET (Qt's SslOptionDisableSessionTickets).
    pub session_tickets: bool,
    /// Empty fragments before CBC records in TLS 1.0 (Qt: no SslOptionDisableEmptyFragments).
    pub empty_fragments: bool,
    /// SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION (Qt: no SslOptionDisableLegacyRenegotiation).
    pub legacy_renegotiation: bool,
    /// TLS compression allowed (Qt: no SslOptionDisableCompression).
    pub compression: bool,
    /// false leaves SSL_OP_CIPHER_SERVER_PREFERENCE unset (Qt's
    /// SslOptionDisableServerCipherPreference): a server then takes the client's order, for
    /// TLS 1.3 suites as for older ciphers.
    pub server_cipher_preference: bool,
    /// QSslConfiguration::ellipticCurves() as OpenSSL NIDs; empty keeps OpenSSL's default groups.
    pub curves: Vec<i32>,
    /// QSslConfiguration::backendConfiguration() in its (key) order: OpenSSL SSL_CONF commands
    /// and their values, None for a value that is no QByteArray (Qt then refuses the
    /// configuration). Qt passes both to SSL_CONF_cmd as C strings.
    pub backend_options: Vec<(Vec<u8>, Option<Vec<u8>>)>,
    /// Qt's handshakeMustInterruptOnError: each verification error is put to the connection's
    /// owner as OpenSSL meets it, and the handshake fails unless the owner goes on.
    pub interrupt_on_verify_error: bool,
    /// The PSK identity hint a server sends (QSslConfiguration::preSharedKeyIdentityHint()).
    pub psk_identity_hint: Vec<u8>,
    /// QSslConfiguration::ocspStaplingEnabled(): a client asks for the server's OCSP status and
    /// checks it (a server refuses the setting, as Qt's does).
    pub ocsp_stapling: bool,
    /// QSslConfiguration::diffieHellmanParameters(), for DHE key exchanges.
    pub dh_params: DhParams,
    /// Stream (TLS) or datagrams (DTLS, see `dtls::DtlsConn`).
    pub transport: Transport,
    /// A DTLS server's cookie exchange (QSslConfiguration::dtlsCookieVerificationEnabled());
    /// None: no HelloVerifyRequest.
    pub dtls_cookie: Option<CookieSecret>,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub enum Transport {
    #[default]
    Stream,
    Datagram,
}

/// What a DTLS server's cookies are made with: an HMAC of the client's address, as Qt's
/// QDtlsClientVerifier::GeneratorParameters say.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct CookieSecret {
    pub secret: Vec<u8>,
    /// OpenSSL digest name ("SHA1", "SHA256", ...).
    pub digest: String,
}

/// Diffie-Hellman parameters as a QSslConfiguration holds them.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub enum DhParams {
    /// None: no DHE key exchange.
    #[default]
    Empty,
    /// DHparams DER. Qt's default (1024 bits) is below OpenSSL 3's default security level, which
    /// refuses it: no DHE then either, as with Qt.
    Der(Vec<u8>),
    /// Parameters that failed to decode (QSslDiffieHellmanParameters::isValid() false).
    Invalid,
}

impl Default for TlsConfig {
    fn default() -> Self {
        TlsConfig {
            role: Role::Client,
            min_protocol: Protocol::Tls1_2,
            max_protocol: None,
            verify_mode: PeerVerifyMode::AutoVerifyPeer,
            verify_depth: 0,
            ca_certs_der: Vec::new(),
            use_system_ca: false,
            local_chain_der: Vec::new(),
            private_key_der: None,
            cipher_list: None,
            ciphersuites: None,
            alpn: Vec::new(),
            session_tickets: true,
            empty_fragments: false,
            legacy_renegotiation: false,
            compression: false,
            server_cipher_preference: true,
            curves: Vec::new(),
            backend_options: Vec::new(),
            interrupt_on_verify_error: false,
            psk_identity_hint: Vec::new(),
            ocsp_stapling: false,
            dh_params: DhParams::Empty,
            transport: Transport::Stream,
            dtls_cookie: None,
        }
    }
}

/// The backend configuration key Qt's own tests use to make a server staple an OCSP response
/// (its DER); never handed to SSL_CONF.
pub const STAPLED_RESPONSE_KEY: &[u8] = b"Qt-OCSP-response";

/// qssl-rs' own backend configuration keys (the extension header's settings), never handed to
/// SSL_CONF. The file TLS secrets are logged to (NSS key log format).
pub const KEY_LOG_FILE_KEY: &[u8] = b"QSslRsKeyLogFile";
/// Public-key pins: SHA-256 digests of SubjectPublicKeyInfo DER, base64, separated by commas. A
/// peer chain that matches none of them fails verification (QSslError::CertificateRejected).
pub const PUBLIC_KEY_PINS_KEY: &[u8] = b"QSslRsPublicKeyPins";

/// A server's certificates by the name a client asks for (SNI): blocks of a name between
/// `-----BEGIN QSSLRS SERVER NAME-----` and `-----END QSSLRS SERVER NAME-----` lines, each followed
/// by that name's certificate chain (leaf first) and private key, in PEM. A name is exact or a
/// wildcard ("*.example.com"); a client asking for no listed name gets the configuration's own.
pub const SERVER_NAME_CERTIFICATES_KEY: &[u8] = b"QSslRsServerNameCertificates";
const SERVER_NAME_BEGIN: &str = "-----BEGIN QSSLRS SERVER NAME-----";
const SERVER_NAME_END: &str = "-----END QSSLRS SERVER NAME-----";

/// The keys the engine reads itself.
fn is_engine_key(key: &[u8]) -> bool {
    [STAPLED_RESPONSE_KEY, KEY_LOG_FILE_KEY, PUBLIC_KEY_PINS_KEY, SERVER_NAME_CERTIFICATES_KEY].contains(&key)
}

/// One server name's certificate chain and key (QSslRsServerNameCertificates).
struct ServerIdentity {
    name: String,
    chain_der: Vec<Vec<u8>>,
    key_der: Vec<u8>,
}

/// QSslRsServerNameCertificates taken apart; an entry without a name, a certificate or a key is
/// refused.
fn server_identities(value: &[u8]) -> Result<Vec<ServerIdentity>, TlsError> {
    let refused = |why: &str| setting(&format!("QSslRsServerNameCertificates: {why}"));
    let text = std::str::from_utf8(value).map_err(|_| refused("not text"))?;
    let mut identities = Vec::new();
    for block in text.split(SERVER_NAME_BEGIN).skip(1) {
        let (name, pem) = block.split_once(SERVER_NAME_END).ok_or_else(|| refused("a name without its end line"))?;
        let name = name.trim().to_ascii_lowercase();
        if name.is_empty() {
            return Err(refused("an empty server name"));
        }
        let chain = X509::stack_from_pem(pem.as_bytes()).unwrap_or_default();
        let chain_der = chain.iter().map(|cert| cert.to_der()).collect::<Result<Vec<_>, _>>().unwrap_or_default();
        if chain_der.is_empty() {
            return Err(refused(&format!("no certificate for {name}")));
        }
        let key_der = PKey::private_key_from_pem(pem.as_bytes())
            .and_then(|key| key.private_key_to_der())
            .map_err(|_| refused(&format!("no private key for {name}")))?;
        identities.push(ServerIdentity { name, chain_der, key_der });
    }
    let _ = ErrorStack::get(); // the PEM readers leave "no start line" behind
    Ok(identities)
}

/// A server context per listed name, and the SNI callback that switches a connection to the one
/// its client asked for: an exact name first, then a wildcard (Qt's host name rules).
fn set_server_identities(b: &mut SslContextBuilder, config: &TlsConfig, value: &[u8]) -> Result<(), TlsError> {
    let mut contexts = Vec::new();
    for identity in server_identities(value)? {
        let mut named = config.clone();
        named.local_chain_der = identity.chain_der;
        named.private_key_der = Some(identity.key_der);
        named.backend_options.retain(|(key, _)| key != SERVER_NAME_CERTIFICATES_KEY);
        contexts.push((identity.name, build_context(&named)?));
    }
    b.set_servername_callback(move |ssl, _alert| {
        let Some(asked) = ssl.servername(NameType::HOST_NAME).map(str::to_ascii_lowercase) else {
            return Ok(());
        };
        let chosen = contexts
            .iter()
            .find(|(name, _)| *name == asked)
            .or_else(|| contexts.iter().find(|(name, _)| name.starts_with("*.") && verify::matches_pattern(name, &asked)));
        if let Some((_, context)) = chosen {
            ssl.set_ssl_context(context).map_err(|_| SniError::ALERT_FATAL)?;
        }
        Ok(())
    });
    Ok(())
}

impl TlsConfig {
    pub fn effective_verify_mode(&self) -> PeerVerifyMode {
        self.verify_mode.effective(self.role)
    }

    /// The value of one of the engine's own backend keys: None without the key; empty when its
    /// value is empty or no byte string.
    fn engine_option(&self, wanted: &[u8]) -> Option<&[u8]> {
        self.backend_options
            .iter()
            .find(|(key, _)| key == wanted)
            .map(|(_, value)| value.as_deref().unwrap_or_default())
    }

    /// The response a server staples ("Qt-OCSP-response" in backendConfiguration()).
    fn stapled_response(&self) -> Option<&[u8]> {
        self.engine_option(STAPLED_RESPONSE_KEY)
    }

    /// The public-key pins (QSslRsPublicKeyPins), each a SHA-256 digest; empty when none are
    /// set. A value that is not a list of base64 SHA-256 digests is refused.
    fn public_key_pins(&self) -> Result<Vec<Vec<u8>>, TlsError> {
        let Some(value) = self.engine_option(PUBLIC_KEY_PINS_KEY) else {
            return Ok(Vec::new());
        };
        let refused = || setting("QSslRsPublicKeyPins: expected base64 SHA-256 digests separated by commas");
        let text = std::str::from_utf8(value).map_err(|_| refused())?;
        text.split(',')
            .map(str::trim)
            .filter(|pin| !pin.is_empty())
            .map(|pin| match openssl::base64::decode_block(pin) {
                Ok(digest) if digest.len() == 32 => Ok(digest),
                _ => Err(refused()),
            })
            .collect()
    }
}

/// An immutable OpenSSL context built from one TlsConfig; shared by all
/// connections with an equal configuration.
pub struct TlsContext {
    pub(crate) ctx: SslContext,
    pub(crate) config: TlsConfig,
    /// The configuration's public-key pins (QSslRsPublicKeyPins), decoded once.
    pub(crate) public_key_pins: Vec<Vec<u8>>,
}

impl std::fmt::Debug for TlsContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsContext")
            .field("role", &self.config.role)
            .finish_non_exhaustive()
    }
}

/// Contexts by configuration: every live one (weakly), and the most recently used few kept alive
/// (strongly), so that a client making one connection after another does not rebuild its context
/// each time.
struct Cache {
    live: HashMap<TlsConfig, Weak<TlsContext>>,
    recent: VecDeque<Arc<TlsContext>>,
}

const RECENT_CONTEXTS: usize = 8;

fn cache() -> &'static Mutex<Cache> {
    static CACHE: OnceLock<Mutex<Cache>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(Cache { live: HashMap::new(), recent: VecDeque::new() }))
}

impl Cache {
    fn keep_recent(&mut self, ctx: &Arc<TlsContext>) {
        self.recent.retain(|c| !Arc::ptr_eq(c, ctx));
        self.recent.push_front(Arc::clone(ctx));
        self.recent.truncate(RECENT_CONTEXTS);
    }
}

impl TlsContext {
    /// Returns the live context for an equal configuration, or builds,
    /// caches (weakly) and returns a new one.
    pub fn shared(config: &TlsConfig) -> Result<Arc<TlsContext>, TlsError> {
        // The lock is held while building so two threads asking for the same
        // new configuration do not both pay for it.
        let mut cache = cache().lock().unwrap_or_else(|e| e.into_inner());
        if let Some(ctx) = cache.live.get(config).and_then(Weak::upgrade) {
            cache.keep_recent(&ctx);
            return Ok(ctx);
        }
        // Drop dead entries so keys (which may hold private keys) do not pile up.
        cache.live.retain(|_, w| w.strong_count() > 0);
        let ctx = Arc::new(TlsContext {
            ctx: build_context(config)?,
            public_key_pins: config.public_key_pins()?,
            config: config.clone(),
        });
        cache.live.insert(config.clone(), Arc::downgrade(&ctx));
        cache.keep_recent(&ctx);
        Ok(ctx)
    }

    pub fn config(&self) -> &TlsConfig {
        &self.config
    }

    /// Number of live cached contexts (for tests and diagnostics).
    pub fn cached_count() -> usize {
        let cache = cache().lock().unwrap_or_else(|e| e.into_inner());
        cache.live.values().filter(|w| w.strong_count() > 0).count()
    }
}

fn cfg_err(what: &str, e: impl std::fmt::Display) -> TlsError {
    TlsError::Config(format!("{what}: {e}"))
}

/// A setting refused as Qt's backend words it: `message` with OpenSSL's errors in Qt's format.
fn refused(message: impl FnOnce(String) -> String, e: ErrorStack) -> TlsError {
    let reason = if e.errors().is_empty() { String::new() } else { handshake::describe(&e.into()) };
    TlsError::Setting { message: message(reason), openssl_errors: String::new() }
}

pub(crate) fn load_private_key(der: &[u8]) -> Result<PKey<Private>, TlsError> {
    // d2i_AutoPrivateKey covers PKCS#8 and most traditional forms; the
    // explicit fallbacks catch the rest.
    PKey::private_key_from_der(der)
        .or_else(|_| PKey::private_key_from_pkcs8(der))
        .or_else(|_| Rsa::private_key_from_der(der).and_then(PKey::from_rsa))
        .or_else(|_| EcKey::private_key_from_der(der).and_then(PKey::from_ec_key))
        .map_err(|e| cfg_err("Cannot load private key", e))
}

/// ALPN wire format, skipping entries Qt would skip.
fn alpn_wire(protos: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    for p in protos.iter().filter(|p| !p.is_empty() && p.len() <= 255) {
        out.push(p.len() as u8);
        out.extend_from_slice(p);
    }
    out
}

/// Server-side ALPN choice as Qt makes it: the first protocol in the
/// client's list that we also support. No overlap: do not acknowledge
/// (Qt's callback then lets OpenSSL pick garbage; NOACK is the sane variant).
fn select_alpn<'a>(client: &'a [u8], ours: &[u8]) -> Option<&'a [u8]> {
    let mut i = 0;
    while i < client.len() {
        let len = client[i] as usize;
        let p = client.get(i + 1..i + 1 + len)?;
        let mut j = 0;
        while j < ours.len() {
            let l = ours[j] as usize;
            if &ours[j + 1..j + 1 + l] == p {
                return Some(p);
            }
            j += 1 + l;
        }
        i += 1 + len;
    }
    None
}

/// Where Unix systems keep their root certificates, in the order Qt looks (its
/// unixRootCertDirectories); `SSL_CERT_DIR` comes first when set.
pub fn system_ca_dirs() -> Vec<String> {
    const DIRS: &[&str] = &[
        "/etc/ssl/certs/",       // Debian, Ubuntu, openSUSE
        "/usr/lib/ssl/certs/",   // Gentoo, Mandrake
        "/usr/share/ssl/",       // CentOS, Red Hat, SuSE
        "/usr/local/ssl/",       // OpenSSL tarball
        "/var/ssl/certs/",       // AIX
        "/usr/local/ssl/certs/", // Solaris
        "/etc/openssl/certs/",   // BlackBerry
        "/opt/openssl/certs/",   // HP-UX
        "/etc/ssl/",             // OpenBSD
    ];
    std::env::var("SSL_CERT_DIR")
        .ok()
        .filter(|dir| !dir.is_empty())
        .into_iter()
        .chain(DIRS.iter().map(|dir| dir.to_string()))
        .collect()
}

/// A directory whose roots OpenSSL can look up by subject hash ("1a2b3c4d.0" entries).
fn is_hashed_dir(dir: &str) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else { return false };
    entries.flatten().any(|entry| {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        name.len() == 10
            && name.as_bytes()[8] == b'.'
            && name[..8].bytes().all(|b| b.is_ascii_hexdigit())
            && name.as_bytes()[9].is_ascii_digit()
    })
}

/// Trusts the system's roots the way Qt's OpenSSL backend does: certificates are looked up in
/// the hashed directories when a chain needs them, instead of parsing the whole bundle for every
/// context (~20 ms). Without a hashed directory, OpenSSL's own default paths are loaded.
fn add_system_roots(b: &mut SslContextBuilder) -> Result<(), TlsError> {
    let dirs: Vec<String> = system_ca_dirs().into_iter().filter(|dir| is_hashed_dir(dir)).collect();
    if dirs.is_empty() {
        return b
            .set_default_verify_paths()
            .map_err(|e| cfg_err("Cannot load system CA certificates", e));
    }
    let lookup = b
        .cert_store_mut()
        .add_lookup(X509Lookup::hash_dir())
        .map_err(|e| cfg_err("Cannot look up system CA certificates", e))?;
    for dir in &dirs {
        lookup
            .add_dir(dir, SslFiletype::PEM)
            .map_err(|e| cfg_err("Cannot look up system CA certificates", e))?;
    }
    Ok(())
}

fn build_context(config: &TlsConfig) -> Result<SslContext, TlsError> {
    let method = match config.transport {
        Transport::Stream => SslMethod::tls(),
        Transport::Datagram => SslMethod::dtls(),
    };
    let mut b = SslContextBuilder::new(method).map_err(|e| cfg_err("SSL_CTX_new", e))?;

    b.set_options(ssl_options(config));
    if config.transport == Transport::Datagram {
        // The path MTU comes from the owner (QDtls::setMtuHint), never from a socket we do not
        // have; a server with cookies answers a first ClientHello with a HelloVerifyRequest.
        b.set_options(SslOptions::NO_QUERY_MTU);
        if config.role == Role::Server && config.dtls_cookie.is_some() {
            b.set_options(SslOptions::COOKIE_EXCHANGE);
        }
    }

    if let Some(max) = config.max_protocol {
        if max < config.min_protocol {
            return Err(TlsError::Config(format!(
                "Invalid protocol range: {:?} > {:?}",
                config.min_protocol, max
            )));
        }
    }
    b.set_min_proto_version(Some(config.min_protocol.to_openssl()))
        .map_err(|e| refused(|_| "Error while setting the minimal protocol version".into(), e))?;
    b.set_max_proto_version(config.max_protocol.map(Protocol::to_openssl))
        .map_err(|e| refused(|_| "Error while setting the maximum protocol version".into(), e))?;

    let invalid_ciphers = |why: String| format!("Invalid or empty cipher list ({why})");
    if let Some(list) = &config.cipher_list {
        b.set_cipher_list(list).map_err(|e| refused(invalid_ciphers, e))?;
    }
    if let Some(suites) = &config.ciphersuites {
        b.set_ciphersuites(suites).map_err(|e| refused(invalid_ciphers, e))?;
    }

    for der in &config.ca_certs_der {
        let cert = X509::from_der(der).map_err(|e| cfg_err("Invalid CA certificate", e))?;
        b.cert_store_mut()
            .add_cert(cert)
            .map_err(|e| cfg_err("Cannot add CA certificate", e))?;
    }
    if config.use_system_ca {
        add_system_roots(&mut b)?;
    }
    // Idle connections give their record buffers back (Qt's idle sockets keep theirs).
    b.set_mode(SslMode::RELEASE_BUFFERS);

    if let Some((leaf, rest)) = config.local_chain_der.split_first() {
        let Some(key_der) = &config.private_key_der else {
            return Err(TlsError::Config(
                "Cannot provide a certificate with no key".into(),
            ));
        };
        let leaf = X509::from_der(leaf).map_err(|e| cfg_err("Invalid local certificate", e))?;
        b.set_certificate(&leaf)
            .map_err(|e| refused(|why| format!("Error loading local certificate, {why}"), e))?;
        for der in rest {
            let c =
                X509::from_der(der).map_err(|e| cfg_err("Invalid local chain certificate", e))?;
            b.add_extra_chain_cert(c)
                .map_err(|e| cfg_err("Cannot add chain certificate", e))?;
        }
        let key = load_private_key(key_der)?;
        b.set_private_key(&key)
            .map_err(|e| refused(|why| format!("Error loading private key, {why}"), e))?;
        b.check_private_key()
            .map_err(|e| refused(|why| format!("Private key does not certify public key, {why}"), e))?;
    } else if let Some(key_der) = &config.private_key_der {
        let key = load_private_key(key_der)?;
        b.set_private_key(&key)
            .map_err(|e| cfg_err("Cannot set private key", e))?;
    }

    // The per-connection verify callback (set in TlsConn::new) records
    // errors; the context-level mode matters for a server, where PEER makes
    // OpenSSL send a CertificateRequest. Never FAIL_IF_NO_PEER_CERT: Qt
    // reports NoPeerCertificate itself.
    let mode = match config.effective_verify_mode() {
        PeerVerifyMode::VerifyNone => SslVerifyMode::NONE,
        _ => SslVerifyMode::PEER,
    };
    b.set_verify(mode);
    if config.verify_depth > 0 {
        b.set_verify_depth(config.verify_depth as u32);
    }

    let alpn = alpn_wire(&config.alpn);
    match config.role {
        Role::Client => {
            if !alpn.is_empty() {
                b.set_alpn_protos(&alpn)
                    .map_err(|e| cfg_err("Cannot set ALPN protocols", e))?;
            }
            // Client-side cache only to get the new-session callback (Qt's
            // newSessionTicketReceived); no internal store, so a shared
            // context does not accumulate sessions.
            b.set_session_cache_mode(
                SslSessionCacheMode::CLIENT | SslSessionCacheMode::NO_INTERNAL_STORE,
            );
            b.set_new_session_callback(handshake::on_new_session);
            // Qt installs its PSK callbacks whatever the configuration, so a client offers the
            // PSK cipher suites of its list in TLS 1.2.
            b.set_psk_client_callback(handshake::on_psk_client);
            // SAFETY: a live builder; the callback matches OpenSSL's prototype.
            unsafe {
                SSL_CTX_set_psk_use_session_callback(b.as_ptr(), Some(handshake::tls13_psk_probe))
            };
        }
        Role::Server => {
            if !alpn.is_empty() {
                b.set_alpn_select_callback(move |_, client| {
                    select_alpn(client, &alpn).ok_or(AlpnError::NOACK)
                });
            }
            // Needed for session resumption when client certificates are requested.
            b.set_session_id_context(b"qsslrs")
                .map_err(|e| cfg_err("Cannot set session id context", e))?;
            b.set_psk_server_callback(handshake::on_psk_server);
            // Qt sets the hint as a C string, an empty one included; OpenSSL refuses one longer
            // than 128 bytes, which Qt does not check either.
            let hint = c_string(&config.psk_identity_hint);
            // SAFETY: a live builder and a NUL-terminated string OpenSSL copies.
            if unsafe { SSL_CTX_use_psk_identity_hint(b.as_ptr(), hint.as_ptr()) } != 1 {
                let _ = ErrorStack::get();
            }
        }
    }

    set_dh_params(&mut b, &config.dh_params)?;
    if let (Transport::Datagram, Role::Server, Some(cookie)) = (config.transport, config.role, &config.dtls_cookie) {
        crate::dtls::set_cookie_callbacks(&mut b, cookie)?;
    }
    // Last, as Qt does: backend options may override anything set above.
    set_curves(&mut b, &config.curves)?;
    apply_backend_options(&mut b, &config.backend_options)?;
    if let (Role::Server, Some(value)) = (config.role, config.engine_option(SERVER_NAME_CERTIFICATES_KEY)) {
        set_server_identities(&mut b, config, value)?;
    }
    if let Some((path, asked_by)) = keylog::path_for(config.engine_option(KEY_LOG_FILE_KEY), KEY_LOG_FILE_KEY) {
        keylog::install(&mut b, &path, asked_by);
    }

    // Qt checks these once its context exists.
    if config.ocsp_stapling && config.role == Role::Server {
        return Err(setting("Server-side QSslSocket does not support OCSP stapling"));
    }
    if let Some(der) = config.stapled_response() {
        if config.role == Role::Client && !der.is_empty() {
            return Err(setting("Client-side sockets do not send OCSP responses"));
        }
        if config.role == Role::Server {
            // As Qt's callback: nothing to staple (an empty value) fails the handshake.
            let der = der.to_vec();
            b.set_status_callback(move |ssl| {
                if der.is_empty() {
                    return Err(ErrorStack::get());
                }
                ssl.set_ocsp_status(&der)?;
                Ok(true)
            })
            .map_err(|e| cfg_err("Cannot set the OCSP status callback", e))?;
        }
    }

    // What Qt leaves in OpenSSL's queue (a refused DH setting) is only ever seen in the messages
    // above; the handshake would clear it anyway.
    let _ = ErrorStack::get();
    Ok(b.build())
}

/// The options Qt's backend sets from its SslOptions: OpenSSL's bug workarounds (SSL_OP_ALL),
/// each Qt option adding or taking away one flag.
fn ssl_options(config: &TlsConfig) -> SslOptions {
    let mut options = SslOptions::ALL;
    options.set(SslOptions::DONT_INSERT_EMPTY_FRAGMENTS, !config.empty_fragments);
    options.set(SslOptions::ALLOW_UNSAFE_LEGACY_RENEGOTIATION, config.legacy_renegotiation);
    options.set(SslOptions::NO_TICKET, !config.session_tickets);
    options.set(SslOptions::NO_COMPRESSION, !config.compression);
    options.set(SslOptions::CIPHER_SERVER_PREFERENCE, config.server_cipher_preference);
    options
}

/// A setting refused as Qt's backend words it, with what OpenSSL's queue still holds.
fn setting(message: &str) -> TlsError {
    TlsError::Setting { message: message.to_owned(), openssl_errors: openssl_errors() }
}

/// SSL_CTX_set_tmp_dh with the configured parameters, as Qt sets them. A refusal (Qt's default
/// parameters are too small for OpenSSL 3) is ignored, as Qt ignores it, and its error is left
/// in OpenSSL's queue, where Qt's later messages pick it up.
fn set_dh_params(b: &mut SslContextBuilder, params: &DhParams) -> Result<(), TlsError> {
    let der = match params {
        DhParams::Empty => return Ok(()),
        DhParams::Invalid => return Err(setting("Diffie-Hellman parameters are not valid")),
        DhParams::Der(der) => der,
    };
    let dh = openssl::dh::Dh::params_from_der(der).map_err(|e| cfg_err("Invalid Diffie-Hellman parameters", e))?;
    // SAFETY: live context and parameters; OpenSSL takes its own reference.
    unsafe { openssl_sys::SSL_CTX_set_tmp_dh(b.as_ptr(), dh.as_ptr()) };
    Ok(())
}

/// OpenSSL's error queue as Qt reports it (empty when there is none); drains the queue.
fn openssl_errors() -> String {
    let stack = ErrorStack::get();
    if stack.errors().is_empty() {
        return String::new();
    }
    handshake::describe(&stack.into())
}


/// SSL_CTX_set1_groups with the curves' NIDs, as Qt sets ellipticCurves() (the openssl crate
/// only takes a list of names, which OpenSSL parses and rejects differently).
fn set_curves(b: &mut SslContextBuilder, nids: &[i32]) -> Result<(), TlsError> {
    if nids.is_empty() {
        return Ok(());
    }
    let mut nids: Vec<c_int> = nids.to_vec();
    // SAFETY: the context is alive; OpenSSL copies the NID array before returning.
    let ok = unsafe {
        openssl_sys::SSL_CTX_ctrl(b.as_ptr(), SSL_CTRL_SET_GROUPS, nids.len() as c_long, nids.as_mut_ptr().cast())
    };
    if ok == 0 {
        return Err(TlsError::Curves { openssl_errors: openssl_errors() });
    }
    Ok(())
}

/// A C string as C code reads a QByteArray's constData(): up to the first NUL.
fn c_string(bytes: &[u8]) -> CString {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    CString::new(&bytes[..end]).expect("no NUL before end")
}

/// Frees the SSL_CONF_CTX however apply_backend_options returns.
struct ConfCtx(*mut SSL_CONF_CTX);

impl Drop for ConfCtx {
    fn drop(&mut self) {
        // SAFETY: allocated by SSL_CONF_CTX_new and freed only here.
        unsafe { SSL_CONF_CTX_free(self.0) }
    }
}

/// Applies backendConfiguration() the way Qt's OpenSSL backend does: each option in order through
/// SSL_CONF_cmd in "file" mode (neither client nor server flags, so options limited to one side
/// are unknown commands), the first refusal failing the whole context. The key Qt keeps for its
/// OCSP tests never reaches OpenSSL.
fn apply_backend_options(
    b: &mut SslContextBuilder,
    options: &[(Vec<u8>, Option<Vec<u8>>)],
) -> Result<(), TlsError> {
    let options: Vec<_> = options.iter().filter(|(key, _)| !is_engine_key(key)).collect();
    if options.is_empty() {
        return Ok(());
    }
    // SAFETY: plain allocation; null is handled.
    let cctx = ConfCtx(unsafe { SSL_CONF_CTX_new() });
    if cctx.0.is_null() {
        return Err(TlsError::BackendCall { call: "SSL_CONF_CTX_new()", openssl_errors: openssl_errors() });
    }
    // SAFETY: both objects are alive; the SSL_CONF_CTX is freed before the builder is used again
    // by anyone else, and it does not take ownership of the context.
    unsafe {
        SSL_CONF_CTX_set_ssl_ctx(cctx.0, b.as_ptr());
        SSL_CONF_CTX_set_flags(cctx.0, SSL_CONF_FLAG_FILE);
    }
    for (key_bytes, value) in options {
        let key = String::from_utf8_lossy(key_bytes).into_owned();
        let Some(value) = value else {
            return Err(TlsError::BackendOption { key, value: None, status: 0, openssl_errors: openssl_errors() });
        };
        let (cmd, arg) = (c_string(key_bytes), c_string(value));
        // SAFETY: valid NUL-terminated strings; OpenSSL copies what it keeps.
        let status = unsafe { SSL_CONF_cmd(cctx.0, cmd.as_ptr(), arg.as_ptr()) };
        if status != 2 {
            let value = Some(String::from_utf8_lossy(value).into_owned());
            return Err(TlsError::BackendOption { key, value, status, openssl_errors: openssl_errors() });
        }
    }
    // SAFETY: cctx is alive.
    if unsafe { SSL_CONF_CTX_finish(cctx.0) } == 0 {
        return Err(TlsError::BackendCall { call: "SSL_CONF_finish()", openssl_errors: openssl_errors() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use foreign_types_shared::ForeignType;

    #[test]
    fn alpn_selection_prefers_client_order() {
        let ours = alpn_wire(&[b"http/1.1".to_vec(), b"h2".to_vec()]);
        let client = alpn_wire(&[b"h2".to_vec(), b"http/1.1".to_vec()]);
        assert_eq!(select_alpn(&client, &ours), Some(&b"h2"[..]));
        let client = alpn_wire(&[b"spdy".to_vec()]);
        assert_eq!(select_alpn(&client, &ours), None);
        // Malformed client list must not panic.
        assert_eq!(select_alpn(&[5, b'h'], &ours), None);
    }

    fn with_options(options: &[(&str, Option<&str>)]) -> TlsConfig {
        TlsConfig {
            backend_options: options
                .iter()
                .map(|(key, value)| (key.as_bytes().to_vec(), value.map(|v| v.as_bytes().to_vec())))
                .collect(),
            ..TlsConfig::default()
        }
    }

    fn build_error(config: &TlsConfig) -> TlsError {
        build_context(config).expect_err("the context must be refused")
    }

    #[test]
    fn accepted_backend_options_build() {
        build_context(&with_options(&[("Groups", Some("P-384")), ("MinProtocol", Some("TLSv1.3"))])).unwrap();
        // Qt's own OCSP test key never reaches OpenSSL (a server's, since a client refuses it).
        let server = TlsConfig { role: Role::Server, ..with_options(&[("Qt-OCSP-response", Some("x"))]) };
        build_context(&server).unwrap();
    }

    #[test]
    fn refused_backend_options_report_ssl_conf_status() {
        // Unknown, and server-only in file mode (Qt sets neither client nor server flags).
        for key in ["Bogus", "NumTickets"] {
            match build_error(&with_options(&[(key, Some("1"))])) {
                TlsError::BackendOption { key: k, value: Some(v), status: -2, openssl_errors } => {
                    assert_eq!((k.as_str(), v.as_str(), openssl_errors.as_str()), (key, "1", ""));
                }
                other => panic!("{key}: {other:?}"),
            }
        }
        match build_error(&with_options(&[("Groups", Some("bogus"))])) {
            TlsError::BackendOption { status: 0, openssl_errors, .. } => {
                assert_eq!(openssl_errors, "error:0A080106:SSL routines::passed invalid argument")
            }
            other => panic!("{other:?}"),
        }
        // Options are applied in order and the first refusal wins.
        match build_error(&with_options(&[("Curves", None), ("Groups", Some("bogus"))])) {
            TlsError::BackendOption { key, value: None, .. } => assert_eq!(key, "Curves"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn curves_are_set_by_nid() {
        let secp384r1 = openssl::nid::Nid::SECP384R1.as_raw();
        build_context(&TlsConfig { curves: vec![secp384r1], ..TlsConfig::default() }).unwrap();
        let refused = TlsConfig { curves: vec![0], ..TlsConfig::default() };
        assert_eq!(build_error(&refused), TlsError::Curves { openssl_errors: String::new() });
    }

    #[test]
    fn backend_options_and_curves_are_part_of_the_context_key() {
        let plain = TlsContext::shared(&TlsConfig::default()).unwrap();
        let p384 = TlsContext::shared(&with_options(&[("Groups", Some("P-384"))])).unwrap();
        let p521 = TlsContext::shared(&with_options(&[("Groups", Some("P-521"))])).unwrap();
        let curves = TlsContext::shared(&TlsConfig {
            curves: vec![openssl::nid::Nid::SECP384R1.as_raw()],
            ..TlsConfig::default()
        })
        .unwrap();
        for (a, b) in [(&plain, &p384), (&p384, &p521), (&plain, &curves)] {
            assert!(!Arc::ptr_eq(a, b));
        }
        let again = TlsContext::shared(&with_options(&[("Groups", Some("P-384"))])).unwrap();
        assert!(Arc::ptr_eq(&p384, &again));
    }

    #[test]
    fn ssl_options_follow_qt() {
        // Qt's defaults: empty fragments, legacy renegotiation and compression disabled.
        let defaults = ssl_options(&TlsConfig::default());
        assert_eq!(defaults, SslOptions::ALL | SslOptions::NO_COMPRESSION | SslOptions::CIPHER_SERVER_PREFERENCE);
        assert!(defaults.contains(SslOptions::DONT_INSERT_EMPTY_FRAGMENTS));
        let all_allowed = TlsConfig {
            empty_fragments: true,
            legacy_renegotiation: true,
            compression: true,
            session_tickets: false,
            server_cipher_preference: false,
            ..TlsConfig::default()
        };
        assert_eq!(
            ssl_options(&all_allowed),
            (SslOptions::ALL - SslOptions::DONT_INSERT_EMPTY_FRAGMENTS)
                | SslOptions::ALLOW_UNSAFE_LEGACY_RENEGOTIATION
                | SslOptions::NO_TICKET
        );
    }

    #[test]
    fn server_cipher_preference_follows_the_option() {
        // The option is what makes the server's order win over the client's; OpenSSL applies it
        // to TLS 1.3 ciphersuites as to the older cipher list.
        let preferred = |config: &TlsConfig| {
            let ctx = build_context(config).unwrap();
            // SAFETY: the context is alive.
            let options = unsafe { openssl_sys::SSL_CTX_get_options(ctx.as_ptr()) };
            SslOptions::from_bits_retain(options).contains(SslOptions::CIPHER_SERVER_PREFERENCE)
        };
        assert!(preferred(&TlsConfig::default()));
        assert!(!preferred(&TlsConfig { server_cipher_preference: false, ..TlsConfig::default() }));
    }

    #[test]
    fn alpn_wire_skips_invalid() {
        let w = alpn_wire(&[Vec::new(), vec![b'a'; 256], b"h2".to_vec()]);
        assert_eq!(w, b"\x02h2");
    }
}
