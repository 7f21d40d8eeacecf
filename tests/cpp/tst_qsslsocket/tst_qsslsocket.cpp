// QSslSocket and QSslServer end to end on 127.0.0.1: our client against our server, against
// `openssl s_server`, and `openssl s_client` against our server. Built twice (see RELINK).
#include <QtCore/qcryptographichash.h>
#include <QtCore/qfile.h>
#include <QtCore/qprocess.h>
#include <QtCore/qrandom.h>
#include <QtCore/qtemporarydir.h>
#include <QtCore/qthread.h>
#include <QtNetwork/qsslcipher.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslkey.h>
#include <QtNetwork/qsslserver.h>
#include <QtNetwork/qsslsocket.h>
#include <QtNetwork/qtcpserver.h>
#include <QtTest/qsignalspy.h>
#include <QtTest/qtest.h>

#include <atomic>
#include <memory>
#include <sys/socket.h>

namespace {

constexpr qint64 bigTransfer = 10 * 1024 * 1024;

QString certsDir()
{
    return qEnvironmentVariable("QSSLRS_TEST_CERTS");
}

QByteArray readFile(const QString &name)
{
    QFile file(certsDir() + u'/' + name);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QSslConfiguration serverConfiguration(const QString &stem, QSsl::SslProtocol protocol = QSsl::SecureProtocols)
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(QSslCertificate::fromData(readFile(stem + QStringLiteral(".pem"))));
    const QByteArray keyPem = readFile(stem + QStringLiteral(".key"));
    QSslKey key(keyPem, QSsl::Ec);
    if (key.isNull())
        key = QSslKey(keyPem, QSsl::Rsa);
    configuration.setPrivateKey(key);
    configuration.setProtocol(protocol);
    return configuration;
}

QSslConfiguration clientTrustingTestCa(QSsl::SslProtocol protocol = QSsl::SecureProtocols)
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates(QSslCertificate::fromData(readFile(QStringLiteral("ca.pem"))));
    configuration.setProtocol(protocol);
    return configuration;
}

// An encrypted pair: `client` connected to `server` (our test server certificate), and the
// server's side of the connection, taken from it.
void connectEncrypted(QSslServer &server, QSslSocket &client, QSslSocket *&serverSide)
{
    server.setSslConfiguration(serverConfiguration(QStringLiteral("server")));
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    client.setSslConfiguration(clientTrustingTestCa());
    client.connectToHostEncrypted(QStringLiteral("localhost"), server.serverPort());
    QTRY_VERIFY_WITH_TIMEOUT(server.hasPendingConnections(), 10000);
    serverSide = qobject_cast<QSslSocket *>(server.nextPendingConnection());
    QVERIFY(serverSide);
    QTRY_VERIFY_WITH_TIMEOUT(client.isEncrypted(), 10000);
}

QByteArray randomBytes(qint64 size, quint32 seed)
{
    QByteArray data(size, Qt::Uninitialized);
    QRandomGenerator generator(seed);
    generator.fillRange(reinterpret_cast<quint32 *>(data.data()), size / 4);
    return data;
}

// Hides the object's dynamic type from the compiler, as any code holding a pointer does.
Q_NEVER_INLINE QSslSocket *socketPointer(QSslSocket *socket)
{
    return socket;
}

quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

// Server side of a transfer, in its own thread so that the client may block in waitFor*():
// it sends `toSend` and hashes what it receives until `expected` bytes have come.
class TransferServer : public QObject
{
    Q_OBJECT
public:
    TransferServer(QSslConfiguration configuration, QByteArray toSend, qint64 expected)
        : configuration(std::move(configuration)), toSend(std::move(toSend)), expected(expected) { }

    quint16 start(QThread *thread)
    {
        moveToThread(thread);
        quint16 port = 0;
        QMetaObject::invokeMethod(this, [this, &port] {
            server = new QSslServer(this);
            server->setSslConfiguration(configuration);
            connect(server, &QTcpServer::pendingConnectionAvailable, this, &TransferServer::accept);
            server->listen(QHostAddress::LocalHost, 0);
            port = server->serverPort();
        }, Qt::BlockingQueuedConnection);
        return port;
    }

    std::atomic<bool> done{false};
    std::atomic<int> sessionProtocol{-1};
    QByteArray receivedHash;

private:
    void accept()
    {
        QSslSocket *socket = qobject_cast<QSslSocket *>(server->nextPendingConnection());
        if (!socket)
            return;
        sessionProtocol = socket->sessionProtocol();
        connect(socket, &QIODevice::readyRead, this, [this, socket] {
            const QByteArray data = socket->readAll();
            hash.addData(data);
            received += data.size();
            if (received >= expected) {
                receivedHash = hash.result();
                done = true;
            }
        });
        socket->write(toSend);
    }

    QSslConfiguration configuration;
    QByteArray toSend;
    qint64 expected;
    QSslServer *server = nullptr;
    QCryptographicHash hash{QCryptographicHash::Sha256};
    qint64 received = 0;
};

