// The extension header <QSslRs>: version, key logging (TLS 1.3, 1.2, DTLS), keying-material
// export, the negotiated group, public-key pins and certificates by server name, over 127.0.0.1
// against our own peer and against `openssl s_client` (whose -keylogfile and -keymatexport output
// must match ours byte for byte, and whose -servername must get the named certificate).
#include <QSslRs>

#include <QtCore/qdir.h>
#include <QtCore/qfile.h>
#include <QtCore/qpointer.h>
#include <QtCore/qprocess.h>
#include <QtCore/qregularexpression.h>
#include <QtCore/qstandardpaths.h>
#include <QtCore/qtemporarydir.h>
#include <QtNetwork/qdtls.h>
#include <QtNetwork/qsslellipticcurve.h>
#include <QtNetwork/qsslkey.h>
#include <QtNetwork/qsslserver.h>
#include <QtNetwork/qudpsocket.h>
#include <QtTest/qtest.h>

#include <memory>

namespace {

QString certsDir()
{
    return qEnvironmentVariable("QSSLRS_TEST_CERTS");
}

QSslCertificate certificate(const QString &name)
{
    return QSslCertificate::fromPath(certsDir() + u'/' + name).value(0);
}

QSslKey privateKey(const QString &name)
{
    QFile keyFile(certsDir() + u'/' + name);
    if (!keyFile.open(QIODevice::ReadOnly))
        return {};
    const QByteArray pem = keyFile.readAll();
    QSslKey key(pem, QSsl::Ec);
    return key.isNull() ? QSslKey(pem, QSsl::Rsa) : key;
}

QSslConfiguration serverConfiguration(QSsl::SslProtocol protocol = QSsl::TlsV1_2OrLater)
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(certificate(QStringLiteral("server.pem")));
    configuration.setPrivateKey(privateKey(QStringLiteral("server.key")));
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    configuration.setProtocol(protocol);
    return configuration;
}

QSslConfiguration clientConfiguration(QSsl::SslProtocol protocol = QSsl::TlsV1_2OrLater)
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates({certificate(QStringLiteral("ca.pem"))});
    configuration.setProtocol(protocol);
    return configuration;
}

// A server and a client of ours on 127.0.0.1; `connect()` waits until both are encrypted (or the
// client gave up) and keeps the client's sslErrors.
struct Pair
{
    QSslServer server;
    QSslSocket client;
    QPointer<QSslSocket> serverSide;
    QList<QSslError> clientErrors;

    Pair(const QSslConfiguration &serverConfig, const QSslConfiguration &clientConfig)
    {
        server.setSslConfiguration(serverConfig);
        client.setSslConfiguration(clientConfig);
        QObject::connect(&server, &QSslServer::pendingConnectionAvailable, &server, [this] {
            serverSide = qobject_cast<QSslSocket *>(server.nextPendingConnection());
        });
        QObject::connect(&client, &QSslSocket::sslErrors, &client,
                         [this](const QList<QSslError> &errors) { clientErrors += errors; });
    }

    // `peerName`: the name the client asks for (SNI) and verifies, when not "localhost".
    bool connect(const QString &peerName = QString())
    {
        if (!server.listen(QHostAddress::LocalHost, 0))
            return false;
        if (peerName.isEmpty())
            client.connectToHostEncrypted(QStringLiteral("localhost"), server.serverPort());
        else
            client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.serverPort(), peerName);
        const bool encrypted = QTest::qWaitFor([this] {
            return (client.isEncrypted() && serverSide && serverSide->isEncrypted())
                    || client.state() == QAbstractSocket::UnconnectedState;
        }, 10000);
        return encrypted && client.isEncrypted();
    }
};

// `openssl s_client` against `port`, its stdin closed once connected (it then says goodbye);
// returns what it printed.
QByteArray runSClient(quint16 port, const QStringList &extra)
{
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty())
        return "no openssl command";
    QProcess process;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(openssl, QStringList{QStringLiteral("s_client"), QStringLiteral("-connect"),
                                       QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("-servername"),
                                       QStringLiteral("localhost"), QStringLiteral("-CAfile"),
                                       certsDir() + QStringLiteral("/ca.pem")} + extra);
    process.closeWriteChannel();
    // The server answers from this event loop, so wait here without blocking it.
    if (!QTest::qWaitFor([&process] { return process.state() == QProcess::NotRunning; }, 15000)) {
        process.kill();
        process.waitForFinished();
    }
    return process.readAll();
}

