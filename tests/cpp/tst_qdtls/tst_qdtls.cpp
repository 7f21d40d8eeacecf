// QDtls and QDtlsClientVerifier over 127.0.0.1 UDP: ours against ours (with the client verifier),
// against `openssl s_server -dtls` and `openssl s_client -dtls`, peer verification, PSK, and the
// precondition errors Qt reports.
#include <QtCore/qfile.h>
#include <QtCore/qprocess.h>
#include <QtCore/qthread.h>
#include <QtNetwork/qdtls.h>
#include <QtNetwork/qnetworkdatagram.h>
#include <QtNetwork/qsslcipher.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslkey.h>
#include <QtNetwork/qsslpresharedkeyauthenticator.h>
#include <QtNetwork/qudpsocket.h>
#include <QtTest/qtest.h>

#include <dlfcn.h>
#include <memory>
#include <map>

namespace {

QString certsDir()
{
    return qEnvironmentVariable("QSSLRS_TEST_CERTS");
}

QSslKey key(const QString &name)
{
    QFile file(certsDir() + u'/' + name);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QSslKey(&file, QSsl::Ec);
}

QList<QSslCertificate> certificates(const QString &name)
{
    return QSslCertificate::fromPath(certsDir() + u'/' + name);
}

// A DTLS echo server on 127.0.0.1: a client verifier in front, one QDtls per client.
class EchoServer : public QObject
{
public:
    explicit EchoServer(const QSslConfiguration &configuration) : configuration(configuration)
    {
        socket.bind(QHostAddress::LocalHost, 0);
        connect(&socket, &QUdpSocket::readyRead, this, &EchoServer::read);
    }
    quint16 port() const { return socket.localPort(); }

    int verifiedHellos = 0;
    int encrypted = 0;
    QList<QByteArray> pskIdentities;

private:
    void read()
    {
        while (socket.hasPendingDatagrams()) {
            const QNetworkDatagram datagram = socket.receiveDatagram();
            const auto key = std::make_pair(datagram.senderAddress().toString(), datagram.senderPort());
            auto it = connections.find(key);
            if (it == connections.end()) {
                if (!verifier.verifyClient(&socket, datagram.data(), datagram.senderAddress(), datagram.senderPort()))
                    continue;
                ++verifiedHellos;
                auto dtls = std::make_unique<QDtls>(QSslSocket::SslServerMode);
                dtls->setDtlsConfiguration(configuration);
                dtls->setPeer(datagram.senderAddress(), datagram.senderPort());
                connect(dtls.get(), &QDtls::pskRequired, this, [this](QSslPreSharedKeyAuthenticator *authenticator) {
                    pskIdentities << authenticator->identity();
                    authenticator->setPreSharedKey("0123456789");
                });
                QDtls *raw = dtls.get();
                connections[key] = std::move(dtls);
                raw->doHandshake(&socket, verifier.verifiedHello());
                if (raw->isConnectionEncrypted())
                    ++encrypted;
                continue;
            }
            QDtls *dtls = it->second.get();
            if (dtls->handshakeState() == QDtls::HandshakeInProgress) {
                dtls->doHandshake(&socket, datagram.data());
                if (dtls->isConnectionEncrypted())
                    ++encrypted;
            } else if (dtls->isConnectionEncrypted()) {
                const QByteArray plain = dtls->decryptDatagram(&socket, datagram.data());
                if (!plain.isEmpty())
                    dtls->writeDatagramEncrypted(&socket, "echo: " + plain);
            }
        }
    }

    QUdpSocket socket;
    QDtlsClientVerifier verifier;
    QSslConfiguration configuration;
    std::map<std::pair<QString, quint16>, std::unique_ptr<QDtls>> connections;
};

// Runs a client handshake with the server at `port`: true when it completed.
struct Client
{
    QUdpSocket socket;
    QDtls dtls{QSslSocket::SslClientMode};
    QList<QByteArray> received;

