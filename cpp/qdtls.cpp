// SPDX-License-Identifier: MIT OR Apache-2.0
#include <QtNetwork/qdtls.h>

#include "qdtls_p.h"
#include "qsslcertificate_p.h"
#include "qsslconfiguration_p.h"
#include "qsslerror_p.h"
#include "qsslcipher_p.h"
#include "qsslpresharedkeyauthenticator_p.h"
#include "qsslrsconvert_p.h"
#include "qsslrssidetable_p.h"
#include "qsslsocket_p.h"

#include <QtCore/qendian.h>
#include <QtCore/qpointer.h>
#include <QtCore/qrandom.h>
#include <QtNetwork/qsslpresharedkeyauthenticator.h>
#include <QtNetwork/qudpsocket.h>

QT_BEGIN_NAMESPACE

using qsslrs::bytes;
using qsslrs::toByteArray;
using qsslrs::toQString;

namespace {

using DtlsTable = QSslRs::SideTable<QDtls, QDtlsPrivate>;
Q_GLOBAL_STATIC(DtlsTable, dtlsTable)
using VerifierTable = QSslRs::SideTable<QDtlsClientVerifier, QDtlsClientVerifierPrivate>;
Q_GLOBAL_STATIC(VerifierTable, verifierTable)

// Every QDtls and verifier starts with the same secret, made once per process (as Qt's).
QByteArray processSecret()
{
    static const QByteArray secret = [] {
        QByteArray bytes(32, Qt::Uninitialized);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()), bytes.size() / 4);
        return bytes;
    }();
    return secret;
}

QDtlsClientVerifier::GeneratorParameters defaultCookieParameters()
{
    return {QCryptographicHash::Sha256, processSecret()};
}

// OpenSSL's name of the hash a cookie HMAC is made with; empty when OpenSSL has none.
QByteArray digestName(QCryptographicHash::Algorithm hash)
{
    switch (hash) {
    case QCryptographicHash::Md4: return "MD4";
    case QCryptographicHash::Md5: return "MD5";
    case QCryptographicHash::Sha1: return "SHA1";
    case QCryptographicHash::Sha224: return "SHA224";
    case QCryptographicHash::Sha256: return "SHA256";
    case QCryptographicHash::Sha384: return "SHA384";
    case QCryptographicHash::Sha512: return "SHA512";
    case QCryptographicHash::Sha3_224: return "SHA3-224";
    case QCryptographicHash::Sha3_256: return "SHA3-256";
    case QCryptographicHash::Sha3_384: return "SHA3-384";
    case QCryptographicHash::Sha3_512: return "SHA3-512";
    case QCryptographicHash::Blake2b_512: return "BLAKE2b512";
    case QCryptographicHash::Blake2s_256: return "BLAKE2s256";
    default: return {};
    }
}

// What a cookie is made from, as Qt makes it: the port, then the address (host byte order).
QByteArray peerId(const QHostAddress &address, quint16 port)
{
    QByteArray id(reinterpret_cast<const char *>(&port), sizeof port);
    bool isIPv4 = false;
    const quint32 ipv4 = address.toIPv4Address(&isIPv4);
    if (isIPv4) {
        id.append(reinterpret_cast<const char *>(&ipv4), sizeof ipv4);
    } else {
        const Q_IPV6ADDR ipv6 = address.toIPv6Address();
        id.append(reinterpret_cast<const char *>(ipv6.c), sizeof ipv6.c);
    }
    return id;
}

QString invalidSocket()
{
    return QDtls::tr("Invalid (nullptr) socket");
}

bool doVerifyPeer(const QSslConfiguration &configuration, QSslSocket::SslMode mode)
{
    const QSslSocket::PeerVerifyMode verify = configuration.peerVerifyMode();
    return verify == QSslSocket::VerifyPeer
            || (verify == QSslSocket::AutoVerifyPeer && mode == QSslSocket::SslClientMode);
}

} // namespace

// ---------------------------------------------------------------- shared

void QDtlsBase::setDtlsError(QDtlsError code, const QString &description)
{
    error = code;
    errorString = description;
}

void QDtlsBase::clearDtlsError()
{
    error = QDtlsError::NoError;
    errorString.clear();
}