// `openssl s_server` on 127.0.0.1 and a free port (0 when it did not start), for one connection.
quint16 startSServer(QProcess &process, const QStringList &extra)
{
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty())
        return 0;
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(openssl, QStringList{QStringLiteral("s_server"), QStringLiteral("-accept"),
                                       QStringLiteral("127.0.0.1:0"), QStringLiteral("-naccept"), QStringLiteral("1"),
                                       QStringLiteral("-cert"), certsDir() + QStringLiteral("/server.pem"),
                                       QStringLiteral("-key"), certsDir() + QStringLiteral("/server.key")}
                                   + extra);
    QByteArray output;
    const QRegularExpression accept(QStringLiteral("ACCEPT 127\\.0\\.0\\.1:(\\d+)"));
    QRegularExpressionMatch match;
    const bool started = QTest::qWaitFor([&] {
        output += process.readAll();
        match = accept.match(QString::fromLatin1(output));
        return match.hasMatch() || process.state() == QProcess::NotRunning;
    }, 10000);
    return started && match.hasMatch() ? quint16(match.captured(1).toUInt()) : 0;
}

// A key log's lines (comments and blank lines left out), sorted.
QStringList keyLogLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QStringList lines;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (!line.isEmpty() && !line.startsWith('#'))
            lines.append(QString::fromLatin1(line));
    }
    lines.sort();
    return lines;
}

} // namespace

class tst_QSslRs : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void version();
    void configurationKeys();
    void keyLogMatchesOpenSsl_data();
    void keyLogMatchesOpenSsl();
    void keyLogBothRoles();
    void keyLogDtls();
    void exporterMatchesOpenSsl_data();
    void exporterMatchesOpenSsl();
    void exporterBothRoles_data();
    void exporterBothRoles();
    void exporterNeedsEncryption();
    void negotiatedGroup();
    void groupAndPinWithOpenSslServer();
    void pinMatches_data();
    void pinMatches();
    void pinMismatchFails();
    void pinMismatchIgnored();
    void invalidPinsRefused();
    void serverNameCertificates_data();
    void serverNameCertificates();
    void serverNameCertificatesWithOpenSsl();
    void invalidServerNameCertificates();
};

void tst_QSslRs::initTestCase()
{
    QVERIFY2(!certsDir().isEmpty(), "QSSLRS_TEST_CERTS is not set");
    QVERIFY(!certificate(QStringLiteral("server.pem")).isNull());
    // Key logging here is asked for per configuration only.
    qunsetenv("SSLKEYLOGFILE");
}

void tst_QSslRs::version()
{
    QCOMPARE(QByteArray(qSslRsVersion()), QByteArray(QSSLRS_VERSION_STR));
    QCOMPARE(QByteArray(QSSLRS_VERSION_STR), QByteArray(QSSLRS_PROJECT_VERSION));
    QCOMPARE(QSSLRS_VERSION, QT_VERSION_CHECK(QSSLRS_VERSION_MAJOR, QSSLRS_VERSION_MINOR, QSSLRS_VERSION_PATCH));
}

void tst_QSslRs::configurationKeys()
{
    // Each setting is a backend configuration key, so code built against plain Qt can set it.
    QSslConfiguration configuration;
    QSslRs::setKeyLogFile(configuration, QStringLiteral("/tmp/keys.log"));
    QCOMPARE(configuration.backendConfiguration().value(QSslRs::KeyLogFileOption).toByteArray(),
             QByteArray("/tmp/keys.log"));
    QCOMPARE(QSslRs::keyLogFile(configuration), QStringLiteral("/tmp/keys.log"));
    QSslRs::setKeyLogFile(configuration, QString());
    QVERIFY(!configuration.backendConfiguration().contains(QSslRs::KeyLogFileOption));

    const QByteArray pin = QSslRs::publicKeyPin(certificate(QStringLiteral("server.pem")));
    QCOMPARE(pin.size(), 32);
    QSslRs::setPublicKeyPins(configuration, {pin, QByteArray(32, 'x')});
    QCOMPARE(configuration.backendConfiguration().value(QSslRs::PublicKeyPinsOption).toByteArray(),
             pin.toBase64() + ',' + QByteArray(32, 'x').toBase64());
    QCOMPARE(QSslRs::publicKeyPins(configuration), (QList<QByteArray>{pin, QByteArray(32, 'x')}));
    QSslRs::setPublicKeyPins(configuration, {});
    QVERIFY(QSslRs::publicKeyPins(configuration).isEmpty());
    QVERIFY(QSslRs::publicKeyPin(QSslCertificate()).isEmpty());
}

