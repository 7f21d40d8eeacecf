// qssl-rs: QSslServer. Accepts TCP connections as our QSslSocket and hands them out once they
// are encrypted. Qt's own QSslServer would create Qt's sockets, so it is replaced too.
// SPDX-License-Identifier: MIT OR Apache-2.0
#include <QtNetwork/qsslserver.h>

#include <QtCore/qhash.h>
#include <QtCore/qmutex.h>
#include <QtCore/qtimer.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslsocket.h>

#include "qtownssl_p.h"

namespace {

// The public object has no room of its own (sizeof(QSslServer) == sizeof(QTcpServer)).
struct ServerState
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    int handshakeTimeout = 5000;
};

struct ServerTable
{
    QMutex lock;
    QHash<const QSslServer *, ServerState> servers;
};

ServerTable &serverTable()
{
    static ServerTable table;
    return table;
}

template <typename F>
auto withState(const QSslServer *server, F &&f)
{
    ServerTable &table = serverTable();
    QMutexLocker locker(&table.lock);
    return f(table.servers[server]);
}

// Like Qt, one byte decides: a TLS connection opens with a handshake record (content type 22).
constexpr char handshakeRecord = 0x16;

} // namespace

QSslServer::QSslServer(QObject *parent)
    : QTcpServer(parent)
{
    withState(this, [](ServerState &) {});
}

QSslServer::~QSslServer()
{
    ServerTable &table = serverTable();
    QMutexLocker locker(&table.lock);
    table.servers.remove(this);
}

void QSslServer::setSslConfiguration(const QSslConfiguration &sslConfiguration)
{
    const QSslConfiguration ours = QtOwnSsl::ours(sslConfiguration);
    withState(this, [&](ServerState &state) { state.configuration = ours; });
}

QSslConfiguration QSslServer::sslConfiguration() const
{
    return withState(this, [](ServerState &state) { return state.configuration; });
}

void QSslServer::setHandshakeTimeout(int timeout)
{
    // Qt 6.4 stores any value; a negative one leaves the timer unstarted (QTimer warns).
    withState(this, [&](ServerState &state) { state.handshakeTimeout = timeout; });
}

int QSslServer::handshakeTimeout() const
{
    return withState(this, [](ServerState &state) { return state.handshakeTimeout; });
}

void QSslServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QSslSocket(this);
    socket->setSslConfiguration(sslConfiguration());
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }

    connect(socket, &QSslSocket::peerVerifyError, this,
            [this, socket](const QSslError &error) { emit peerVerifyError(socket, error); });
    connect(socket, &QSslSocket::sslErrors, this,
            [this, socket](const QList<QSslError> &errors) { emit sslErrors(socket, errors); });
    connect(socket, &QAbstractSocket::errorOccurred, this,
            [this, socket](QAbstractSocket::SocketError error) {
                emit errorOccurred(socket, error);
                if (!socket->isEncrypted())
                    socket->deleteLater();
            });
    connect(socket, &QSslSocket::preSharedKeyAuthenticationRequired, this,
            [this, socket](QSslPreSharedKeyAuthenticator *authenticator) {
                emit preSharedKeyAuthenticationRequired(socket, authenticator);
            });
    connect(socket, &QSslSocket::alertSent, this,
            [this, socket](QSsl::AlertLevel level, QSsl::AlertType type, const QString &description) {
                emit alertSent(socket, level, type, description);
            });
    connect(socket, &QSslSocket::alertReceived, this,
            [this, socket](QSsl::AlertLevel level, QSsl::AlertType type, const QString &description) {
                emit alertReceived(socket, level, type, description);
            });
    connect(socket, &QSslSocket::handshakeInterruptedOnError, this,
            [this, socket](const QSslError &error) { emit handshakeInterruptedOnError(socket, error); });

    // A client that never completes its handshake is dropped after handshakeTimeout().
    auto *timeout = new QTimer(socket);
    timeout->setSingleShot(true);
    connect(timeout, &QTimer::timeout, this, [this, socket] {
        socket->disconnectFromHost();
        emit errorOccurred(socket, QAbstractSocket::SocketTimeoutError);
        socket->deleteLater();
    });
    timeout->start(handshakeTimeout());

    // The handshake starts once the client's first bytes show that it speaks TLS.
    auto startHandshake = std::make_shared<QMetaObject::Connection>();
    auto checkClientHello = [this, socket, startHandshake, timeout] {
        if (socket->bytesAvailable() <= 0)
            return;
        char first = 0;
        if (socket->peek(&first, 1) != 1) {
            socket->deleteLater();
            return;
        }
        QObject::disconnect(*startHandshake);
        if (first != handshakeRecord) {
            socket->disconnectFromHost();
            socket->deleteLater();
            return;
        }
        // Some progress: the client gets the full timeout again (as in Qt).
        timeout->start();
        // Qt announces the handshake once startServerEncryption() has returned.
        socket->startServerEncryption();
        emit startedEncryptionHandshake(socket);
    };
    *startHandshake = connect(socket, &QIODevice::readyRead, this, checkClientHello);
    connect(socket, &QSslSocket::encrypted, this, [this, socket, timeout] {
        timeout->stop();
        timeout->deleteLater();
        // The socket now belongs to the application: nothing more is forwarded (Qt does the same).
        socket->disconnect(this);
        addPendingConnection(socket);
    });
    // The ClientHello may have arrived with the connection itself.
    if (socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, checkClientHello, Qt::QueuedConnection);
}
