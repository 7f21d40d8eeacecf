//! qsslrs-engine: a sans-IO TLS engine on OpenSSL that behaves like Qt 6's
//! OpenSSL backend for QSslSocket. No sockets, no clocks, no Qt: bytes in,
//! bytes out, events and verification results in Qt's terms.

pub mod cert;
mod cipher;
mod config;
mod conn;
mod dtls;
pub mod curve;
pub mod dh;
mod error;
mod handshake;
mod keylog;
mod ocsp;
mod sys;
pub mod key;
pub mod verify;

pub use cipher::{ciphers_available, CipherInfo};
pub use config::{system_ca_dirs, CookieSecret, DhParams, PeerVerifyMode, Transport, Protocol, Role, TlsConfig, TlsContext, KEY_LOG_FILE_KEY, PUBLIC_KEY_PINS_KEY, SERVER_NAME_CERTIFICATES_KEY, STAPLED_RESPONSE_KEY};
pub use conn::{SessionParams, TlsConn};
pub use dtls::{verify_client_hello as dtls_verify_client_hello, DtlsConn, HelloVerdict};
pub use error::TlsError;
pub use handshake::{reserve_ex_indices, Event, HandshakeHooks, NoHooks, PskCredentials, SessionTicket};
pub use ocsp::{CertificateStatus, OcspResponseInfo};
pub use verify::{qt_error, PeerError, Stage};

/// OpenSSL_version_num() of the library actually linked.
pub fn openssl_version_number() -> i64 {
    openssl::version::number()
}

/// OpenSSL_version(OPENSSL_VERSION), e.g. "OpenSSL 3.0.x dd Mon yyyy".
pub fn openssl_version_string() -> String {
    openssl::version::version().to_string()
}