void tst_QSslRs::keyLogMatchesOpenSsl_data()
{
    QTest::addColumn<QString>("protocolOption");
    QTest::addRow("TLS 1.3") << QStringLiteral("-tls1_3");
    QTest::addRow("TLS 1.2") << QStringLiteral("-tls1_2");
}

void tst_QSslRs::keyLogMatchesOpenSsl()
{
    QFETCH(QString, protocolOption);
    QTemporaryDir dir;
    const QString ours = dir.filePath(QStringLiteral("qsslrs.keys"));
    const QString theirs = dir.filePath(QStringLiteral("openssl.keys"));
    QSslConfiguration configuration = serverConfiguration();
    QSslRs::setKeyLogFile(configuration, ours);
    QSslServer server;
    server.setSslConfiguration(configuration);
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    const QByteArray output = runSClient(server.serverPort(), {protocolOption, QStringLiteral("-keylogfile"), theirs});
    QVERIFY2(output.contains("Verify return code: 0 (ok)"), output.constData());

    const QStringList expected = keyLogLines(theirs);
    QVERIFY2(!expected.isEmpty(), "openssl s_client logged nothing");
    QCOMPARE(keyLogLines(ours), expected);
    const QString first = expected.constFirst().section(u' ', 0, 0);
    if (protocolOption == QStringLiteral("-tls1_2"))
        QCOMPARE(first, QStringLiteral("CLIENT_RANDOM"));
    else
        QCOMPARE(expected.size(), 5); // handshake and traffic secrets each way, the exporter's
}

void tst_QSslRs::keyLogBothRoles()
{
    QTemporaryDir dir;
    QSslConfiguration serverConfig = serverConfiguration();
    QSslRs::setKeyLogFile(serverConfig, dir.filePath(QStringLiteral("server.keys")));
    QSslConfiguration clientConfig = clientConfiguration();
    QSslRs::setKeyLogFile(clientConfig, dir.filePath(QStringLiteral("client.keys")));
    Pair pair(serverConfig, clientConfig);
    QVERIFY(pair.connect());
    const QStringList client = keyLogLines(dir.filePath(QStringLiteral("client.keys")));
    QCOMPARE(client.size(), 5);
    QCOMPARE(keyLogLines(dir.filePath(QStringLiteral("server.keys"))), client);
}