// Hands out every connection as an unencrypted QSslSocket (for STARTTLS).
class PlainSslServer : public QTcpServer
{
    Q_OBJECT
signals:
    void accepted(QSslSocket *socket);

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto *socket = new QSslSocket(this);
        if (socket->setSocketDescriptor(descriptor))
            emit accepted(socket);
    }
};

} // namespace

class tst_QSslSocket : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void capabilities();
    void transfer_data();
    void transfer();
    void verification_data();
    void verification();
    void ignoreSpecificErrors();
    void pauseOnSslErrors();
    void systemRoots();
    void startClientEncryption();
    void startServerEncryptionAfterPeek();
    void startEncryptionRefusesProtocol_data();
    void startEncryptionRefusesProtocol();
    void destroyConnectedSocket();
    void stateAndAddresses();
    void closeSendsCloseNotify();
    void reuseForSecondConnection();
    void peerCloseAfterData();
    void garbageFromPeer();
    void connectToOpensslServer_data();
    void connectToOpensslServer();
    void opensslClientToOurServer_data();
    void opensslClientToOurServer();
};

void tst_QSslSocket::initTestCase()
{
    QVERIFY2(!certsDir().isEmpty(), "QSSLRS_TEST_CERTS is not set (run through ctest)");
    QVERIFY(!readFile(QStringLiteral("server.pem")).isEmpty());
}

void tst_QSslSocket::capabilities()
{
    QVERIFY(QSslSocket::supportsSsl());
    QCOMPARE(QSslSocket::activeBackend(), QStringLiteral("openssl"));
    QVERIFY(QSslSocket::isProtocolSupported(QSsl::TlsV1_3));
    QVERIFY(QSslSocket::isProtocolSupported(QSsl::DtlsV1_2));
    QVERIFY(QSslSocket::isClassImplemented(QSsl::ImplementedClass::Socket));
    QVERIFY(QSslSocket::isClassImplemented(QSsl::ImplementedClass::Dtls));
    // As Qt's OpenSSL backend reports them.
    QCOMPARE(QSslSocket::supportedFeatures().size(), 7);
    QVERIFY(QSslSocket::sslLibraryVersionString().startsWith(QStringLiteral("OpenSSL")));
    QCOMPARE(sizeof(QSslSocket), sizeof(QTcpSocket));
}

void tst_QSslSocket::transfer_data()
{
    QTest::addColumn<QSsl::SslProtocol>("protocol");
    QTest::addColumn<bool>("blocking");
    QTest::newRow("TLS 1.2, signals") << QSsl::TlsV1_2 << false;
    QTest::newRow("TLS 1.2, waitFor") << QSsl::TlsV1_2 << true;
    QTest::newRow("TLS 1.3, signals") << QSsl::TlsV1_3 << false;
    QTest::newRow("TLS 1.3, waitFor") << QSsl::TlsV1_3 << true;
}

// 10 MiB each way at once, checksummed on both ends.
void tst_QSslSocket::transfer()
{
    QFETCH(QSsl::SslProtocol, protocol);
    QFETCH(bool, blocking);
    const QByteArray fromClient = randomBytes(bigTransfer, 1);
    const QByteArray fromServer = randomBytes(bigTransfer, 2);

    QThread serverThread;
    serverThread.start();
    auto *server = new TransferServer(serverConfiguration(QStringLiteral("server"), protocol), fromServer,
                                      bigTransfer);
    const quint16 port = server->start(&serverThread);
    QVERIFY(port != 0);
    const auto cleanup = qScopeGuard([&] {
        QMetaObject::invokeMethod(server, [server] { delete server; }, Qt::BlockingQueuedConnection);
        serverThread.quit();
        serverThread.wait();
    });

    QSslSocket client;
    client.setSslConfiguration(clientTrustingTestCa(protocol));
    QCryptographicHash hash(QCryptographicHash::Sha256);
    qint64 received = 0;
    QSignalSpy encrypted(&client, &QSslSocket::encrypted);
    QSignalSpy errors(&client, &QSslSocket::sslErrors);

    if (blocking) {
        client.connectToHostEncrypted(QStringLiteral("localhost"), port);
        QVERIFY2(client.waitForEncrypted(10000), qPrintable(client.errorString()));
        QCOMPARE(client.write(fromClient), bigTransfer);
        while (client.bytesToWrite() > 0 || client.encryptedBytesToWrite() > 0 || received < bigTransfer) {
            if (client.bytesToWrite() > 0 || client.encryptedBytesToWrite() > 0)
                client.waitForBytesWritten(100);
            else
                QVERIFY2(client.waitForReadyRead(10000), qPrintable(client.errorString()));
            const QByteArray data = client.readAll();
            hash.addData(data);
            received += data.size();
        }
    } else {
        connect(&client, &QSslSocket::encrypted, &client, [&] { client.write(fromClient); });
        connect(&client, &QIODevice::readyRead, &client, [&] {
            const QByteArray data = client.readAll();
            hash.addData(data);
            received += data.size();
        });
        client.connectToHostEncrypted(QStringLiteral("localhost"), port);
        QTRY_COMPARE_WITH_TIMEOUT(received, bigTransfer, 30000);
    }
    QTRY_VERIFY_WITH_TIMEOUT(server->done, 30000);

    QCOMPARE(encrypted.size(), 1);
    QCOMPARE(errors.size(), 0);
    QVERIFY(client.isEncrypted());
    QCOMPARE(client.mode(), QSslSocket::SslClientMode);
    QCOMPARE(client.sessionProtocol(), protocol);
    QCOMPARE(QSsl::SslProtocol(server->sessionProtocol.load()), protocol);
    QCOMPARE(client.sessionCipher().protocol(), protocol);
    QVERIFY(!client.sessionCipher().name().isEmpty());
    QCOMPARE(client.peerCertificate(), QSslCertificate::fromData(readFile(QStringLiteral("server.pem"))).value(0));
    QCOMPARE(hash.result(), QCryptographicHash::hash(fromServer, QCryptographicHash::Sha256));
    QCOMPARE(server->receivedHash, QCryptographicHash::hash(fromClient, QCryptographicHash::Sha256));
}

