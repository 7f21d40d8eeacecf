// qssl-rs: QSslSocket's engine driver. The inner QTcpSocket carries ciphertext; the Rust session
// (sans-IO) turns it into plaintext and events; this file turns those into Qt's signals.
// SPDX-License-Identifier: MIT OR Apache-2.0
#include "qsslsocket_p.h"

#include "qocspresponse_p.h"
#include "qsslcipher_p.h"
#include "qssldiffiehellmanparameters_p.h"
#include "qsslconfiguration_p.h"
#include "qsslerror_p.h"
#include "qsslcertificate_p.h"
#include "qsslkey_p.h"
#include "qsslpresharedkeyauthenticator_p.h"
#include "qsslrsconvert_p.h"
#include "qsslrssidetable_p.h"
#include "qtlsbackend_p.h"

#include <QtCore/qloggingcategory.h>
#include <QtCore/qpointer.h>
#include <QtCore/qurl.h>
#include <QtNetwork/qauthenticator.h>
#include <QtNetwork/qhostaddress.h>
#include <QtNetwork/qnetworkproxy.h>
#include <QtNetwork/qsslkey.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <sys/socket.h>

Q_LOGGING_CATEGORY(lcQSslRs, "qt.network.ssl")

namespace {

using SocketTable = QSslRs::SideTable<QSslSocket, QSslSocketPrivate>;
Q_GLOBAL_STATIC(SocketTable, socketTable)

// Ciphertext passes through this buffer on its way from the kernel to the engine, which copies
// it at once; one per thread serves every socket (an idle socket holds none).
char *readScratch()
{
    thread_local std::array<char, 64 * 1024> scratch;
    return scratch.data();
}
constexpr qint64 readChunk = 64 * 1024;
// What an unbuffered socket reads first (most arrivals fit), and at once at most (what a loopback
// socket's buffer holds).
constexpr qint64 firstUnbufferedRead = 64 * 1024;
constexpr qint64 maxUnbufferedRead = 4 * 1024 * 1024;
// Writes at least this large are encrypted at once, without gathering them first.
constexpr qint64 directWriteThreshold = 16 * 1024;

using qsslrs::bytes;
using qsslrs::toByteArray;
using qsslrs::toQString;

// The Qt enums the session bridge carries keep Qt's values; each is checked here.
#define QSSLRS_SAME_VALUE(engine, qt) static_assert(int(qsslrs::engine) == int(qt), #engine)
QSSLRS_SAME_VALUE(SslProtocol::TlsV1_0, QSsl::TlsV1_0);
QSSLRS_SAME_VALUE(SslProtocol::TlsV1_1, QSsl::TlsV1_1);
QSSLRS_SAME_VALUE(SslProtocol::TlsV1_2, QSsl::TlsV1_2);
QSSLRS_SAME_VALUE(SslProtocol::AnyProtocol, QSsl::AnyProtocol);
QSSLRS_SAME_VALUE(SslProtocol::SecureProtocols, QSsl::SecureProtocols);
QSSLRS_SAME_VALUE(SslProtocol::TlsV1_0OrLater, QSsl::TlsV1_0OrLater);
QSSLRS_SAME_VALUE(SslProtocol::TlsV1_1OrLater, QSsl::TlsV1_1OrLater);
QSSLRS_SAME_VALUE(SslProtocol::TlsV1_2OrLater, QSsl::TlsV1_2OrLater);
QSSLRS_SAME_VALUE(SslProtocol::DtlsV1_0, QSsl::DtlsV1_0);
QSSLRS_SAME_VALUE(SslProtocol::DtlsV1_0OrLater, QSsl::DtlsV1_0OrLater);
QSSLRS_SAME_VALUE(SslProtocol::DtlsV1_2, QSsl::DtlsV1_2);
QSSLRS_SAME_VALUE(SslProtocol::DtlsV1_2OrLater, QSsl::DtlsV1_2OrLater);
QSSLRS_SAME_VALUE(SslProtocol::TlsV1_3, QSsl::TlsV1_3);
QSSLRS_SAME_VALUE(SslProtocol::TlsV1_3OrLater, QSsl::TlsV1_3OrLater);
QSSLRS_SAME_VALUE(SslProtocol::UnknownProtocol, QSsl::UnknownProtocol);
QSSLRS_SAME_VALUE(PeerVerifyMode::VerifyNone, QSslSocket::VerifyNone);
QSSLRS_SAME_VALUE(PeerVerifyMode::QueryPeer, QSslSocket::QueryPeer);
QSSLRS_SAME_VALUE(PeerVerifyMode::VerifyPeer, QSslSocket::VerifyPeer);
QSSLRS_SAME_VALUE(PeerVerifyMode::AutoVerifyPeer, QSslSocket::AutoVerifyPeer);
QSSLRS_SAME_VALUE(SocketError::RemoteHostClosedError, QAbstractSocket::RemoteHostClosedError);
QSSLRS_SAME_VALUE(SocketError::SslHandshakeFailedError, QAbstractSocket::SslHandshakeFailedError);
QSSLRS_SAME_VALUE(SocketError::SslInternalError, QAbstractSocket::SslInternalError);
QSSLRS_SAME_VALUE(SocketError::SslInvalidUserDataError, QAbstractSocket::SslInvalidUserDataError);
QSSLRS_SAME_VALUE(SocketError::UnknownSocketError, QAbstractSocket::UnknownSocketError);
QSSLRS_SAME_VALUE(AlertLevel::Warning, QSsl::AlertLevel::Warning);
QSSLRS_SAME_VALUE(AlertLevel::Fatal, QSsl::AlertLevel::Fatal);
QSSLRS_SAME_VALUE(AlertLevel::Unknown, QSsl::AlertLevel::Unknown);
#undef QSSLRS_SAME_VALUE

qsslrs::SslProtocol engineEnum(QSsl::SslProtocol protocol) { return qsslrs::SslProtocol(int(protocol)); }
qsslrs::PeerVerifyMode engineEnum(QSslSocket::PeerVerifyMode mode) { return qsslrs::PeerVerifyMode(int(mode)); }
QSsl::SslProtocol qtEnum(qsslrs::SslProtocol protocol) { return QSsl::SslProtocol(int(protocol)); }
QAbstractSocket::SocketError qtEnum(qsslrs::SocketError error) { return QAbstractSocket::SocketError(int(error)); }
QSsl::AlertLevel qtEnum(qsslrs::AlertLevel level) { return QSsl::AlertLevel(int(level)); }

bool isDtls(QSsl::SslProtocol protocol)
{
    QT_WARNING_PUSH
    QT_WARNING_DISABLE_DEPRECATED
    switch (protocol) {
    case QSsl::DtlsV1_0:
    case QSsl::DtlsV1_0OrLater:
    case QSsl::DtlsV1_2:
    case QSsl::DtlsV1_2OrLater:
        return true;
    default:
        return false;
    }
    QT_WARNING_POP
}

} // namespace

