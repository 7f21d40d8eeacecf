// qssl-rs: QSslSocket, the public API. Per-socket state and engine driving: qsslsocket_p.cpp.
// SPDX-License-Identifier: MIT OR Apache-2.0
#include <QtNetwork/qsslsocket.h>

#include "qsslconfiguration_p.h"
#include "qsslrsconvert_p.h"
#include "qsslsocket_p.h"
#include "qtownssl_p.h"

#include <QtCore/qdeadlinetimer.h>
#include <QtCore/qfile.h>
#include <QtCore/qloggingcategory.h>
#include <QtNetwork/qnetworkproxy.h>
#include <QtNetwork/qocspresponse.h>
#include <QtNetwork/qsslcipher.h>
#include <QtNetwork/qsslkey.h>

Q_DECLARE_LOGGING_CATEGORY(lcQSslRs)


namespace {

// A socket that Qt's own libraries made has no state of ours (QWebSocketServer hands one out
// from Qt 6.11 on): Qt's own function serves it. Virtual functions reach Qt's by themselves.
bool madeByQt(const QSslSocket *socket)
{
    return !QSslSocketPrivate::get(socket);
}

const QString backendName = QStringLiteral("openssl");

bool isOurBackend(const QString &name)
{
    return name.isEmpty() || name == backendName;
}

int remaining(const QDeadlineTimer &deadline)
{
    return deadline.isForever() ? -1 : int(deadline.remainingTime());
}

} // namespace

QSslSocket::QSslSocket(QObject *parent)
    : QTcpSocket(parent)
{
    QSslSocketPrivate::attach(this);
}

QSslSocket::~QSslSocket()
{
    // As in Qt, the inner socket goes first: aborting a live connection on its way out, it reports
    // stateChanged(), readChannelFinished() and disconnected() through this socket.
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    if (d->runningCalls > 0 && d->plain) {
        // Deleted from a slot that the inner socket may still be emitting through: it leaves
        // once its emission is over, and aborts its connection then.
        QObject::disconnect(d->plain, nullptr, this, nullptr);
        d->plain->setParent(nullptr);
        d->plain->deleteLater();
    } else {
        delete d->plain;
    }
    d->plain = nullptr;
    QSslSocketPrivate::detach(this);
    // The base destructor would abort a socket it believes connected; ours is already gone.
    setSocketState(UnconnectedState);
}

void QSslSocket::resume()
{
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    if (d->pausedOnSslErrors) {
        QMetaObject::invokeMethod(this, [d] { d->resumeAfterSslErrors(); }, Qt::QueuedConnection);
        return;
    }
    if (d->plain)
        d->plain->resume();
}

void QSslSocket::connectToHostEncrypted(const QString &hostName, quint16 port, OpenMode mode,
                                        NetworkLayerProtocol protocol)
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<qOverload<const QString &, quint16, OpenMode, NetworkLayerProtocol>(&QSslSocket::connectToHostEncrypted)>(this, hostName, port, mode, protocol);
    if (QSslSocketPrivate::get(this)->prepareEncryptedConnection())
        connectToHost(hostName, port, mode, protocol);
}

void QSslSocket::connectToHostEncrypted(const QString &hostName, quint16 port, const QString &sslPeerName,
                                        OpenMode mode, NetworkLayerProtocol protocol)
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<qOverload<const QString &, quint16, const QString &, OpenMode, NetworkLayerProtocol>(&QSslSocket::connectToHostEncrypted)>(this, hostName, port, sslPeerName, mode, protocol);
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    if (!d->prepareEncryptedConnection())
        return;
    d->verificationName = sslPeerName;
    connectToHost(hostName, port, mode, protocol);
}