    Client(const QSslConfiguration &configuration, quint16 port, const QString &name = QStringLiteral("localhost"))
    {
        socket.bind(QHostAddress::LocalHost, 0);
        dtls.setDtlsConfiguration(configuration);
        dtls.setPeer(QHostAddress::LocalHost, port, name);
        QObject::connect(&dtls, &QDtls::handshakeTimeout, &dtls, [this] { dtls.handleTimeout(&socket); });
        QObject::connect(&socket, &QUdpSocket::readyRead, &dtls, [this] {
            while (socket.hasPendingDatagrams()) {
                const QByteArray datagram = socket.receiveDatagram().data();
                if (dtls.handshakeState() == QDtls::HandshakeInProgress)
                    dtls.doHandshake(&socket, datagram);
                else if (dtls.isConnectionEncrypted())
                    received << dtls.decryptDatagram(&socket, datagram);
            }
        });
    }

    bool handshake()
    {
        if (!dtls.doHandshake(&socket))
            return false;
        return QTest::qWaitFor([this] { return dtls.handshakeState() != QDtls::HandshakeInProgress; }, 10000);
    }
};

QSslConfiguration serverConfiguration()
{
    QSslConfiguration configuration = QSslConfiguration::defaultDtlsConfiguration();
    configuration.setLocalCertificateChain(certificates(QStringLiteral("server.pem")));
    configuration.setPrivateKey(key(QStringLiteral("server.key")));
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    return configuration;
}

QSslConfiguration trustingClient()
{
    QSslConfiguration configuration = QSslConfiguration::defaultDtlsConfiguration();
    configuration.setCaCertificates(certificates(QStringLiteral("ca.pem")));
    return configuration;
}

quint16 freeUdpPort()
{
    QUdpSocket probe;
    probe.bind(QHostAddress::LocalHost, 0);
    return probe.localPort();
}

} // namespace

class tst_QDtls : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void servedByQSslRs();
    void reportedAsImplemented();
    void preconditions();
    void verifierPreconditions();
    void echoThroughVerifier();
    void verificationFailsThenResumes();
    void verificationFailsAndAborts();
    void psk();
    void againstOpenSslServer_data();
    void againstOpenSslServer();
    void openSslClient();
};

void tst_QDtls::initTestCase()
{
    QVERIFY2(!certsDir().isEmpty(), "QSSLRS_TEST_CERTS is not set");
}

void tst_QDtls::servedByQSslRs()
{
    Dl_info info{};
    QVERIFY(dladdr(&QDtls::staticMetaObject, &info));
    QVERIFY2(QByteArray(info.dli_fname).contains("libQSslRs"), info.dli_fname);
}

void tst_QDtls::reportedAsImplemented()
{
    QVERIFY(QSslSocket::isClassImplemented(QSsl::ImplementedClass::Dtls));
    QVERIFY(QSslSocket::isClassImplemented(QSsl::ImplementedClass::DtlsCookie));
    QVERIFY(QSslSocket::isProtocolSupported(QSsl::DtlsV1_2));
    QVERIFY(QSslSocket::isProtocolSupported(QSsl::DtlsV1_2OrLater));
    const QSslConfiguration dtls = QSslConfiguration::defaultDtlsConfiguration();
    QCOMPARE(dtls.protocol(), QSsl::DtlsV1_2OrLater);
    QVERIFY(dtls.dtlsCookieVerificationEnabled());
}

