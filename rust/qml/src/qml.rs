//! The QML types. Each owns a C++ link object (cpp/socketlink.h) that drives the Qt socket and
//! reports through plain signals; every report is queued onto the QML object, because the socket
//! emits some signals from inside its own methods (while the QML object is still busy).

#[cxx_qt::bridge]
pub mod qobject {
    unsafe extern "C++" {
        include!("cxx-qt-lib/qstring.h");
        type QString = cxx_qt_lib::QString;
        include!("cxx-qt-lib/qbytearray.h");
        type QByteArray = cxx_qt_lib::QByteArray;
        include!("cxx-qt-lib/qstringlist.h");
        type QStringList = cxx_qt_lib::QStringList;
        include!("cxx-qt-lib/qurl.h");
        type QUrl = cxx_qt_lib::QUrl;
        include!("cxx-qt-lib/qmap.h");
        type QMap_QString_QVariant = cxx_qt_lib::QMap<cxx_qt_lib::QMapPair_QString_QVariant>;
    }

    /// SslSocket.status
    #[qenum(SslSocket)]
    enum Status {
        Closed,
        Connecting,
        Encrypted,
        Closing,
        Error,
    }

    unsafe extern "C++Qt" {
        include!("qsslrs_qml/cpp/socketlink.h");
        #[qobject]
        type SslSocketLink;
        #[qsignal]
        fn encrypted(self: Pin<&mut SslSocketLink>);
        #[qsignal]
        fn received(self: Pin<&mut SslSocketLink>, data: &QByteArray);
        #[qsignal]
        #[cxx_name = "sslErrorsFound"]
        fn ssl_errors_found(self: Pin<&mut SslSocketLink>, errors: &QStringList);
        #[qsignal]
        fn failed(self: Pin<&mut SslSocketLink>, reason: &QString);
        #[qsignal]
        fn closed(self: Pin<&mut SslSocketLink>);

        #[qobject]
        type SslServerLink;
        #[qsignal]
        #[cxx_name = "newConnectionReady"]
        fn new_connection_ready(self: Pin<&mut SslServerLink>);
    }

    #[namespace = "qsslrs_qml"]
    unsafe extern "C++" {
        #[cxx_name = "newSocketLink"]
        fn new_socket_link() -> UniquePtr<SslSocketLink>;
        fn open(
            self: Pin<&mut SslSocketLink>,
            host: &QString,
            port: i32,
            peer_verify_name: &QString,
            ca_certificates: &QUrl,
            local_certificate: &QUrl,
            private_key: &QUrl,
        ) -> bool;
        fn close(self: Pin<&mut SslSocketLink>);
        fn abort(self: Pin<&mut SslSocketLink>);
        fn send(self: Pin<&mut SslSocketLink>, data: &QByteArray) -> i64;
        #[cxx_name = "continueAfterSslErrors"]
        fn continue_after_ssl_errors(self: Pin<&mut SslSocketLink>, ignore: bool);
        #[cxx_name = "isEncrypted"]
        fn is_encrypted(self: &SslSocketLink) -> bool;
        /// Connected, connecting or closing.
        #[cxx_name = "isOpen"]
        fn is_open(self: &SslSocketLink) -> bool;
        #[cxx_name = "protocolName"]
        fn protocol_name(self: &SslSocketLink) -> QString;
        #[cxx_name = "cipherName"]
        fn cipher_name(self: &SslSocketLink) -> QString;
        #[cxx_name = "peerCertificate"]
        fn peer_certificate(self: &SslSocketLink) -> QMap_QString_QVariant;
        #[cxx_name = "errorString"]
        fn error_string(self: &SslSocketLink) -> QString;

        #[cxx_name = "newServerLink"]
        fn new_server_link() -> UniquePtr<SslServerLink>;
        fn listen(
            self: Pin<&mut SslServerLink>,
            address: &QString,
            port: i32,
            certificate: &QUrl,
            private_key: &QUrl,
            ca_certificates: &QUrl,
        ) -> bool;
        fn stop(self: Pin<&mut SslServerLink>);
        fn port(self: &SslServerLink) -> i32;
        #[cxx_name = "errorString"]
        fn error_string(self: &SslServerLink) -> QString;
        #[cxx_name = "takeConnection"]
        fn take_connection(self: Pin<&mut SslServerLink>) -> UniquePtr<SslSocketLink>;

        include!("qsslrs_qml/cpp/factory.h");
        /// qmlWarning() for the object.
        #[cxx_name = "warnFromSocket"]
        fn qml_warning_socket(object: &SslSocket, message: &QString);
        #[cxx_name = "warnFromServer"]
        fn qml_warning_server(object: &SslServer, message: &QString);
        #[cxx_name = "newServerSideSocket"]
        unsafe fn new_server_side_socket(server: Pin<&mut SslServer>) -> *mut SslSocket;
    }

