// qssl-rs: QSslServer, API-identical to Qt 6.4's.
// SPDX-License-Identifier: MIT OR Apache-2.0

#ifndef QSSLSERVER_H
#define QSSLSERVER_H

#include <QtNetwork/QTcpServer>

QT_REQUIRE_CONFIG(ssl);

#include <QtNetwork/qsslerror.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslpresharedkeyauthenticator.h>
#include <QtNetwork/qsslsocket.h>

#include <QtCore/QList>

QT_BEGIN_NAMESPACE

class QSslSocket;
class QSslServerPrivate;

class Q_NETWORK_EXPORT QSslServer : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QSslServer)

public:
    explicit QSslServer(QObject *parent = nullptr);
    ~QSslServer() override;

    void setSslConfiguration(const QSslConfiguration &sslConfiguration);
    QSslConfiguration sslConfiguration() const;

    void setHandshakeTimeout(int timeout);
    int handshakeTimeout() const;

    // Not declared by Qt 6.4 (the virtual is QTcpServer's): the pending limit counts the
    // connections still in their handshake, as Qt's does, and a taken one frees room.
    QTcpSocket *nextPendingConnection() override;

Q_SIGNALS:
    void sslErrors(QSslSocket *socket, const QList<QSslError> &errors);
    void peerVerifyError(QSslSocket *socket, const QSslError &error);
    void errorOccurred(QSslSocket *socket, QAbstractSocket::SocketError error);
    void preSharedKeyAuthenticationRequired(QSslSocket *socket,
                                            QSslPreSharedKeyAuthenticator *authenticator);
    void alertSent(QSslSocket *socket, QSsl::AlertLevel level,
                   QSsl::AlertType type, const QString &description);
    void alertReceived(QSslSocket *socket, QSsl::AlertLevel level,
                       QSsl::AlertType type, const QString &description);
    void handshakeInterruptedOnError(QSslSocket *socket, const QSslError &error);
    void startedEncryptionHandshake(QSslSocket *socket);

protected:
    void incomingConnection(qintptr socket) override;

private:
    Q_DECLARE_PRIVATE(QSslServer)
};

QT_END_NAMESPACE

#endif // QSSLSERVER_H
