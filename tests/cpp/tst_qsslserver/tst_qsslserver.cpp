// QSslServer's Qt 6.4 API on 127.0.0.1: configuration, handshake timeout, when connections are
// handed out, which signals carry which socket, client certificates, many clients at once.
// Built twice (see RELINK). Clients share the server's event loop: QTRY_*, never waitFor*().
#include <QtCore/qelapsedtimer.h>
#include <QtCore/qfile.h>
#include <QtCore/qpointer.h>
#include <QtNetwork/qsslcipher.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslkey.h>
#include <QtNetwork/qsslserver.h>
#include <QtNetwork/qsslsocket.h>
#include <QtTest/qtest.h>

#include <algorithm>
#include <memory>
#include <vector>

namespace {

QString certsDir()
{
    return qEnvironmentVariable("QSSLRS_TEST_CERTS");
}

QByteArray readFile(const QString &name)
{
    QFile file(certsDir() + u'/' + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QSslKey ecKey(const QString &name)
{
    return QSslKey(readFile(name), QSsl::Ec);
}

QList<QSslCertificate> testCa()
{
    return QSslCertificate::fromData(readFile(QStringLiteral("ca.pem")));
}

QSslConfiguration serverConfiguration(QSslSocket::PeerVerifyMode verifyMode = QSslSocket::AutoVerifyPeer)
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(QSslCertificate::fromData(readFile(QStringLiteral("server.pem"))));
    configuration.setPrivateKey(ecKey(QStringLiteral("server.key")));
    configuration.setPeerVerifyMode(verifyMode);
    configuration.setCaCertificates(testCa());
    return configuration;
}

QSslConfiguration clientConfiguration(bool withCertificate = false)
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates(testCa());
    if (withCertificate) {
        configuration.setLocalCertificateChain(QSslCertificate::fromData(readFile(QStringLiteral("client.pem"))));
        configuration.setPrivateKey(ecKey(QStringLiteral("client.key")));
    }
    return configuration;
}

std::unique_ptr<QSslSocket> startClient(quint16 port, const QSslConfiguration &configuration = clientConfiguration())
{
    auto client = std::make_unique<QSslSocket>();
    client->setSslConfiguration(configuration);
    client->connectToHostEncrypted(QStringLiteral("localhost"), port);
    return client;
}

// A TCP client that says nothing, or whatever it is told: no TLS of its own.
std::unique_ptr<QTcpSocket> startRawClient(quint16 port)
{
    auto client = std::make_unique<QTcpSocket>();
    client->connectToHost(QHostAddress::LocalHost, port);
    return client;
}

QList<QSslSocket *> serverSockets(const QSslServer &server)
{
    return server.findChildren<QSslSocket *>(Qt::FindDirectChildrenOnly);
}

// Everything QSslServer reports about its sockets, recorded as it is emitted.
struct ServerEvents
{
    struct Error
    {
        QPointer<QSslSocket> socket;
        QSslSocket *pointer;
        QAbstractSocket::SocketError error;
        QAbstractSocket::SocketError socketError;
        QString errorString;
    };
    QList<Error> errors;
    QList<QPair<QSslSocket *, QSslError>> peerVerifyErrors;
    QList<QPair<QSslSocket *, QList<QSslError>>> sslErrors;
    QList<QSslSocket *> started;
    QList<QSslSocket::SslMode> modeWhenStarted;
    int newConnection = 0;
    int pendingConnectionAvailable = 0;

    explicit ServerEvents(QSslServer *server)
    {
        QObject::connect(server, &QSslServer::errorOccurred, server,
                         [this](QSslSocket *socket, QAbstractSocket::SocketError error) {
                             errors.append({socket, socket, error, socket->error(), socket->errorString()});
                         });
        QObject::connect(server, &QSslServer::peerVerifyError, server,
                         [this](QSslSocket *socket, const QSslError &error) { peerVerifyErrors.append({socket, error}); });
        QObject::connect(server, &QSslServer::sslErrors, server,
                         [this](QSslSocket *socket, const QList<QSslError> &list) { sslErrors.append({socket, list}); });
        QObject::connect(server, &QSslServer::startedEncryptionHandshake, server, [this](QSslSocket *socket) {
            started.append(socket);
            modeWhenStarted.append(socket->mode());
        });
        QObject::connect(server, &QTcpServer::newConnection, server, [this] { ++newConnection; });
        QObject::connect(server, &QTcpServer::pendingConnectionAvailable, server,
                         [this] { ++pendingConnectionAvailable; });
    }
};

} // namespace