void tst_QSslRs::keyLogDtls()
{
    QTemporaryDir dir;
    QUdpSocket serverSocket;
    QUdpSocket clientSocket;
    QVERIFY(serverSocket.bind(QHostAddress::LocalHost, 0));
    QVERIFY(clientSocket.bind(QHostAddress::LocalHost, 0));
    QSslConfiguration serverConfig = serverConfiguration(QSsl::DtlsV1_2OrLater);
    serverConfig.setDtlsCookieVerificationEnabled(false);
    QSslRs::setKeyLogFile(serverConfig, dir.filePath(QStringLiteral("server.keys")));
    QSslConfiguration clientConfig = clientConfiguration(QSsl::DtlsV1_2OrLater);
    QSslRs::setKeyLogFile(clientConfig, dir.filePath(QStringLiteral("client.keys")));
    QDtls server(QSslSocket::SslServerMode);
    QDtls client(QSslSocket::SslClientMode);
    QVERIFY(server.setPeer(QHostAddress::LocalHost, clientSocket.localPort()));
    QVERIFY(server.setDtlsConfiguration(serverConfig));
    QVERIFY(client.setPeer(QHostAddress::LocalHost, serverSocket.localPort(), QStringLiteral("localhost")));
    QVERIFY(client.setDtlsConfiguration(clientConfig));
    QVERIFY(client.doHandshake(&clientSocket));
    // Each side answers what arrives until both are encrypted.
    const auto pump = [](QUdpSocket &socket, QDtls &dtls) {
        while (socket.hasPendingDatagrams()) {
            QByteArray datagram(socket.pendingDatagramSize(), Qt::Uninitialized);
            socket.readDatagram(datagram.data(), datagram.size());
            if (!dtls.isConnectionEncrypted())
                dtls.doHandshake(&socket, datagram);
        }
    };
    QTRY_VERIFY_WITH_TIMEOUT((pump(serverSocket, server), pump(clientSocket, client),
                              server.isConnectionEncrypted() && client.isConnectionEncrypted()), 10000);
    const QStringList clientLines = keyLogLines(dir.filePath(QStringLiteral("client.keys")));
    QCOMPARE(clientLines.size(), 1);
    QVERIFY(clientLines.constFirst().startsWith(QStringLiteral("CLIENT_RANDOM ")));
    QCOMPARE(keyLogLines(dir.filePath(QStringLiteral("server.keys"))), clientLines);
}

void tst_QSslRs::exporterMatchesOpenSsl_data()
{
    keyLogMatchesOpenSsl_data();
}

void tst_QSslRs::exporterMatchesOpenSsl()
{
    QFETCH(QString, protocolOption);
    Pair pair(serverConfiguration(), clientConfiguration());
    QVERIFY(pair.server.listen(QHostAddress::LocalHost, 0));
    const QByteArray label = "EXPERIMENTAL-qssl-rs";
    // Taken while the connection is up (s_client leaves once it has printed its own).
    QByteArray exported;
    QObject::connect(&pair.server, &QSslServer::pendingConnectionAvailable, &pair.server, [&] {
        exported = QSslRs::exportKeyingMaterial(pair.serverSide, label, 48);
    });
    const QByteArray output = runSClient(pair.server.serverPort(),
                                         {protocolOption, QStringLiteral("-keymatexport"), QString::fromLatin1(label),
                                          QStringLiteral("-keymatexportlen"), QStringLiteral("48")});
    const QRegularExpressionMatch match =
            QRegularExpression(QStringLiteral("Keying material: ([0-9A-F]+)")).match(QString::fromLatin1(output));
    QVERIFY2(match.hasMatch(), output.constData());
    // openssl exports without a context.
    QCOMPARE(exported.toHex().toUpper(), match.captured(1).toLatin1());
}

void tst_QSslRs::exporterBothRoles_data()
{
    QTest::addColumn<QSsl::SslProtocol>("protocol");
    QTest::addRow("TLS 1.3") << QSsl::TlsV1_3;
    QTest::addRow("TLS 1.2") << QSsl::TlsV1_2;
}

void tst_QSslRs::exporterBothRoles()
{
    QFETCH(QSsl::SslProtocol, protocol);
    Pair pair(serverConfiguration(protocol), clientConfiguration(protocol));
    QVERIFY(pair.connect());
    const QByteArray label = "EXPORTER-qssl-rs-test";
    const QByteArray clientSide = QSslRs::exportKeyingMaterial(&pair.client, label, 32, "context");
    QCOMPARE(clientSide.size(), 32);
    QCOMPARE(QSslRs::exportKeyingMaterial(pair.serverSide, label, 32, "context"), clientSide);
    QVERIFY(QSslRs::exportKeyingMaterial(&pair.client, label, 32, "other context") != clientSide);
    QVERIFY(QSslRs::exportKeyingMaterial(&pair.client, "other label", 32, "context") != clientSide);
    // TLS 1.2 tells no context from an empty one (RFC 5705); TLS 1.3 does not.
    const QByteArray none = QSslRs::exportKeyingMaterial(&pair.client, label, 32);
    const QByteArray empty = QSslRs::exportKeyingMaterial(&pair.client, label, 32, QByteArray(""));
    QCOMPARE(none == empty, protocol == QSsl::TlsV1_3);
    QCOMPARE(QSslRs::exportKeyingMaterial(pair.serverSide, label, 32), none);
}