void tst_QSslSocket::verification_data()
{
    QTest::addColumn<QString>("serverCert");
    QTest::addColumn<bool>("trustCa");
    QTest::addColumn<QString>("hostName");
    QTest::addColumn<bool>("ignoreAll");
    QTest::addColumn<QSslError::SslError>("expectedError");
    QTest::addColumn<bool>("blocking");

    for (bool blocking : {false, true}) {
        const char *how = blocking ? "waitFor" : "signals";
        QTest::addRow("valid, %s", how) << "server" << true << "localhost" << false << QSslError::NoError << blocking;
        QTest::addRow("valid by IP, %s", how) << "server" << true << "127.0.0.1" << false << QSslError::NoError << blocking;
        QTest::addRow("self-signed, %s", how) << "selfsigned" << false << "localhost" << false
                                               << QSslError::SelfSignedCertificate << blocking;
        QTest::addRow("self-signed ignored, %s", how) << "selfsigned" << false << "localhost" << true
                                                       << QSslError::SelfSignedCertificate << blocking;
        QTest::addRow("wrong host, %s", how) << "wronghost" << true << "localhost" << false
                                              << QSslError::HostNameMismatch << blocking;
        QTest::addRow("expired, %s", how) << "expired" << true << "localhost" << false
                                           << QSslError::CertificateExpired << blocking;
        QTest::addRow("untrusted CA, %s", how) << "server" << false << "localhost" << false
                                                << QSslError::UnableToGetLocalIssuerCertificate << blocking;
    }
}

void tst_QSslSocket::verification()
{
    QFETCH(QString, serverCert);
    QFETCH(bool, trustCa);
    QFETCH(QString, hostName);
    QFETCH(bool, ignoreAll);
    QFETCH(QSslError::SslError, expectedError);
    QFETCH(bool, blocking);

    QSslServer server;
    server.setSslConfiguration(serverConfiguration(serverCert));
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    QSslSocket client;
    QSslConfiguration configuration = trustCa ? clientTrustingTestCa() : QSslConfiguration::defaultConfiguration();
    if (!trustCa)
        configuration.setCaCertificates({});
    client.setSslConfiguration(configuration);
    QList<QSslError> reported;
    QList<QSslError> peerVerifyErrors;
    connect(&client, &QSslSocket::peerVerifyError, &client, [&](const QSslError &e) { peerVerifyErrors << e; });
    connect(&client, &QSslSocket::sslErrors, &client, [&](const QList<QSslError> &errors) {
        reported = errors;
        if (ignoreAll)
            client.ignoreSslErrors();
    });
    QSignalSpy disconnected(&client, &QAbstractSocket::disconnected);
    client.connectToHostEncrypted(hostName, server.serverPort());

    const bool shouldSucceed = expectedError == QSslError::NoError || ignoreAll;
    if (blocking) {
        // The server needs the event loop; run it while the client waits.
        QThread::create([] {})->deleteLater();
        QTRY_VERIFY_WITH_TIMEOUT(client.isEncrypted() || client.state() == QAbstractSocket::UnconnectedState
                                         || !reported.isEmpty(), 10000);
        if (!shouldSucceed)
            QVERIFY(!client.waitForEncrypted(2000));
    } else {
        QTRY_VERIFY_WITH_TIMEOUT(client.isEncrypted() || client.state() == QAbstractSocket::UnconnectedState, 10000);
    }

    if (expectedError == QSslError::NoError) {
        QVERIFY(reported.isEmpty());
    } else {
        bool found = false;
        for (const QSslError &error : reported)
            found = found || error.error() == expectedError;
        QVERIFY2(found, qPrintable(QStringLiteral("expected %1 in sslErrors, got %2")
                                           .arg(int(expectedError))
                                           .arg(QDebug::toString(reported))));
        QCOMPARE(peerVerifyErrors, reported);
    }
    if (shouldSucceed) {
        QVERIFY(client.isEncrypted());
        QCOMPARE(client.sslHandshakeErrors(), reported);
    } else {
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::UnconnectedState, 10000);
        QVERIFY(!client.isEncrypted());
        QCOMPARE(client.error(), QAbstractSocket::SslHandshakeFailedError);
        QCOMPARE(client.errorString(), reported.constFirst().errorString());
        QCOMPARE(disconnected.size(), 1);
    }
}