class tst_QSslServer : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void sslConfigurationRoundTrip();
    void handshakeTimeoutDefault();
    void setHandshakeTimeout();
    void setHandshakeTimeoutNegative();
    void connectionPendingOnlyAfterEncrypted();
    void startedEncryptionHandshakeOncePerClient();
    void startedEncryptionHandshakeOnFirstByte();
    void nonTlsClientDropped_data();
    void nonTlsClientDropped();
    void silentClientDroppedAfterTimeout();
    void stalledHandshakeDroppedAfterTimeout();
    void timeoutSparesEncryptedConnections();
    void verifyPeerWithoutClientCertificate();
    void sslErrorsIgnoredFromSlot();
    void handshakeFailureForwarded();
    void clientCertificate();
    void queryPeerWithoutClientCertificate();
    void noForwardingOncePending();
    void manyClients();
    void pendingLimitCountsHandshakes();
    void pendingLimitWaitsForTakenConnections();
};

void tst_QSslServer::initTestCase()
{
    QVERIFY2(!certsDir().isEmpty(), "QSSLRS_TEST_CERTS is not set");
    QVERIFY(!ecKey(QStringLiteral("server.key")).isNull());
    QVERIFY(!ecKey(QStringLiteral("client.key")).isNull());
    QVERIFY(!testCa().isEmpty());
}

void tst_QSslServer::sslConfigurationRoundTrip()
{
    QSslServer server;
    QCOMPARE(server.sslConfiguration(), QSslConfiguration::defaultConfiguration());

    QSslConfiguration configuration = serverConfiguration(QSslSocket::VerifyPeer);
    configuration.setProtocol(QSsl::TlsV1_3);
    configuration.setPeerVerifyDepth(3);
    configuration.setAllowedNextProtocols({QByteArrayLiteral("h2"), QByteArrayLiteral("http/1.1")});
    server.setSslConfiguration(configuration);
    const QSslConfiguration back = server.sslConfiguration();
    QCOMPARE(back, configuration);
    QCOMPARE(back.protocol(), QSsl::TlsV1_3);
    QCOMPARE(back.peerVerifyMode(), QSslSocket::VerifyPeer);
    QCOMPARE(back.peerVerifyDepth(), 3);
    QCOMPARE(back.localCertificate(), configuration.localCertificate());
    QCOMPARE(back.privateKey(), configuration.privateKey());
    QCOMPARE(back.caCertificates(), testCa());

    // Two servers keep their own configurations.
    QSslServer other;
    QCOMPARE(other.sslConfiguration(), QSslConfiguration::defaultConfiguration());
    other.setSslConfiguration(QSslConfiguration());
    QCOMPARE(server.sslConfiguration(), configuration);
    QCOMPARE(other.sslConfiguration(), QSslConfiguration());
}

void tst_QSslServer::handshakeTimeoutDefault()
{
    // Qt 6.4 documents and uses 5000 ms.
    QSslServer server;
    QCOMPARE(server.handshakeTimeout(), 5000);
}

void tst_QSslServer::setHandshakeTimeout()
{
    QSslServer server;
    server.setHandshakeTimeout(1234);
    QCOMPARE(server.handshakeTimeout(), 1234);
    server.setHandshakeTimeout(0);
    QCOMPARE(server.handshakeTimeout(), 0);
    QSslServer other;
    QCOMPARE(other.handshakeTimeout(), 5000);
}