std::optional<rust::Box<qsslrs::SessionContext>> QDtlsBase::engineContext(const QSslConfiguration &configuration,
                                                                          QSslSocket::SslMode mode, bool cookies)
{
    if (mode != QSslSocket::SslServerMode && mode != QSslSocket::SslClientMode) {
        setDtlsError(QDtlsError::TlsInitializationError,
                     QDtls::tr("Invalid SslMode, SslServerMode or SslClientMode expected"));
        return std::nullopt;
    }
    const bool server = mode == QSslSocket::SslServerMode;
    QSslConfiguration ours = QtOwnSsl::ours(configuration);
    ours.setAllowedNextProtocols({}); // Qt's DTLS negotiates no ALPN
    const QSslConfigurationPrivate &config = QSslConfigurationPrivate::of(ours);
    rust::Box<qsslrs::SessionConfig> builder = qsslrs::engine_config_new(server);
    QSslSocketPrivate::describeConfiguration(config, server, *builder);
    const QByteArray secret = server && cookies ? cookieParameters.secret : QByteArray();
    const QByteArray hash = digestName(cookieParameters.hash);
    if (!secret.isEmpty() && hash.isEmpty()) {
        setDtlsError(QDtlsError::TlsInitializationError, QDtls::tr("Unsupported hash for cookies"));
        return std::nullopt;
    }
    if (!builder->set_datagram_transport(qsslrs::SslProtocol(int(config.protocol)), bytes(secret),
                                         rust::Str(hash.constData(), size_t(hash.size())))) {
        setDtlsError(QDtlsError::TlsInitializationError, QDtls::tr("Invalid protocol version, DTLS protocol expected"));
        return std::nullopt;
    }
    qsslrs::ContextFailure failure;
    try {
        return qsslrs::engine_context_shared(*builder, failure);
    } catch (const rust::Error &error) {
        setDtlsError(QDtlsError::TlsInitializationError,
                     failure.errors.empty() ? QString::fromUtf8(error.what()) : toQString(failure.errors[0].message));
        return std::nullopt;
    }
}

// ---------------------------------------------------------------- QDtlsClientVerifier

QDtlsClientVerifier::GeneratorParameters::GeneratorParameters() = default;

QDtlsClientVerifier::GeneratorParameters::GeneratorParameters(QCryptographicHash::Algorithm a, const QByteArray &s)
    : hash(a), secret(s)
{
}

QDtlsClientVerifierPrivate *QDtlsClientVerifierPrivate::get(const QDtlsClientVerifier *verifier)
{
    const VerifierTable *table = verifierTable();
    return table ? table->find(verifier) : nullptr;
}

void QDtlsClientVerifierPrivate::attach(QDtlsClientVerifier *verifier)
{
    if (VerifierTable *table = verifierTable()) {
        auto d = std::make_unique<QDtlsClientVerifierPrivate>();
        d->cookieParameters = defaultCookieParameters();
        table->insert(verifier, std::move(d));
    }
}

void QDtlsClientVerifierPrivate::detach(QDtlsClientVerifier *verifier)
{
    if (VerifierTable *table = verifierTable())
        table->take(verifier);
}

QDtlsClientVerifier::QDtlsClientVerifier(QObject *parent) : QObject(parent)
{
    QDtlsClientVerifierPrivate::attach(this);
}

QDtlsClientVerifier::~QDtlsClientVerifier()
{
    QDtlsClientVerifierPrivate::detach(this);
}

bool QDtlsClientVerifier::setCookieGeneratorParameters(const GeneratorParameters &params)
{
    QDtlsClientVerifierPrivate *d = QDtlsClientVerifierPrivate::get(this);
    if (params.secret.isEmpty()) {
        d->setDtlsError(QDtlsError::InvalidInputParameters, QDtls::tr("Invalid (empty) secret"));
        return false;
    }
    d->clearDtlsError();
    d->cookieParameters = params;
    d->context.reset();
    return true;
}

QDtlsClientVerifier::GeneratorParameters QDtlsClientVerifier::cookieGeneratorParameters() const
{
    return QDtlsClientVerifierPrivate::get(this)->cookieParameters;
}