void tst_QSslSocket::ignoreSpecificErrors()
{
    QSslServer server;
    server.setSslConfiguration(serverConfiguration(QStringLiteral("selfsigned")));
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    const QSslCertificate selfSigned = QSslCertificate::fromData(readFile(QStringLiteral("selfsigned.pem"))).value(0);
    QSslSocket client;
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates({});
    client.setSslConfiguration(configuration);
    client.ignoreSslErrors({QSslError(QSslError::SelfSignedCertificate, selfSigned)});
    client.connectToHostEncrypted(QStringLiteral("localhost"), server.serverPort());
    QTRY_VERIFY_WITH_TIMEOUT(client.isEncrypted(), 10000);
}

void tst_QSslSocket::pauseOnSslErrors()
{
    QSslServer server;
    server.setSslConfiguration(serverConfiguration(QStringLiteral("selfsigned")));
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QSslSocket client;
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates({});
    client.setSslConfiguration(configuration);
    client.setPauseMode(QAbstractSocket::PauseOnSslErrors);
    QSignalSpy sslErrors(&client, &QSslSocket::sslErrors);
    QSignalSpy errors(&client, &QAbstractSocket::errorOccurred);
    client.connectToHostEncrypted(QStringLiteral("localhost"), server.serverPort());
    QTRY_COMPARE_WITH_TIMEOUT(sslErrors.size(), 1, 10000);
    // Paused: still connected, not encrypted, no error until the user decides.
    QTest::qWait(100);
    QCOMPARE(client.state(), QAbstractSocket::ConnectedState);
    QVERIFY(!client.isEncrypted());
    QCOMPARE(errors.size(), 0);
    client.ignoreSslErrors();
    client.resume();
    QTRY_VERIFY_WITH_TIMEOUT(client.isEncrypted(), 5000);
}

// A default client trusts the system's roots, looked up in the hashed directory on demand.
// SSL_CERT_DIR names the "system" store here (Qt itself reads only its fixed list of
// directories); it is set for a child run of this test alone, as contexts live per process.
void tst_QSslSocket::systemRoots()
{
    if (!qEnvironmentVariableIsSet("QSSLRS_SYSTEM_ROOTS_CHILD")) {
        QTemporaryDir store;
        QVERIFY(store.isValid());
        QVERIFY(QFile::copy(certsDir() + QStringLiteral("/ca.pem"), store.filePath(QStringLiteral("ca.pem"))));
        QCOMPARE(QProcess::execute(QStringLiteral("openssl"), {QStringLiteral("rehash"), store.path()}), 0);
        QProcess child;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("SSL_CERT_DIR"), store.path());
        environment.insert(QStringLiteral("QSSLRS_SYSTEM_ROOTS_CHILD"), QStringLiteral("1"));
        child.setProcessEnvironment(environment);
        child.setProcessChannelMode(QProcess::ForwardedChannels);
        child.start(QCoreApplication::applicationFilePath(), {QStringLiteral("systemRoots")});
        QVERIFY(child.waitForFinished(60000));
        QCOMPARE(child.exitCode(), 0);
        return;
    }
    QSslServer server;
    server.setSslConfiguration(serverConfiguration(QStringLiteral("server")));
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QSslSocket client;
    QList<QSslError> reported;
    connect(&client, &QSslSocket::sslErrors, &client, [&](const QList<QSslError> &errors) { reported = errors; });
    client.connectToHostEncrypted(QStringLiteral("localhost"), server.serverPort());
    QTRY_VERIFY2_WITH_TIMEOUT(client.isEncrypted(), qPrintable(QDebug::toString(reported) + client.errorString()), 10000);
}

void tst_QSslSocket::startClientEncryption()
{
    // STARTTLS: a plain connection first, then the handshake on request.
    PlainSslServer plainServer;
    QVERIFY(plainServer.listen(QHostAddress::LocalHost, 0));
    QSslSocket *serverSide = nullptr;
    connect(&plainServer, &PlainSslServer::accepted, &plainServer, [&](QSslSocket *socket) {
        serverSide = socket;
        serverSide->setSslConfiguration(serverConfiguration(QStringLiteral("server")));
        connect(serverSide, &QIODevice::readyRead, serverSide, [&] {
            if (serverSide->mode() == QSslSocket::UnencryptedMode && serverSide->canReadLine()) {
                QCOMPARE(serverSide->readLine(), QByteArray("STARTTLS\n"));
                serverSide->write("GO\n");
                serverSide->startServerEncryption();
            } else if (serverSide->isEncrypted()) {
                serverSide->write(serverSide->readAll());
            }
        });
    });

    QSslSocket client;
    client.setSslConfiguration(clientTrustingTestCa());
    QSignalSpy modeChanged(&client, &QSslSocket::modeChanged);
    client.connectToHost(QStringLiteral("localhost"), plainServer.serverPort());
    QVERIFY(client.waitForConnected(5000));
    QCOMPARE(client.mode(), QSslSocket::UnencryptedMode);
    client.write("STARTTLS\n");
    QTRY_VERIFY_WITH_TIMEOUT(client.canReadLine(), 5000);
    QCOMPARE(client.readLine(), QByteArray("GO\n"));
    client.startClientEncryption();
    QCOMPARE(modeChanged.size(), 1);
    QTRY_VERIFY_WITH_TIMEOUT(client.isEncrypted(), 10000);
    client.write("secret\n");
    QTRY_VERIFY_WITH_TIMEOUT(client.canReadLine(), 5000);
    QCOMPARE(client.readLine(), QByteArray("secret\n"));
}