void tst_QDtls::preconditions()
{
    QUdpSocket socket;
    QDtls client(QSslSocket::SslClientMode);
    QCOMPARE(client.sslMode(), QSslSocket::SslClientMode);
    QCOMPARE(client.handshakeState(), QDtls::HandshakeNotStarted);
    QCOMPARE(client.dtlsConfiguration().protocol(), QSsl::DtlsV1_2OrLater);
    QCOMPARE(client.cookieGeneratorParameters().hash, QCryptographicHash::Sha256);
    QCOMPARE(client.cookieGeneratorParameters().secret.size(), 32);
    QCOMPARE(QDtlsClientVerifier::GeneratorParameters().hash, QCryptographicHash::Sha1);

    QVERIFY(!client.setPeer(QHostAddress(), 1));
    QCOMPARE(client.dtlsError(), QDtlsError::InvalidInputParameters);
    QCOMPARE(client.dtlsErrorString(), QStringLiteral("Invalid address"));
    QVERIFY(!client.setPeer(QHostAddress::Broadcast, 1));
    QCOMPARE(client.dtlsErrorString(), QStringLiteral("Multicast and broadcast addresses are not supported"));
    QVERIFY(!client.setPeer(QHostAddress(QStringLiteral("224.0.0.1")), 1));
    QCOMPARE(client.dtlsError(), QDtlsError::InvalidInputParameters);

    QVERIFY(!client.doHandshake(nullptr));
    QCOMPARE(client.dtlsErrorString(), QStringLiteral("Invalid (nullptr) socket"));
    QVERIFY(!client.doHandshake(&socket));
    QCOMPARE(client.dtlsError(), QDtlsError::InvalidOperation);
    QCOMPARE(client.dtlsErrorString(), QStringLiteral("To start a handshake you must set peer's address and port first"));

    QDtls server(QSslSocket::SslServerMode);
    QVERIFY(server.setPeer(QHostAddress::LocalHost, 1234));
    QVERIFY(!server.doHandshake(&socket));
    QCOMPARE(server.dtlsErrorString(),
             QStringLiteral("To start a handshake, DTLS server requires non-empty datagram (client hello)"));

    QVERIFY(!client.shutdown(&socket));
    QCOMPARE(client.dtlsErrorString(), QStringLiteral("Cannot send shutdown alert, not encrypted"));
    QCOMPARE(client.writeDatagramEncrypted(&socket, "x"), qint64(-1));
    QCOMPARE(client.dtlsErrorString(), QStringLiteral("Cannot write a datagram, not in encrypted state"));
    QVERIFY(client.decryptDatagram(&socket, "x").isEmpty());
    QCOMPARE(client.dtlsErrorString(), QStringLiteral("Cannot read a datagram, not in encrypted state"));
    QVERIFY(!client.resumeHandshake(&socket));
    QCOMPARE(client.dtlsErrorString(), QStringLiteral("Cannot resume, not in VerificationError state"));
    QVERIFY(!client.abortHandshake(&socket));
    QCOMPARE(client.dtlsErrorString(), QStringLiteral("No handshake in progress, nothing to abort"));

    QVERIFY(!client.setCookieGeneratorParameters({QCryptographicHash::Sha256, {}}));
    QCOMPARE(client.dtlsErrorString(), QStringLiteral("Invalid (empty) secret"));
    // Qt 6.4 reports false even when it took them.
    QVERIFY(!client.setCookieGeneratorParameters({QCryptographicHash::Sha512, "secret"}));
    QCOMPARE(client.dtlsError(), QDtlsError::NoError);
    QCOMPARE(client.cookieGeneratorParameters().hash, QCryptographicHash::Sha512);

    // A configuration that is not DTLS is refused when the handshake starts.
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    QVERIFY(client.setDtlsConfiguration(tls));
    QVERIFY(client.setPeer(QHostAddress::LocalHost, freeUdpPort()));
    socket.bind(QHostAddress::LocalHost, 0);
    QVERIFY(!client.doHandshake(&socket));
    QCOMPARE(client.dtlsError(), QDtlsError::TlsInitializationError);
    QCOMPARE(client.dtlsErrorString(), QStringLiteral("Invalid protocol version, DTLS protocol expected"));

    // Settings that only apply before the handshake.
    QVERIFY(client.setDtlsConfiguration(trustingClient()));
    QVERIFY(client.doHandshake(&socket));
    QCOMPARE(client.handshakeState(), QDtls::HandshakeInProgress);
    QVERIFY(!client.setPeer(QHostAddress::LocalHost, 1));
    QCOMPARE(client.dtlsErrorString(), QStringLiteral("Cannot set peer after handshake started"));
    QVERIFY(!client.setPeerVerificationName(QStringLiteral("x")));
    QCOMPARE(client.dtlsErrorString(), QStringLiteral("Cannot set verification name after handshake started"));
    QVERIFY(!client.setDtlsConfiguration(trustingClient()));
    QCOMPARE(client.dtlsErrorString(), QStringLiteral("Cannot set configuration after handshake started"));
    QVERIFY(!client.doHandshake(&socket));
    QCOMPARE(client.dtlsErrorString(),
             QStringLiteral("A valid QUdpSocket and non-empty datagram are needed to continue the handshake"));
    QVERIFY(client.abortHandshake(&socket));
    QCOMPARE(client.handshakeState(), QDtls::HandshakeNotStarted);
}