bool QDtlsClientVerifier::verifyClient(QUdpSocket *socket, const QByteArray &dgram, const QHostAddress &address,
                                       quint16 port)
{
    QDtlsClientVerifierPrivate *d = QDtlsClientVerifierPrivate::get(this);
    if (!socket || address.isNull() || dgram.isEmpty()) {
        d->setDtlsError(QDtlsError::InvalidInputParameters,
                        tr("A valid UDP socket, non-empty datagram, and valid address/port were expected"));
        return false;
    }
    if (address.isBroadcast() || address.isMulticast()) {
        d->setDtlsError(QDtlsError::InvalidInputParameters,
                        QDtls::tr("Multicast and broadcast addresses are not supported"));
        return false;
    }
    d->clearDtlsError();
    d->verifiedHello.clear();
    if (!d->context) {
        // As Qt's verifier: the DTLS defaults, no peer verification (no certificate is involved).
        QSslConfiguration configuration = QSslConfiguration::defaultDtlsConfiguration();
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
        d->context = d->engineContext(configuration, QSslSocket::SslServerMode, true);
        if (!d->context)
            return false;
    }
    const qsslrs::HelloVerdictView verdict =
            qsslrs::engine_dtls_verify_client(**d->context, bytes(peerId(address, port)), bytes(dgram));
    switch (verdict.kind) {
    case qsslrs::HelloVerdictKind::Verified:
        d->verifiedHello = dgram;
        return true;
    case qsslrs::HelloVerdictKind::Answered:
        for (const qsslrs::DerBlob &datagram : verdict.datagrams)
            socket->writeDatagram(toByteArray(datagram.der), address, port);
        return false;
    case qsslrs::HelloVerdictKind::Failed:
        d->setDtlsError(QDtlsError::TlsFatalError, toQString(verdict.error));
        return false;
    default:
        return false;
    }
}

QByteArray QDtlsClientVerifier::verifiedHello() const
{
    return QDtlsClientVerifierPrivate::get(this)->verifiedHello;
}

QDtlsError QDtlsClientVerifier::dtlsError() const
{
    return QDtlsClientVerifierPrivate::get(this)->error;
}

QString QDtlsClientVerifier::dtlsErrorString() const
{
    return QDtlsClientVerifierPrivate::get(this)->errorString;
}

// ---------------------------------------------------------------- QDtls

QDtlsPrivate::QDtlsPrivate(QDtls *q, QSslSocket::SslMode mode) : q(q), mode(mode)
{
    cookieParameters = defaultCookieParameters();
    timer.setSingleShot(true);
    timer.setTimerType(Qt::PreciseTimer);
    QObject::connect(&timer, &QTimer::timeout, q, &QDtls::handshakeTimeout);
}

QDtlsPrivate *QDtlsPrivate::get(const QDtls *dtls)
{
    const DtlsTable *table = dtlsTable();
    return table ? table->find(dtls) : nullptr;
}

void QDtlsPrivate::attach(QDtls *dtls, QSslSocket::SslMode mode)
{
    if (DtlsTable *table = dtlsTable())
        table->insert(dtls, std::make_unique<QDtlsPrivate>(dtls, mode));
}

void QDtlsPrivate::detach(QDtls *dtls)
{
    if (DtlsTable *table = dtlsTable())
        table->take(dtls);
}

bool QDtlsPrivate::send(QUdpSocket *socket, const rust::Vec<qsslrs::DerBlob> &datagrams)
{
    bool sent = true;
    for (const qsslrs::DerBlob &datagram : datagrams) {
        const QByteArray data = toByteArray(datagram.der);
        const qint64 written = socket->state() == QAbstractSocket::ConnectedState
                ? socket->write(data)
                : socket->writeDatagram(data, peerAddress, peerPort);
        sent = sent && written >= 0;
    }
    return sent;
}

void QDtlsPrivate::reset()
{
    session.reset();
    connectionEncrypted = false;
    verificationErrors.clear();
    errorsToIgnore.clear();
    peerChain.clear();
    handshakeState = QDtls::HandshakeNotStarted;
    cipher = QSslCipher();
    protocol = QSsl::UnknownProtocol;
}