QT_BEGIN_NAMESPACE

// Qt's own OpenSSL backend shares libcrypto with our engine and writes past the one SSL ex_data
// index it takes: ours are taken first (rust/engine/src/handshake.rs, reserve_ex_indices).
static void reserveEngineExIndices()
{
    qsslrs::engine_reserve_ex_indices();
}
Q_CONSTRUCTOR_FUNCTION(reserveEngineExIndices)

bool QSslSocketPrivate::isMatchingHostname(const QSslCertificate &cert, const QString &peerName)
{
    const QSslCertificate ours = QtOwnSsl::ours(cert);
    const auto *engine = QSslCertificatePrivate::engine(ours);
    const QByteArray name = peerName.toUtf8();
    return engine && engine->is_matching_hostname(rust::Str(name.constData(), size_t(name.size())));
}

bool QSslSocketPrivate::isMatchingHostname(const QString &cn, const QString &hostname)
{
    const QByteArray pattern = cn.toUtf8();
    const QByteArray host = hostname.toUtf8();
    return qsslrs::engine_hostname_matches_pattern(
            rust::Str(pattern.constData(), size_t(pattern.size())),
            rust::Str(host.constData(), size_t(host.size())));
}

QSslSocketPrivate::QSslSocketPrivate(QSslSocket *q)
    : q(q), configuration(QSslConfigurationPrivate::newSocketConfiguration())
{
}

// The table is gone once static destruction has begun; a socket destroyed after that leaves
// its state to the process's end.
QSslSocketPrivate *QSslSocketPrivate::get(const QSslSocket *socket)
{
    const SocketTable *table = socketTable();
    return table ? table->find(socket) : nullptr;
}

void QSslSocketPrivate::attach(QSslSocket *socket)
{
    if (SocketTable *table = socketTable())
        table->insert(socket, std::make_unique<QSslSocketPrivate>(socket));
}

void QSslSocketPrivate::detach(QSslSocket *socket)
{
    SocketTable *table = socketTable();
    std::unique_ptr<QSslSocketPrivate> d = table ? table->take(socket) : nullptr;
    if (d && d->runningCalls > 0) {
        // Deleted from a slot: the running functions see this and stop; the last one deletes d.
        d->socketDeleted = true;
        d->fatalErrorSeen = true;
        d->plain = nullptr;
        if (d->session) {
            d->retiredSession.emplace(std::move(*d->session));
            d->session.reset();
        }
        d.release();
    }
}

void QSslSocketPrivate::ensurePlainSocket(InnerBuffering buffering)
{
    // A QTcpSocket's buffering is chosen at its first connection and never goes back: an
    // unbuffered one that is now wanted buffered (a plain connection, a descriptor adopted by the
    // app) is replaced, unless it is in use.
    if (plain && unbuffered && buffering == InnerBuffering::Buffered
        && plain->state() == QAbstractSocket::UnconnectedState) {
        QObject::disconnect(plain, nullptr, q, nullptr);
        plain->setParent(nullptr);
        plain->deleteLater(); // it may be emitting the signal whose slot got us here
        plain = nullptr;
    }
    if (!plain) {
        plain = new QTcpSocket(q);
        plain->setReadBufferSize(readBufferMaxSize);
        unbuffered = false;
        connectPlainSocket();
    }
}

void QSslSocketPrivate::makeUnbufferedForDescriptor()
{
    if (unbuffered)
        return;
    // Only connectToHost() makes a QTcpSocket unbuffered. With no host name, waiting for it
    // fails at once without touching the network and leaves it unconnected, and unbuffered.
    // (Not abort(): an aborted socket would later close without flushing what it has queued.)
    const QSignalBlocker quiet(plain);
#ifndef QT_NO_NETWORKPROXY
    const QNetworkProxy proxy = plain->proxy();
    plain->setProxy(QNetworkProxy::NoProxy); // no proxy lookup for a connection never made
#endif
    plain->connectToHost(QString(), 0, QIODevice::ReadWrite | QIODevice::Unbuffered);
    plain->waitForConnected(0);
#ifndef QT_NO_NETWORKPROXY
    plain->setProxy(proxy);
#endif
    unbuffered = true;
}

void QSslSocketPrivate::connectPlainSocket()
{
    QObject::connect(plain, &QAbstractSocket::hostFound, q, [this] {
        const Running running(this);
        emit q->hostFound();
    });
    QObject::connect(plain, &QAbstractSocket::stateChanged, q,
                     [this](QAbstractSocket::SocketState state) { onPlainStateChanged(state); });
    QObject::connect(plain, &QAbstractSocket::connected, q, [this] {
        const Running running(this);
        q->setLocalPort(plain->localPort());
        q->setLocalAddress(plain->localAddress());
        q->setPeerPort(plain->peerPort());
        q->setPeerAddress(plain->peerAddress());
        q->setPeerName(plain->peerName());
        // Qt starts the handshake before it announces the connection.
        if (autoStartHandshake)
            q->startClientEncryption();
        if (socketDeleted)
            return;
        emit q->connected();
        if (socketDeleted)
            return;
        if (pendingClose && !autoStartHandshake) {
            pendingClose = false;
            q->disconnectFromHost();
        }
    });
    QObject::connect(plain, &QAbstractSocket::disconnected, q, [this] { onPlainDisconnected(); });
    QObject::connect(plain, &QAbstractSocket::errorOccurred, q,
                     [this](QAbstractSocket::SocketError error) { onPlainError(error); });
    QObject::connect(plain, &QIODevice::readyRead, q, [this] {
        const Running running(this);
        if (!isPlain()) {
            if (unbuffered && (!session || fatalErrorSeen))
                dropUnbufferedInput();
            else
                transmit(Trigger::ReadNotification);
            return;
        }
        // An unbuffered inner socket announces the end of the connection as readyRead too, and
        // tells of it only to a read (which also rearms its notifier when it finds nothing).
        if (unbuffered && plain->bytesAvailable() <= 0) {
            char byte;
            const qint64 got = plain->read(&byte, 1);
            if (got < 0) {
                reportPeerGone();
                return;
            }
            if (got == 0)
                return;
            q->ungetChar(byte);
        }
        emitReadyRead();
    });
    QObject::connect(plain, &QIODevice::channelReadyRead, q, [this](int channel) {
        const Running running(this);
        if (isPlain())
            emit q->channelReadyRead(channel);
    });
    QObject::connect(plain, &QIODevice::bytesWritten, q, [this](qint64 written) {
        const Running running(this);
        if (mode == QSslSocket::UnencryptedMode)
            emit q->bytesWritten(written);
        else
            emit q->encryptedBytesWritten(written);
    });
    QObject::connect(plain, &QIODevice::channelBytesWritten, q, [this](int channel, qint64 written) {
        const Running running(this);
        if (mode == QSslSocket::UnencryptedMode)
            emit q->channelBytesWritten(channel, written);
    });
    QObject::connect(plain, &QIODevice::readChannelFinished, q, [this] { onPlainReadChannelFinished(); });
#ifndef QT_NO_NETWORKPROXY
    QObject::connect(plain, &QAbstractSocket::proxyAuthenticationRequired, q,
                     &QAbstractSocket::proxyAuthenticationRequired);
#endif
}