void tst_QSslServer::setHandshakeTimeoutNegative()
{
    QSslServer server;
    server.setHandshakeTimeout(1234);
    server.setHandshakeTimeout(-1);
    // Qt 6.4's setter stores any value (qsslserver.cpp: d->handshakeTimeout = timeout).
    QCOMPARE(server.handshakeTimeout(), -1);
}

void tst_QSslServer::connectionPendingOnlyAfterEncrypted()
{
    QSslServer server;
    server.setSslConfiguration(serverConfiguration());
    server.setHandshakeTimeout(60000);
    ServerEvents events(&server);
    // Qt 6.4's QTcpServer emits newConnection() for every TCP connection it accepts; only
    // pendingConnectionAvailable() says that nextPendingConnection() has something.
    QList<QTcpSocket *> pendingAtNewConnection;
    connect(&server, &QTcpServer::newConnection, &server,
            [&] { pendingAtNewConnection << server.nextPendingConnection(); });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    // A TCP connection alone is not a connection yet.
    auto silent = startRawClient(server.serverPort());
    QTRY_COMPARE_WITH_TIMEOUT(serverSockets(server).size(), 1, 5000);
    QTest::qWait(100);
    QVERIFY(!server.hasPendingConnections());
    QCOMPARE(server.nextPendingConnection(), nullptr);
    QCOMPARE(events.newConnection, 1);
    QCOMPARE(events.pendingConnectionAvailable, 0);

    QSslSocket *handedOut = nullptr;
    bool encryptedWhenAnnounced = false;
    QSslSocket::SslMode modeWhenAnnounced = QSslSocket::UnencryptedMode;
    connect(&server, &QTcpServer::pendingConnectionAvailable, &server, [&] {
        QVERIFY(server.hasPendingConnections());
        handedOut = qobject_cast<QSslSocket *>(server.nextPendingConnection());
        QVERIFY(handedOut);
        encryptedWhenAnnounced = handedOut->isEncrypted();
        modeWhenAnnounced = handedOut->mode();
    });
    auto client = startClient(server.serverPort());
    QTRY_VERIFY_WITH_TIMEOUT(handedOut, 10000);
    QVERIFY(encryptedWhenAnnounced);
    QCOMPARE(modeWhenAnnounced, QSslSocket::SslServerMode);
    QCOMPARE(events.newConnection, 2);
    QCOMPARE(pendingAtNewConnection, (QList<QTcpSocket *>{nullptr, nullptr}));
    QCOMPARE(events.pendingConnectionAvailable, 1);
    QCOMPARE(handedOut->parent(), &server);
    QCOMPARE(handedOut->state(), QAbstractSocket::ConnectedState);
    QCOMPARE(handedOut->peerVerifyMode(), QSslSocket::AutoVerifyPeer);
    QVERIFY(handedOut->peerCertificate().isNull());
    QVERIFY(handedOut->sessionProtocol() != QSsl::UnknownProtocol);
    QVERIFY(!handedOut->sessionCipher().isNull());
    QVERIFY(!server.hasPendingConnections());
    QTRY_VERIFY_WITH_TIMEOUT(client->isEncrypted(), 5000);

    // Data flows both ways over the handed-out socket.
    client->write("ping\n");
    QTRY_VERIFY_WITH_TIMEOUT(handedOut->canReadLine(), 5000);
    QCOMPARE(handedOut->readLine(), QByteArray("ping\n"));
    handedOut->write("pong\n");
    QTRY_VERIFY_WITH_TIMEOUT(client->canReadLine(), 5000);
    QCOMPARE(client->readLine(), QByteArray("pong\n"));

    // The silent client is still not a connection.
    QCOMPARE(events.pendingConnectionAvailable, 1);
    QCOMPARE(silent->state(), QAbstractSocket::ConnectedState);
    delete handedOut;
}