void tst_QSslRs::exporterNeedsEncryption()
{
    QSslSocket socket;
    QVERIFY(QSslRs::exportKeyingMaterial(&socket, "label", 32).isEmpty());
    QVERIFY(QSslRs::exportKeyingMaterial(nullptr, "label", 32).isEmpty());
    QVERIFY(QSslRs::negotiatedGroup(&socket).isEmpty());
    QVERIFY(QSslRs::negotiatedGroup(nullptr).isEmpty());

    Pair pair(serverConfiguration(), clientConfiguration());
    QVERIFY(pair.connect());
    QVERIFY(QSslRs::exportKeyingMaterial(&pair.client, "label", 0).isEmpty());
    pair.client.disconnectFromHost();
    QTRY_COMPARE(pair.client.state(), QAbstractSocket::UnconnectedState);
    QVERIFY(QSslRs::exportKeyingMaterial(&pair.client, "label", 32).isEmpty());
}

void tst_QSslRs::negotiatedGroup()
{
    {
        // Post-quantum first where the OpenSSL has it (3.5 on), never a failure where it does not.
        Pair pair(serverConfiguration(), clientConfiguration());
        QVERIFY(pair.connect());
        const bool hasPostQuantum = QSslSocket::sslLibraryVersionNumber() >= 0x30500000L;
        const QString expected = hasPostQuantum ? QStringLiteral("X25519MLKEM768") : QStringLiteral("x25519");
        QCOMPARE(QSslRs::negotiatedGroup(&pair.client), expected);
        QCOMPARE(QSslRs::negotiatedGroup(pair.serverSide), expected);
    }
    {
        // So does the backend's own Groups setting.
        QSslConfiguration clientConfig = clientConfiguration();
        clientConfig.setBackendConfigurationOption("Groups", QByteArray("secp521r1"));
        Pair pair(serverConfiguration(), clientConfig);
        QVERIFY(pair.connect());
        QCOMPARE(QSslRs::negotiatedGroup(&pair.client), QStringLiteral("secp521r1"));
    }
    {
        // QSslConfiguration::setEllipticCurves() still decides.
        QSslConfiguration clientConfig = clientConfiguration();
        clientConfig.setEllipticCurves({QSslEllipticCurve::fromShortName(QStringLiteral("secp384r1"))});
        Pair pair(serverConfiguration(), clientConfig);
        QVERIFY(pair.connect());
        QCOMPARE(QSslRs::negotiatedGroup(&pair.client), QStringLiteral("secp384r1"));
    }
}

void tst_QSslRs::groupAndPinWithOpenSslServer()
{
    // openssl s_server offering only P-384: the group it chose, and its key pinned.
    QProcess sServer;
    const quint16 port = startSServer(sServer, {QStringLiteral("-groups"), QStringLiteral("P-384")});
    QVERIFY2(port, sServer.readAll().constData());
    QSslConfiguration clientConfig = clientConfiguration();
    QSslRs::setPublicKeyPins(clientConfig, {QSslRs::publicKeyPin(certificate(QStringLiteral("server.pem")))});
    QSslSocket client;
    client.setSslConfiguration(clientConfig);
    QList<QSslError> errors;
    QObject::connect(&client, &QSslSocket::sslErrors, &client, [&](const QList<QSslError> &list) { errors += list; });
    client.connectToHostEncrypted(QStringLiteral("localhost"), port);
    QTRY_VERIFY_WITH_TIMEOUT(client.isEncrypted() || client.state() == QAbstractSocket::UnconnectedState, 10000);
    QVERIFY2(client.isEncrypted(), qPrintable(client.errorString()));
    QVERIFY(errors.isEmpty());
    QCOMPARE(QSslRs::negotiatedGroup(&client), QStringLiteral("secp384r1"));
    client.disconnectFromHost();
    sServer.kill();
    sServer.waitForFinished();
}

void tst_QSslRs::pinMatches_data()
{
    QTest::addColumn<QString>("pinned");
    QTest::addRow("leaf") << QStringLiteral("server.pem");
    QTest::addRow("trust anchor") << QStringLiteral("ca.pem");
}

