// Prints what QSslSocket shows when a handshake asks its app a question (PSK credentials,
// handshakeMustInterruptOnError) and how each answer ends, as a client of `openssl s_server` and as
// a server of `openssl s_client`. Built against the system's QtNetwork and against qssl-rs; the
// interop test asserts that the two traces are identical.
//   question_trace CERTS_DIR
#include <QtCore/qcoreapplication.h>
#include <QtCore/qfile.h>
#include <QtCore/qeventloop.h>
#include <QtCore/qprocess.h>
#include <QtCore/qthread.h>
#include <QtCore/qtimer.h>
#include <QtNetwork/qsslcipher.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslkey.h>
#include <QtNetwork/qsslpresharedkeyauthenticator.h>
#include <QtNetwork/qsslserver.h>
#include <QtNetwork/qsslsocket.h>
#include <QtNetwork/qtcpserver.h>

#include "trace.h"

#include <cstdio>
#include <functional>

namespace {

using namespace trace;

QString certsDir;
const QByteArray pskHex = "1a2b3c4d5e6f";
const QByteArray psk = QByteArray::fromHex(pskHex);

QString authenticatorFields(const QSslPreSharedKeyAuthenticator *authenticator)
{
    return QStringLiteral("hint=\"%1\" identity=\"%2\" maxIdentity=%3 maxKey=%4")
            .arg(QString::fromLatin1(authenticator->identityHint()), QString::fromLatin1(authenticator->identity()))
            .arg(authenticator->maximumIdentityLength())
            .arg(authenticator->maximumPreSharedKeyLength());
}

// What the app does when asked for PSK credentials.
// (Qt 6.4 crashes when the slot aborts the socket: that case is in tst_reentrancy instead.)
enum class PskAnswer { Right, Wrong, Nothing };

void answerPsk(QSslPreSharedKeyAuthenticator *authenticator, PskAnswer answer)
{
    switch (answer) {
    case PskAnswer::Right:
        authenticator->setIdentity("client-id");
        authenticator->setPreSharedKey(psk);
        break;
    case PskAnswer::Wrong:
        authenticator->setIdentity("client-id");
        authenticator->setPreSharedKey("wrong key");
        break;
    case PskAnswer::Nothing:
        break;
    }
}

struct ClientScenario
{
    const char *name;
    QStringList serverArguments; // after s_server -accept ...
    std::function<void(QSslConfiguration &)> configure;
    std::function<void(QSslSocket *)> connectQuestions;
};

void runClient(const ClientScenario &scenario)
{
    line(QStringLiteral("== client: %1").arg(QLatin1StringView(scenario.name)));
    const quint16 port = freePort();
    QProcess server;
    startOpenSsl(server, QStringList{QStringLiteral("s_server"), QStringLiteral("-accept"),
                                     QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("-rev"),
                                     QStringLiteral("-quiet")}
                                 + scenario.serverArguments);
    waitForListener(port);

    QSslSocket socket;
    QSslConfiguration configuration = socket.sslConfiguration();
    configuration.setCaCertificates({});
    scenario.configure(configuration);
    socket.setSslConfiguration(configuration);
    QEventLoop loop;
    traceSocket(&socket, QStringLiteral("client"), loop);
    scenario.connectQuestions(&socket);
    QObject::connect(&socket, &QSslSocket::encrypted, &loop, [&] { socket.write("ping\n"); });
    QObject::connect(&socket, &QIODevice::readyRead, &loop, [&] {
        if (!socket.canReadLine())
            return;
        line(QStringLiteral("client read %1").arg(QString::fromLatin1(socket.readLine().trimmed())));
        socket.disconnectFromHost();
    });
    QObject::connect(&socket, &QAbstractSocket::disconnected, &loop, [&] {
        line(QStringLiteral("client disconnected"));
        loop.quit();
    });
    QTimer::singleShot(5000, &loop, [&] {
        line(QStringLiteral("client timeout"));
        loop.quit();
    });
    socket.connectToHostEncrypted(QStringLiteral("localhost"), port);
    if (socket.state() != QAbstractSocket::UnconnectedState)
        loop.exec();
    line(QStringLiteral("client final state=%1 error=%2 encrypted=%3")
                 .arg(int(socket.state()))
                 .arg(int(socket.error()))
                 .arg(socket.isEncrypted()));
    server.kill();
    server.waitForFinished();
}

QStringList pskServer(const char *protocol)
{
    return {QStringLiteral("-nocert"), QStringLiteral("-psk"), QString::fromLatin1(pskHex),
            QStringLiteral("-psk_hint"), QStringLiteral("server hint"), QString::fromLatin1(protocol),
            QStringLiteral("-cipher"), QStringLiteral("PSK-AES128-GCM-SHA256")};
}

std::function<void(QSslSocket *)> onPsk(PskAnswer answer)
{
    return [answer](QSslSocket *socket) {
        QObject::connect(socket, &QSslSocket::preSharedKeyAuthenticationRequired, socket,
                         [answer](QSslPreSharedKeyAuthenticator *authenticator) {
                             line(QStringLiteral("client preSharedKeyAuthenticationRequired %1")
                                          .arg(authenticatorFields(authenticator)));
                             answerPsk(authenticator, answer);
                         });
    };
}

void pskClient(QSslConfiguration &configuration)
{
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    configuration.setProtocol(QSsl::TlsV1_2);
    configuration.setCiphers(QStringLiteral("PSK-AES128-GCM-SHA256"));
}

// What the app does when a verification error interrupts the handshake.
// (Qt 6.4 crashes when the slot aborts the socket: that case is in tst_reentrancy instead.)
enum class Interruption { Continue, IgnoreOnly, Nothing };

std::function<void(QSslSocket *)> onInterruption(Interruption answer)
{
    return [answer](QSslSocket *socket) {
        QObject::connect(socket, &QSslSocket::handshakeInterruptedOnError, socket, [socket, answer](const QSslError &error) {
            line(QStringLiteral("client handshakeInterruptedOnError %1").arg(errorNames({error})));
            switch (answer) {
            case Interruption::Continue:
                socket->ignoreSslErrors();
                socket->continueInterruptedHandshake();
                break;
            case Interruption::IgnoreOnly:
                socket->ignoreSslErrors();
                break;
            case Interruption::Nothing:
                break;
            }
        });
    };
}

QStringList certServer(const char *stem)
{
    return {QStringLiteral("-cert"), QStringLiteral("%1/%2.pem").arg(certsDir, QLatin1StringView(stem)),
            QStringLiteral("-key"), QStringLiteral("%1/%2.key").arg(certsDir, QLatin1StringView(stem))};
}

void interrupting(QSslConfiguration &configuration)
{
    configuration.setHandshakeMustInterruptOnError(true);
}

// Our QSslServer (or Qt's) with PSK, against `openssl s_client -psk`.
void runServer(const char *name, PskAnswer answer, const QByteArray &clientKeyHex, const char *protocol)
{
    line(QStringLiteral("== server: %1").arg(QLatin1StringView(name)));
    QSslServer server;
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    configuration.setPreSharedKeyIdentityHint("our hint");
    configuration.setCiphers(QStringLiteral("PSK-AES128-GCM-SHA256"));
    server.setSslConfiguration(configuration);
    QEventLoop loop;
    QObject::connect(&server, &QSslServer::preSharedKeyAuthenticationRequired, &loop,
                     [answer](QSslSocket *, QSslPreSharedKeyAuthenticator *authenticator) {
                         line(QStringLiteral("server preSharedKeyAuthenticationRequired %1").arg(authenticatorFields(authenticator)));
                         answerPsk(authenticator, answer);
                     });
    QObject::connect(&server, &QSslServer::startedEncryptionHandshake, &loop, [&](QSslSocket *socket) {
        traceSocket(socket, QStringLiteral("server"), loop);
        QObject::connect(socket, &QAbstractSocket::disconnected, &loop, [&] {
            line(QStringLiteral("server disconnected"));
            loop.quit();
        });
    });
    QObject::connect(&server, &QSslServer::pendingConnectionAvailable, &loop, [&] {
        QSslSocket *socket = static_cast<QSslSocket *>(server.nextPendingConnection());
        QObject::connect(socket, &QIODevice::readyRead, &loop, [socket] {
            line(QStringLiteral("server read %1").arg(QString::fromLatin1(socket->readAll().trimmed())));
            socket->disconnectFromHost();
        });
    });
    server.listen(QHostAddress::LocalHost, 0);
    QProcess client;
    startOpenSsl(client, {QStringLiteral("s_client"), QStringLiteral("-connect"),
                          QStringLiteral("127.0.0.1:%1").arg(server.serverPort()), QStringLiteral("-psk"),
                          QString::fromLatin1(clientKeyHex), QStringLiteral("-psk_identity"),
                          QStringLiteral("their id"), QString::fromLatin1(protocol), QStringLiteral("-quiet")});
    client.write("hello\n");
    QTimer::singleShot(5000, &loop, [&] {
        line(QStringLiteral("server timeout"));
        loop.quit();
    });
    loop.exec();
    client.kill();
    client.waitForFinished();
}

QSslKey keyFrom(const QString &path)
{
    QFile file(path);
    file.open(QIODevice::ReadOnly);
    return QSslKey(&file, QSsl::Ec);
}

// A QSslServer and a QSslSocket of the same library, both traced: what each side sees when the
// other rejects its certificate.
void runBothSides(const char *name, const std::function<void(QSslConfiguration &)> &configureServer,
                  const std::function<void(QSslConfiguration &)> &configureClient)
{
    line(QStringLiteral("== both sides: %1").arg(QLatin1StringView(name)));
    QSslServer server;
    QSslConfiguration serverConfiguration = QSslConfiguration::defaultConfiguration();
    configureServer(serverConfiguration);
    server.setSslConfiguration(serverConfiguration);
    QEventLoop loop;
    int disconnects = 0;
    const auto oneDisconnected = [&](const char *who) {
        line(QStringLiteral("%1 disconnected").arg(QLatin1StringView(who)));
        if (++disconnects == 2)
            loop.quit();
    };
    QObject::connect(&server, &QSslServer::startedEncryptionHandshake, &loop, [&](QSslSocket *socket) {
        traceSocket(socket, QStringLiteral("server"), loop);
        QObject::connect(socket, &QAbstractSocket::disconnected, &loop, [&] { oneDisconnected("server"); });
    });
    QObject::connect(&server, &QSslServer::pendingConnectionAvailable, &loop, [&] {
        QTcpSocket *socket = server.nextPendingConnection();
        QObject::connect(socket, &QIODevice::readyRead, socket, [socket] { socket->write(socket->readAll()); });
    });
    server.listen(QHostAddress::LocalHost, 0);

    QSslSocket client;
    QSslConfiguration clientConfiguration = client.sslConfiguration();
    clientConfiguration.setCaCertificates(QSslCertificate::fromPath(certsDir + QStringLiteral("/ca.pem")));
    configureClient(clientConfiguration);
    client.setSslConfiguration(clientConfiguration);
    traceSocket(&client, QStringLiteral("client"), loop);
    QObject::connect(&client, &QSslSocket::encrypted, &loop, [&] { client.write("ping\n"); });
    QObject::connect(&client, &QIODevice::readyRead, &loop, [&] {
        line(QStringLiteral("client read %1").arg(QString::fromLatin1(client.readAll().trimmed())));
        client.disconnectFromHost();
    });
    QObject::connect(&client, &QAbstractSocket::disconnected, &loop, [&] { oneDisconnected("client"); });
    QTimer::singleShot(5000, &loop, [&] {
        line(QStringLiteral("timeout"));
        loop.quit();
    });
    client.connectToHostEncrypted(QStringLiteral("localhost"), server.serverPort());
    loop.exec();
}

void serverIdentity(QSslConfiguration &configuration, const char *stem)
{
    configuration.setLocalCertificate(
            QSslCertificate::fromPath(QStringLiteral("%1/%2.pem").arg(certsDir, QLatin1StringView(stem))).value(0));
    configuration.setPrivateKey(keyFrom(QStringLiteral("%1/%2.key").arg(certsDir, QLatin1StringView(stem))));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: question_trace CERTS_DIR\n");
        return 2;
    }
    certsDir = QString::fromLocal8Bit(argv[1]);

