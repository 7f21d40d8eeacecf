//! The one place where engine errors become Qt's error values; C++ never parses strings.

use qsslrs_engine::TlsError;

use crate::session::{ContextFailure, Failure, SocketError};

const SSL_HANDSHAKE_FAILED_ERROR: SocketError = SocketError::SslHandshakeFailedError;
const SSL_INTERNAL_ERROR: SocketError = SocketError::SslInternalError;
const SSL_INVALID_USER_DATA_ERROR: SocketError = SocketError::SslInvalidUserDataError;
const UNKNOWN_SOCKET_ERROR: SocketError = SocketError::UnknownSocketError;

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

fn failure(socket_error: SocketError, message: String) -> Failure {
    Failure { ok: false, socket_error, message }
}

/// A local certificate without a private key, refused as Qt refuses it: as a setting, with
/// OpenSSL's error queue still empty.
pub fn missing_private_key() -> ContextFailure {
    ContextFailure {
        errors: vec![
            failure(SSL_INVALID_USER_DATA_ERROR, "Cannot provide a certificate with no key".into()),
            failure(SSL_INTERNAL_ERROR, "Unable to init SSL Context: ".into()),
        ],
        abort: false,
    }
}

/// A context that could not be built. Settings Qt's OpenSSL backend applies itself are reported
/// as it reports them: SslInvalidUserDataError with its message, then SslInternalError with what
/// is left in OpenSSL's error queue, and the connection stays open. Other configuration errors
/// are reported once, and the socket is aborted.
pub fn context_failure(error: &TlsError) -> ContextFailure {
    let (setting, queue) = match error {
        TlsError::Setting { message, openssl_errors } => (message.clone(), openssl_errors.clone()),
        TlsError::Curves { openssl_errors } => (
            // Qt's message takes the error queue, which leaves nothing for the second error.
            format!("Error when setting the elliptic curves ({openssl_errors})"),
            String::new(),
        ),
        TlsError::BackendOption { key, value, status, openssl_errors } => {
            let why = match (value, status) {
                (None, _) => format!("Expecting QByteArray for {key}"),
                (Some(value), 0) => format!("An error occurred attempting to set {key} to {value}"),
                (Some(value), 1) => format!("Wrong value for {key} ({value})"),
                (Some(value), _) => format!("Unrecognized command {key} = {value}"),
            };
            (format!("Error when setting the OpenSSL configuration ({why})"), openssl_errors.clone())
        }
        TlsError::BackendCall { call, openssl_errors } => (
            format!("Error when setting the OpenSSL configuration ({call} failed)"),
            openssl_errors.clone(),
        ),
        other => {
            return ContextFailure {
                errors: vec![failure(SSL_INTERNAL_ERROR, format!("Error creating SSL context ({other})"))],
                abort: true,
            }
        }
    };
    ContextFailure {
        errors: vec![
            failure(SSL_INVALID_USER_DATA_ERROR, setting),
            failure(SSL_INTERNAL_ERROR, format!("Unable to init SSL Context: {queue}")),
        ],
        abort: false,
    }
}