void tst_QDtls::verifierPreconditions()
{
    QUdpSocket socket;
    QDtlsClientVerifier verifier;
    QVERIFY(!verifier.verifyClient(nullptr, "x", QHostAddress::LocalHost, 1));
    QCOMPARE(verifier.dtlsError(), QDtlsError::InvalidInputParameters);
    QCOMPARE(verifier.dtlsErrorString(),
             QStringLiteral("A valid UDP socket, non-empty datagram, and valid address/port were expected"));
    QVERIFY(!verifier.verifyClient(&socket, "x", QHostAddress::Broadcast, 1));
    QCOMPARE(verifier.dtlsErrorString(), QStringLiteral("Multicast and broadcast addresses are not supported"));
    QVERIFY(!verifier.setCookieGeneratorParameters({}));
    QCOMPARE(verifier.dtlsErrorString(), QStringLiteral("Invalid (empty) secret"));
    QVERIFY(verifier.setCookieGeneratorParameters({QCryptographicHash::Sha1, "s"}));
    QCOMPARE(verifier.dtlsError(), QDtlsError::NoError);
    // Not a ClientHello: dropped, no error.
    socket.bind(QHostAddress::LocalHost, 0);
    QVERIFY(!verifier.verifyClient(&socket, "junk", QHostAddress::LocalHost, 9));
    QCOMPARE(verifier.dtlsError(), QDtlsError::NoError);
    QVERIFY(verifier.verifiedHello().isEmpty());
}

void tst_QDtls::echoThroughVerifier()
{
    EchoServer server(serverConfiguration());
    Client client(trustingClient(), server.port());
    QVERIFY2(client.handshake(), qPrintable(client.dtls.dtlsErrorString()));
    QCOMPARE(client.dtls.handshakeState(), QDtls::HandshakeComplete);
    QVERIFY(client.dtls.isConnectionEncrypted());
    QCOMPARE(client.dtls.sessionProtocol(), QSsl::DtlsV1_2);
    QVERIFY(!client.dtls.sessionCipher().isNull());
    QVERIFY(client.dtls.peerVerificationErrors().isEmpty());
    QCOMPARE(server.verifiedHellos, 1);
    QTRY_COMPARE(server.encrypted, 1);

    QCOMPARE(client.dtls.writeDatagramEncrypted(&client.socket, "hello"), qint64(5));
    QTRY_COMPARE(client.received.size(), 1);
    QCOMPARE(client.received.constFirst(), QByteArray("echo: hello"));

    QVERIFY(client.dtls.shutdown(&client.socket));
    QCOMPARE(client.dtls.handshakeState(), QDtls::HandshakeNotStarted);
    QVERIFY(!client.dtls.isConnectionEncrypted());
}

void tst_QDtls::verificationFailsThenResumes()
{
    EchoServer server(serverConfiguration());
    Client client(QSslConfiguration::defaultDtlsConfiguration(), server.port()); // the test CA unknown
    QVERIFY(!client.handshake() || client.dtls.handshakeState() == QDtls::PeerVerificationFailed);
    QCOMPARE(client.dtls.handshakeState(), QDtls::PeerVerificationFailed);
    QCOMPARE(client.dtls.dtlsError(), QDtlsError::PeerVerificationError);
    QCOMPARE(client.dtls.dtlsErrorString(), QStringLiteral("Peer verification failed"));
    const QList<QSslError> errors = client.dtls.peerVerificationErrors();
    QVERIFY(!errors.isEmpty());
    QVERIFY(!client.dtls.resumeHandshake(&client.socket)); // nothing ignored yet
    QCOMPARE(client.dtls.dtlsError(), QDtlsError::NoError);
    client.dtls.ignoreVerificationErrors(errors);
    QVERIFY(client.dtls.resumeHandshake(&client.socket));
    QCOMPARE(client.dtls.handshakeState(), QDtls::HandshakeComplete);
    QCOMPARE(client.dtls.writeDatagramEncrypted(&client.socket, "after"), qint64(5));
    QTRY_COMPARE(client.received.size(), 1);
}

void tst_QDtls::verificationFailsAndAborts()
{
    EchoServer server(serverConfiguration());
    // The name the certificate must carry is wrong.
    Client client(trustingClient(), server.port(), QStringLiteral("wrong.example"));
    client.handshake();
    QCOMPARE(client.dtls.handshakeState(), QDtls::PeerVerificationFailed);
    QCOMPARE(client.dtls.peerVerificationErrors().constFirst().error(), QSslError::HostNameMismatch);
    QVERIFY(client.dtls.abortHandshake(&client.socket));
    QCOMPARE(client.dtls.handshakeState(), QDtls::HandshakeNotStarted);
    QVERIFY(client.dtls.peerVerificationErrors().isEmpty());
}