bool QSslSocket::setSocketDescriptor(qintptr socketDescriptor, SocketState state, OpenMode openMode)
{
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    d->ensurePlainSocket(d->acceptedByServer ? QSslSocketPrivate::InnerBuffering::Unbuffered
                                             : QSslSocketPrivate::InnerBuffering::Buffered);
    OpenMode innerMode = openMode;
    if (d->acceptedByServer) {
        d->makeUnbufferedForDescriptor();
        innerMode |= Unbuffered; // no QIODevice buffer either
    }
    const bool ok = d->plain->setSocketDescriptor(socketDescriptor, state, innerMode);
    setSocketError(d->plain->error());
    setErrorString(d->plain->errorString());
    setSocketState(state);
    setOpenMode(openMode);
    setLocalPort(d->plain->localPort());
    setLocalAddress(d->plain->localAddress());
    setPeerPort(d->plain->peerPort());
    setPeerAddress(d->plain->peerAddress());
    setPeerName(d->plain->peerName());
    return ok;
}

bool QSslSocket::bind(const QHostAddress &address, quint16 port, BindMode mode)
{
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    d->ensurePlainSocket(QSslSocketPrivate::InnerBuffering::Buffered);
    const bool ok = d->plain->bind(address, port, mode);
    setSocketState(d->plain->state());
    setLocalAddress(d->plain->localAddress());
    setLocalPort(d->plain->localPort());
    if (!ok) {
        setSocketError(d->plain->error());
        setErrorString(d->plain->errorString());
    }
    return ok;
}

qintptr QSslSocket::socketDescriptor() const
{
    const QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    return d->plain ? d->plain->socketDescriptor() : -1;
}

void QSslSocket::connectToHost(const QString &hostName, quint16 port, OpenMode openMode,
                               NetworkLayerProtocol protocol)
{
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    d->preferredProtocol = protocol;
    // A connection encrypted from its start is read and written unbuffered (see InnerBuffering).
    const bool encryptedFromStart = std::exchange(d->connectionPrepared, false);
    if (!encryptedFromStart)
        d->prepareConnection();
    d->ensurePlainSocket(encryptedFromStart ? QSslSocketPrivate::InnerBuffering::Unbuffered
                                            : QSslSocketPrivate::InnerBuffering::Buffered);
#ifndef QT_NO_NETWORKPROXY
    d->plain->setProtocolTag(protocolTag());
    d->plain->setProxy(proxy());
#endif
    QIODevice::open(openMode);
    OpenMode innerMode = openMode;
    if (encryptedFromStart) {
        innerMode |= Unbuffered;
        d->unbuffered = true;
    }
    d->plain->connectToHost(hostName, port, innerMode, protocol);
}

void QSslSocket::disconnectFromHost()
{
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    const QSslSocketPrivate::Running running(d);
    if (!d->plain || state() == UnconnectedState)
        return;
    if (d->isPlain()) {
        d->plain->disconnectFromHost();
        return;
    }
    if (state() <= ConnectingState) {
        d->pendingClose = true;
        return;
    }
    if (state() != ClosingState) {
        setSocketState(ClosingState);
        emit stateChanged(ClosingState);
        if (d->socketDeleted)
            return;
    }
    // As in Qt, unsent plaintext defers the close until it has been written.
    if (!d->pendingWrites.isEmpty() && d->session) {
        d->pendingClose = true;
        return;
    }
    d->flushPendingWrites();
    if (d->socketDeleted)
        return;
    d->sendCloseNotify();
    if (d->socketDeleted)
        return;
    d->takeKernelInput();
    d->plain->disconnectFromHost();
}

void QSslSocket::setSocketOption(QAbstractSocket::SocketOption option, const QVariant &value)
{
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    if (d->plain)
        d->plain->setSocketOption(option, value);
    else
        QTcpSocket::setSocketOption(option, value);
}

QVariant QSslSocket::socketOption(QAbstractSocket::SocketOption option)
{
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    return d->plain ? d->plain->socketOption(option) : QTcpSocket::socketOption(option);
}