    #[auto_cxx_name]
    unsafe extern "RustQt" {
        #[qobject]
        #[qml_element]
        #[qproperty(QString, host)]
        #[qproperty(i32, port)]
        #[qproperty(QString, peer_verify_name)]
        #[qproperty(QUrl, ca_certificates)]
        #[qproperty(QUrl, local_certificate)]
        #[qproperty(QUrl, private_key)]
        #[qproperty(bool, active, READ, WRITE = set_active_requested, NOTIFY)]
        #[qproperty(Status, status, READ, NOTIFY)]
        #[qproperty(QString, protocol, READ, NOTIFY)]
        #[qproperty(QString, cipher, READ, NOTIFY)]
        #[qproperty(QMap_QString_QVariant, peer_certificate, READ, NOTIFY)]
        #[qproperty(QString, error_string, READ, NOTIFY)]
        type SslSocket = super::SslSocketRust;

        /// The decrypted bytes that arrived, as UTF-8 (never a split character).
        #[qsignal]
        fn text_message_received(self: Pin<&mut SslSocket>, message: QString);
        /// The decrypted bytes that arrived.
        #[qsignal]
        fn binary_message_received(self: Pin<&mut SslSocket>, message: QByteArray);
        /// The peer failed verification: a handler may call ignoreSslErrors() to go on.
        #[qsignal]
        fn ssl_errors(self: Pin<&mut SslSocket>, errors: QStringList);

        fn set_active_requested(self: Pin<&mut SslSocket>, active: bool);
        #[qinvokable]
        fn send_text_message(self: Pin<&mut SslSocket>, message: &QString) -> i32;
        #[qinvokable]
        fn send_binary_message(self: Pin<&mut SslSocket>, message: &QByteArray) -> i32;
        #[qinvokable]
        fn ignore_ssl_errors(self: Pin<&mut SslSocket>);
        #[qinvokable]
        fn close(self: Pin<&mut SslSocket>);
        #[qinvokable]
        fn abort(self: Pin<&mut SslSocket>);

        #[qobject]
        #[qml_element]
        #[qproperty(QString, address)]
        #[qproperty(i32, port, READ, WRITE, NOTIFY)]
        #[qproperty(QUrl, certificate)]
        #[qproperty(QUrl, private_key)]
        #[qproperty(QUrl, ca_certificates)]
        #[qproperty(bool, listening, READ, WRITE = set_listening_requested, NOTIFY)]
        #[qproperty(QString, error_string, READ, NOTIFY)]
        type SslServer = super::SslServerRust;

        /// An encrypted connection, owned by the server.
        #[qsignal]
        unsafe fn new_connection(self: Pin<&mut SslServer>, socket: *mut SslSocket);

        fn set_listening_requested(self: Pin<&mut SslServer>, listening: bool);
    }

    impl cxx_qt::Threading for SslSocket {}
    impl cxx_qt::Threading for SslServer {}
}

use core::pin::Pin;

use cxx::UniquePtr;
use cxx_qt::{CxxQtType, QMetaObjectConnectionGuard, Threading};
use cxx_qt_lib::{QByteArray, QMap, QMapPair_QString_QVariant, QString, QStringList, QUrl};

use qobject::{SslServerLink, SslSocketLink, Status};