void QSslSocketPrivate::onPlainStateChanged(QAbstractSocket::SocketState state)
{
    const Running running(this);
    q->setSocketState(state);
    emit q->stateChanged(state);
}

void QSslSocketPrivate::onPlainError(QAbstractSocket::SocketError error)
{
    const Running running(this);
    drainInput();
    if (!socketDeleted)
        setErrorAndEmit(error, plain->errorString());
}

void QSslSocketPrivate::onPlainReadChannelFinished()
{
    const Running running(this);
    emit q->readChannelFinished();
}

void QSslSocketPrivate::onPlainDisconnected()
{
    const Running running(this);
    drainInput();
    if (socketDeleted)
        return;
    // Qt's backend calls SSL_shutdown() when it frees a session that completed its handshake
    // without a TLS error: a close_notify that never leaves, but alertSent() reports it.
    if (qsslrs::Session *engine = idleSession()) {
        engine->close();
        handleEvents();
    }
    // As in Qt: a socket whose connection has gone is no longer encrypted.
    connectionEncrypted = false;
    if (socketDeleted)
        return;
    emit q->disconnected();
    if (socketDeleted)
        return;
    q->setLocalPort(0);
    q->setLocalAddress(QHostAddress());
    q->setPeerPort(0);
    q->setPeerAddress(QHostAddress());
    q->setPeerName(QString());
}

void QSslSocketPrivate::prepareConnection()
{
    resetSession();
    mode = QSslSocket::UnencryptedMode;
    autoStartHandshake = false;
    ignoreAllSslErrors = false;
    pendingClose = false;
    pendingWrites.clear();
}

bool QSslSocketPrivate::prepareEncryptedConnection()
{
    if (plain && plain->state() == QAbstractSocket::ConnectedState) {
        qCWarning(lcQSslRs, "QSslSocket::connectToHostEncrypted() called when already connecting/connected");
        return false;
    }
    if (!verifyProtocolSupported("QSslSocket::connectToHostEncrypted:"))
        return false;
    prepareConnection();
    autoStartHandshake = true;
    connectionPrepared = true;
    return true;
}

void QSslSocketPrivate::drainInput()
{
    // Whatever arrived last is decrypted, whatever the read buffer limit, so that it stays
    // readable after the connection has gone.
    if (!session || plain->bytesAvailable() <= 0)
        return;
    const qint64 limit = std::exchange(readBufferMaxSize, 0);
    transmit();
    readBufferMaxSize = limit;
}

void QSslSocketPrivate::takeKernelInput()
{
    qsslrs::Session *engine = idleSession();
    if (!unbuffered || !engine || !plain || !plain->isValid())
        return;
    // Only what FIONREAD counts: a read past it would meet the end of the connection, which the
    // inner socket then drops without a word.
    for (qint64 available = plain->bytesAvailable(); available > 0;) {
        char *into = reinterpret_cast<char *>(engine->tls_input_room(size_t(available)));
        const qint64 got = plain->read(into, available);
        if (got <= 0)
            return;
        engine->commit_tls_input(size_t(got));
        available -= got;
    }
}

void QSslSocketPrivate::setError(QAbstractSocket::SocketError error, const QString &message)
{
    q->setSocketError(error);
    q->setErrorString(message);
}

void QSslSocketPrivate::setErrorAndEmit(QAbstractSocket::SocketError error, const QString &message)
{
    setError(error, message);
    emit q->errorOccurred(error);
}

bool QSslSocketPrivate::verifyProtocolSupported(const char *where)
{
    const QSsl::SslProtocol protocol = configuration.protocol();
    if (protocol != QSsl::UnknownProtocol && !isDtls(protocol))
        return true;
    qCWarning(lcQSslRs) << where << "QSslConfiguration with unexpected protocol"
                        << (protocol == QSsl::UnknownProtocol ? QLatin1StringView("UnknownProtocol")
                                                            : QLatin1StringView("DTLS"));
    setErrorAndEmit(QAbstractSocket::SslInvalidUserDataError,
                    QSslSocket::tr("Attempted to use an unsupported protocol."));
    return false;
}

void QSslSocketPrivate::resetSession()
{
    if (inEngine && session)
        retiredSession.emplace(std::move(*session));
    session.reset();
    connectionEncrypted = false;
    handshakeInterrupted = false;
    errorsReportedFromCallback = false;
    chainErrorsReported = 0;
    closeNotifySent = false;
    fatalErrorSeen = false;
    pausedOnSslErrors = false;
    sslErrors.clear();
    peerCertificateChain.clear();
    sessionCipher = QSslCipher();
    sessionProtocol = QSsl::UnknownProtocol;
    negotiatedAlpn.clear();
    ocspResponses.clear();
    sessionResumed = false;
    sessionAtHandshake.clear();
    sessionLifetimeHintAtHandshake = -1;
}