// As in Qt: refused with a warning and SslInvalidUserDataError before anything starts; the
// connection stays open and unencrypted.
void tst_QSslSocket::startEncryptionRefusesProtocol_data()
{
    QTest::addColumn<bool>("server");
    QTest::addColumn<QSsl::SslProtocol>("protocol");
    QTest::addColumn<QByteArray>("warning");
    QTest::newRow("client, UnknownProtocol")
            << false << QSsl::UnknownProtocol
            << QByteArray("QSslSocket::startClientEncryption: QSslConfiguration with unexpected protocol \"UnknownProtocol\"");
    QTest::newRow("client, DtlsV1_2")
            << false << QSsl::DtlsV1_2
            << QByteArray("QSslSocket::startClientEncryption: QSslConfiguration with unexpected protocol \"DTLS\"");
    // Qt's server-side warning has no colon.
    QTest::newRow("server, UnknownProtocol")
            << true << QSsl::UnknownProtocol
            << QByteArray("QSslSocket::startServerEncryption QSslConfiguration with unexpected protocol \"UnknownProtocol\"");
    QTest::newRow("server, DtlsV1_2")
            << true << QSsl::DtlsV1_2
            << QByteArray("QSslSocket::startServerEncryption QSslConfiguration with unexpected protocol \"DTLS\"");
}

void tst_QSslSocket::startEncryptionRefusesProtocol()
{
    QFETCH(bool, server);
    QFETCH(QSsl::SslProtocol, protocol);
    QFETCH(QByteArray, warning);

    QTcpServer listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
    QTcpSocket peer;
    peer.connectToHost(QHostAddress::LocalHost, listener.serverPort());
    QVERIFY(listener.waitForNewConnection(5000));
    std::unique_ptr<QTcpSocket> accepted(listener.nextPendingConnection());

    QSslSocket socket;
    QSslConfiguration configuration = server ? serverConfiguration(QStringLiteral("server")) : socket.sslConfiguration();
    configuration.setProtocol(protocol);
    socket.setSslConfiguration(configuration);
    if (server) {
        QVERIFY(socket.setSocketDescriptor(accepted->socketDescriptor()));
        accepted->setParent(nullptr);
        accepted.release();
    } else {
        socket.connectToHost(QHostAddress::LocalHost, listener.serverPort());
        QVERIFY(socket.waitForConnected(5000));
    }
    QSignalSpy modeChanged(&socket, &QSslSocket::modeChanged);
    QSignalSpy errors(&socket, &QAbstractSocket::errorOccurred);
    QSignalSpy stateChanged(&socket, &QAbstractSocket::stateChanged);
    QTest::ignoreMessage(QtWarningMsg, warning.constData());
    if (server)
        socket.startServerEncryption();
    else
        socket.startClientEncryption();
    QCOMPARE(errors.size(), 1);
    QCOMPARE(errors.at(0).at(0).value<QAbstractSocket::SocketError>(), QAbstractSocket::SslInvalidUserDataError);
    QCOMPARE(socket.errorString(), QStringLiteral("Attempted to use an unsupported protocol."));
    QTest::qWait(100);
    QCOMPARE(modeChanged.size(), 0);
    QCOMPARE(stateChanged.size(), 0);
    QCOMPARE(socket.mode(), QSslSocket::UnencryptedMode);
    QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
    QVERIFY(socket.isOpen());
}

// Qt deletes the inner socket first: a connection still open is aborted, and reported.
void tst_QSslSocket::destroyConnectedSocket()
{
    QTcpServer listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
    auto socket = std::make_unique<QSslSocket>();
    socket->connectToHost(QHostAddress::LocalHost, listener.serverPort());
    QVERIFY(socket->waitForConnected(5000));
    QStringList seen;
    connect(socket.get(), &QAbstractSocket::stateChanged, &listener,
            [&](QAbstractSocket::SocketState state) { seen << QStringLiteral("stateChanged %1").arg(int(state)); });
    connect(socket.get(), &QIODevice::readChannelFinished, &listener, [&] { seen << QStringLiteral("readChannelFinished"); });
    connect(socket.get(), &QAbstractSocket::disconnected, &listener, [&] { seen << QStringLiteral("disconnected"); });
    socket.reset();
    QCOMPARE(seen, QStringList({QStringLiteral("stateChanged 0"), QStringLiteral("readChannelFinished"),
                                QStringLiteral("disconnected")}));
}