QSslSocket::SslMode QSslSocket::mode() const
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::mode>(this);
    return QSslSocketPrivate::get(this)->mode;
}

bool QSslSocket::isEncrypted() const
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::isEncrypted>(this);
    return QSslSocketPrivate::get(this)->connectionEncrypted;
}

QSsl::SslProtocol QSslSocket::protocol() const
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::protocol>(this);
    return QSslSocketPrivate::get(this)->configuration.protocol();
}

void QSslSocket::setProtocol(QSsl::SslProtocol protocol)
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::setProtocol>(this, protocol);
    QSslSocketPrivate::get(this)->configuration.setProtocol(protocol);
}

QSslSocket::PeerVerifyMode QSslSocket::peerVerifyMode() const
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::peerVerifyMode>(this);
    return QSslSocketPrivate::get(this)->configuration.peerVerifyMode();
}

void QSslSocket::setPeerVerifyMode(QSslSocket::PeerVerifyMode mode)
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::setPeerVerifyMode>(this, mode);
    QSslSocketPrivate::get(this)->configuration.setPeerVerifyMode(mode);
}

int QSslSocket::peerVerifyDepth() const
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::peerVerifyDepth>(this);
    return QSslSocketPrivate::get(this)->configuration.peerVerifyDepth();
}

void QSslSocket::setPeerVerifyDepth(int depth)
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::setPeerVerifyDepth>(this, depth);
    if (depth < 0) {
        qCWarning(lcQSslRs, "QSslSocket::setPeerVerifyDepth: cannot set negative depth of %d", depth);
        return;
    }
    QSslSocketPrivate::get(this)->configuration.setPeerVerifyDepth(depth);
}

QString QSslSocket::peerVerifyName() const
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::peerVerifyName>(this);
    return QSslSocketPrivate::get(this)->verificationName;
}

void QSslSocket::setPeerVerifyName(const QString &hostName)
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::setPeerVerifyName>(this, hostName);
    QSslSocketPrivate::get(this)->verificationName = hostName;
}

qint64 QSslSocket::bytesAvailable() const
{
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    if (d->mode == UnencryptedMode)
        return QIODevice::bytesAvailable() + (d->plain ? d->plain->bytesAvailable() : 0);
    return QIODevice::bytesAvailable() + d->plaintextAvailable();
}

qint64 QSslSocket::bytesToWrite() const
{
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    if (d->mode == UnencryptedMode)
        return d->plain ? d->plain->bytesToWrite() : 0;
    return d->pendingWrites.size();
}

bool QSslSocket::canReadLine() const
{
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    if (QIODevice::canReadLine())
        return true;
    if (d->mode == UnencryptedMode)
        return d->plain && d->plain->canReadLine();
    if (!d->idleSession())
        return false;
    const rust::Slice<const uint8_t> plaintext = d->idleSession()->plaintext();
    return std::find(plaintext.begin(), plaintext.end(), uint8_t('\n')) != plaintext.end();
}

void QSslSocket::close()
{
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    const QSslSocketPrivate::Running running(d);
    // QAbstractSocket::abort() drops the write channels before it calls close().
    const bool aborting = writeChannelCount() == 0 && openMode() != NotOpen;
    if (d->plain) {
        if (aborting) {
            d->pendingWrites.clear();
            d->sendCloseNotify();
            if (d->socketDeleted)
                return;
            d->plain->flush();
            d->plain->abort();
        } else {
            d->flushPendingWrites();
            if (d->socketDeleted)
                return;
            d->sendCloseNotify();
            if (d->socketDeleted)
                return;
            d->takeKernelInput();
            d->plain->close();
        }
    }
    if (d->socketDeleted)
        return;
    QTcpSocket::close();
    if (d->socketDeleted)
        return;
    d->pendingWrites.clear();
    // As QIODevice::close() empties its buffer: nothing left to read (Qt's bytesAvailable() is 0).
    if (qsslrs::Session *engine = d->idleSession())
        engine->consume_plaintext(engine->plaintext().size());
}