    const ClientScenario clients[] = {
        {"PSK right key", pskServer("-tls1_2"), pskClient, onPsk(PskAnswer::Right)},
        {"PSK wrong key", pskServer("-tls1_2"), pskClient, onPsk(PskAnswer::Wrong)},
        {"PSK no key given", pskServer("-tls1_2"), pskClient, onPsk(PskAnswer::Nothing)},
        {"PSK, peer verified", pskServer("-tls1_2"),
         [](QSslConfiguration &c) {
             pskClient(c);
             c.setPeerVerifyMode(QSslSocket::VerifyPeer);
         },
         onPsk(PskAnswer::Right)},
        {"PSK server, TLS 1.3 client with default ciphers", pskServer("-tls1_3"),
         [](QSslConfiguration &c) { c.setPeerVerifyMode(QSslSocket::VerifyNone); }, onPsk(PskAnswer::Right)},
        {"interrupted, continued", certServer("selfsigned"), interrupting, onInterruption(Interruption::Continue)},
        {"interrupted, errors ignored without continuing", certServer("selfsigned"), interrupting,
         onInterruption(Interruption::IgnoreOnly)},
        {"interrupted, no answer", certServer("selfsigned"), interrupting, onInterruption(Interruption::Nothing)},
        {"interrupted twice (expired, untrusted), continued", certServer("expired"), interrupting,
         onInterruption(Interruption::Continue)},
        {"interrupted, wrong host is not an interruption", certServer("wronghost"),
         [](QSslConfiguration &c) {
             interrupting(c);
             c.setCaCertificates(QSslCertificate::fromPath(certsDir + QStringLiteral("/ca.pem")));
         },
         onInterruption(Interruption::Continue)},
        {"interrupt set, VerifyNone", certServer("selfsigned"),
         [](QSslConfiguration &c) {
             interrupting(c);
             c.setPeerVerifyMode(QSslSocket::VerifyNone);
         },
         onInterruption(Interruption::Continue)},
        {"interrupt set, valid certificate", certServer("server"),
         [](QSslConfiguration &c) {
             interrupting(c);
             c.setCaCertificates(QSslCertificate::fromPath(certsDir + QStringLiteral("/ca.pem")));
         },
         onInterruption(Interruption::Continue)},
    };
    for (const ClientScenario &scenario : clients)
        runClient(scenario);