pub struct SslSocketRust {
    host: QString,
    port: i32,
    peer_verify_name: QString,
    ca_certificates: QUrl,
    local_certificate: QUrl,
    private_key: QUrl,
    active: bool,
    status: Status,
    protocol: QString,
    cipher: QString,
    peer_certificate: QMap<QMapPair_QString_QVariant>,
    error_string: QString,
    /// Bytes of a UTF-8 character whose end has not arrived yet.
    partial_utf8: Vec<u8>,
    /// Set by ignoreSslErrors() while the sslErrors handlers run.
    ignore_errors: bool,
    // Dropped before the link they watch.
    connections: Vec<QMetaObjectConnectionGuard>,
    link: UniquePtr<SslSocketLink>,
}

impl Default for SslSocketRust {
    fn default() -> Self {
        SslSocketRust {
            host: QString::default(),
            port: 0,
            peer_verify_name: QString::default(),
            ca_certificates: QUrl::default(),
            local_certificate: QUrl::default(),
            private_key: QUrl::default(),
            active: false,
            status: Status::Closed,
            protocol: QString::default(),
            cipher: QString::default(),
            peer_certificate: QMap::default(),
            error_string: QString::default(),
            partial_utf8: Vec::new(),
            ignore_errors: false,
            connections: Vec::new(),
            link: UniquePtr::null(),
        }
    }
}

/// The longest prefix of `bytes` that is whole UTF-8 characters (invalid bytes included, to be
/// replaced), and the start of a character still to come.
fn split_utf8(bytes: &[u8]) -> (&[u8], &[u8]) {
    match std::str::from_utf8(bytes) {
        Ok(_) => (bytes, &[]),
        Err(error) if error.error_len().is_none() => bytes.split_at(error.valid_up_to()),
        // An invalid sequence in the middle: decode it (as U+FFFD) and look again after it.
        Err(error) => {
            let after = error.valid_up_to() + error.error_len().unwrap_or(1);
            let (_, rest) = split_utf8(&bytes[after..]);
            bytes.split_at(bytes.len() - rest.len())
        }
    }
}

impl qobject::SslSocket {
    /// Like WebSocket.active: the connection starts once the event loop turns, so that every
    /// property set with `active` in one QML declaration is in place by then.
    fn set_active_requested(mut self: Pin<&mut Self>, active: bool) {
        if active == self.active {
            return;
        }
        if !active {
            self.as_mut().close();
            return;
        }
        self.as_mut().rust_mut().partial_utf8.clear();
        self.as_mut().set_error_string(QString::default());
        self.as_mut().set_protocol(QString::default());
        self.as_mut().set_cipher(QString::default());
        self.as_mut().set_peer_certificate(QMap::default());
        self.as_mut().set_active_state(true);
        self.as_mut().set_status(Status::Connecting);
        let _ = self.qt_thread().queue(|socket| socket.open());
    }

    fn open(mut self: Pin<&mut Self>) {
        // Closed again before the event loop turned.
        if !self.active || self.status != Status::Connecting {
            return;
        }
        if self.link.is_null() {
            let link = qobject::new_socket_link();
            self.as_mut().adopt(link);
        }
        let (host, port, name) = (self.host.clone(), self.port, self.peer_verify_name.clone());
        let (ca, certificate, key) =
            (self.ca_certificates.clone(), self.local_certificate.clone(), self.private_key.clone());
        let opened = self.as_mut().rust_mut().link.pin_mut().open(&host, port, &name, &ca, &certificate, &key);
        if !opened {
            let reason = self.link.error_string();
            self.as_mut().fail(reason);
        }
    }

    /// Takes a link (a new one, or a server's encrypted connection) and reports what it says.
    fn adopt(mut self: Pin<&mut Self>, mut link: UniquePtr<SslSocketLink>) {
        let thread = self.qt_thread();
        let mut connections = Vec::new();
        let queue = thread.clone();
        connections.push(link.pin_mut().on_encrypted(move |_| {
            let _ = queue.queue(|socket| socket.on_encrypted());
        }));
        let queue = thread.clone();
        connections.push(link.pin_mut().on_received(move |_, data| {
            let data = data.clone();
            let _ = queue.queue(move |socket| socket.on_received(data));
        }));
        let queue = thread.clone();
        connections.push(link.pin_mut().on_ssl_errors_found(move |_, errors| {
            let errors = errors.clone();
            let _ = queue.queue(move |socket| socket.on_ssl_errors_found(errors));
        }));
        let queue = thread.clone();
        connections.push(link.pin_mut().on_failed(move |_, reason| {
            let reason = reason.clone();
            let _ = queue.queue(move |socket| socket.fail(reason));
        }));
        let queue = thread;
        connections.push(link.pin_mut().on_closed(move |_| {
            let _ = queue.queue(|socket| socket.on_closed());
        }));
        let encrypted = link.is_encrypted();
        let mut rust = self.as_mut().rust_mut();
        rust.connections = connections;
        rust.link = link;
        if encrypted {
            self.on_encrypted();
        }
    }