bool QDtlsPrivate::newSession(QUdpSocket *socket)
{
    const std::optional<rust::Box<qsslrs::SessionContext>> context =
            engineContext(configuration, mode, configuration.dtlsCookieVerificationEnabled());
    if (!context)
        return false;
    // A client checks its server's certificate against the verification name, else the name
    // the socket connected to (an unnamed peer never matches, as in Qt).
    const bool client = mode == QSslSocket::SslClientMode;
    const QByteArray name = (peerVerificationName.isEmpty() ? socket->peerName() : peerVerificationName).toUtf8();
    // As Qt: the hint, else what the connected socket knows of its path, else 576 bytes.
    quint16 mtu = mtuHint;
    if (!mtu && socket->state() == QAbstractSocket::ConnectedState)
        mtu = quint16(socket->socketOption(QAbstractSocket::PathMtuSocketOption).toUInt());
    if (!mtu)
        mtu = 576;
    try {
        session.emplace(qsslrs::engine_dtls_session_new(**context, bytes(peerId(peerAddress, peerPort)), mtu,
                                                         rust::Str(name.constData(), size_t(name.size())),
                                                         client && doVerifyPeer(configuration, mode)));
    } catch (const rust::Error &error) {
        setDtlsError(QDtlsError::TlsInitializationError, QString::fromUtf8(error.what()));
        return false;
    }
    return true;
}

bool QDtlsPrivate::startHandshake(QUdpSocket *socket, const QByteArray &datagram)
{
    clearDtlsError();
    connectionEncrypted = false;
    if (!newSession(socket))
        return false;
    if (mode == QSslSocket::SslServerMode && configuration.dtlsCookieVerificationEnabled()) {
        // The server starts from a ClientHello its verifier has seen with a good cookie.
        const qsslrs::HelloVerdictView verdict = (*session)->listen(bytes(datagram));
        if (verdict.kind != qsslrs::HelloVerdictKind::Verified) {
            setDtlsError(QDtlsError::TlsFatalError, QDtls::tr("Cannot start the handshake, verified client hello expected"));
            reset();
            return false;
        }
    }
    handshakeState = QDtls::HandshakeInProgress;
    verificationErrors.clear();
    return continueHandshake(socket, mode == QSslSocket::SslServerMode && configuration.dtlsCookieVerificationEnabled()
                                             ? QByteArray()
                                             : datagram);
}

bool QDtlsPrivate::continueHandshake(QUdpSocket *socket, const QByteArray &datagram)
{
    clearDtlsError();
    timer.stop();
    const QPointer<QDtls> alive(q);
    const qsslrs::DtlsResult result = (*session)->handshake(bytes(datagram), *this);
    if (!alive)
        return false;
    send(socket, result.datagrams);
    if (!result.failure.ok) {
        setDtlsError(QDtlsError::TlsFatalError, toQString(result.failure.message));
        reset();
        return false;
    }
    if (!result.handshake.done) {
        timeoutMs = 1000;
        timer.start(timeoutMs);
        return true;
    }
    onHandshakeDone(result.handshake);
    if (!verificationErrors.isEmpty() && !verificationErrorsIgnored()) {
        setDtlsError(QDtlsError::PeerVerificationError, QDtls::tr("Peer verification failed"));
        handshakeState = QDtls::PeerVerificationFailed;
        return false;
    }
    connectionEncrypted = true;
    handshakeState = QDtls::HandshakeComplete;
    return true;
}

void QDtlsPrivate::onHandshakeDone(const qsslrs::HandshakeSummary &handshake)
{
    peerChain = QSslCertificatePrivate::fromEngine(*(*session)->peer_certificates());
    cipher = QSslCipherPrivate::fromView(handshake.cipher);
    protocol = QSsl::SslProtocol(int(handshake.protocol));
    verificationErrors.clear();
    for (const qsslrs::PeerErrorView &view : handshake.errors)
        verificationErrors.append(QSslErrorPrivate::fromEngine(view, peerChain));
}

bool QDtlsPrivate::verificationErrorsIgnored() const
{
    if (errorsToIgnore.isEmpty())
        return false;
    for (const QSslError &error : verificationErrors) {
        if (!errorsToIgnore.contains(error))
            return false;
    }
    return true;
}

void QDtlsPrivate::handleTimeout(QUdpSocket *socket)
{
    clearDtlsError();
    if (!session)
        return;
    const qsslrs::DtlsResult result = (*session)->handle_timeout();
    send(socket, result.datagrams);
    if (result.retransmitted) {
        timeoutMs = qMin(timeoutMs * 2, 60000);
    } else if (const qint64 left = (*session)->timeout_ms(); left >= 1000) {
        timeoutMs = int(left / 1000 * 1000); // whole seconds, as Qt takes them
    }
    timer.start(timeoutMs);
}

