// qssl-rs QML module: the C++ side of SslSocket and SslServer. It drives qssl-rs's QSslSocket and
// QSslServer and hands the Rust QML objects simple signals. Not API.
// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <QtCore/qbytearray.h>
#include <QtCore/qobject.h>
#include <QtCore/qpointer.h>
#include <QtCore/qstring.h>
#include <QtCore/qstringlist.h>
#include <QtCore/qurl.h>
#include <QtCore/qvariant.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslserver.h>
#include <QtNetwork/qsslsocket.h>

#include <cstdint>
#include <memory>

namespace qsslrs_qml {

// The certificates and key a socket or server uses, loaded from PEM files named by URLs (a local
// file, or a qrc: resource). Empty URLs leave Qt's defaults (the system's roots).
struct Identity
{
    QSslConfiguration configuration;
    QString error; // why a file could not be used; empty when all could
};
Identity loadIdentity(QSslConfiguration base, const QUrl &caCertificates, const QUrl &certificate,
                      const QUrl &privateKey);

} // namespace qsslrs_qml

// (The classes are outside the namespace: cxx-qt 0.10 names a C++Qt type unqualified when it
// connects to its signals.)
// One TLS connection, client or server side.
class SslSocketLink : public QObject
{
    Q_OBJECT
public:
    SslSocketLink();
    // A server-side socket that is already encrypted.
    explicit SslSocketLink(QSslSocket *encrypted);
    ~SslSocketLink() override;

    // Client: connects and starts the handshake. False (with errorString) when a file is bad.
    bool open(const QString &host, int port, const QString &peerVerifyName, const QUrl &caCertificates,
              const QUrl &localCertificate, const QUrl &privateKey);
    void close();
    void abort();
    std::int64_t send(const QByteArray &data);
    // After sslErrorsFound: go on (the handler ignored them) or fail.
    void continueAfterSslErrors(bool ignore);

    bool isEncrypted() const;
    bool isOpen() const { return socket->state() != QAbstractSocket::UnconnectedState; }
    QString protocolName() const;
    QString cipherName() const;
    QVariantMap peerCertificate() const;
    QString errorString() const { return lastError; }

Q_SIGNALS:
    void encrypted();
    void received(const QByteArray &data);
    // The handshake waits: call continueAfterSslErrors().
    void sslErrorsFound(const QStringList &errors);
    void failed(const QString &reason);
    void closed();

private:
    void watch();
    void fail(const QString &reason);

    std::unique_ptr<QSslSocket> socket;
    QString lastError;
    bool failedAlready = false;
};

// A listening QSslServer; each encrypted connection comes out as an SslSocketLink.
class SslServerLink : public QObject
{
    Q_OBJECT
public:
    SslServerLink();
    ~SslServerLink() override;

    // False (with errorString) when a file is bad or the address cannot be listened on.
    bool listen(const QString &address, int port, const QUrl &certificate, const QUrl &privateKey,
                const QUrl &caCertificates);
    void stop();
    int port() const;
    QString errorString() const { return lastError; }
    // The next connection that came out of newConnectionReady; null when none is left.
    std::unique_ptr<SslSocketLink> takeConnection();

Q_SIGNALS:
    void newConnectionReady();

private:
    QSslServer server;
    QString lastError;
};

namespace qsslrs_qml {

// Free functions the Rust bridge calls.
std::unique_ptr<SslSocketLink> newSocketLink();
std::unique_ptr<SslServerLink> newServerLink();

} // namespace qsslrs_qml