void tst_QSslRs::pinMatches()
{
    QFETCH(QString, pinned);
    QSslConfiguration clientConfig = clientConfiguration();
    QSslRs::setPublicKeyPins(clientConfig, {QByteArray(32, 'x'), QSslRs::publicKeyPin(certificate(pinned))});
    Pair pair(serverConfiguration(), clientConfig);
    QVERIFY(pair.connect());
    QVERIFY(pair.clientErrors.isEmpty());
}

void tst_QSslRs::pinMismatchFails()
{
    QSslConfiguration clientConfig = clientConfiguration();
    QSslRs::setPublicKeyPins(clientConfig, {QSslRs::publicKeyPin(certificate(QStringLiteral("client.pem")))});
    Pair pair(serverConfiguration(), clientConfig);
    QVERIFY(!pair.connect());
    QCOMPARE(pair.clientErrors.size(), 1);
    const QSslError error = pair.clientErrors.constFirst();
    QCOMPARE(error.error(), QSslError::CertificateRejected);
    QCOMPARE(error.certificate(), certificate(QStringLiteral("server.pem")));
    QCOMPARE(error.errorString(), QStringLiteral("The peer's certificate chain matches none of the pinned public keys"));
    QCOMPARE(pair.client.error(), QAbstractSocket::SslHandshakeFailedError);
    QCOMPARE(pair.client.errorString(), error.errorString());
}

void tst_QSslRs::pinMismatchIgnored()
{
    // The normal sslErrors() path: the error can be ignored like any other.
    QSslConfiguration clientConfig = clientConfiguration();
    QSslRs::setPublicKeyPins(clientConfig, {QByteArray(32, 'x')});
    Pair pair(serverConfiguration(), clientConfig);
    pair.client.ignoreSslErrors({QSslError(QSslError::CertificateRejected, certificate(QStringLiteral("server.pem")))});
    QVERIFY(pair.connect());
    QCOMPARE(pair.clientErrors.size(), 1);
}

void tst_QSslRs::invalidPinsRefused()
{
    QSslConfiguration clientConfig = clientConfiguration();
    clientConfig.setBackendConfigurationOption(QSslRs::PublicKeyPinsOption, QByteArray("not base64 digests"));
    Pair pair(serverConfiguration(), clientConfig);
    // Refused as Qt refuses a setting its backend cannot take (an invalid cipher list, say).
    QList<QPair<QAbstractSocket::SocketError, QString>> errors;
    QObject::connect(&pair.client, &QAbstractSocket::errorOccurred, &pair.client,
                     [&](QAbstractSocket::SocketError error) { errors.append({error, pair.client.errorString()}); });
    QVERIFY(pair.server.listen(QHostAddress::LocalHost, 0));
    pair.client.connectToHostEncrypted(QStringLiteral("localhost"), pair.server.serverPort());
    QTRY_VERIFY(!errors.isEmpty());
    QCOMPARE(errors.constFirst().first, QAbstractSocket::SslInvalidUserDataError);
    QVERIFY2(errors.constFirst().second.contains(QStringLiteral("QSslRsPublicKeyPins")),
             qPrintable(errors.constFirst().second));
    QVERIFY(!pair.client.isEncrypted());
}

// wrong.example and exact.test.example get wronghost.pem, other names under test.example
// server-rsa.pem (a wildcard); every other name the configuration's own server.pem.
static QSslConfiguration serverWithNames()
{
    QSslConfiguration configuration = serverConfiguration();
    const QSslKey wrongKey = privateKey(QStringLiteral("wronghost.key"));
    const QList<QSslCertificate> wrongChain = {certificate(QStringLiteral("wronghost.pem"))};
    if (!QSslRs::addServerNameCertificate(configuration, QStringLiteral("*.test.example"),
                                          {certificate(QStringLiteral("server-rsa.pem"))},
                                          privateKey(QStringLiteral("server-rsa.key")))
        || !QSslRs::addServerNameCertificate(configuration, QStringLiteral("wrong.example"), wrongChain, wrongKey)
        || !QSslRs::addServerNameCertificate(configuration, QStringLiteral("Exact.Test.Example"), wrongChain, wrongKey))
        return {};
    return configuration;
}