    runServer("PSK right key", PskAnswer::Right, pskHex, "-tls1_2");
    runServer("PSK wrong key", PskAnswer::Right, "abcdef", "-tls1_2");
    runServer("PSK no key given", PskAnswer::Nothing, pskHex, "-tls1_2");
    runServer("PSK, TLS 1.3 client offering an external PSK", PskAnswer::Right, pskHex, "-tls1_3");

    const auto selfSignedServer = [](QSslConfiguration &c) { serverIdentity(c, "selfsigned"); };
    const auto validServer = [](QSslConfiguration &c) { serverIdentity(c, "server"); };
    const auto verifyingServer = [](QSslConfiguration &c) {
        serverIdentity(c, "server");
        c.setPeerVerifyMode(QSslSocket::VerifyPeer);
        c.setCaCertificates(QSslCertificate::fromPath(certsDir + QStringLiteral("/ca.pem")));
    };
    const auto nothing = [](QSslConfiguration &) {};
    for (const QSsl::SslProtocol protocol : {QSsl::TlsV1_3, QSsl::TlsV1_2}) {
        const auto with = [protocol](std::function<void(QSslConfiguration &)> configure) {
            return [protocol, configure](QSslConfiguration &c) {
                configure(c);
                c.setProtocol(protocol);
            };
        };
        const bool tls13 = protocol == QSsl::TlsV1_3;
        runBothSides(tls13 ? "TLS 1.3, client rejects the server's certificate" : "TLS 1.2, client rejects the server's certificate",
                     with(selfSignedServer), nothing);
        runBothSides(tls13 ? "TLS 1.3, server verifies, client sends no certificate" : "TLS 1.2, server verifies, client sends no certificate",
                     with(verifyingServer), nothing);
        runBothSides(tls13 ? "TLS 1.3, server verifies, untrusted client certificate" : "TLS 1.2, server verifies, untrusted client certificate",
                     with(verifyingServer), [](QSslConfiguration &c) { serverIdentity(c, "selfsigned"); });
        runBothSides(tls13 ? "TLS 1.3, valid" : "TLS 1.2, valid", with(validServer), nothing);
    }
    return 0;
}