void tst_QDtls::psk()
{
    QSslConfiguration serverSide = QSslConfiguration::defaultDtlsConfiguration();
    serverSide.setPeerVerifyMode(QSslSocket::VerifyNone);
    serverSide.setCiphers(QStringLiteral("PSK-AES128-GCM-SHA256"));
    serverSide.setPreSharedKeyIdentityHint("dtls hint");
    EchoServer server(serverSide);
    QSslConfiguration clientSide = serverSide;
    Client client(clientSide, server.port());
    QByteArray hint;
    QObject::connect(&client.dtls, &QDtls::pskRequired, &client.dtls, [&](QSslPreSharedKeyAuthenticator *authenticator) {
        hint = authenticator->identityHint();
        authenticator->setIdentity("dtls client");
        authenticator->setPreSharedKey("0123456789");
    });
    QVERIFY2(client.handshake(), qPrintable(client.dtls.dtlsErrorString()));
    QCOMPARE(client.dtls.handshakeState(), QDtls::HandshakeComplete);
    QCOMPARE(hint, QByteArray("dtls hint"));
    QTRY_COMPARE(server.pskIdentities, QList<QByteArray>{"dtls client"});
    QCOMPARE(client.dtls.sessionCipher().name(), QStringLiteral("PSK-AES128-GCM-SHA256"));
}

void tst_QDtls::againstOpenSslServer_data()
{
    QTest::addColumn<QString>("version");
    QTest::addColumn<QSsl::SslProtocol>("protocol");
    QTest::newRow("DTLS 1.2") << QStringLiteral("-dtls1_2") << QSsl::DtlsV1_2;
    QTest::newRow("any DTLS") << QStringLiteral("-dtls") << QSsl::DtlsV1_2;
}

void tst_QDtls::againstOpenSslServer()
{
    QFETCH(QString, version);
    QFETCH(QSsl::SslProtocol, protocol);
    const quint16 port = freeUdpPort();
    QProcess server;
    server.setProcessChannelMode(QProcess::MergedChannels);
    server.start(QStringLiteral("openssl"),
                 {QStringLiteral("s_server"), version, QStringLiteral("-accept"), QStringLiteral("127.0.0.1:%1").arg(port),
                  QStringLiteral("-cert"), certsDir() + QStringLiteral("/server.pem"), QStringLiteral("-key"),
                  certsDir() + QStringLiteral("/server.key"), QStringLiteral("-quiet")});
    QVERIFY(server.waitForStarted());
    QThread::msleep(300); // s_server binds its UDP port
    Client client(trustingClient(), port);
    QVERIFY2(client.handshake(), qPrintable(client.dtls.dtlsErrorString()));
    QCOMPARE(client.dtls.handshakeState(), QDtls::HandshakeComplete);
    QCOMPARE(client.dtls.sessionProtocol(), protocol);
    QVERIFY(client.dtls.writeDatagramEncrypted(&client.socket, "from qssl-rs\n") > 0);
    QByteArray printed;
    QTRY_VERIFY_WITH_TIMEOUT((printed += server.readAllStandardOutput()).contains("from qssl-rs"), 10000);
    client.dtls.shutdown(&client.socket);
    server.kill();
    server.waitForFinished();
}

void tst_QDtls::openSslClient()
{
    EchoServer server(serverConfiguration());
    QProcess client;
    client.start(QStringLiteral("openssl"),
                 {QStringLiteral("s_client"), QStringLiteral("-dtls1_2"), QStringLiteral("-connect"),
                  QStringLiteral("127.0.0.1:%1").arg(server.port()), QStringLiteral("-CAfile"),
                  certsDir() + QStringLiteral("/ca.pem"), QStringLiteral("-quiet")});
    QVERIFY(client.waitForStarted());
    QTRY_COMPARE_WITH_TIMEOUT(server.encrypted, 1, 10000);
    client.write("ping\n");
    QByteArray printed;
    QTRY_VERIFY_WITH_TIMEOUT((printed += client.readAllStandardOutput()).contains("echo: ping"), 10000);
    client.kill();
    client.waitForFinished();
}

QTEST_GUILESS_MAIN(tst_QDtls)
#include "tst_qdtls.moc"