void tst_QSslRs::serverNameCertificates_data()
{
    QTest::addColumn<QString>("asked");
    QTest::addColumn<QString>("served");
    QTest::addColumn<bool>("verified");
    QTest::addRow("no listed name") << QStringLiteral("localhost") << QStringLiteral("server.pem") << true;
    QTest::addRow("exact") << QStringLiteral("wrong.example") << QStringLiteral("wronghost.pem") << true;
    QTest::addRow("wildcard") << QStringLiteral("a.test.example") << QStringLiteral("server-rsa.pem") << false;
    QTest::addRow("exact before wildcard") << QStringLiteral("exact.test.example") << QStringLiteral("wronghost.pem")
                                           << false;
    QTest::addRow("wildcard covers one label only") << QStringLiteral("a.b.test.example")
                                                    << QStringLiteral("server.pem") << false;
}

void tst_QSslRs::serverNameCertificates()
{
    QFETCH(QString, asked);
    QFETCH(QString, served);
    QFETCH(bool, verified);
    const QSslConfiguration serverConfig = serverWithNames();
    QVERIFY(!serverConfig.isNull());
    QSslConfiguration clientConfig = clientConfiguration();
    if (!verified)
        clientConfig.setPeerVerifyMode(QSslSocket::VerifyNone); // a name no test certificate has
    Pair pair(serverConfig, clientConfig);
    QVERIFY(pair.connect(asked));
    QCOMPARE(pair.client.peerCertificate(), certificate(served));
    // Qt 6.4 reports a host name mismatch with VerifyNone too (and goes on).
    if (verified)
        QVERIFY(pair.clientErrors.isEmpty());
}

void tst_QSslRs::serverNameCertificatesWithOpenSsl()
{
    QSslServer server;
    server.setSslConfiguration(serverWithNames());
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    // runSClient asks for localhost; a second -servername overrides it.
    const QByteArray output = runSClient(server.serverPort(), {QStringLiteral("-servername"),
                                                               QStringLiteral("wrong.example"),
                                                               QStringLiteral("-verify_hostname"),
                                                               QStringLiteral("wrong.example")});
    QVERIFY2(QRegularExpression(QStringLiteral("subject=.*CN ?= ?wrong\\.example")).match(QString::fromLatin1(output)).hasMatch(),
             output.constData());
    QVERIFY2(output.contains("Verify return code: 0 (ok)"), output.constData());
}

void tst_QSslRs::invalidServerNameCertificates()
{
    QSslConfiguration serverConfig = serverConfiguration();
    QVERIFY(!QSslRs::addServerNameCertificate(serverConfig, QString(), {certificate(QStringLiteral("server.pem"))},
                                              privateKey(QStringLiteral("server.key"))));
    QVERIFY(!QSslRs::addServerNameCertificate(serverConfig, QStringLiteral("a.example"), {},
                                              privateKey(QStringLiteral("server.key"))));
    QVERIFY(!serverConfig.backendConfiguration().contains(QSslRs::ServerNameCertificatesOption));
    // A name without a key, set as plain-Qt code would: the server refuses the configuration.
    serverConfig.setBackendConfigurationOption(
            QSslRs::ServerNameCertificatesOption,
            "-----BEGIN QSSLRS SERVER NAME-----\na.example\n-----END QSSLRS SERVER NAME-----\n"
                    + certificate(QStringLiteral("server.pem")).toPem());
    QSslServer server;
    server.setSslConfiguration(serverConfig);
    QList<QString> errors;
    QObject::connect(&server, &QSslServer::errorOccurred, &server,
                     [&](QSslSocket *socket, QAbstractSocket::SocketError) { errors.append(socket->errorString()); });
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    QSslSocket client;
    client.connectToHostEncrypted(QStringLiteral("localhost"), server.serverPort());
    QTRY_VERIFY(!errors.isEmpty());
    QVERIFY2(errors.constFirst().contains(QStringLiteral("QSslRsServerNameCertificates: no private key for a.example")),
             qPrintable(errors.constFirst()));
}

QTEST_GUILESS_MAIN(tst_QSslRs)
#include "tst_qsslrs.moc"