// A server that peeks at the first byte of a plain connection to decide whether it speaks TLS,
// as QSslServer does: the peeked ClientHello must still reach the handshake.
void tst_QSslSocket::startServerEncryptionAfterPeek()
{
    PlainSslServer plainServer;
    QVERIFY(plainServer.listen(QHostAddress::LocalHost, 0));
    QSslSocket *serverSide = nullptr;
    char first = 0;
    connect(&plainServer, &PlainSslServer::accepted, &plainServer, [&](QSslSocket *socket) {
        serverSide = socket;
        serverSide->setSslConfiguration(serverConfiguration(QStringLiteral("server")));
        connect(serverSide, &QIODevice::readyRead, serverSide, [&] {
            if (serverSide->mode() == QSslSocket::UnencryptedMode) {
                if (serverSide->peek(&first, 1) == 1)
                    serverSide->startServerEncryption();
            } else if (serverSide->isEncrypted()) {
                serverSide->write(serverSide->readAll());
            }
        });
    });

    QSslSocket client;
    client.setSslConfiguration(clientTrustingTestCa());
    client.connectToHostEncrypted(QStringLiteral("localhost"), plainServer.serverPort());
    QTRY_VERIFY_WITH_TIMEOUT(client.isEncrypted(), 10000);
    QCOMPARE(first, char(0x16)); // a TLS handshake record
    QVERIFY(serverSide && serverSide->isEncrypted());
    client.write("after peek\n");
    QTRY_VERIFY_WITH_TIMEOUT(client.canReadLine(), 5000);
    QCOMPARE(client.readLine(), QByteArray("after peek\n"));
}

void tst_QSslSocket::stateAndAddresses()
{
    QSslServer server;
    server.setSslConfiguration(serverConfiguration(QStringLiteral("server")));
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));

    QSslSocket client;
    client.setSslConfiguration(clientTrustingTestCa());
    QList<QAbstractSocket::SocketState> states;
    connect(&client, &QAbstractSocket::stateChanged, &client, [&](QAbstractSocket::SocketState s) { states << s; });
    QCOMPARE(client.state(), QAbstractSocket::UnconnectedState);
    QCOMPARE(client.socketDescriptor(), qintptr(-1));
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.serverPort());
    QTRY_VERIFY_WITH_TIMEOUT(client.isEncrypted(), 10000);
    QCOMPARE(client.state(), QAbstractSocket::ConnectedState);
#ifdef QSSLRS_RELINKED_BUILD
    // Compiled against Qt's header, a call on a QSslSocket object binds at compile time to
    // QAbstractSocket::socketDescriptor() (Qt's class does not override it), whose private state
    // no other library can fill. Calls through a pointer reach our override via the vtable.
    QEXPECT_FAIL("", "relinked: direct call on a QSslSocket object reads QAbstractSocket's state", Continue);
#endif
    QVERIFY(client.socketDescriptor() != -1);
    QVERIFY(static_cast<QAbstractSocket *>(socketPointer(&client))->socketDescriptor() != -1);
    QCOMPARE(client.peerAddress(), QHostAddress(QHostAddress::LocalHost));
    QCOMPARE(client.peerPort(), server.serverPort());
    QCOMPARE(client.localAddress(), QHostAddress(QHostAddress::LocalHost));
    QVERIFY(client.localPort() != 0);
    QCOMPARE(client.peerName(), QStringLiteral("127.0.0.1"));
    QCOMPARE(states, (QList<QAbstractSocket::SocketState>{QAbstractSocket::HostLookupState,
                                                          QAbstractSocket::ConnectingState,
                                                          QAbstractSocket::ConnectedState}));
    QTRY_VERIFY_WITH_TIMEOUT(server.hasPendingConnections(), 5000);
    std::unique_ptr<QTcpSocket> serverSide(server.nextPendingConnection());
    QVERIFY(qobject_cast<QSslSocket *>(serverSide.get()));

    client.disconnectFromHost();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::UnconnectedState, 5000);
    QCOMPARE(client.peerPort(), quint16(0));
}

void tst_QSslSocket::closeSendsCloseNotify()
{
    QSslServer server;
    QSslSocket client;
    QSslSocket *serverSide = nullptr;
    connectEncrypted(server, client, serverSide);
    if (QTest::currentTestFailed())
        return;

    QStringList serverErrors;
    connect(serverSide, &QAbstractSocket::errorOccurred, serverSide,
            [&] { serverErrors << serverSide->errorString(); });
    QSignalSpy serverDisconnected(serverSide, &QAbstractSocket::disconnected);
    client.write("last words");
    client.disconnectFromHost();
    QTRY_VERIFY_WITH_TIMEOUT(serverDisconnected.size() == 1, 5000);
    // The peer saw a clean TLS close (close_notify), and everything written before it.
    QCOMPARE(serverErrors.value(0), QStringLiteral("The TLS/SSL connection has been closed"));
    QCOMPARE(serverSide->error(), QAbstractSocket::RemoteHostClosedError);
    QCOMPARE(serverSide->readAll(), QByteArray("last words"));
    delete serverSide;
}