bool QSslSocket::atEnd() const
{
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    if (d->mode == UnencryptedMode)
        return QIODevice::atEnd() && (!d->plain || d->plain->atEnd());
    return QIODevice::atEnd() && d->plaintextAvailable() == 0;
}

void QSslSocket::setReadBufferSize(qint64 size)
{
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    d->readBufferMaxSize = size;
    if (d->plain)
        d->plain->setReadBufferSize(size);
}

qint64 QSslSocket::encryptedBytesAvailable() const
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::encryptedBytesAvailable>(this);
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    return d->mode == UnencryptedMode || !d->plain ? 0 : d->plain->bytesAvailable();
}

qint64 QSslSocket::encryptedBytesToWrite() const
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::encryptedBytesToWrite>(this);
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    return d->mode == UnencryptedMode || !d->plain ? 0 : d->plain->bytesToWrite();
}

QSslConfiguration QSslSocket::sslConfiguration() const
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::sslConfiguration>(this);
    return QSslSocketPrivate::get(this)->sessionConfiguration();
}

void QSslSocket::setSslConfiguration(const QSslConfiguration &configuration)
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::setSslConfiguration>(this, QtOwnSsl::qts(configuration));
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    // Session details in the given configuration describe another connection, not this one.
    QSslConfiguration settings = QtOwnSsl::ours(configuration);
    QSslConfigurationPrivate &p = QSslConfigurationPrivate::of(settings);
    p.peerCertificate = QSslCertificate();
    p.peerCertificateChain.clear();
    p.sessionCipher = QSslCipher();
    p.sessionProtocol = QSsl::UnknownProtocol;
    p.nextNegotiatedProtocol.clear();
    p.nextProtocolNegotiationStatus = QSslConfiguration::NextProtocolNegotiationNone;
    d->configuration = settings;
}

void QSslSocket::setLocalCertificateChain(const QList<QSslCertificate> &localChain)
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::setLocalCertificateChain>(this, QtOwnSsl::qts(localChain));
    QSslSocketPrivate::get(this)->configuration.setLocalCertificateChain(localChain);
}

QList<QSslCertificate> QSslSocket::localCertificateChain() const
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::localCertificateChain>(this);
    return QSslSocketPrivate::get(this)->configuration.localCertificateChain();
}

void QSslSocket::setLocalCertificate(const QSslCertificate &certificate)
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<qOverload<const QSslCertificate &>(&QSslSocket::setLocalCertificate)>(this, QtOwnSsl::qts(certificate));
    QSslSocketPrivate::get(this)->configuration.setLocalCertificate(certificate);
}

void QSslSocket::setLocalCertificate(const QString &path, QSsl::EncodingFormat format)
{
    QFile file(path);
    if (file.open(QIODevice::ReadOnly | QIODevice::Text))
        setLocalCertificate(QSslCertificate(file.readAll(), format));
}

QSslCertificate QSslSocket::localCertificate() const
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::localCertificate>(this);
    return QSslSocketPrivate::get(this)->configuration.localCertificate();
}

QSslCertificate QSslSocket::peerCertificate() const
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::peerCertificate>(this);
    return QSslSocketPrivate::get(this)->peerCertificateChain.value(0);
}

QList<QSslCertificate> QSslSocket::peerCertificateChain() const
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::peerCertificateChain>(this);
    return QSslSocketPrivate::get(this)->peerCertificateChain;
}

QSslCipher QSslSocket::sessionCipher() const
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::sessionCipher>(this);
    return QSslSocketPrivate::get(this)->sessionCipher;
}

QSsl::SslProtocol QSslSocket::sessionProtocol() const
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::sessionProtocol>(this);
    return QSslSocketPrivate::get(this)->sessionProtocol;
}

QList<QOcspResponse> QSslSocket::ocspResponses() const
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::ocspResponses>(this);
    return QSslSocketPrivate::get(this)->ocspResponses;
}

