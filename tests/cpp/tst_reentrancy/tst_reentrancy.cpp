// Deleting, aborting or disconnecting a socket from a slot of each of its signals, on the client
// and on the server side, ends the connection without a crash (the suite also runs under ASan).
#include <QtCore/qpointer.h>
#include <QtCore/qtimer.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslkey.h>
#include <QtNetwork/qsslpresharedkeyauthenticator.h>
#include <QtNetwork/qsslserver.h>
#include <QtNetwork/qsslsocket.h>
#include <QtTest/qtest.h>

#include <functional>

namespace {

QString certsDir()
{
    return qEnvironmentVariable("QSSLRS_TEST_CERTS");
}

enum class Action { Delete, Abort, Disconnect };

// The signals that a slot can act from, as names for the test data. Each connects `act` to one
// signal of `socket`.
using Hook = std::function<void(QSslSocket *socket, const std::function<void()> &act)>;

struct Signal
{
    const char *name;
    Hook hook;
};

template <typename... Args>
Hook on(void (QSslSocket::*signal)(Args...))
{
    return [signal](QSslSocket *socket, const std::function<void()> &act) {
        QObject::connect(socket, signal, socket, [act](Args...) { act(); }, Qt::DirectConnection);
    };
}

template <typename... Args>
Hook onBase(void (QAbstractSocket::*signal)(Args...))
{
    return [signal](QSslSocket *socket, const std::function<void()> &act) {
        QObject::connect(socket, signal, socket, [act](Args...) { act(); }, Qt::DirectConnection);
    };
}

template <typename... Args>
Hook onDevice(void (QIODevice::*signal)(Args...))
{
    return [signal](QSslSocket *socket, const std::function<void()> &act) {
        QObject::connect(socket, signal, socket, [act](Args...) { act(); }, Qt::DirectConnection);
    };
}

const Signal signalsToTry[] = {
    {"stateChanged", onBase(&QAbstractSocket::stateChanged)},
    {"connected", onBase(&QAbstractSocket::connected)},
    {"modeChanged", on(&QSslSocket::modeChanged)},
    {"peerVerifyError", on(&QSslSocket::peerVerifyError)},
    {"sslErrors", on(&QSslSocket::sslErrors)},
    {"handshakeInterruptedOnError", on(&QSslSocket::handshakeInterruptedOnError)},
    {"preSharedKeyAuthenticationRequired", on(&QSslSocket::preSharedKeyAuthenticationRequired)},
    {"alertSent", on(&QSslSocket::alertSent)},
    {"alertReceived", on(&QSslSocket::alertReceived)},
    {"encrypted", on(&QSslSocket::encrypted)},
    {"newSessionTicketReceived", on(&QSslSocket::newSessionTicketReceived)},
    {"readyRead", onDevice(&QIODevice::readyRead)},
    {"bytesWritten", onDevice(&QIODevice::bytesWritten)},
    {"encryptedBytesWritten", on(&QSslSocket::encryptedBytesWritten)},
    {"errorOccurred", onBase(&QAbstractSocket::errorOccurred)},
    {"disconnected", onBase(&QAbstractSocket::disconnected)},
};

// QSslServer's own signals, each with the socket it concerns (pendingConnectionAvailable: the one
// nextPendingConnection() returns; newConnection comes before any socket can be taken).
using ServerHook = std::function<void(QSslServer *server, const std::function<void(QSslSocket *)> &act)>;

struct ServerSignal
{
    const char *name;
    ServerHook hook;
};

template <typename... Args>
ServerHook onServer(void (QSslServer::*signal)(QSslSocket *, Args...))
{
    return [signal](QSslServer *server, const std::function<void(QSslSocket *)> &act) {
        QObject::connect(server, signal, server, [act](QSslSocket *socket, Args...) { act(socket); },
                         Qt::DirectConnection);
    };
}

template <typename... Args>
ServerHook onTaken(void (QTcpServer::*signal)(Args...))
{
    return [signal](QSslServer *server, const std::function<void(QSslSocket *)> &act) {
        QObject::connect(server, signal, server, [server, act](Args...) {
            if (auto *socket = qobject_cast<QSslSocket *>(server->nextPendingConnection()))
                act(socket);
        }, Qt::DirectConnection);
    };
}

const ServerSignal serverSignalsToTry[] = {
    {"startedEncryptionHandshake", onServer(&QSslServer::startedEncryptionHandshake)},
    {"peerVerifyError", onServer(&QSslServer::peerVerifyError)},
    {"sslErrors", onServer(&QSslServer::sslErrors)},
    {"handshakeInterruptedOnError", onServer(&QSslServer::handshakeInterruptedOnError)},
    {"preSharedKeyAuthenticationRequired", onServer(&QSslServer::preSharedKeyAuthenticationRequired)},
    {"alertSent", onServer(&QSslServer::alertSent)},
    {"alertReceived", onServer(&QSslServer::alertReceived)},
    {"errorOccurred", onServer(&QSslServer::errorOccurred)},
    {"pendingConnectionAvailable", onTaken(&QTcpServer::pendingConnectionAvailable)},
};

// What the connection is made of, chosen so that each signal above is emitted at least once:
// the server verifies the client (whose certificate it does not trust) in ServerVerifies and
// ServerInterrupted; in ClientRejects the client does not ignore its errors (and sends an alert).
enum class Setup { Certificates, Psk, Interrupted, ServerVerifies, ServerInterrupted, ClientRejects };

} // namespace