bool QDtlsPrivate::resumeHandshake()
{
    clearDtlsError();
    if (!verificationErrorsIgnored())
        return false;
    handshakeState = QDtls::HandshakeComplete;
    connectionEncrypted = true;
    verificationErrors.clear();
    errorsToIgnore.clear();
    return true;
}

void QDtlsPrivate::abortHandshake()
{
    clearDtlsError();
    reset();
}

void QDtlsPrivate::shutdown(QUdpSocket *socket)
{
    clearDtlsError();
    if (session && connectionEncrypted && !(*session)->peer_closed())
        send(socket, (*session)->shutdown().datagrams);
    reset();
}

qint64 QDtlsPrivate::writeDatagramEncrypted(QUdpSocket *socket, const QByteArray &datagram)
{
    clearDtlsError();
    const qsslrs::DtlsResult result = (*session)->encrypt(bytes(datagram));
    if (!result.failure.ok) {
        setDtlsError(QDtlsError::TlsFatalError, QDtls::tr("Error while writing: %1").arg(toQString(result.failure.message)));
        return -1;
    }
    if (!send(socket, result.datagrams)) {
        setDtlsError(QDtlsError::UnderlyingSocketError, socket->errorString());
        return -1;
    }
    return datagram.size();
}

QByteArray QDtlsPrivate::decryptDatagram(QUdpSocket *, const QByteArray &datagram)
{
    clearDtlsError();
    const qsslrs::DtlsResult result = (*session)->decrypt(bytes(datagram));
    if ((*session)->peer_closed()) {
        setDtlsError(QDtlsError::RemoteClosedConnectionError, QDtls::tr("The DTLS connection has been shutdown"));
        session.reset();
        connectionEncrypted = false;
        handshakeState = QDtls::HandshakeNotStarted;
        return toByteArray(result.plaintext);
    }
    if (!result.failure.ok) {
        setDtlsError(QDtlsError::TlsNonFatalError, toQString(result.failure.message));
        return {};
    }
    return toByteArray(result.plaintext);
}

void QDtlsPrivate::psk_client(rust::Slice<const uint8_t> hint, bool, size_t max_identity_length, size_t max_key_length,
                              rust::Vec<uint8_t> &identity, rust::Vec<uint8_t> &key)
{
    QSslPreSharedKeyAuthenticator authenticator =
            QSslPreSharedKeyAuthenticatorPrivate::forClient(hint, max_identity_length, max_key_length);
    const QPointer<QDtls> alive(q);
    emit q->pskRequired(&authenticator);
    if (alive)
        QSslPreSharedKeyAuthenticatorPrivate::answer(authenticator, &identity, key);
}

void QDtlsPrivate::psk_server(rust::Slice<const uint8_t> identity, bool, size_t max_key_length, rust::Vec<uint8_t> &key)
{
    QSslPreSharedKeyAuthenticator authenticator = QSslPreSharedKeyAuthenticatorPrivate::forServer(
            identity, configuration.preSharedKeyIdentityHint(), max_key_length);
    const QPointer<QDtls> alive(q);
    emit q->pskRequired(&authenticator);
    if (alive)
        QSslPreSharedKeyAuthenticatorPrivate::answer(authenticator, nullptr, key);
}

bool QDtlsPrivate::verification_error(int32_t, rust::Slice<const uint8_t>)
{
    return true; // QDtls has no handshakeMustInterruptOnError: errors are collected
}

QDtls::QDtls(QSslSocket::SslMode mode, QObject *parent) : QObject(parent)
{
    QDtlsPrivate::attach(this, mode);
}

QDtls::~QDtls()
{
    QDtlsPrivate::detach(this);
}

bool QDtls::setPeer(const QHostAddress &address, quint16 port, const QString &verificationName)
{
    QDtlsPrivate *d = QDtlsPrivate::get(this);
    if (d->handshakeState != HandshakeNotStarted) {
        d->setDtlsError(QDtlsError::InvalidOperation, tr("Cannot set peer after handshake started"));
        return false;
    }
    if (address.isNull()) {
        d->setDtlsError(QDtlsError::InvalidInputParameters, tr("Invalid address"));
        return false;
    }
    if (address.isBroadcast() || address.isMulticast()) {
        d->setDtlsError(QDtlsError::InvalidInputParameters, tr("Multicast and broadcast addresses are not supported"));
        return false;
    }
    d->clearDtlsError();
    d->peerAddress = address;
    d->peerPort = port;
    d->peerVerificationName = verificationName;
    return true;
}