void QSslSocket::setPrivateKey(const QSslKey &key)
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<qOverload<const QSslKey &>(&QSslSocket::setPrivateKey)>(this, QtOwnSsl::qts(key));
    QSslSocketPrivate::get(this)->configuration.setPrivateKey(key);
}

void QSslSocket::setPrivateKey(const QString &fileName, QSsl::KeyAlgorithm algorithm,
                               QSsl::EncodingFormat format, const QByteArray &passPhrase)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        qCWarning(lcQSslRs, "QSslSocket::setPrivateKey: Couldn't open file for reading");
        return;
    }
    QSslKey key(file.readAll(), algorithm, format, QSsl::PrivateKey, passPhrase);
    if (key.isNull()) {
        qCWarning(lcQSslRs, "QSslSocket::setPrivateKey: "
                            "The specified file does not contain a valid key");
        return;
    }
    setPrivateKey(key);
}

QSslKey QSslSocket::privateKey() const
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::privateKey>(this);
    return QSslSocketPrivate::get(this)->configuration.privateKey();
}

bool QSslSocket::waitForConnected(int msecs)
{
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    if (!d->plain)
        return false;
    // A handshake started by connectToHostEncrypted() runs on, as in Qt; only the TCP
    // connection is waited for.
    return d->plain->waitForConnected(msecs);
}

bool QSslSocket::waitForEncrypted(int msecs)
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::waitForEncrypted>(this, msecs);
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    if (!d->plain || d->connectionEncrypted)
        return false;
    if (d->isPlain())
        return false;
    if (!d->verifyProtocolSupported("QSslSocket::waitForEncrypted:"))
        return false;

    const QDeadlineTimer deadline(msecs);
    if (d->plain->state() != ConnectedState && !d->plain->waitForConnected(remaining(deadline)))
        return false;
    while (!d->connectionEncrypted) {
        if (d->mode == UnencryptedMode)
            startClientEncryption();
        if (d->fatalErrorSeen || d->pausedOnSslErrors || !d->session)
            return false;
        if (!d->plain->waitForReadyRead(remaining(deadline)))
            return false;
    }
    return d->connectionEncrypted;
}

bool QSslSocket::waitForReadyRead(int msecs)
{
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    if (!d->plain)
        return false;
    if (d->isPlain())
        return d->plain->waitForReadyRead(msecs);

    // True exactly when readyRead() was emitted during this call, as for QAbstractSocket.
    bool readyReadEmitted = false;
    bool *previous = std::exchange(d->readyReadEmittedPointer, &readyReadEmitted);
    const QDeadlineTimer deadline(msecs);
    if (!d->connectionEncrypted && !waitForEncrypted(remaining(deadline))) {
        d->readyReadEmittedPointer = previous;
        return readyReadEmitted;
    }
    d->flushPendingWrites();
    while (!readyReadEmitted && d->plain->waitForReadyRead(remaining(deadline))) {
    }
    d->readyReadEmittedPointer = previous;
    if (previous && readyReadEmitted)
        *previous = true;
    return readyReadEmitted;
}

bool QSslSocket::waitForBytesWritten(int msecs)
{
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    if (!d->plain)
        return false;
    if (d->mode == UnencryptedMode && !d->autoStartHandshake)
        return d->plain->waitForBytesWritten(msecs);

    const QDeadlineTimer deadline(msecs);
    if (!d->connectionEncrypted && !waitForEncrypted(remaining(deadline)))
        return false;
    // What an unbuffered inner socket wrote is in the kernel already: Qt's buffered one would
    // write it now and report it.
    const bool unsignaled = !d->pendingWrites.isEmpty() || d->unsignaledBytesWritten > 0
            || d->unsignaledEncryptedBytes > 0;
    d->flushPendingWrites();
    if (d->unbuffered && d->plain->bytesToWrite() == 0)
        return d->emitWrittenSignalsNow() || unsignaled;
    return d->plain->waitForBytesWritten(remaining(deadline));
}