    fn on_encrypted(mut self: Pin<&mut Self>) {
        let (protocol, cipher, certificate) =
            (self.link.protocol_name(), self.link.cipher_name(), self.link.peer_certificate());
        self.as_mut().set_protocol(protocol);
        self.as_mut().set_cipher(cipher);
        self.as_mut().set_peer_certificate(certificate);
        self.as_mut().set_active_state(true);
        self.set_status(Status::Encrypted);
    }

    fn on_received(mut self: Pin<&mut Self>, data: QByteArray) {
        let mut pending = std::mem::take(&mut self.as_mut().rust_mut().partial_utf8);
        pending.extend_from_slice(data.as_slice());
        let (text, rest) = split_utf8(&pending);
        let text = QString::from(&*String::from_utf8_lossy(text));
        self.as_mut().rust_mut().partial_utf8 = rest.to_vec();
        self.as_mut().binary_message_received(data);
        if !text.is_empty() {
            self.text_message_received(text);
        }
    }

    fn on_ssl_errors_found(mut self: Pin<&mut Self>, errors: QStringList) {
        self.as_mut().rust_mut().ignore_errors = false;
        self.as_mut().ssl_errors(errors);
        let ignore = std::mem::take(&mut self.as_mut().rust_mut().ignore_errors);
        if !self.link.is_null() {
            self.as_mut().rust_mut().link.pin_mut().continue_after_ssl_errors(ignore);
        }
    }

    /// Errors are never silent: the status, the reason, and a QML warning.
    fn fail(mut self: Pin<&mut Self>, reason: QString) {
        qobject::qml_warning_socket(&self, &reason);
        self.as_mut().set_error_string(reason);
        self.as_mut().set_status(Status::Error);
        self.set_active_state(false);
    }

    fn on_closed(mut self: Pin<&mut Self>) {
        if self.status != Status::Error {
            self.as_mut().set_status(Status::Closed);
        }
        self.set_active_state(false);
    }

    fn set_active_state(mut self: Pin<&mut Self>, active: bool) {
        if self.active != active {
            self.as_mut().rust_mut().active = active;
            self.active_changed();
        }
    }

    fn set_status(mut self: Pin<&mut Self>, status: Status) {
        if self.status != status {
            self.as_mut().rust_mut().status = status;
            self.status_changed();
        }
    }

    fn set_protocol(mut self: Pin<&mut Self>, protocol: QString) {
        if self.protocol != protocol {
            self.as_mut().rust_mut().protocol = protocol;
            self.protocol_changed();
        }
    }

    fn set_cipher(mut self: Pin<&mut Self>, cipher: QString) {
        if self.cipher != cipher {
            self.as_mut().rust_mut().cipher = cipher;
            self.cipher_changed();
        }
    }

    fn set_peer_certificate(mut self: Pin<&mut Self>, certificate: QMap<QMapPair_QString_QVariant>) {
        self.as_mut().rust_mut().peer_certificate = certificate;
        self.peer_certificate_changed();
    }

    fn set_error_string(mut self: Pin<&mut Self>, error: QString) {
        if self.error_string != error {
            self.as_mut().rust_mut().error_string = error;
            self.error_string_changed();
        }
    }

    fn send_text_message(self: Pin<&mut Self>, message: &QString) -> i32 {
        let bytes = QByteArray::from(&*message.to_string());
        self.send_binary_message(&bytes)
    }

    fn send_binary_message(mut self: Pin<&mut Self>, message: &QByteArray) -> i32 {
        if self.link.is_null() || self.status == Status::Closed || self.status == Status::Error {
            qobject::qml_warning_socket(&self, &QString::from("SslSocket: not connected, nothing sent"));
            return -1;
        }
        let sent = self.as_mut().rust_mut().link.pin_mut().send(message);
        i32::try_from(sent).unwrap_or(-1)
    }