// A socket encrypted from its start reads the kernel unbuffered; what a buffered QTcpSocket
// reports (data first, then the error, Closing, Unconnected, readChannelFinished, disconnected)
// must not change, nor must the blocking API.
void tst_QSslSocket::peerCloseAfterData()
{
    QSslServer server;
    QSslSocket client;
    QSslSocket *serverSide = nullptr;
    connectEncrypted(server, client, serverSide);
    if (QTest::currentTestFailed())
        return;

    // Straight to the kernel, and still reported as written.
    QSignalSpy encryptedWritten(&client, &QSslSocket::encryptedBytesWritten);
    QCOMPARE(client.write("request"), qint64(7));
    QVERIFY(client.waitForBytesWritten(5000));
    QVERIFY(encryptedWritten.size() > 0);
    QByteArray request;
    QTRY_VERIFY_WITH_TIMEOUT((request += serverSide->readAll()).size() >= 7, 5000);
    QCOMPARE(request, QByteArray("request"));

    // The server answers and drops the TCP connection at once, without close_notify.
    QStringList events;
    connect(&client, &QIODevice::readyRead, &client, [&] { events << QStringLiteral("readyRead ") + QString::fromLatin1(client.readAll()); });
    connect(&client, &QAbstractSocket::errorOccurred, &client,
            [&](QAbstractSocket::SocketError error) { events << QStringLiteral("error %1").arg(int(error)); });
    connect(&client, &QAbstractSocket::stateChanged, &client,
            [&](QAbstractSocket::SocketState state) { events << QStringLiteral("state %1").arg(int(state)); });
    connect(&client, &QIODevice::readChannelFinished, &client, [&] { events << QStringLiteral("readChannelFinished"); });
    connect(&client, &QAbstractSocket::disconnected, &client, [&] { events << QStringLiteral("disconnected"); });
    serverSide->write("answer");
    serverSide->flush();
    QTRY_VERIFY_WITH_TIMEOUT(events.contains(QStringLiteral("readyRead answer")), 5000);
    const qintptr descriptor = serverSide->socketDescriptor();
    QVERIFY(descriptor >= 0);
    ::shutdown(int(descriptor), SHUT_RDWR);
    QTRY_VERIFY_WITH_TIMEOUT(events.contains(QStringLiteral("disconnected")), 5000);
    QCOMPARE(events, QStringList({QStringLiteral("readyRead answer"), QStringLiteral("error 1"),
                                 QStringLiteral("state 6"), QStringLiteral("state 0"),
                                 QStringLiteral("readChannelFinished"), QStringLiteral("disconnected")}));
    QCOMPARE(client.error(), QAbstractSocket::RemoteHostClosedError);
    QCOMPARE(client.errorString(), QStringLiteral("The remote host closed the connection"));
    QVERIFY(!client.waitForReadyRead(100));
    delete serverSide;
}

void tst_QSslSocket::reuseForSecondConnection()
{
    QSslServer server;
    server.setSslConfiguration(serverConfiguration(QStringLiteral("server")));
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QSslSocket client;
    client.setSslConfiguration(clientTrustingTestCa());
    for (int round = 0; round < 2; ++round) {
        client.connectToHostEncrypted(QStringLiteral("localhost"), server.serverPort());
        QTRY_VERIFY_WITH_TIMEOUT(client.isEncrypted(), 10000);
        QCOMPARE(client.mode(), QSslSocket::SslClientMode);
        client.disconnectFromHost();
        QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::UnconnectedState, 5000);
        QVERIFY(!client.isEncrypted());
    }
}

void tst_QSslSocket::garbageFromPeer()
{
    // A "server" that answers the ClientHello with junk: a clean handshake error, no crash.
    QTcpServer junkServer;
    QVERIFY(junkServer.listen(QHostAddress::LocalHost, 0));
    connect(&junkServer, &QTcpServer::newConnection, &junkServer, [&] {
        QTcpSocket *peer = junkServer.nextPendingConnection();
        connect(peer, &QIODevice::readyRead, peer, [peer] {
            peer->readAll();
            peer->write(randomBytes(4096, 7));
        });
    });
    QSslSocket client;
    QSignalSpy errors(&client, &QAbstractSocket::errorOccurred);
    client.connectToHostEncrypted(QStringLiteral("localhost"), junkServer.serverPort());
    QTRY_VERIFY_WITH_TIMEOUT(errors.size() >= 1, 5000);
    QVERIFY(!client.isEncrypted());
    QCOMPARE(client.error(), QAbstractSocket::SslHandshakeFailedError);
    QVERIFY2(client.errorString().startsWith(QStringLiteral("Error during SSL handshake")),
             qPrintable(client.errorString()));
}

namespace {

// Parses the `-brief` summary that openssl s_client and s_server print.
QString briefValue(const QByteArray &output, const char *label)
{
    for (const QByteArray &line : output.split('\n')) {
        if (line.startsWith(label))
            return QString::fromLatin1(line.mid(qstrlen(label)).trimmed());
    }
    return {};
}

QString opensslProtocolName(QSsl::SslProtocol protocol)
{
    return protocol == QSsl::TlsV1_3 ? QStringLiteral("TLSv1.3") : QStringLiteral("TLSv1.2");
}

} // namespace

