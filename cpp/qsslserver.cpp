// qssl-rs: QSslServer. Accepts TCP connections as our QSslSocket and hands them out once they
// are encrypted. Qt's own QSslServer would create Qt's sockets, so it is replaced too.
// SPDX-License-Identifier: MIT OR Apache-2.0
#include <QtNetwork/qsslserver.h>

#include <QtCore/qpointer.h>
#include <QtCore/qtimer.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslsocket.h>

#include "qsslrssidetable_p.h"
#include "qsslsocket_p.h"
#include "qtownssl_p.h"

#include <optional>
#include <unistd.h>

namespace {

// The public object has no room of its own (sizeof(QSslServer) == sizeof(QTcpServer)).
struct ServerState
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    int handshakeTimeout = 5000;
    // Qt counts connections still in their handshake against maxPendingConnections(), so idle
    // clients cannot push past it. One accepted while that count is full waits here, as it would
    // in the listen backlog, until a connection leaves.
    int handshaking = 0;
    int pending = 0; // handed to QTcpServer and not taken, as far as nextPendingConnection() saw
    QList<qintptr> waiting;
    QPointer<QTimer> roomCheck;
};

using ServerTable = QSslRs::SideTable<QSslServer, ServerState>;
Q_GLOBAL_STATIC(ServerTable, serverTable)

// Runs `f` on the server's state (a throwaway default one for a server that is not ours).
template <typename F>
auto withState(const QSslServer *server, F &&f)
{
    const ServerTable *table = serverTable();   // null once static destruction has begun
    if (ServerState *state = table ? table->find(server) : nullptr)
        return f(*state);
    ServerState unknown;
    return f(unknown);
}

// A connection that waits for room, taken out when there is room for it (nullopt otherwise).
std::optional<qintptr> takeWaiting(QSslServer *server)
{
    // A relinked app may take pending connections past our nextPendingConnection() (a call on a
    // QSslServer object is bound at compile time to QTcpServer's): none left means none pending.
    const bool nonePending = !server->hasPendingConnections();
    return withState(server, [&](ServerState &state) -> std::optional<qintptr> {
        if (nonePending)
            state.pending = 0;
        if (state.waiting.isEmpty()
            || state.handshaking + state.pending >= server->maxPendingConnections()) {
            return std::nullopt;
        }
        return state.waiting.takeFirst();
    });
}

// Lets waiting connections in while there is room (`admit` is QSslServer::incomingConnection),
// then resumes accepting if room is left; a closed server drops them, as it drops its backlog.
template <typename Admit>
void makeRoom(QSslServer *server, Admit admit)
{
    if (!server->isListening()) {
        withState(server, [](ServerState &state) {
            for (qintptr descriptor : std::as_const(state.waiting))
                ::close(int(descriptor));
            state.waiting.clear();
        });
    }
    while (const std::optional<qintptr> descriptor = takeWaiting(server))
        admit(*descriptor);
    const auto [room, waiting, check] = withState(server, [server](ServerState &state) {
        return std::tuple(state.handshaking + state.pending < server->maxPendingConnections(),
                          !state.waiting.isEmpty(), state.roomCheck);
    });
    if (!waiting && check)
        check->stop();
    if (room && !waiting && server->isListening())
        server->resumeAccepting();
}

// While connections wait, their room is looked for regularly too: a pending connection taken
// past nextPendingConnection() frees one without telling us.
template <typename Admit>
void startRoomCheck(QSslServer *server, Admit admit)
{
    QPointer<QTimer> check = withState(server, [](ServerState &state) { return state.roomCheck; });
    if (!check) {
        check = new QTimer(server);
        check->setInterval(100);
        QObject::connect(check, &QTimer::timeout, server, [server, admit] { makeRoom(server, admit); });
        withState(server, [&](ServerState &state) { state.roomCheck = check; });
    }
    check->start();
}

// Like Qt, one byte decides: a TLS connection opens with a handshake record (content type 22).
constexpr char handshakeRecord = 0x16;

} // namespace

QSslServer::QSslServer(QObject *parent)
    : QTcpServer(parent)
{
    if (ServerTable *table = serverTable())
        table->insert(this, std::make_unique<ServerState>());
}