void tst_QSslServer::startedEncryptionHandshakeOncePerClient()
{
    QSslServer server;
    server.setSslConfiguration(serverConfiguration());
    ServerEvents events(&server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    auto first = startClient(server.serverPort());
    auto second = startClient(server.serverPort());
    QTRY_COMPARE_WITH_TIMEOUT(events.pendingConnectionAvailable, 2, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(first->isEncrypted() && second->isEncrypted(), 5000);
    // The handshake carries on over several reads; the signal comes once per client.
    first->write("more data\n");
    second->write("more data\n");
    QTest::qWait(100);
    QCOMPARE(events.started.size(), 2);
    QVERIFY(events.started.at(0) != events.started.at(1));
    // Qt emits it after startServerEncryption(): the socket is already in server mode.
    QCOMPARE(events.modeWhenStarted,
             (QList<QSslSocket::SslMode>{QSslSocket::SslServerMode, QSslSocket::SslServerMode}));
    QList<QTcpSocket *> pending;
    while (QTcpSocket *socket = server.nextPendingConnection())
        pending << socket;
    QCOMPARE(pending.size(), 2);
    for (QSslSocket *socket : std::as_const(events.started))
        QVERIFY(pending.contains(socket));
}

void tst_QSslServer::startedEncryptionHandshakeOnFirstByte()
{
    // Qt looks at one byte: 0x16 (a handshake record) starts the handshake.
    QSslServer server;
    server.setSslConfiguration(serverConfiguration());
    server.setHandshakeTimeout(60000);
    ServerEvents events(&server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    auto raw = startRawClient(server.serverPort());
    QTRY_COMPARE_WITH_TIMEOUT(raw->state(), QAbstractSocket::ConnectedState, 5000);
    raw->write("\x16", 1);
    QTRY_COMPARE_WITH_TIMEOUT(events.started.size(), 1, 3000);
    QCOMPARE(events.modeWhenStarted.value(0), QSslSocket::SslServerMode);
    QCOMPARE(events.pendingConnectionAvailable, 0);
}

void tst_QSslServer::nonTlsClientDropped_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addRow("HTTP request") << QByteArray("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QTest::addRow("one byte") << QByteArray("X");
    QTest::addRow("SSLv2-style hello") << QByteArray::fromHex("802b0103010012000000100000");
    QTest::addRow("alert record") << QByteArray::fromHex("15030300020228");
}

void tst_QSslServer::nonTlsClientDropped()
{
    QFETCH(QByteArray, bytes);
    QSslServer server;
    server.setSslConfiguration(serverConfiguration());
    server.setHandshakeTimeout(60000);
    ServerEvents events(&server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    auto raw = startRawClient(server.serverPort());
    QTRY_COMPARE_WITH_TIMEOUT(raw->state(), QAbstractSocket::ConnectedState, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(serverSockets(server).size(), 1, 5000);
    raw->write(bytes);
    // Dropped at once, long before the handshake timeout, and never handed out.
    QTRY_COMPARE_WITH_TIMEOUT(raw->state(), QAbstractSocket::UnconnectedState, 3000);
    QTRY_COMPARE_WITH_TIMEOUT(serverSockets(server).size(), 0, 3000);
    QVERIFY(raw->readAll().isEmpty()); // not even an alert: no TLS was spoken
    QCOMPARE(events.started.size(), 0);
    QCOMPARE(events.pendingConnectionAvailable, 0);
    QCOMPARE(events.pendingConnectionAvailable, 0);
    QVERIFY(!server.hasPendingConnections());

    // The server carries on serving.
    auto client = startClient(server.serverPort());
    QTRY_VERIFY_WITH_TIMEOUT(client->isEncrypted(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(events.pendingConnectionAvailable, 1, 5000);
}

void tst_QSslServer::silentClientDroppedAfterTimeout()
{
    QSslServer server;
    server.setSslConfiguration(serverConfiguration());
    server.setHandshakeTimeout(300);
    ServerEvents events(&server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    QElapsedTimer elapsed;
    elapsed.start();
    auto raw = startRawClient(server.serverPort());
    QTRY_COMPARE_WITH_TIMEOUT(raw->state(), QAbstractSocket::ConnectedState, 5000);
    const quint16 rawPort = raw->localPort();
    QTRY_COMPARE_WITH_TIMEOUT(raw->state(), QAbstractSocket::UnconnectedState, 5000);
    QVERIFY2(elapsed.elapsed() >= 250, qPrintable(QString::number(elapsed.elapsed())));
    // Qt reports the timeout through errorOccurred(socket, SocketTimeoutError), then deletes it.
    QTRY_COMPARE_WITH_TIMEOUT(events.errors.size(), 1, 1000);
    QCOMPARE(events.errors.at(0).error, QAbstractSocket::SocketTimeoutError);
    // Beyond Qt (whose socket says "Unknown error"): the socket itself says why.
    QCOMPARE(events.errors.at(0).socketError, QAbstractSocket::SocketTimeoutError);
    QCOMPARE(events.errors.at(0).errorString,
             QStringLiteral("The TLS handshake with 127.0.0.1:%1 did not complete within 300 ms").arg(rawPort));
    QTRY_VERIFY_WITH_TIMEOUT(events.errors.at(0).socket.isNull(), 1000);
    QCOMPARE(serverSockets(server).size(), 0);
    QCOMPARE(events.started.size(), 0);
    QCOMPARE(events.pendingConnectionAvailable, 0);
}

void tst_QSslServer::stalledHandshakeDroppedAfterTimeout()
{
    QSslServer server;
    server.setSslConfiguration(serverConfiguration());
    server.setHandshakeTimeout(300);
    ServerEvents events(&server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    auto raw = startRawClient(server.serverPort());
    QTRY_COMPARE_WITH_TIMEOUT(raw->state(), QAbstractSocket::ConnectedState, 5000);
    // A handshake record header announcing 80 bytes that never come.
    raw->write(QByteArray::fromHex("1603010050"));
    QTRY_COMPARE_WITH_TIMEOUT(events.started.size(), 1, 3000);
    QTRY_COMPARE_WITH_TIMEOUT(raw->state(), QAbstractSocket::UnconnectedState, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(events.errors.size(), 1, 1000);
    QCOMPARE(events.errors.at(0).pointer, events.started.at(0));
    QCOMPARE(events.errors.at(0).error, QAbstractSocket::SocketTimeoutError);
    QTRY_COMPARE_WITH_TIMEOUT(serverSockets(server).size(), 0, 1000);
    QCOMPARE(events.pendingConnectionAvailable, 0);
}

void tst_QSslServer::timeoutSparesEncryptedConnections()
{
    QSslServer server;
    server.setSslConfiguration(serverConfiguration());
    server.setHandshakeTimeout(200);
    ServerEvents events(&server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    auto client = startClient(server.serverPort());
    QTRY_VERIFY_WITH_TIMEOUT(server.hasPendingConnections(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(client->isEncrypted(), 5000);
    QTest::qWait(500);
    QCOMPARE(client->state(), QAbstractSocket::ConnectedState);
    QVERIFY(server.hasPendingConnections());
    std::unique_ptr<QTcpSocket> serverSide(server.nextPendingConnection());
    QCOMPARE(serverSide->state(), QAbstractSocket::ConnectedState);
    QVERIFY(events.errors.isEmpty());
}

void tst_QSslServer::verifyPeerWithoutClientCertificate()
{
    QSslServer server;
    server.setSslConfiguration(serverConfiguration(QSslSocket::VerifyPeer));
    ServerEvents events(&server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    auto client = startClient(server.serverPort());
    QTRY_COMPARE_WITH_TIMEOUT(events.errors.size(), 1, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), QAbstractSocket::UnconnectedState, 5000);

    QCOMPARE(events.started.size(), 1);
    QSslSocket *socket = events.started.at(0);
    QCOMPARE(events.peerVerifyErrors.size(), 1);
    QCOMPARE(events.peerVerifyErrors.at(0).first, socket);
    QCOMPARE(events.peerVerifyErrors.at(0).second.error(), QSslError::NoPeerCertificate);
    QCOMPARE(events.sslErrors.size(), 1);
    QCOMPARE(events.sslErrors.at(0).first, socket);
    QCOMPARE(events.sslErrors.at(0).second, QList<QSslError>{QSslError(QSslError::NoPeerCertificate)});
    QCOMPARE(events.errors.at(0).pointer, socket);
    QCOMPARE(events.errors.at(0).error, QAbstractSocket::SslHandshakeFailedError);
    QCOMPARE(events.errors.at(0).socketError, QAbstractSocket::SslHandshakeFailedError);
    QCOMPARE(events.errors.at(0).errorString, QSslError(QSslError::NoPeerCertificate).errorString());
    // A socket that failed its handshake is deleted by the server and never handed out.
    QTRY_VERIFY_WITH_TIMEOUT(events.errors.at(0).socket.isNull(), 1000);
    QCOMPARE(serverSockets(server).size(), 0);
    QCOMPARE(events.pendingConnectionAvailable, 0);
    QVERIFY(!server.hasPendingConnections());
}

void tst_QSslServer::sslErrorsIgnoredFromSlot()
{
    QSslServer server;
    server.setSslConfiguration(serverConfiguration(QSslSocket::VerifyPeer));
    ServerEvents events(&server);
    connect(&server, &QSslServer::sslErrors, &server,
            [](QSslSocket *socket, const QList<QSslError> &) { socket->ignoreSslErrors(); });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    auto client = startClient(server.serverPort());
    QTRY_COMPARE_WITH_TIMEOUT(events.pendingConnectionAvailable, 1, 10000);
    auto *serverSide = qobject_cast<QSslSocket *>(server.nextPendingConnection());
    QVERIFY(serverSide);
    QCOMPARE(events.sslErrors.size(), 1);
    QCOMPARE(events.sslErrors.at(0).first, serverSide);
    QCOMPARE(serverSide->sslHandshakeErrors(), QList<QSslError>{QSslError(QSslError::NoPeerCertificate)});
    QVERIFY(serverSide->isEncrypted());
    QVERIFY(events.errors.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(client->isEncrypted(), 5000);
    delete serverSide;
}

void tst_QSslServer::handshakeFailureForwarded()
{
    // No protocol in common: the TLS failure reaches the server's errorOccurred.
    QSslServer server;
    QSslConfiguration configuration = serverConfiguration();
    configuration.setProtocol(QSsl::TlsV1_3OrLater);
    server.setSslConfiguration(configuration);
    ServerEvents events(&server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    QSslConfiguration clientSide = clientConfiguration();
    clientSide.setProtocol(QSsl::TlsV1_2);
    auto client = startClient(server.serverPort(), clientSide);
    QTRY_COMPARE_WITH_TIMEOUT(events.errors.size(), 1, 10000);
    QCOMPARE(events.started.size(), 1);
    QCOMPARE(events.errors.at(0).pointer, events.started.at(0));
    QCOMPARE(events.errors.at(0).error, QAbstractSocket::SslHandshakeFailedError);
    QVERIFY(!events.errors.at(0).errorString.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(events.errors.at(0).socket.isNull(), 1000);
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), QAbstractSocket::UnconnectedState, 5000);
    QVERIFY(!client->isEncrypted());
    QCOMPARE(events.pendingConnectionAvailable, 0);
}

void tst_QSslServer::clientCertificate()
{
    QSslServer server;
    server.setSslConfiguration(serverConfiguration(QSslSocket::VerifyPeer));
    ServerEvents events(&server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    auto client = startClient(server.serverPort(), clientConfiguration(true));
    QTRY_COMPARE_WITH_TIMEOUT(events.pendingConnectionAvailable, 1, 10000);
    std::unique_ptr<QSslSocket> serverSide(qobject_cast<QSslSocket *>(server.nextPendingConnection()));
    QVERIFY(serverSide);
    QCOMPARE(serverSide->mode(), QSslSocket::SslServerMode);
    const QSslCertificate clientCertificate =
            QSslCertificate::fromData(readFile(QStringLiteral("client.pem"))).value(0);
    QCOMPARE(serverSide->peerCertificate(), clientCertificate);
    QCOMPARE(serverSide->peerCertificate().subjectInfo(QSslCertificate::CommonName),
             QStringList{QStringLiteral("qssl-rs client")});
    QCOMPARE(serverSide->peerCertificateChain().value(0), clientCertificate);
    QCOMPARE(serverSide->sslConfiguration().peerCertificate(), clientCertificate);
    QVERIFY(serverSide->sslHandshakeErrors().isEmpty());
    QVERIFY(events.sslErrors.isEmpty());
    QVERIFY(events.peerVerifyErrors.isEmpty());
    QVERIFY(events.errors.isEmpty());

    QTRY_VERIFY_WITH_TIMEOUT(client->isEncrypted(), 5000);
    QCOMPARE(client->peerCertificate().subjectInfo(QSslCertificate::CommonName),
             QStringList{QStringLiteral("localhost")});
}

void tst_QSslServer::queryPeerWithoutClientCertificate()
{
    for (QSslSocket::PeerVerifyMode mode : {QSslSocket::QueryPeer, QSslSocket::AutoVerifyPeer}) {
        QSslServer server;
        server.setSslConfiguration(serverConfiguration(mode));
        ServerEvents events(&server);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));

        auto client = startClient(server.serverPort());
        QTRY_COMPARE_WITH_TIMEOUT(events.pendingConnectionAvailable, 1, 10000);
        std::unique_ptr<QSslSocket> serverSide(qobject_cast<QSslSocket *>(server.nextPendingConnection()));
        QVERIFY(serverSide);
        QVERIFY(serverSide->peerCertificate().isNull());
        QVERIFY(serverSide->peerCertificateChain().isEmpty());
        QVERIFY(events.sslErrors.isEmpty());
        QVERIFY(events.peerVerifyErrors.isEmpty());
        QVERIFY(events.errors.isEmpty());
    }
}

void tst_QSslServer::noForwardingOncePending()
{
    // Once queued, a socket belongs to the application: the server forwards nothing more and
    // deletes nothing (Qt disconnects its forwarding on encrypted).
    QSslServer server;
    server.setSslConfiguration(serverConfiguration());
    ServerEvents events(&server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    auto client = startClient(server.serverPort());
    QTRY_VERIFY_WITH_TIMEOUT(server.hasPendingConnections(), 10000);
    QPointer<QSslSocket> serverSide = qobject_cast<QSslSocket *>(server.nextPendingConnection());
    QVERIFY(serverSide);
    QTRY_VERIFY_WITH_TIMEOUT(client->isEncrypted(), 5000);
    QList<QAbstractSocket::SocketError> socketErrors;
    connect(serverSide, &QAbstractSocket::errorOccurred, serverSide,
            [&](QAbstractSocket::SocketError error) { socketErrors << error; });

    client->disconnectFromHost();
    QTRY_COMPARE_WITH_TIMEOUT(client->state(), QAbstractSocket::UnconnectedState, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(!serverSide || serverSide->state() == QAbstractSocket::UnconnectedState, 5000);
    QTest::qWait(50);
    QVERIFY2(serverSide, "the server deleted a socket it had handed out");
    QVERIFY(!socketErrors.isEmpty());
    QCOMPARE(socketErrors.constFirst(), QAbstractSocket::RemoteHostClosedError);
    QCOMPARE(events.errors.size(), 0);
    delete serverSide;
}

void tst_QSslServer::manyClients()
{
    constexpr int clientCount = 50;
    QSslServer server;
    server.setSslConfiguration(serverConfiguration());
    ServerEvents events(&server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    // Each server-side socket echoes what it reads.
    QList<QSslSocket *> accepted;
    connect(&server, &QTcpServer::pendingConnectionAvailable, &server, [&] {
        while (QTcpSocket *next = server.nextPendingConnection()) {
            auto *socket = qobject_cast<QSslSocket *>(next);
            QVERIFY(socket);
            QVERIFY(socket->isEncrypted());
            QCOMPARE(socket->mode(), QSslSocket::SslServerMode);
            accepted << socket;
            connect(socket, &QIODevice::readyRead, socket, [socket] { socket->write(socket->readAll()); });
        }
    });

    std::vector<std::unique_ptr<QSslSocket>> clients;
    for (int i = 0; i < clientCount; ++i) {
        clients.push_back(startClient(server.serverPort()));
        QSslSocket *client = clients.back().get();
        connect(client, &QSslSocket::encrypted, client,
                [client, i] { client->write(QByteArray("client ") + QByteArray::number(i) + '\n'); });
    }
    QTRY_COMPARE_WITH_TIMEOUT(accepted.size(), clientCount, 60000);
    for (int i = 0; i < clientCount; ++i) {
        QSslSocket *client = clients[i].get();
        QTRY_VERIFY_WITH_TIMEOUT(client->canReadLine(), 10000);
        QCOMPARE(client->readLine(), QByteArray("client ") + QByteArray::number(i) + '\n');
    }
    QCOMPARE(events.started.size(), clientCount);
    QCOMPARE(events.newConnection, clientCount);
    QCOMPARE(events.pendingConnectionAvailable, clientCount);
    QVERIFY(events.errors.isEmpty());
    QCOMPARE(QSet<QSslSocket *>(accepted.cbegin(), accepted.cend()).size(), clientCount);
    qDeleteAll(accepted);
}

// Qt 6.4 counts connections still in their handshake against maxPendingConnections(): idle
// clients are let in (and time out) two at a time, the others wait in the backlog.
void tst_QSslServer::pendingLimitCountsHandshakes()
{
    QSslServer server;
    server.setSslConfiguration(serverConfiguration());
    server.setMaxPendingConnections(2);
    server.setHandshakeTimeout(300);
    ServerEvents events(&server);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    std::vector<std::unique_ptr<QTcpSocket>> clients;
    for (int i = 0; i < 5; ++i)
        clients.push_back(startRawClient(server.serverPort()));
    QTRY_COMPARE_WITH_TIMEOUT(serverSockets(server).size(), 2, 5000);
    QTest::qWait(100);
    QCOMPARE(serverSockets(server).size(), 2);
    QVERIFY(events.errors.isEmpty());
    // Each timeout lets the next ones in, until all five have been dropped.
    QTRY_COMPARE_WITH_TIMEOUT(events.errors.size(), 5, 10000);
    for (const auto &error : std::as_const(events.errors))
        QCOMPARE(error.error, QAbstractSocket::SocketTimeoutError);
}

// An encrypted connection the application has not taken counts too: the next client is let in
// only once it is taken.
void tst_QSslServer::pendingLimitWaitsForTakenConnections()
{
    QSslServer server;
    server.setSslConfiguration(serverConfiguration());
    server.setMaxPendingConnections(1);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    std::vector<std::unique_ptr<QSslSocket>> clients;
    for (int i = 0; i < 3; ++i)
        clients.push_back(startClient(server.serverPort()));
    const auto encrypted = [&clients] {
        return std::count_if(clients.cbegin(), clients.cend(),
                             [](const auto &client) { return client->isEncrypted(); });
    };
    QTRY_COMPARE_WITH_TIMEOUT(encrypted(), 1, 10000);
    QTest::qWait(300);
    QCOMPARE(encrypted(), 1);
    std::unique_ptr<QTcpSocket> first(server.nextPendingConnection());
    QVERIFY(first);
    QTRY_COMPARE_WITH_TIMEOUT(encrypted(), 2, 10000);
    // The server's side is done a moment after the client's.
    QTRY_VERIFY_WITH_TIMEOUT(server.hasPendingConnections(), 10000);
    std::unique_ptr<QTcpSocket> second(server.nextPendingConnection());
    QVERIFY(second);
    QTRY_COMPARE_WITH_TIMEOUT(encrypted(), 3, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(server.hasPendingConnections(), 10000);
    std::unique_ptr<QTcpSocket> third(server.nextPendingConnection());
    QVERIFY(third);
}

QTEST_MAIN(tst_QSslServer)
#include "tst_qsslserver.moc"