void tst_QSslSocket::connectToOpensslServer_data()
{
    QTest::addColumn<QSsl::SslProtocol>("protocol");
    QTest::addColumn<bool>("blocking");
    QTest::newRow("TLS 1.2, signals") << QSsl::TlsV1_2 << false;
    QTest::newRow("TLS 1.3, waitFor") << QSsl::TlsV1_3 << true;
}

void tst_QSslSocket::connectToOpensslServer()
{
    QFETCH(QSsl::SslProtocol, protocol);
    QFETCH(bool, blocking);
    const quint16 port = freePort();
    QProcess server;
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start(QStringLiteral("openssl"),
                 {QStringLiteral("s_server"), QStringLiteral("-accept"), QStringLiteral("127.0.0.1:%1").arg(port),
                  QStringLiteral("-cert"), certsDir() + QStringLiteral("/server.pem"),
                  QStringLiteral("-key"), certsDir() + QStringLiteral("/server.key"),
                  protocol == QSsl::TlsV1_3 ? QStringLiteral("-tls1_3") : QStringLiteral("-tls1_2"),
                  QStringLiteral("-brief"), QStringLiteral("-rev")});
    QVERIFY(server.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(server.state() != QProcess::Running || [port] {
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, port);
        return probe.waitForConnected(100);
    }(), 10000);
    QCOMPARE(server.state(), QProcess::Running);
    const auto stop = qScopeGuard([&] { server.kill(); server.waitForFinished(); });

    QSslSocket client;
    client.setSslConfiguration(clientTrustingTestCa());
    client.connectToHostEncrypted(QStringLiteral("localhost"), port);
    if (blocking)
        QVERIFY2(client.waitForEncrypted(10000), qPrintable(client.errorString()));
    else
        QTRY_VERIFY_WITH_TIMEOUT(client.isEncrypted(), 10000);
    client.write("hello qssl-rs\n");
    if (blocking) {
        while (!client.canReadLine())
            QVERIFY(client.waitForReadyRead(5000));
    } else {
        QTRY_VERIFY_WITH_TIMEOUT(client.canReadLine(), 5000);
    }
    QCOMPARE(client.readLine(), QByteArray("sr-lssq olleh\n"));

    QByteArray serverOutput;
    QTRY_VERIFY_WITH_TIMEOUT((serverOutput += server.readAll()).contains("Ciphersuite"), 5000);
    QCOMPARE(briefValue(serverOutput, "Protocol version:"), opensslProtocolName(protocol));
    QCOMPARE(client.sessionProtocol(), protocol);
    QCOMPARE(briefValue(serverOutput, "Ciphersuite:"), client.sessionCipher().name());
}

void tst_QSslSocket::opensslClientToOurServer_data()
{
    QTest::addColumn<QSsl::SslProtocol>("protocol");
    QTest::newRow("TLS 1.2") << QSsl::TlsV1_2;
    QTest::newRow("TLS 1.3") << QSsl::TlsV1_3;
}

void tst_QSslSocket::opensslClientToOurServer()
{
    QFETCH(QSsl::SslProtocol, protocol);
    QSslServer server;
    server.setSslConfiguration(serverConfiguration(QStringLiteral("server")));
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QSslSocket *serverSide = nullptr;
    connect(&server, &QTcpServer::pendingConnectionAvailable, &server, [&] {
        serverSide = qobject_cast<QSslSocket *>(server.nextPendingConnection());
        connect(serverSide, &QIODevice::readyRead, serverSide, [&] { serverSide->write(serverSide->readAll()); });
    });

    QProcess client;
    client.start(QStringLiteral("openssl"),
                 {QStringLiteral("s_client"), QStringLiteral("-connect"),
                  QStringLiteral("127.0.0.1:%1").arg(server.serverPort()), QStringLiteral("-CAfile"),
                  certsDir() + QStringLiteral("/ca.pem"), QStringLiteral("-servername"), QStringLiteral("localhost"),
                  QStringLiteral("-verify_return_error"), QStringLiteral("-brief"),
                  protocol == QSsl::TlsV1_3 ? QStringLiteral("-tls1_3") : QStringLiteral("-tls1_2")});
    QVERIFY(client.waitForStarted());
    client.write("ping over tls\n");
    QByteArray clientOut;
    QTRY_VERIFY_WITH_TIMEOUT((clientOut += client.readAllStandardOutput()).contains("ping over tls"), 10000);
    client.closeWriteChannel();
    QVERIFY(client.waitForFinished(10000));
    const QByteArray clientErr = client.readAllStandardError();

    QVERIFY(serverSide);
    QCOMPARE(briefValue(clientErr, "Protocol version:"), opensslProtocolName(protocol));
    QCOMPARE(serverSide->sessionProtocol(), protocol);
    QCOMPARE(briefValue(clientErr, "Ciphersuite:"), serverSide->sessionCipher().name());
    QVERIFY2(clientErr.contains("Verification: OK"), clientErr.constData());
}

QTEST_MAIN(tst_QSslSocket)
#include "tst_qsslsocket.moc"
