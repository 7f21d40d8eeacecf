//! The one place where engine errors become Qt's error values; C++ never parses strings.

use qsslrs_engine::TlsError;

use crate::session::Failure;

// QAbstractSocket::SocketError values.
const SSL_HANDSHAKE_FAILED_ERROR: i32 = 13;
const SSL_INTERNAL_ERROR: i32 = 20;
const UNKNOWN_SOCKET_ERROR: i32 = -1;

pub fn no_failure() -> Failure {
    Failure { ok: true, socket_error: UNKNOWN_SOCKET_ERROR, message: String::new() }
}

/// Qt reports a failed handshake as SslHandshakeFailedError and a broken record afterwards as
/// SslInternalError, each with OpenSSL's own error text.
pub fn failure_from(error: &TlsError, handshake_was_done: bool) -> Failure {
    let (socket_error, message) = if handshake_was_done {
        (SSL_INTERNAL_ERROR, format!("Error while reading: {}", error.message()))
    } else {
        (SSL_HANDSHAKE_FAILED_ERROR, format!("Error during SSL handshake: {}", error.message()))
    };
    Failure { ok: false, socket_error, message }
}
