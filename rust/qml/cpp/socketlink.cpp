// SPDX-License-Identifier: MIT OR Apache-2.0
#include "socketlink.h"

#include <QtCore/qfile.h>
#include <QtNetwork/qhostaddress.h>
#include <QtNetwork/qsslcertificate.h>
#include <QtNetwork/qsslcipher.h>
#include <QtNetwork/qsslkey.h>

namespace qsslrs_qml {

namespace {

// A local file or a qrc: resource.
QString pathOf(const QUrl &url)
{
    if (url.scheme() == QLatin1String("qrc"))
        return QLatin1Char(':') + url.path();
    return url.isLocalFile() ? url.toLocalFile() : url.toString();
}

bool readFile(const QUrl &url, QByteArray &data, QString &error)
{
    QFile file(pathOf(url));
    if (!file.open(QIODevice::ReadOnly)) {
        error = QStringLiteral("cannot read %1: %2").arg(url.toString(), file.errorString());
        return false;
    }
    data = file.readAll();
    return true;
}

QSslKey keyFrom(const QByteArray &pem)
{
    for (const QSsl::KeyAlgorithm algorithm : {QSsl::Ec, QSsl::Rsa, QSsl::Dsa}) {
        const QSslKey key(pem, algorithm);
        if (!key.isNull())
            return key;
    }
    return {};
}

QString commonName(const QStringList &names)
{
    return names.isEmpty() ? QString() : names.constFirst();
}

} // namespace

Identity loadIdentity(QSslConfiguration base, const QUrl &caCertificates, const QUrl &certificate,
                      const QUrl &privateKey)
{
    Identity identity{std::move(base), {}};
    QByteArray data;
    if (!caCertificates.isEmpty()) {
        if (!readFile(caCertificates, data, identity.error))
            return identity;
        const QList<QSslCertificate> cas = QSslCertificate::fromData(data);
        if (cas.isEmpty()) {
            identity.error = QStringLiteral("no PEM certificate in %1").arg(caCertificates.toString());
            return identity;
        }
        identity.configuration.setCaCertificates(cas);
    }
    if (!certificate.isEmpty()) {
        if (!readFile(certificate, data, identity.error))
            return identity;
        const QList<QSslCertificate> chain = QSslCertificate::fromData(data);
        if (chain.isEmpty()) {
            identity.error = QStringLiteral("no PEM certificate in %1").arg(certificate.toString());
            return identity;
        }
        identity.configuration.setLocalCertificateChain(chain);
    }
    if (!privateKey.isEmpty()) {
        if (!readFile(privateKey, data, identity.error))
            return identity;
        const QSslKey key = keyFrom(data);
        if (key.isNull()) {
            identity.error = QStringLiteral("no unencrypted PEM private key in %1").arg(privateKey.toString());
            return identity;
        }
        identity.configuration.setPrivateKey(key);
    }
    return identity;
}

} // namespace qsslrs_qml

using namespace qsslrs_qml;

SslSocketLink::SslSocketLink() : socket(std::make_unique<QSslSocket>())
{
    watch();
}

SslSocketLink::SslSocketLink(QSslSocket *encrypted) : socket(encrypted)
{
    socket->setParent(nullptr);
    watch();
}

SslSocketLink::~SslSocketLink()
{
    // No signal of a socket on its way out reaches the QML object.
    if (socket)
        socket->disconnect(this);
}

void SslSocketLink::watch()
{
    // The QML handler of sslErrors runs after the socket's signal has returned: the handshake
    // waits for it (see continueAfterSslErrors).
    socket->setPauseMode(QAbstractSocket::PauseOnSslErrors);
    QSslSocket *s = socket.get();
    connect(s, &QSslSocket::encrypted, this, &SslSocketLink::encrypted);
    connect(s, &QIODevice::readyRead, this, [this, s] {
        const QByteArray data = s->readAll();
        if (!data.isEmpty())
            emit received(data);
    });
    connect(s, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        QStringList texts;
        for (const QSslError &error : errors)
            texts << error.errorString();
        emit sslErrorsFound(texts);
    });
    connect(s, &QAbstractSocket::errorOccurred, this, [this, s](QAbstractSocket::SocketError error) {
        // A peer that closes a healthy encrypted connection is a close, not a failure.
        if (error == QAbstractSocket::RemoteHostClosedError && s->isEncrypted())
            return;
        fail(s->errorString());
    });
    connect(s, &QAbstractSocket::disconnected, this, [this] {
        if (!failedAlready)
            emit closed();
    });
}

void SslSocketLink::fail(const QString &reason)
{
    if (failedAlready)
        return;
    failedAlready = true;
    lastError = reason;
    emit failed(reason);
}

