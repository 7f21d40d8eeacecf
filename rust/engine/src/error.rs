//! One error type for the whole engine.
//!
//! Errors are `Clone` because a connection keeps its first fatal error and
//! hands it out again on every later call (the error is sticky).

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlsError {
    /// The configuration could not be turned into an OpenSSL context
    /// (bad certificate/key DER, key not matching the certificate, unknown
    /// cipher string, min > max protocol, ...).
    Config(String),
    /// OpenSSL refused QSslConfiguration::ellipticCurves() (SSL_CTX_set1_groups).
    /// `openssl_errors` is OpenSSL's error queue at that moment, in Qt's format.
    Curves { openssl_errors: String },
    /// OpenSSL refused a backend configuration option. `value` is None when the option's value
    /// is not a byte string; otherwise `status` is what SSL_CONF_cmd returned for it.
    BackendOption { key: String, value: Option<String>, status: i32, openssl_errors: String },
    /// An SSL_CONF call around the options failed ("SSL_CONF_CTX_new()", "SSL_CONF_finish()").
    BackendCall { call: &'static str, openssl_errors: String },
    /// A setting Qt's OpenSSL backend refuses while it builds its context (OCSP stapling on a
    /// server, a key that does not fit the certificate, a cipher list OpenSSL rejects, ...), with
    /// Qt's message, and what OpenSSL's error queue still holds after it (Qt's second error
    /// shows it).
    Setting { message: String, openssl_errors: String },
    /// The handshake failed (protocol error, no shared cipher, fatal alert
    /// received, ...). Qt reports this as SslHandshakeFailedError.
    Handshake(String),
    /// A failure after the handshake: bad record MAC, decode error, garbage
    /// bytes, fatal alert received. Qt reports this as SslInternalError.
    Protocol(String),
    /// Plaintext written after `close()` was called.
    Closed,
    /// An OpenSSL call that should not fail did (allocation, ...).
    Internal(String),
}

impl TlsError {
    pub fn message(&self) -> String {
        match self {
            TlsError::Config(m)
            | TlsError::Handshake(m)
            | TlsError::Protocol(m)
            | TlsError::Internal(m) => m.clone(),
            TlsError::Closed => "The TLS/SSL connection has been closed".to_string(),
            TlsError::Setting { message, .. } => message.clone(),
            TlsError::Curves { openssl_errors } => format!("Cannot set the groups ({openssl_errors})"),
            TlsError::BackendOption { key, value: None, .. } => format!("{key}: not a byte string"),
            TlsError::BackendOption { key, value: Some(value), status, .. } => {
                format!("{key} = {value} refused (SSL_CONF_cmd returned {status})")
            }
            TlsError::BackendCall { call, .. } => format!("{call} failed"),
        }
    }

    /// True when the error happened while the handshake was in progress.
    pub fn is_handshake(&self) -> bool {
        matches!(self, TlsError::Handshake(_))
    }
}

impl fmt::Display for TlsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlsError::Config(m) => write!(f, "TLS configuration error: {m}"),
            TlsError::Handshake(m) => write!(f, "Error during SSL handshake: {m}"),
            TlsError::Protocol(m) => write!(f, "TLS error: {m}"),
            TlsError::Closed => f.write_str("The TLS/SSL connection has been closed"),
            TlsError::Internal(m) => write!(f, "Internal TLS error: {m}"),
            TlsError::Setting { .. }
            | TlsError::Curves { .. }
            | TlsError::BackendOption { .. }
            | TlsError::BackendCall { .. } => {
                write!(f, "TLS configuration error: {}", self.message())
            }
        }
    }
}

impl std::error::Error for TlsError {}

impl From<openssl::error::ErrorStack> for TlsError {
    fn from(e: openssl::error::ErrorStack) -> Self {
        TlsError::Internal(e.to_string())
    }
}