bool QSslSocket::waitForDisconnected(int msecs)
{
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    if (state() == UnconnectedState) {
        qCWarning(lcQSslRs, "QSslSocket::waitForDisconnected() is not allowed in UnconnectedState");
        return false;
    }
    if (!d->plain)
        return false;
    if (d->isPlain())
        return d->plain->waitForDisconnected(msecs);

    const QDeadlineTimer deadline(msecs);
    if (!d->connectionEncrypted && !waitForEncrypted(remaining(deadline)))
        return false;
    d->flushPendingWrites();
    if (state() == UnconnectedState)
        return true;
    const bool disconnected = d->plain->waitForDisconnected(remaining(deadline));
    if (!disconnected) {
        setSocketState(d->plain->state());
        setSocketError(d->plain->error());
        setErrorString(d->plain->errorString());
    }
    return disconnected;
}

QList<QSslError> QSslSocket::sslHandshakeErrors() const
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::sslHandshakeErrors>(this);
    return QSslSocketPrivate::get(this)->sslErrors;
}

bool QSslSocket::supportsSsl()
{
    return true;
}

long QSslSocket::sslLibraryVersionNumber()
{
    return long(qsslrs::engine_library_version_number());
}

QString QSslSocket::sslLibraryVersionString()
{
    return qsslrs::toQString(qsslrs::engine_library_version_string());
}

// The engine is linked in, so the library we were built with is the one we run with.
long QSslSocket::sslLibraryBuildVersionNumber()
{
    return sslLibraryVersionNumber();
}

QString QSslSocket::sslLibraryBuildVersionString()
{
    return sslLibraryVersionString();
}

QList<QString> QSslSocket::availableBackends()
{
    return {backendName};
}

QString QSslSocket::activeBackend()
{
    return backendName;
}

bool QSslSocket::setActiveBackend(const QString &name)
{
    if (name.isEmpty()) {
        qCWarning(lcQSslRs, "Invalid parameter (backend name cannot be an empty string)");
        return false;
    }
    return name == backendName;
}

QList<QSsl::SslProtocol> QSslSocket::supportedProtocols(const QString &name)
{
    if (!isOurBackend(name))
        return {};
    QT_WARNING_PUSH
    QT_WARNING_DISABLE_DEPRECATED
    return {QSsl::TlsV1_0,         QSsl::TlsV1_1,         QSsl::TlsV1_2,        QSsl::AnyProtocol,
            QSsl::SecureProtocols, QSsl::TlsV1_0OrLater,  QSsl::TlsV1_1OrLater, QSsl::TlsV1_2OrLater,
            QSsl::DtlsV1_0,        QSsl::DtlsV1_0OrLater, QSsl::DtlsV1_2,       QSsl::DtlsV1_2OrLater,
            QSsl::TlsV1_3,         QSsl::TlsV1_3OrLater};
    QT_WARNING_POP
}

bool QSslSocket::isProtocolSupported(QSsl::SslProtocol protocol, const QString &name)
{
    return supportedProtocols(name).contains(protocol);
}

QList<QSsl::ImplementedClass> QSslSocket::implementedClasses(const QString &name)
{
    if (!isOurBackend(name))
        return {};
    return {QSsl::ImplementedClass::Key,           QSsl::ImplementedClass::Certificate,
            QSsl::ImplementedClass::Socket,        QSsl::ImplementedClass::DiffieHellman,
            QSsl::ImplementedClass::EllipticCurve, QSsl::ImplementedClass::Dtls,
            QSsl::ImplementedClass::DtlsCookie};
}

bool QSslSocket::isClassImplemented(QSsl::ImplementedClass cl, const QString &name)
{
    return implementedClasses(name).contains(cl);
}