void QSslSocketPrivate::describeConfiguration(const QSslConfigurationPrivate &config, bool server, qsslrs::SessionConfig &builder)
{
    builder.set_verify(engineEnum(config.peerVerifyMode), config.peerVerifyDepth);
    builder.set_interrupt_on_verify_error(config.reportFromCallback);
    builder.set_ocsp_stapling(config.ocspStaplingEnabled);
    builder.set_dh_parameters(bytes(QSslContext::d(config.dhParams)->derData), config.dhParams.isValid());
    if (server)
        builder.set_psk_identity_hint(bytes(config.preSharedKeyIdentityHint));
    for (const QSslCertificate &ca : config.caCertificates)
        builder.add_ca_certificate(bytes(ca.toDer()));
    builder.set_use_system_ca(config.allowRootCertOnDemandLoading);
    for (const QSslCertificate &certificate : config.localCertificateChain)
        builder.add_local_certificate(bytes(certificate.toDer()));
    if (!config.privateKey.isNull())
        builder.set_private_key(bytes(config.privateKey.toDer()));
    // The default list is OpenSSL's own default: leave it to the engine.
    if (config.ciphers != QSslConfigurationPrivate::defaultCiphers()) {
        for (const QSslCipher &cipher : config.ciphers) {
            const QByteArray name = cipher.name().toLatin1();
            builder.add_cipher(rust::Str(name.constData(), size_t(name.size())));
        }
    }
    for (const QByteArray &protocol : config.nextAllowedProtocols)
        builder.add_alpn(bytes(protocol));
    builder.set_ssl_options(int(config.sslOptions));
    for (const QSslEllipticCurve &curve : config.ellipticCurves)
        builder.add_curve(curve.id);
    // Qt hands OpenSSL each value as a QByteArray, whatever the QVariant holds.
    for (auto option = config.backendConfig.cbegin(); option != config.backendConfig.cend(); ++option) {
        const bool isBytes = option.value().canConvert(QMetaType(QMetaType::QByteArray));
        const QByteArray value = isBytes ? option.value().toByteArray() : QByteArray();
        builder.add_backend_option(bytes(option.key()), bytes(value), isBytes);
    }
}

std::optional<rust::Box<qsslrs::Session>> QSslSocketPrivate::newSession(QSslSocket::SslMode newMode)
{
    const bool server = newMode == QSslSocket::SslServerMode;
    const QSslConfigurationPrivate &config = QSslConfigurationPrivate::of(configuration);

    rust::Box<qsslrs::SessionConfig> builder = qsslrs::engine_config_new(server);
    if (!builder->set_protocol(engineEnum(config.protocol))) {
        setErrorAndEmit(QAbstractSocket::SslInvalidUserDataError,
                        QSslSocket::tr("Attempted to use an unsupported protocol."));
        q->abort();
        return std::nullopt;
    }
    describeConfiguration(config, server, *builder);

    std::optional<rust::Box<qsslrs::SessionContext>> context;
    qsslrs::ContextFailure failure;
    try {
        context.emplace(qsslrs::engine_context_shared(*builder, failure));
    } catch (const rust::Error &) {
        for (const qsslrs::Failure &error : failure.errors)
            setErrorAndEmit(qtEnum(error.socket_error), toQString(error.message));
        if (failure.abort)
            q->abort();
        return std::nullopt;
    }

    // Qt sends SNI for host names only (never for an IP address), without a trailing dot, and
    // checks the certificate against the verification name or else the name it connected to.
    QByteArray serverName;
    QString nameToVerify;
    if (!server) {
        nameToVerify = verificationName.isEmpty() ? q->peerName() : verificationName;
        if (nameToVerify.isEmpty() && plain)
            nameToVerify = plain->peerName();
        QByteArray ace = QUrl::toAce(nameToVerify);
        if (!ace.isEmpty() && !QHostAddress().setAddress(nameToVerify)
            && !(config.sslOptions & QSsl::SslOptionDisableServerNameIndication)) {
            if (ace.endsWith('.'))
                ace.chop(1);
            serverName = ace;
        }
    }
    const QByteArray verifyName = nameToVerify.toUtf8();
    try {
        rust::Box<qsslrs::Session> created =
                qsslrs::engine_session_new(**context, rust::Str(serverName.constData(), size_t(serverName.size())),
                                           rust::Str(verifyName.constData(), size_t(verifyName.size())));
        // Qt offers the configured session only while session persistence is enabled.
        if (!server && !config.sslSession.isEmpty() && !(config.sslOptions & QSsl::SslOptionDisableSessionPersistence))
            created->set_session_ticket(bytes(config.sslSession));
        return created;
    } catch (const rust::Error &error) {
        setErrorAndEmit(QAbstractSocket::SslInternalError,
                        QSslSocket::tr("Error creating SSL session: %1").arg(QString::fromUtf8(error.what())));
        q->abort();
        return std::nullopt;
    }
}

void QSslSocketPrivate::startHandshake(QSslSocket::SslMode newMode)
{
    const Running running(this);
    // What the app peeked at on the plain connection (QSslServer's one-byte check, STARTTLS
    // servers) waits in QIODevice's own buffer, out of the engine's reach: it is the start of the
    // peer's TLS (Qt's private peek reads its plain socket instead).
    const QByteArray peeked = q->QIODevice::read(q->QIODevice::bytesAvailable());
    resetSession();
    mode = newMode;
    emit q->modeChanged(mode);
    if (socketDeleted)
        return;
    session = newSession(newMode);
    if (!session)
        return;
    if (!peeked.isEmpty())
        (*session)->feed_tls(bytes(peeked));
    transmit();
}

void QSslSocketPrivate::transmit(Trigger trigger)
{
    if (!session || !plain || fatalErrorSeen)
        return;
    const Running running(this);
    const bool peerGone = readCiphertext();
    processCiphertext();
    if (!peerGone || socketDeleted)
        return;
    if (trigger == Trigger::ReadNotification)
        reportPeerGoneIfOpen();
    else
        schedulePeerGone();
}

void QSslSocketPrivate::reportPeerGoneIfOpen()
{
    // A socket closed meanwhile (a TLS failure, a slot) has nothing more to report.
    if (plain && q->state() != QAbstractSocket::UnconnectedState)
        reportPeerGone();
}

void QSslSocketPrivate::schedulePeerGone()
{
    // A buffered socket meets the end of the connection at its next read notification (from the
    // event loop, or a waitFor*() function), after what came before has been handled.
    if (std::exchange(peerGoneScheduled, true))
        return;
    QMetaObject::invokeMethod(q, [this] {
        peerGoneScheduled = false;
        reportPeerGoneIfOpen();
    }, Qt::QueuedConnection);
}