bool QDtls::setPeerVerificationName(const QString &name)
{
    QDtlsPrivate *d = QDtlsPrivate::get(this);
    if (d->handshakeState != HandshakeNotStarted) {
        d->setDtlsError(QDtlsError::InvalidOperation, tr("Cannot set verification name after handshake started"));
        return false;
    }
    d->clearDtlsError();
    d->peerVerificationName = name;
    return true;
}

QHostAddress QDtls::peerAddress() const
{
    return QDtlsPrivate::get(this)->peerAddress;
}

quint16 QDtls::peerPort() const
{
    return QDtlsPrivate::get(this)->peerPort;
}

QString QDtls::peerVerificationName() const
{
    return QDtlsPrivate::get(this)->peerVerificationName;
}

QSslSocket::SslMode QDtls::sslMode() const
{
    return QDtlsPrivate::get(this)->mode;
}

void QDtls::setMtuHint(quint16 mtuHint)
{
    QDtlsPrivate::get(this)->mtuHint = mtuHint;
}

quint16 QDtls::mtuHint() const
{
    return QDtlsPrivate::get(this)->mtuHint;
}

bool QDtls::setCookieGeneratorParameters(const GeneratorParameters &params)
{
    QDtlsPrivate *d = QDtlsPrivate::get(this);
    if (params.secret.isEmpty()) {
        d->setDtlsError(QDtlsError::InvalidInputParameters, tr("Invalid (empty) secret"));
        return false;
    }
    d->clearDtlsError();
    d->cookieParameters = params;
    // Qt 6.4 reports false here even when the parameters were taken.
    return false;
}

QDtls::GeneratorParameters QDtls::cookieGeneratorParameters() const
{
    return QDtlsPrivate::get(this)->cookieParameters;
}

bool QDtls::setDtlsConfiguration(const QSslConfiguration &configuration)
{
    QDtlsPrivate *d = QDtlsPrivate::get(this);
    if (d->handshakeState != HandshakeNotStarted) {
        d->setDtlsError(QDtlsError::InvalidOperation, tr("Cannot set configuration after handshake started"));
        return false;
    }
    d->configuration = QtOwnSsl::ours(configuration);
    d->clearDtlsError();
    return true;
}

QSslConfiguration QDtls::dtlsConfiguration() const
{
    return QDtlsPrivate::get(this)->configuration;
}

QDtls::HandshakeState QDtls::handshakeState() const
{
    return QDtlsPrivate::get(this)->handshakeState;
}

bool QDtls::doHandshake(QUdpSocket *socket, const QByteArray &dgram)
{
    QDtlsPrivate *d = QDtlsPrivate::get(this);
    if (d->handshakeState == HandshakeNotStarted)
        return startHandshake(socket, dgram);
    if (d->handshakeState == HandshakeInProgress)
        return continueHandshake(socket, dgram);
    d->setDtlsError(QDtlsError::InvalidOperation, tr("Cannot start/continue handshake, invalid handshake state"));
    return false;
}

bool QDtls::startHandshake(QUdpSocket *socket, const QByteArray &dgram)
{
    QDtlsPrivate *d = QDtlsPrivate::get(this);
    if (!socket) {
        d->setDtlsError(QDtlsError::InvalidInputParameters, invalidSocket());
        return false;
    }
    if (d->peerAddress.isNull()) {
        d->setDtlsError(QDtlsError::InvalidOperation,
                        tr("To start a handshake you must set peer's address and port first"));
        return false;
    }
    if (sslMode() == QSslSocket::SslServerMode && dgram.isEmpty()) {
        d->setDtlsError(QDtlsError::InvalidInputParameters,
                        tr("To start a handshake, DTLS server requires non-empty datagram (client hello)"));
        return false;
    }
    if (d->handshakeState != HandshakeNotStarted) {
        d->setDtlsError(QDtlsError::InvalidOperation, tr("Cannot start handshake, already done/in progress"));
        return false;
    }
    return d->startHandshake(socket, dgram);
}

bool QDtls::continueHandshake(QUdpSocket *socket, const QByteArray &dgram)
{
    QDtlsPrivate *d = QDtlsPrivate::get(this);
    if (!socket || dgram.isEmpty()) {
        d->setDtlsError(QDtlsError::InvalidInputParameters,
                        tr("A valid QUdpSocket and non-empty datagram are needed to continue the handshake"));
        return false;
    }
    if (d->handshakeState != HandshakeInProgress) {
        d->setDtlsError(QDtlsError::InvalidOperation, tr("Cannot continue handshake, not in InProgress state"));
        return false;
    }
    return d->continueHandshake(socket, dgram);
}

