//! The QSslRs QML module: `SslSocket` and `SslServer`, TLS sockets for QML apps on qssl-rs's
//! QSslSocket and QSslServer (through libQSslRs, never the engine crate: one engine per process).

mod qml;