bool QSslSocketPrivate::readCiphertext()
{
    qsslrs::Session &engine = **session;
    const auto full = [&] {
        return readBufferMaxSize > 0 && qint64(engine.plaintext().size()) >= readBufferMaxSize;
    };
    if (!unbuffered) {
        while (plain->bytesAvailable() > 0 && !full()) {
            char *scratch = readScratch();
            const qint64 got = plain->read(scratch, readChunk);
            if (got <= 0)
                break;
            engine.feed_tls(bytes(scratch, got));
        }
        return false;
    }
    // Unbuffered: from the kernel straight into the engine. A read finds data or nothing (and
    // rearms the inner socket's notifier); one that finds the end of the connection makes the
    // inner socket drop it silently (-1), which reportPeerGone() then reports.
    bool readSome = false;
    // As much room as the last arrival took (a bulk transfer brings as much again), so that one
    // read takes it all into one room.
    qint64 room = qBound(firstUnbufferedRead, lastUnbufferedArrival, maxUnbufferedRead);
    lastUnbufferedArrival = 0;
    while (plain->isValid() && !full()) {
        char *into = reinterpret_cast<char *>(engine.tls_input_room(size_t(room)));
        const qint64 got = plain->read(into, room);
        if (got < 0)
            return true;
        if (got == 0)
            break;
        engine.commit_tls_input(size_t(got));
        lastUnbufferedArrival += got;
        readSome = true;
        if (got < room)
            break; // all there was; more brings another notification
        // More waits: the rest in one read, sized by what the kernel holds (one room, no regrowth).
        room = qMin(plain->bytesAvailable(), maxUnbufferedRead);
        if (room <= 0)
            break;
    }
    if (!plain->isValid())
        return true;
    // The end of the connection right behind the data is reported with it, not at a later
    // notification that may not come.
    return readSome && !full() && kernelHoldsEndOfConnection();
}

void QSslSocketPrivate::dropUnbufferedInput()
{
    // No session takes these bytes (Qt's buffered socket would keep them unread); reading them
    // keeps the notifier listening, and finds the end of the connection (-1) to report.
    const Running running(this);
    while (plain && plain->isValid()) {
        const qint64 got = plain->read(readScratch(), readChunk);
        if (got < 0) {
            reportPeerGoneIfOpen();
            return;
        }
        if (got < readChunk)
            return;
    }
}