    fn ignore_ssl_errors(mut self: Pin<&mut Self>) {
        self.as_mut().rust_mut().ignore_errors = true;
    }

    fn close(mut self: Pin<&mut Self>) {
        // Not connected, or still waiting to start: nothing to close.
        if self.link.is_null() || matches!(self.status, Status::Closed | Status::Error) || !self.link.is_open() {
            if self.status == Status::Connecting {
                self.as_mut().set_status(Status::Closed);
            }
            self.set_active_state(false);
            return;
        }
        self.as_mut().set_status(Status::Closing);
        self.as_mut().rust_mut().link.pin_mut().close();
    }

    fn abort(mut self: Pin<&mut Self>) {
        if !self.link.is_null() {
            self.as_mut().rust_mut().link.pin_mut().abort();
        }
    }
}

pub struct SslServerRust {
    address: QString,
    port: i32,
    certificate: QUrl,
    private_key: QUrl,
    ca_certificates: QUrl,
    listening: bool,
    error_string: QString,
    connections: Vec<QMetaObjectConnectionGuard>,
    link: UniquePtr<SslServerLink>,
}

impl Default for SslServerRust {
    fn default() -> Self {
        SslServerRust {
            address: QString::from("127.0.0.1"),
            port: 0,
            certificate: QUrl::default(),
            private_key: QUrl::default(),
            ca_certificates: QUrl::default(),
            listening: false,
            error_string: QString::default(),
            connections: Vec::new(),
            link: UniquePtr::null(),
        }
    }
}

impl qobject::SslServer {
    /// Listening starts once the event loop turns (see SslSocket.active).
    fn set_listening_requested(mut self: Pin<&mut Self>, listening: bool) {
        if listening == self.listening {
            return;
        }
        if listening {
            let _ = self.qt_thread().queue(|server| server.start_listening());
            return;
        }
        if !self.link.is_null() {
            self.as_mut().rust_mut().link.pin_mut().stop();
        }
        self.set_listening_state(false);
    }

    fn start_listening(mut self: Pin<&mut Self>) {
        if self.listening {
            return;
        }
        if self.link.is_null() {
            let mut link = qobject::new_server_link();
            let queue = self.qt_thread();
            let guard = link.pin_mut().on_new_connection_ready(move |_| {
                let _ = queue.queue(|server| server.hand_out_connections());
            });
            let mut rust = self.as_mut().rust_mut();
            rust.connections.push(guard);
            rust.link = link;
        }
        let (address, port) = (self.address.clone(), self.port);
        let (certificate, key, ca) = (self.certificate.clone(), self.private_key.clone(), self.ca_certificates.clone());
        let listening = self.as_mut().rust_mut().link.pin_mut().listen(&address, port, &certificate, &key, &ca);
        if !listening {
            let reason = self.link.error_string();
            qobject::qml_warning_server(&self, &reason);
            self.as_mut().set_error_string(reason);
            self.set_listening_state(false);
            return;
        }
        self.as_mut().set_error_string(QString::default());
        let port = self.link.port();
        self.as_mut().set_port(port);
        self.set_listening_state(true);
    }

    fn hand_out_connections(mut self: Pin<&mut Self>) {
        loop {
            let link = self.as_mut().rust_mut().link.pin_mut().take_connection();
            if link.is_null() {
                return;
            }
            // SAFETY: a new QObject child of this server, alive as long as the server.
            let socket = unsafe { qobject::new_server_side_socket(self.as_mut()) };
            // SAFETY: just made, not shared yet.
            let pinned = unsafe { Pin::new_unchecked(&mut *socket) };
            pinned.adopt(link);
            // SAFETY: the socket stays alive (a child of this server).
            unsafe { self.as_mut().new_connection(socket) };
        }
    }

    fn set_listening_state(mut self: Pin<&mut Self>, listening: bool) {
        if self.listening != listening {
            self.as_mut().rust_mut().listening = listening;
            self.listening_changed();
        }
    }

    fn set_error_string(mut self: Pin<&mut Self>, error: QString) {
        if self.error_string != error {
            self.as_mut().rust_mut().error_string = error;
            self.error_string_changed();
        }
    }
}