bool QDtls::handleTimeout(QUdpSocket *socket)
{
    QDtlsPrivate *d = QDtlsPrivate::get(this);
    if (!socket) {
        d->setDtlsError(QDtlsError::InvalidInputParameters, invalidSocket());
        return false;
    }
    d->handleTimeout(socket);
    return true;
}

bool QDtls::resumeHandshake(QUdpSocket *socket)
{
    QDtlsPrivate *d = QDtlsPrivate::get(this);
    if (!socket) {
        d->setDtlsError(QDtlsError::InvalidInputParameters, invalidSocket());
        return false;
    }
    if (d->handshakeState != PeerVerificationFailed) {
        d->setDtlsError(QDtlsError::InvalidOperation, tr("Cannot resume, not in VerificationError state"));
        return false;
    }
    return d->resumeHandshake();
}

bool QDtls::abortHandshake(QUdpSocket *socket)
{
    QDtlsPrivate *d = QDtlsPrivate::get(this);
    if (!socket) {
        d->setDtlsError(QDtlsError::InvalidInputParameters, invalidSocket());
        return false;
    }
    if (d->handshakeState != PeerVerificationFailed && d->handshakeState != HandshakeInProgress) {
        d->setDtlsError(QDtlsError::InvalidOperation, tr("No handshake in progress, nothing to abort"));
        return false;
    }
    d->abortHandshake();
    return true;
}

bool QDtls::shutdown(QUdpSocket *socket)
{
    QDtlsPrivate *d = QDtlsPrivate::get(this);
    if (!socket) {
        d->setDtlsError(QDtlsError::InvalidInputParameters, invalidSocket());
        return false;
    }
    if (!d->connectionEncrypted) {
        d->setDtlsError(QDtlsError::InvalidOperation, tr("Cannot send shutdown alert, not encrypted"));
        return false;
    }
    d->shutdown(socket);
    return true;
}

bool QDtls::isConnectionEncrypted() const
{
    return QDtlsPrivate::get(this)->connectionEncrypted;
}

QSslCipher QDtls::sessionCipher() const
{
    return QDtlsPrivate::get(this)->cipher;
}

QSsl::SslProtocol QDtls::sessionProtocol() const
{
    return QDtlsPrivate::get(this)->protocol;
}

qint64 QDtls::writeDatagramEncrypted(QUdpSocket *socket, const QByteArray &dgram)
{
    QDtlsPrivate *d = QDtlsPrivate::get(this);
    if (!socket) {
        d->setDtlsError(QDtlsError::InvalidInputParameters, invalidSocket());
        return -1;
    }
    if (!d->connectionEncrypted) {
        d->setDtlsError(QDtlsError::InvalidOperation, tr("Cannot write a datagram, not in encrypted state"));
        return -1;
    }
    return d->writeDatagramEncrypted(socket, dgram);
}

QByteArray QDtls::decryptDatagram(QUdpSocket *socket, const QByteArray &dgram)
{
    QDtlsPrivate *d = QDtlsPrivate::get(this);
    if (!socket) {
        d->setDtlsError(QDtlsError::InvalidInputParameters, invalidSocket());
        return {};
    }
    if (!d->connectionEncrypted) {
        d->setDtlsError(QDtlsError::InvalidOperation, tr("Cannot read a datagram, not in encrypted state"));
        return {};
    }
    if (dgram.isEmpty())
        return {};
    return d->decryptDatagram(socket, dgram);
}

QDtlsError QDtls::dtlsError() const
{
    return QDtlsPrivate::get(this)->error;
}

QString QDtls::dtlsErrorString() const
{
    return QDtlsPrivate::get(this)->errorString;
}

QList<QSslError> QDtls::peerVerificationErrors() const
{
    return QDtlsPrivate::get(this)->verificationErrors;
}

void QDtls::ignoreVerificationErrors(const QList<QSslError> &errorsToIgnore)
{
    QDtlsPrivate::get(this)->errorsToIgnore = QtOwnSsl::ours(errorsToIgnore);
}

QT_END_NAMESPACE