class tst_Reentrancy : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void actFromSignal_data();
    void actFromSignal();
    void actFromServerSignal_data();
    void actFromServerSignal();

private:
    using Act = std::function<void(QSslSocket *)>;
    void connectOnce(Setup setup, Action action, const std::function<void(QSslServer &, const Act &)> &armServer,
                     const std::function<void(QSslSocket *client, QSslSocket *serverSide, const Act &)> &armSockets);
    QSslConfiguration serverConfiguration(Setup setup) const;
    QSslConfiguration clientConfiguration(Setup setup) const;
    QSslCertificate serverCertificate;
    QSslKey serverKey;
};

void tst_Reentrancy::initTestCase()
{
    QVERIFY2(!certsDir().isEmpty(), "QSSLRS_TEST_CERTS is not set");
    serverCertificate = QSslCertificate::fromPath(certsDir() + QStringLiteral("/selfsigned.pem")).value(0);
    QFile keyFile(certsDir() + QStringLiteral("/selfsigned.key"));
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    serverKey = QSslKey(&keyFile, QSsl::Ec);
    if (serverKey.isNull()) {
        keyFile.seek(0);
        serverKey = QSslKey(&keyFile, QSsl::Rsa);
    }
    QVERIFY(!serverCertificate.isNull());
    QVERIFY(!serverKey.isNull());
}

QSslConfiguration tst_Reentrancy::serverConfiguration(Setup setup) const
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    if (setup == Setup::ServerVerifies || setup == Setup::ServerInterrupted) {
        configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
        configuration.setCaCertificates({});
        configuration.setHandshakeMustInterruptOnError(setup == Setup::ServerInterrupted);
    }
    if (setup == Setup::Psk) {
        configuration.setProtocol(QSsl::TlsV1_2);
        configuration.setCiphers(QStringLiteral("PSK-AES128-GCM-SHA256"));
    } else {
        configuration.setLocalCertificate(serverCertificate);
        configuration.setPrivateKey(serverKey);
    }
    return configuration;
}

QSslConfiguration tst_Reentrancy::clientConfiguration(Setup setup) const
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates({});
    switch (setup) {
    case Setup::Certificates:
    case Setup::ClientRejects:
        break;
    case Setup::Psk:
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
        configuration.setProtocol(QSsl::TlsV1_2);
        configuration.setCiphers(QStringLiteral("PSK-AES128-GCM-SHA256"));
        break;
    case Setup::Interrupted:
        configuration.setHandshakeMustInterruptOnError(true);
        break;
    case Setup::ServerVerifies:
    case Setup::ServerInterrupted:
        configuration.setLocalCertificate(serverCertificate);
        configuration.setPrivateKey(serverKey);
        break;
    }
    return configuration;
}

void tst_Reentrancy::actFromSignal_data()
{
    QTest::addColumn<int>("signalIndex");
    QTest::addColumn<bool>("onServer");
    QTest::addColumn<Action>("action");
    QTest::addColumn<Setup>("setup");
    const std::pair<Action, const char *> actions[] = {
        {Action::Delete, "delete"}, {Action::Abort, "abort"}, {Action::Disconnect, "disconnectFromHost"}};
    const std::pair<Setup, const char *> setups[] = {
        {Setup::Certificates, "certificates"}, {Setup::Psk, "PSK"}, {Setup::Interrupted, "interrupted"}};
    for (int i = 0; i < int(std::size(signalsToTry)); ++i) {
        for (const bool onServer : {false, true}) {
            for (const auto &[action, actionName] : actions) {
                for (const auto &[setup, setupName] : setups) {
                    QTest::addRow("%s %s %s, %s", onServer ? "server" : "client", actionName,
                                  signalsToTry[i].name, setupName)
                            << i << onServer << action << setup;
                }
            }
        }
    }
}

void tst_Reentrancy::actFromSignal()
{
    QFETCH(int, signalIndex);
    QFETCH(bool, onServer);
    QFETCH(Action, action);
    QFETCH(Setup, setup);
    const Hook &hook = signalsToTry[signalIndex].hook;
    connectOnce(setup, action, [](QSslServer &, const Act &) {},
                [&](QSslSocket *client, QSslSocket *serverSide, const Act &act) {
                    QSslSocket *socket = onServer ? serverSide : client;
                    if (socket)
                        hook(socket, [act, socket] { act(socket); });
                });
}