QList<QSsl::SupportedFeature> QSslSocket::supportedFeatures(const QString &name)
{
    if (!isOurBackend(name))
        return {};
    return {QSsl::SupportedFeature::CertificateVerification, QSsl::SupportedFeature::ClientSideAlpn,
            QSsl::SupportedFeature::ServerSideAlpn, QSsl::SupportedFeature::Ocsp, QSsl::SupportedFeature::Psk, QSsl::SupportedFeature::SessionTicket,
            QSsl::SupportedFeature::Alerts};
}

bool QSslSocket::isFeatureSupported(QSsl::SupportedFeature feat, const QString &name)
{
    return supportedFeatures(name).contains(feat);
}

void QSslSocket::ignoreSslErrors(const QList<QSslError> &errors)
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<qOverload<const QList<QSslError> &>(&QSslSocket::ignoreSslErrors)>(this, QtOwnSsl::qts(errors));
    QSslSocketPrivate::get(this)->ignoreErrorsList = QtOwnSsl::ours(errors);
}

void QSslSocket::continueInterruptedHandshake()
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::continueInterruptedHandshake>(this);
    // Only meaningful from a slot of handshakeInterruptedOnError, which the engine waits for.
    QSslSocketPrivate::get(this)->handshakeInterrupted = false;
}

void QSslSocket::startClientEncryption()
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::startClientEncryption>(this);
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    if (d->mode != UnencryptedMode) {
        qCWarning(lcQSslRs, "QSslSocket::startClientEncryption: cannot start handshake on non-plain connection");
        return;
    }
    if (state() != ConnectedState) {
        qCWarning(lcQSslRs, "QSslSocket::startClientEncryption: cannot start handshake when not connected");
        return;
    }
    if (!d->verifyProtocolSupported("QSslSocket::startClientEncryption:"))
        return;
    d->startHandshake(SslClientMode);
}

void QSslSocket::startServerEncryption()
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<&QSslSocket::startServerEncryption>(this);
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    if (d->mode != UnencryptedMode) {
        qCWarning(lcQSslRs, "QSslSocket::startServerEncryption: cannot start handshake on non-plain connection");
        return;
    }
    // Qt's warning has no colon here.
    if (!d->verifyProtocolSupported("QSslSocket::startServerEncryption"))
        return;
    d->startHandshake(SslServerMode);
}

void QSslSocket::ignoreSslErrors()
{
    if (madeByQt(this))
        return QtOwnSsl::callRequired<qOverload<>(&QSslSocket::ignoreSslErrors)>(this);
    QSslSocketPrivate::get(this)->ignoreAllSslErrors = true;
}

qint64 QSslSocket::readData(char *data, qint64 maxlen)
{
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    if (d->isPlain()) {
        if (!d->plain)
            return -1;
        const qint64 n = d->plain->read(data, maxlen);
        // An unbuffered inner socket has just dropped the connection without a word: report it
        // once this read has returned.
        if (n < 0 && d->unbuffered && d->plain->state() == UnconnectedState && state() != UnconnectedState)
            d->schedulePeerGone();
        return n;
    }
    const qint64 n = d->readPlaintext(data, maxlen);
    if (n == 0 && state() != ConnectedState)
        return maxlen ? qint64(-1) : qint64(0);
    return n;
}

qint64 QSslSocket::skipData(qint64 maxSize)
{
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    if (d->isPlain())
        return d->plain ? d->plain->skip(maxSize) : -1;
    // QIODevice's own skip reads through readData(), which hands out plaintext.
    return QIODevice::skipData(maxSize);
}

qint64 QSslSocket::writeData(const char *data, qint64 len)
{
    QSslSocketPrivate *d = QSslSocketPrivate::get(this);
    if (d->isPlain())
        return d->plain ? d->plain->write(data, len) : -1;
    if (d->fatalErrorSeen)
        return -1;
    return d->writeEncrypted(data, len);
}