bool SslSocketLink::open(const QString &host, int port, const QString &peerVerifyName, const QUrl &caCertificates,
                      const QUrl &localCertificate, const QUrl &privateKey)
{
    failedAlready = false;
    lastError.clear();
    // Each connection starts from the defaults: nothing of a previous one carries over.
    Identity identity = loadIdentity(QSslConfiguration::defaultConfiguration(), caCertificates, localCertificate,
                                     privateKey);
    if (!identity.error.isEmpty()) {
        lastError = identity.error;
        return false;
    }
    if (port <= 0 || port > 65535) {
        lastError = QStringLiteral("invalid port %1").arg(port);
        return false;
    }
    socket->setSslConfiguration(identity.configuration);
    if (peerVerifyName.isEmpty())
        socket->connectToHostEncrypted(host, quint16(port));
    else
        socket->connectToHostEncrypted(host, quint16(port), peerVerifyName);
    return true;
}

void SslSocketLink::close()
{
    socket->disconnectFromHost();
}

void SslSocketLink::abort()
{
    failedAlready = true; // what follows is no failure to report
    socket->abort();
    emit closed();
}

std::int64_t SslSocketLink::send(const QByteArray &data)
{
    return socket->write(data);
}

void SslSocketLink::continueAfterSslErrors(bool ignore)
{
    if (ignore) {
        socket->ignoreSslErrors();
        socket->resume();
        return;
    }
    const QList<QSslError> errors = socket->sslHandshakeErrors();
    fail(errors.isEmpty() ? QStringLiteral("The peer's certificate was rejected")
                          : errors.constFirst().errorString());
    socket->abort();
}

bool SslSocketLink::isEncrypted() const
{
    return socket->isEncrypted();
}

QString SslSocketLink::protocolName() const
{
    switch (socket->sessionProtocol()) {
    case QSsl::TlsV1_2:
        return QStringLiteral("TLSv1.2");
    case QSsl::TlsV1_3:
        return QStringLiteral("TLSv1.3");
    default:
        return socket->sessionCipher().protocolString();
    }
}

QString SslSocketLink::cipherName() const
{
    return socket->sessionCipher().name();
}

QVariantMap SslSocketLink::peerCertificate() const
{
    const QSslCertificate certificate = socket->peerCertificate();
    if (certificate.isNull())
        return {};
    QStringList alternativeNames;
    const auto names = certificate.subjectAlternativeNames();
    for (auto it = names.cbegin(); it != names.cend(); ++it)
        alternativeNames << it.value();
    return {
        {QStringLiteral("subject"), commonName(certificate.subjectInfo(QSslCertificate::CommonName))},
        {QStringLiteral("issuer"), commonName(certificate.issuerInfo(QSslCertificate::CommonName))},
        {QStringLiteral("expiryDate"), certificate.expiryDate()},
        {QStringLiteral("subjectAlternativeNames"), alternativeNames},
    };
}

SslServerLink::SslServerLink()
{
    connect(&server, &QSslServer::pendingConnectionAvailable, this, &SslServerLink::newConnectionReady);
}

SslServerLink::~SslServerLink() = default;

bool SslServerLink::listen(const QString &address, int port, const QUrl &certificate, const QUrl &privateKey,
                        const QUrl &caCertificates)
{
    lastError.clear();
    QSslConfiguration base = QSslConfiguration::defaultConfiguration();
    // A server asks for client certificates only when it has CAs to check them against.
    if (!caCertificates.isEmpty())
        base.setPeerVerifyMode(QSslSocket::VerifyPeer);
    Identity identity = loadIdentity(base, caCertificates, certificate, privateKey);
    if (identity.error.isEmpty() && (certificate.isEmpty() || privateKey.isEmpty()))
        identity.error = QStringLiteral("a server needs a certificate and a private key");
    if (!identity.error.isEmpty()) {
        lastError = identity.error;
        return false;
    }
    const QHostAddress host(address);
    if (host.isNull()) {
        lastError = QStringLiteral("invalid address %1").arg(address);
        return false;
    }
    server.setSslConfiguration(identity.configuration);
    if (!server.listen(host, quint16(qBound(0, port, 65535)))) {
        lastError = server.errorString();
        return false;
    }
    return true;
}

void SslServerLink::stop()
{
    server.close();
}

int SslServerLink::port() const
{
    return server.serverPort();
}

std::unique_ptr<SslSocketLink> SslServerLink::takeConnection()
{
    auto *socket = qobject_cast<QSslSocket *>(server.nextPendingConnection());
    return socket ? std::make_unique<SslSocketLink>(socket) : nullptr;
}

namespace qsslrs_qml {

std::unique_ptr<SslSocketLink> newSocketLink()
{
    return std::make_unique<SslSocketLink>();
}

std::unique_ptr<SslServerLink> newServerLink()
{
    return std::make_unique<SslServerLink>();
}

} // namespace qsslrs_qml