bool QSslSocketPrivate::kernelHoldsEndOfConnection() const
{
    const qintptr descriptor = plain->socketDescriptor();
    if (descriptor < 0)
        return false;
    char byte;
    ssize_t peeked;
    do {
        peeked = ::recv(int(descriptor), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    } while (peeked < 0 && errno == EINTR);
    // Qt takes a reset as the end of the connection too.
    return peeked == 0 || (peeked < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
}

void QSslSocketPrivate::reportPeerGone()
{
    // Reading the end makes the unbuffered inner socket drop its connection, silently: a
    // buffered one would report it as follows, with the same error. Our socket reports it so.
    if (plain->isValid()) {
        char byte;
        if (plain->read(&byte, 1) >= 0)
            return; // not gone after all
    }
    const Running running(this);
    setErrorAndEmit(plain->error(), plain->errorString());
    const auto stop = [this] { return socketDeleted || !plain; };
    if (stop())
        return;
    onPlainStateChanged(QAbstractSocket::ClosingState);
    if (stop())
        return;
    onPlainStateChanged(QAbstractSocket::UnconnectedState);
    if (stop())
        return;
    onPlainReadChannelFinished();
    if (stop())
        return;
    onPlainDisconnected();
}

void QSslSocketPrivate::processCiphertext()
{
    qsslrs::Session &engine = **session;
    // A connection that becomes encrypted here has its data announced by continueHandshake().
    const bool wasEncrypted = connectionEncrypted;
    const qsizetype plaintextBefore = qsizetype(engine.plaintext().size());
    inEngine = true;
    const qsslrs::ProcessResult result = engine.process(*this);
    inEngine = false;
    retiredSession.reset();
    // A slot that answered the engine dropped this session (abort, a new connection).
    if (!session || &**session != &engine)
        return;
    const qsslrs::Failure &failure = result.failure;
    const rust::Vec<qsslrs::SessionEvent> &events = result.events;
    const bool newPlaintext = wasEncrypted && qsizetype(engine.plaintext().size()) > plaintextBefore;
    // Qt's SSL_read() hands out the data that came with the peer's close_notify (readyRead)
    // before it reports the close: that alert and the error wait until the data is announced.
    size_t closeAt = events.size();
    if (failure.ok && newPlaintext) {
        const auto isClose = [](const qsslrs::SessionEvent &event) {
            return event.kind == qsslrs::SessionEventKind::CloseNotify
                    || (event.kind == qsslrs::SessionEventKind::AlertReceived
                        && QSsl::AlertType(event.alert_type) == QSsl::AlertType::CloseNotify);
        };
        closeAt = size_t(std::find_if(events.begin(), events.end(), isClose) - events.begin());
    }
    // Qt checks the peer before its last handshake flight leaves the BIO: a rejected peer gets
    // none of it, and the disconnect that follows is immediate.
    dispatchEvents(events, 0, closeAt, &result.handshake);
    // Also when the handshake's end has already failed (data held back during the handshake
    // that does not decrypt): one failure is reported, not the same one twice.
    if (!session || fatalErrorSeen)
        return;
    if (result.handshake.present && !result.handshake.done && failure.ok) {
        reportChainErrorsSoFar(result.handshake);
        if (!session || socketDeleted)
            return;
    }
    if (!failure.ok) {
        failWith(failure);
        return;
    }
    flushCiphertext();
    if (newPlaintext && connectionEncrypted) {
        // An answer written from a readyRead() slot leaves now, not one event-loop pass later.
        answeringReadyRead = true;
        emitReadyRead();
        if (socketDeleted)
            return;
        answeringReadyRead = false;
        flushPendingWrites();
    }
    if (closeAt < events.size() && session && !fatalErrorSeen)
        dispatchEvents(events, closeAt, events.size());
}

void QSslSocketPrivate::flushCiphertext(WrittenSignal signal)
{
    for (;;) {
        // Nothing when a slot has just deleted or aborted the socket, or the connection is gone
        // (then the peer's leaving is reported, not a write to a closed socket).
        if (!session || !plain || !plain->isOpen() || !plain->isValid()
            || plain->state() == QAbstractSocket::UnconnectedState)
            return;
        qsslrs::Session &engine = **session;
        const rust::Slice<const uint8_t> out = engine.tls_to_send();
        if (out.empty())
            return;
        const qint64 queuedBefore = plain->bytesToWrite();
        const qint64 written = plain->write(reinterpret_cast<const char *>(out.data()), qint64(out.size()));
        if (written <= 0)
            return;
        engine.consume_tls_to_send(size_t(written));
        // An unbuffered inner socket hands what the kernel takes straight to it, and signals only
        // what it had to queue: the rest is announced here, never from inside a call of the app.
        if (unbuffered) {
            const qint64 direct = written - (plain->bytesToWrite() - queuedBefore);
            if (signal == WrittenSignal::Later)
                scheduleWrittenSignals(0, direct);
            else
                unsignaledEncryptedBytes += direct;
        }
    }
}

void QSslSocketPrivate::handleEvents()
{
    if (!session)
        return;
    const rust::Vec<qsslrs::SessionEvent> events = (*session)->take_events();
    dispatchEvents(events, 0, events.size());
}

void QSslSocketPrivate::dispatchEvents(const rust::Vec<qsslrs::SessionEvent> &events, size_t from, size_t to,
                                       const qsslrs::HandshakeSummary *handshake)
{
    for (size_t i = from; i < to; ++i) {
        const qsslrs::SessionEvent &event = events[i];
        switch (event.kind) {
        case qsslrs::SessionEventKind::HandshakeDone:
            Q_ASSERT(handshake && handshake->done);
            onHandshakeDone(*handshake);
            break;
        case qsslrs::SessionEventKind::AlertSent:
            emit q->alertSent(qtEnum(event.alert_level), QSsl::AlertType(event.alert_type),
                              toQString(event.description));
            break;
        case qsslrs::SessionEventKind::AlertReceived:
            emit q->alertReceived(qtEnum(event.alert_level), QSsl::AlertType(event.alert_type),
                                  toQString(event.description));
            break;
        case qsslrs::SessionEventKind::CloseNotify:
            // The peer closed the TLS session; it will not read a close_notify from us.
            closeNotifySent = true;
            setErrorAndEmit(QAbstractSocket::RemoteHostClosedError,
                            QSslSocket::tr("The TLS/SSL connection has been closed"));
            break;
        case qsslrs::SessionEventKind::NewSessionTicket:
            if (!configuration.testSslOption(QSsl::SslOptionDisableSessionPersistence)) {
                storeSessionTicket(toByteArray(event.ticket), event.ticket_lifetime_hint);
                emit q->newSessionTicketReceived();
            }
            break;
        default:
            break;
        }
        if (!session || fatalErrorSeen)
            return; // a slot aborted the socket
    }
}

// Qt announces what certificate verification met as each step of the handshake ends, before the
// handshake is done (a TLS 1.2 client hears of its server's certificate a flight early), with
// the peer's chain already in place.
void QSslSocketPrivate::reportChainErrorsSoFar(const qsslrs::HandshakeSummary &handshake)
{
    if (errorsReportedFromCallback)
        return;
    if (peerCertificateChain.isEmpty())
        peerCertificateChain = QSslCertificatePrivate::fromEngine(*(*session)->peer_certificates());
    QList<QSslError> fresh;
    qsizetype chainIndex = 0;
    for (const qsslrs::PeerErrorView &view : handshake.errors) {
        if (view.stage != qsslrs::PeerErrorStage::Chain || chainIndex++ < chainErrorsReported)
            continue;
        fresh.append(QSslErrorPrivate::fromEngine(view, peerCertificateChain));
    }
    chainErrorsReported += fresh.size();
    for (const QSslError &error : std::as_const(fresh)) {
        emit q->peerVerifyError(error);
        if (socketDeleted || q->state() != QAbstractSocket::ConnectedState)
            return;
    }
}

QOcspResponse QSslSocketPrivate::ocspResponseOf(const qsslrs::OcspResponseView &view) const
{
    QOcspResponse response;
    QOcspResponsePrivate &fields = QTlsPrivate::TlsCryptographOpenSSL::d(response);
    fields.certificateStatus = QOcspCertificateStatus(view.status);
    fields.revocationReason = QOcspRevocationReason(view.revocation_reason);
    fields.subjectCert = peerCertificateChain.value(0);
    if (!view.responder_der.empty())
        fields.signerCert = QSslCertificate(toByteArray(view.responder_der), QSsl::Der);
    return response;
}

void QSslSocketPrivate::onHandshakeDone(const qsslrs::HandshakeSummary &handshake)
{
    peerCertificateChain = QSslCertificatePrivate::fromEngine(*(*session)->peer_certificates());
    sessionCipher = QSslCipherPrivate::fromView(handshake.cipher);
    sessionProtocol = qtEnum(handshake.protocol);
    negotiatedAlpn = toByteArray(handshake.alpn);
    sessionResumed = handshake.resumed;
    sessionAtHandshake = toByteArray(handshake.session.der);
    sessionLifetimeHintAtHandshake = handshake.session.lifetime_hint;

    sslErrors.clear();
    QList<qsslrs::PeerErrorStage> stages;
    for (const qsslrs::PeerErrorView &view : handshake.errors) {
        sslErrors.append(QSslErrorPrivate::fromEngine(view, peerCertificateChain));
        stages.append(view.stage);
    }
    const QString ocspFailure = toQString(handshake.ocsp_failure);
    const qsslrs::OcspResponseView &ocsp = handshake.ocsp;

    // sslErrors() lists Qt's own checks first, but Qt emits peerVerifyError for OpenSSL's chain
    // errors as verification meets them (unless handshakeInterruptedOnError reported them), then
    // for its own checks in their order.
    using Stage = qsslrs::PeerErrorStage;
    qsizetype chainErrorsToSkip = chainErrorsReported;
    chainErrorsReported = stages.count(Stage::Chain);
    for (const Stage stage : {Stage::Chain, Stage::Blacklist, Stage::Ocsp, Stage::Peer, Stage::Pin}) {
        if (stage == Stage::Chain && errorsReportedFromCallback)
            continue;
        if (stage == Stage::Ocsp) {
            if (!ocspFailure.isEmpty()) {
                // A response Qt cannot use at all fails the handshake, whatever is ignored.
                setErrorAndEmit(QAbstractSocket::SslHandshakeFailedError, ocspFailure);
                if (!socketDeleted)
                    q->abort();
                return;
            }
            if (ocsp.present)
                ocspResponses = {ocspResponseOf(ocsp)};
        }
        for (qsizetype i = 0; i < sslErrors.size(); ++i) {
            if (stages.at(i) != stage)
                continue;
            if (stage == Stage::Chain && chainErrorsToSkip > 0) {
                --chainErrorsToSkip;
                continue;
            }
            emit q->peerVerifyError(sslErrors.at(i));
            if (socketDeleted || q->state() != QAbstractSocket::ConnectedState)
                return;
        }
    }
    if (checkSslErrors())
        continueHandshake();
}

bool QSslSocketPrivate::verifyErrorsHaveBeenIgnored() const
{
    if (ignoreAllSslErrors)
        return true;
    if (ignoreErrorsList.isEmpty())
        return false;
    for (const QSslError &error : sslErrors) {
        if (!ignoreErrorsList.contains(error))
            return false;
    }
    return true;
}

// Qt reports every problem, but only a socket that verifies its peer stops on them.
bool QSslSocketPrivate::checkSslErrors()
{
    if (sslErrors.isEmpty())
        return true;
    emit q->sslErrors(sslErrors);
    if (!session || q->state() != QAbstractSocket::ConnectedState)
        return false;

    const QSslSocket::PeerVerifyMode verifyMode = configuration.peerVerifyMode();
    const bool doVerifyPeer = verifyMode == QSslSocket::VerifyPeer
            || (verifyMode == QSslSocket::AutoVerifyPeer && mode == QSslSocket::SslClientMode);
    if (!doVerifyPeer || verifyErrorsHaveBeenIgnored())
        return true;

    if (q->pauseMode() & QAbstractSocket::PauseOnSslErrors) {
        pausedOnSslErrors = true;
        return false;
    }
    rejectPeer();
    return false;
}

void QSslSocketPrivate::resumeAfterSslErrors()
{
    const Running running(this);
    if (!pausedOnSslErrors)
        return;
    pausedOnSslErrors = false;
    if (verifyErrorsHaveBeenIgnored())
        continueHandshake();
    else
        rejectPeer();
}

void QSslSocketPrivate::rejectPeer()
{
    const Running running(this);
    setErrorAndEmit(QAbstractSocket::SslHandshakeFailedError, sslErrors.constFirst().errorString());
    fatalErrorSeen = true;
    if (!socketDeleted)
        plain->disconnectFromHost();
}

void QSslSocketPrivate::continueHandshake()
{
    // Qt takes the key here, once the peer is accepted (a client's only: the engine has none
    // for a server).
    if (QSslKey key = QSslKeyPrivate::fromEngine((*session)->ephemeral_server_key()); !key.isNull())
        ephemeralServerKey = key;
    const qsslrs::Failure released = (*session)->release_pending_plaintext();
    if (!released.ok) {
        failWith(released);
        return;
    }
    // Qt keeps the session as the handshake completes (TLS 1.3 tickets come later, see
    // handleEvents). One resumed from the configured ticket is that ticket, whose lifetime hint
    // Qt does not know then (-1).
    if (!configuration.testSslOption(QSsl::SslOptionDisableSessionSharing)
        && !configuration.testSslOption(QSsl::SslOptionDisableSessionPersistence)) {
        if (mode == QSslSocket::SslClientMode && sessionResumed)
            storeSessionTicket(QByteArray(), -1);
        else
            storeSessionTicket(sessionAtHandshake, sessionLifetimeHintAtHandshake);
    }
    sessionAtHandshake = QByteArray(); // an idle connection keeps no copy of it
    connectionEncrypted = true;
    emit q->encrypted();
    if (!session || fatalErrorSeen)
        return;
    flushPendingWrites();
    if (pendingClose) {
        pendingClose = false;
        q->disconnectFromHost();
    }
    if (session && (*session)->plaintext().size() > 0)
        emitReadyRead();
}

void QSslSocketPrivate::failWith(const qsslrs::Failure &failure)
{
    const Running running(this);
    // The alert that tells the peer why goes first.
    flushCiphertext();
    fatalErrorSeen = true;
    setErrorAndEmit(qtEnum(failure.socket_error), toQString(failure.message));
    if (socketDeleted)
        return;
    // Let the alert that explains the failure reach the peer before the connection drops.
    if (plain)
        plain->flush();
    // Qt aborts the socket itself: it is closed (aboutToClose), not only disconnected.
    q->abort();
}

void QSslSocketPrivate::emitReadyRead()
{
    if (readyReadEmittedPointer)
        *readyReadEmittedPointer = true;
    const Running running(this);
    emit q->readyRead();
    if (!socketDeleted)
        emit q->channelReadyRead(0);
}

void QSslSocketPrivate::scheduleTransmit()
{
    if (transmitScheduled)
        return;
    transmitScheduled = true;
    QMetaObject::invokeMethod(q, [this] {
        transmitScheduled = false;
        transmit();
    }, Qt::QueuedConnection);
}

bool QSslSocketPrivate::emitWrittenSignalsNow()
{
    const Running running(this);
    const qint64 plaintext = std::exchange(unsignaledBytesWritten, 0);
    const qint64 ciphertext = std::exchange(unsignaledEncryptedBytes, 0);
    if (plaintext > 0) {
        emit q->bytesWritten(plaintext);
        if (!socketDeleted)
            emit q->channelBytesWritten(0, plaintext);
    }
    if (ciphertext > 0 && !socketDeleted)
        emit q->encryptedBytesWritten(ciphertext);
    return plaintext > 0 || ciphertext > 0;
}

void QSslSocketPrivate::scheduleWrittenSignals(qint64 plaintext, qint64 ciphertext)
{
    // Never emitted from inside write(): Qt delivers them from the event loop.
    unsignaledBytesWritten += qMax<qint64>(plaintext, 0);
    unsignaledEncryptedBytes += qMax<qint64>(ciphertext, 0);
    if (writtenSignalsScheduled || (unsignaledBytesWritten == 0 && unsignaledEncryptedBytes == 0))
        return;
    writtenSignalsScheduled = true;
    QMetaObject::invokeMethod(q, [this] {
        writtenSignalsScheduled = false;
        emitWrittenSignalsNow();
    }, Qt::QueuedConnection);
}

qint64 QSslSocketPrivate::writeEncrypted(const char *data, qint64 len)
{
    if (!connectionEncrypted || len < directWriteThreshold || !pendingWrites.isEmpty()) {
        pendingWrites.append(data, len);
        // From a readyRead() slot of transmit(), the flush follows at once.
        if (connectionEncrypted && !flushScheduled && !answeringReadyRead) {
            flushScheduled = true;
            QMetaObject::invokeMethod(q, [this] { flushPendingWrites(); }, Qt::QueuedConnection);
        }
        return len;
    }
    qsslrs::Session *engine = idleSession();
    if (!engine)
        return -1;
    const qsslrs::Failure failure = engine->write_plaintext(bytes(data, len));
    if (!failure.ok) {
        failWith(failure);
        return -1;
    }
    flushCiphertext();
    scheduleWrittenSignals(len, 0);
    return len;
}

void QSslSocketPrivate::flushPendingWrites()
{
    const Running running(this);
    flushScheduled = false;
    qsslrs::Session *engine = idleSession();
    if (!connectionEncrypted || !engine || fatalErrorSeen || pendingWrites.isEmpty())
        return;
    const QByteArray data = std::exchange(pendingWrites, QByteArray());
    const qsslrs::Failure failure = engine->write_plaintext(bytes(data));
    if (!failure.ok) {
        failWith(failure);
        return;
    }
    flushCiphertext(WrittenSignal::Caller);
    // Never inside write(), so the signals may be emitted right away.
    emit q->bytesWritten(data.size());
    if (socketDeleted)
        return;
    emit q->channelBytesWritten(0, data.size());
    if (socketDeleted)
        return;
    if (const qint64 ciphertext = std::exchange(unsignaledEncryptedBytes, 0); ciphertext > 0) {
        emit q->encryptedBytesWritten(ciphertext);
        if (socketDeleted)
            return;
    }
    // A disconnectFromHost() that waited for this data completes now.
    if (!socketDeleted && pendingClose && q->state() == QAbstractSocket::ClosingState) {
        pendingClose = false;
        q->disconnectFromHost();
    }
}

qsizetype QSslSocketPrivate::plaintextAvailable() const
{
    const qsslrs::Session *engine = idleSession();
    return engine ? qsizetype(engine->plaintext().size()) : 0;
}

qint64 QSslSocketPrivate::readPlaintext(char *data, qint64 maxlen)
{
    if (!idleSession())
        return 0;
    qsslrs::Session &engine = *idleSession();
    const rust::Slice<const uint8_t> available = engine.plaintext();
    const qint64 n = qMin(maxlen, qint64(available.size()));
    if (n > 0) {
        std::memcpy(data, available.data(), size_t(n));
        engine.consume_plaintext(size_t(n));
    }
    // A read buffer limit may have left ciphertext waiting in the inner socket.
    if (readBufferMaxSize > 0 && plain && plain->bytesAvailable() > 0)
        scheduleTransmit();
    return n;
}

void QSslSocketPrivate::sendCloseNotify()
{
    qsslrs::Session *engine = idleSession();
    if (!engine || closeNotifySent || fatalErrorSeen || !engine->is_handshake_done())
        return;
    const Running running(this);
    closeNotifySent = true;
    engine->close();
    handleEvents(); // alertSent(close notify), before the bytes leave, as from SSL_shutdown()
    flushCiphertext();
}

void QSslSocketPrivate::psk_client(rust::Slice<const uint8_t> hint, bool, size_t max_identity_length,
                                   size_t max_key_length, rust::Vec<uint8_t> &identity, rust::Vec<uint8_t> &key)
{
    QSslPreSharedKeyAuthenticator authenticator =
            QSslPreSharedKeyAuthenticatorPrivate::forClient(hint, max_identity_length, max_key_length);
    const QPointer<QSslSocket> alive(q);
    emit q->preSharedKeyAuthenticationRequired(&authenticator);
    if (alive)
        QSslPreSharedKeyAuthenticatorPrivate::answer(authenticator, &identity, key);
}

void QSslSocketPrivate::psk_server(rust::Slice<const uint8_t> identity, bool, size_t max_key_length,
                                   rust::Vec<uint8_t> &key)
{
    QSslPreSharedKeyAuthenticator authenticator = QSslPreSharedKeyAuthenticatorPrivate::forServer(
            identity, configuration.preSharedKeyIdentityHint(), max_key_length);
    const QPointer<QSslSocket> alive(q);
    emit q->preSharedKeyAuthenticationRequired(&authenticator);
    if (alive)
        QSslPreSharedKeyAuthenticatorPrivate::answer(authenticator, nullptr, key);
}

bool QSslSocketPrivate::verification_error(int32_t qt_error, rust::Slice<const uint8_t> certificate_der)
{
    const QSslError error(QSslError::SslError(qt_error), QSslCertificate(toByteArray(certificate_der), QSsl::Der));
    errorsReportedFromCallback = true;
    handshakeInterrupted = true;
    const QPointer<QSslSocket> alive(q);
    emit q->handshakeInterruptedOnError(error);
    return alive && !handshakeInterrupted;
}

void QSslSocketPrivate::storeSessionTicket(const QByteArray &der, int lifetimeHint)
{
    // Into the socket's own configuration, as Qt does: a later connection of this socket offers it.
    // An empty DER leaves the ticket as it is.
    QSslConfigurationPrivate &config = QSslConfigurationPrivate::of(configuration);
    if (!der.isEmpty())
        config.sslSession = der;
    config.sslSessionTicketLifeTimeHint = lifetimeHint;
}

QSslConfiguration QSslSocketPrivate::sessionConfiguration() const
{
    QSslConfiguration copy = configuration;
    QSslConfigurationPrivate &config = QSslConfigurationPrivate::of(copy);
    config.peerCertificate = peerCertificateChain.value(0);
    config.peerCertificateChain = peerCertificateChain;
    config.sessionCipher = sessionCipher;
    config.sessionProtocol = sessionProtocol;
    config.nextNegotiatedProtocol = negotiatedAlpn;
    config.ephemeralServerKey = ephemeralServerKey;
    if (!config.nextAllowedProtocols.isEmpty() && connectionEncrypted) {
        config.nextProtocolNegotiationStatus = negotiatedAlpn.isEmpty()
                ? QSslConfiguration::NextProtocolNegotiationUnsupported
                : QSslConfiguration::NextProtocolNegotiationNegotiated;
    }
    return copy;
}

QT_END_NAMESPACE