void tst_Reentrancy::actFromServerSignal_data()
{
    QTest::addColumn<int>("signalIndex");
    QTest::addColumn<Action>("action");
    QTest::addColumn<Setup>("setup");
    const std::pair<Action, const char *> actions[] = {
        {Action::Delete, "delete"}, {Action::Abort, "abort"}, {Action::Disconnect, "disconnectFromHost"}};
    const std::pair<Setup, const char *> setups[] = {
        {Setup::Certificates, "certificates"}, {Setup::Psk, "PSK"},
        {Setup::ServerVerifies, "server verifies"}, {Setup::ServerInterrupted, "server interrupted"},
        {Setup::ClientRejects, "client rejects"}};
    for (int i = 0; i < int(std::size(serverSignalsToTry)); ++i) {
        for (const auto &[action, actionName] : actions) {
            for (const auto &[setup, setupName] : setups) {
                QTest::addRow("%s from QSslServer::%s, %s", actionName, serverSignalsToTry[i].name, setupName)
                        << i << action << setup;
            }
        }
    }
}

void tst_Reentrancy::actFromServerSignal()
{
    QFETCH(int, signalIndex);
    QFETCH(Action, action);
    QFETCH(Setup, setup);
    const ServerHook &hook = serverSignalsToTry[signalIndex].hook;
    connectOnce(setup, action, [&](QSslServer &server, const Act &act) { hook(&server, act); },
                [](QSslSocket *, QSslSocket *, const Act &) {});
}

// One client connects through a QSslServer; `armServer` hooks the server before it listens,
// `armSockets` the client (server side: null) and then each server socket as its handshake starts.
// `act` applies the action once. Done when both ends are gone or unconnected, without a crash.
void tst_Reentrancy::connectOnce(Setup setup, Action action,
                                 const std::function<void(QSslServer &, const Act &)> &armServer,
                                 const std::function<void(QSslSocket *, QSslSocket *, const Act &)> &armSockets)
{
    QSslServer server;
    server.setSslConfiguration(serverConfiguration(setup));
    server.setHandshakeTimeout(2000);
    const auto answerPsk = [](QSslPreSharedKeyAuthenticator *authenticator) {
        authenticator->setIdentity("id");
        authenticator->setPreSharedKey("0123456789");
    };
    QObject::connect(&server, &QSslServer::preSharedKeyAuthenticationRequired, &server,
                     [answerPsk](QSslSocket *, QSslPreSharedKeyAuthenticator *authenticator) { answerPsk(authenticator); });
    // An interrupted server handshake goes on (unless a slot acted on the socket first).
    QObject::connect(&server, &QSslServer::handshakeInterruptedOnError, &server, [](QSslSocket *socket) {
        socket->ignoreSslErrors();
        socket->continueInterruptedHandshake();
    });

    int actions = 0;
    const Act act = [&actions, action](QSslSocket *socket) {
        // Once: a slot that deleted its socket is not called again.
        if (actions++ > 0)
            return;
        switch (action) {
        case Action::Delete:
            delete socket;
            break;
        case Action::Abort:
            socket->abort();
            break;
        case Action::Disconnect:
            socket->disconnectFromHost();
            break;
        }
    };

    auto *client = new QSslSocket;
    QPointer<QSslSocket> clientAlive(client);
    client->setSslConfiguration(clientConfiguration(setup));
    QObject::connect(client, &QSslSocket::preSharedKeyAuthenticationRequired, client, answerPsk);
    QObject::connect(client, &QSslSocket::handshakeInterruptedOnError, client, [client] {
        client->ignoreSslErrors();
        client->continueInterruptedHandshake();
    });
    if (setup != Setup::ClientRejects)
        QObject::connect(client, &QSslSocket::sslErrors, client, [client] { client->ignoreSslErrors(); });
    QObject::connect(client, &QSslSocket::encrypted, client, [client] { client->write("ping\n"); });

    QPointer<QSslSocket> serverSide;
    QObject::connect(&server, &QSslServer::startedEncryptionHandshake, &server, [&](QSslSocket *socket) {
        serverSide = socket;
        QObject::connect(socket, &QIODevice::readyRead, socket, [socket] { socket->write(socket->readAll()); });
        armSockets(nullptr, socket, act);
    });
    armServer(server, act);
    // As an application does: the connection is taken once it is ready (a slot that took it
    // already leaves nothing).
    QObject::connect(&server, &QSslServer::pendingConnectionAvailable, &server, [&] { server.nextPendingConnection(); });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    armSockets(client, nullptr, act);
    QObject::connect(client, &QIODevice::readyRead, client, [client] {
        client->readAll();
        client->disconnectFromHost();
    });

    client->connectToHostEncrypted(QStringLiteral("localhost"), server.serverPort());
    const auto finished = [&] {
        const bool clientDone = !clientAlive || clientAlive->state() == QAbstractSocket::UnconnectedState;
        const bool serverDone = !serverSide || serverSide->state() == QAbstractSocket::UnconnectedState;
        return clientDone && serverDone;
    };
    QTRY_VERIFY_WITH_TIMEOUT(finished(), 10000);
    delete clientAlive.data();
    // Let deferred deletions run.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QTest::qWait(10);
    if (actions == 0)
        qInfo("signal not emitted in this setup");
}

QTEST_GUILESS_MAIN(tst_Reentrancy)
#include "tst_reentrancy.moc"