QSslServer::~QSslServer()
{
    ServerTable *table = serverTable();
    if (const std::unique_ptr<ServerState> state = table ? table->take(this) : nullptr) {
        for (qintptr descriptor : std::as_const(state->waiting))
            ::close(int(descriptor));
    }
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
    const bool nonePending = !hasPendingConnections();
    const bool full = withState(this, [&](ServerState &state) {
        if (nonePending)
            state.pending = 0;
        if (state.handshaking + state.pending < maxPendingConnections()) {
            ++state.handshaking;
            return false;
        }
        state.waiting.append(descriptor);
        return true;
    });
    const auto admit = [this](qintptr waiting) { incomingConnection(waiting); };
    if (full) {
        pauseAccepting();
        startRoomCheck(this, admit);
        return;
    }

    auto *socket = new QSslSocket(this);
    QSslSocketPrivate::get(socket)->acceptedByServer = true;
    socket->setSslConfiguration(sslConfiguration());
    // Until it is encrypted, the connection counts against maxPendingConnections(); when it
    // leaves before that (dropped, timed out, deleted), a waiting one may come in.
    connect(socket, &QObject::destroyed, this, [this, admit] {
        withState(this, [](ServerState &state) { --state.handshaking; });
        makeRoom(this, admit);
    });
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
                const QPointer<QSslSocket> alive(socket); // a slot may delete it
                emit errorOccurred(socket, error);
                if (alive && !socket->isEncrypted())
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

    // A client that never completes its handshake is dropped after handshakeTimeout(). Unlike
    // Qt's (which leaves "Unknown error"), the socket says why.
    auto *timeout = new QTimer(socket);
    timeout->setSingleShot(true);
    connect(timeout, &QTimer::timeout, this, [this, socket, timeout] {
        // Named in the text: the peer's address is gone once disconnected, as in Qt.
        const QString peer = QStringLiteral("%1:%2").arg(socket->peerAddress().toString()).arg(socket->peerPort());
        const int interval = timeout->interval();
        const QPointer<QSslSocket> alive(socket); // a slot of any signal below may delete it
        socket->disconnectFromHost();
        if (!alive)
            return;
        QSslSocketPrivate::get(socket)->setError(
                QAbstractSocket::SocketTimeoutError,
                QSslSocket::tr("The TLS handshake with %1 did not complete within %2 ms").arg(peer).arg(interval));
        emit errorOccurred(socket, QAbstractSocket::SocketTimeoutError);
        if (alive)
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
        const QPointer<QSslSocket> alive(socket); // a slot of any signal below may delete it
        if (first != handshakeRecord) {
            socket->disconnectFromHost();
            if (alive)
                socket->deleteLater();
            return;
        }
        // Some progress: the client gets the full timeout again (as in Qt).
        timeout->start();
        // Qt announces the handshake once startServerEncryption() has returned.
        socket->startServerEncryption();
        if (alive)
            emit startedEncryptionHandshake(socket);
    };
    *startHandshake = connect(socket, &QIODevice::readyRead, this, checkClientHello);
    connect(socket, &QSslSocket::encrypted, this, [this, socket, timeout] {
        timeout->stop();
        timeout->deleteLater();
        // The socket now belongs to the application: nothing more is forwarded (Qt does the same).
        socket->disconnect(this);
        withState(this, [](ServerState &state) {
            --state.handshaking;
            ++state.pending;
        });
        // Deleted before the application takes it (even from its own encrypted() slot, which
        // runs after this one): QTcpServer must not keep it, or close() deletes it again. Its
        // list has no call for that: it is emptied and the others put back, quietly, since
        // they were announced already.
        connect(socket, &QObject::destroyed, this, [this, socket] {
            const QSignalBlocker quiet(this);
            QList<QTcpSocket *> others;
            while (QTcpSocket *pending = QTcpServer::nextPendingConnection()) {
                if (pending != socket)
                    others.append(pending);
            }
            for (QTcpSocket *pending : std::as_const(others))
                addPendingConnection(pending);
            withState(this, [&](ServerState &state) { state.pending = int(others.size()); });
        });
        addPendingConnection(socket);
    });
    // The ClientHello may have arrived with the connection itself.
    if (socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, checkClientHello, Qt::QueuedConnection);
}

// Not in Qt's header (an override of QTcpServer's virtual): a taken connection frees room.
QTcpSocket *QSslServer::nextPendingConnection()
{
    QTcpSocket *socket = QTcpServer::nextPendingConnection();
    if (socket) {
        withState(this, [](ServerState &state) { state.pending = qMax(0, state.pending - 1); });
        makeRoom(this, [this](qintptr waiting) { incomingConnection(waiting); });
    }
    return socket;
}
