// Prints what QDtls and QDtlsClientVerifier show through the public API: the precondition errors,
// and a client and a server (both of the same library, over 127.0.0.1 UDP) in a few scenarios.
// Built against the system's QtNetwork and against qssl-rs; the interop test asserts that the
// two traces are identical.
//   dtls_trace CERTS_DIR
#include <QtCore/qcoreapplication.h>
#include <QtCore/qeventloop.h>
#include <QtCore/qfile.h>
#include <QtCore/qtimer.h>
#include <QtNetwork/qdtls.h>
#include <QtNetwork/qnetworkdatagram.h>
#include <QtNetwork/qsslcipher.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslkey.h>
#include <QtNetwork/qsslpresharedkeyauthenticator.h>
#include <QtNetwork/qudpsocket.h>

#include "trace.h"

#include <functional>
#include <memory>

namespace {

using namespace trace;

QString certsDir;

QString state(const QDtls &dtls)
{
    return QStringLiteral("state=%1 encrypted=%2 error=%3 \"%4\"")
            .arg(int(dtls.handshakeState()))
            .arg(dtls.isConnectionEncrypted())
            .arg(int(dtls.dtlsError()))
            .arg(dtls.dtlsErrorString());
}

void call(const QString &what, bool result, const QDtls &dtls)
{
    line(QStringLiteral("%1 -> %2 %3").arg(what).arg(result).arg(state(dtls)));
}

void preconditions()
{
    line(QStringLiteral("== preconditions"));
    QUdpSocket socket;
    QDtls client(QSslSocket::SslClientMode);
    line(QStringLiteral("defaults: %1 mode=%2 mtu=%3 protocol=%4 verify=%5 cookies=%6 hash=%7 secret=%8")
                 .arg(state(client))
                 .arg(int(client.sslMode()))
                 .arg(client.mtuHint())
                 .arg(int(client.dtlsConfiguration().protocol()))
                 .arg(int(client.dtlsConfiguration().peerVerifyMode()))
                 .arg(client.dtlsConfiguration().dtlsCookieVerificationEnabled())
                 .arg(int(client.cookieGeneratorParameters().hash))
                 .arg(client.cookieGeneratorParameters().secret.size()));
    line(QStringLiteral("GeneratorParameters(): hash=%1 secret=%2")
                 .arg(int(QDtlsClientVerifier::GeneratorParameters().hash))
                 .arg(QDtlsClientVerifier::GeneratorParameters().secret.size()));
    call(QStringLiteral("setPeer(null)"), client.setPeer(QHostAddress(), 1), client);
    call(QStringLiteral("setPeer(broadcast)"), client.setPeer(QHostAddress::Broadcast, 1), client);
    call(QStringLiteral("setPeer(multicast)"), client.setPeer(QHostAddress(QStringLiteral("224.0.0.1")), 1), client);
    call(QStringLiteral("doHandshake(nullptr)"), client.doHandshake(nullptr), client);
    call(QStringLiteral("doHandshake(no peer)"), client.doHandshake(&socket), client);
    call(QStringLiteral("shutdown"), client.shutdown(&socket), client);
    line(QStringLiteral("writeDatagramEncrypted -> %1 %2").arg(client.writeDatagramEncrypted(&socket, "x")).arg(state(client)));
    line(QStringLiteral("decryptDatagram -> %1 %2").arg(client.decryptDatagram(&socket, "x").size()).arg(state(client)));
    call(QStringLiteral("resumeHandshake"), client.resumeHandshake(&socket), client);
    call(QStringLiteral("abortHandshake"), client.abortHandshake(&socket), client);
    call(QStringLiteral("handleTimeout(nullptr)"), client.handleTimeout(nullptr), client);
    call(QStringLiteral("setCookieGeneratorParameters(empty)"),
         client.setCookieGeneratorParameters({QCryptographicHash::Sha256, {}}), client);
    call(QStringLiteral("setCookieGeneratorParameters(Sha512)"),
         client.setCookieGeneratorParameters({QCryptographicHash::Sha512, "secret"}), client);
    call(QStringLiteral("setPeerVerificationName"), client.setPeerVerificationName(QStringLiteral("name")), client);
    call(QStringLiteral("setDtlsConfiguration(TLS)"), client.setDtlsConfiguration(QSslConfiguration::defaultConfiguration()),
         client);
    call(QStringLiteral("setPeer(localhost)"), client.setPeer(QHostAddress::LocalHost, 9), client);
    socket.bind(QHostAddress::LocalHost, 0);
    call(QStringLiteral("doHandshake(TLS configuration)"), client.doHandshake(&socket), client);
    call(QStringLiteral("setDtlsConfiguration(DTLS)"),
         client.setDtlsConfiguration(QSslConfiguration::defaultDtlsConfiguration()), client);
    call(QStringLiteral("doHandshake"), client.doHandshake(&socket), client);
    call(QStringLiteral("setPeer after start"), client.setPeer(QHostAddress::LocalHost, 1), client);
    call(QStringLiteral("setPeerVerificationName after start"), client.setPeerVerificationName(QStringLiteral("x")), client);
    call(QStringLiteral("setDtlsConfiguration after start"),
         client.setDtlsConfiguration(QSslConfiguration::defaultDtlsConfiguration()), client);
    call(QStringLiteral("doHandshake(no datagram)"), client.doHandshake(&socket), client);
    call(QStringLiteral("abortHandshake"), client.abortHandshake(&socket), client);

    QDtls server(QSslSocket::SslServerMode);
    server.setPeer(QHostAddress::LocalHost, 9);
    call(QStringLiteral("server doHandshake(no datagram)"), server.doHandshake(&socket), server);
    call(QStringLiteral("server doHandshake(junk)"), server.doHandshake(&socket, "junk"), server);

    QDtlsClientVerifier verifier;
    const auto verify = [&](const QString &what, bool result) {
        line(QStringLiteral("verifier %1 -> %2 error=%3 \"%4\" hello=%5")
                     .arg(what)
                     .arg(result)
                     .arg(int(verifier.dtlsError()))
                     .arg(verifier.dtlsErrorString())
                     .arg(verifier.verifiedHello().size()));
    };
    verify(QStringLiteral("verifyClient(nullptr)"), verifier.verifyClient(nullptr, "x", QHostAddress::LocalHost, 1));
    verify(QStringLiteral("verifyClient(broadcast)"), verifier.verifyClient(&socket, "x", QHostAddress::Broadcast, 1));
    verify(QStringLiteral("verifyClient(junk)"), verifier.verifyClient(&socket, "junk", QHostAddress::LocalHost, 9));
    verify(QStringLiteral("setCookieGeneratorParameters(empty)"), verifier.setCookieGeneratorParameters({}));
    verify(QStringLiteral("setCookieGeneratorParameters(Sha1)"),
           verifier.setCookieGeneratorParameters({QCryptographicHash::Sha1, "s"}));
}

QSslKey key(const QString &name)
{
    QFile file(certsDir + u'/' + name);
    file.open(QIODevice::ReadOnly);
    return QSslKey(&file, QSsl::Ec);
}

// A client and a server of the same library, through the server's client verifier.
void exchange(const char *name, const QSslConfiguration &serverConfiguration, const QSslConfiguration &clientConfiguration,
              const QString &verificationName, const std::function<void(QDtls &, QUdpSocket &)> &onVerificationFailed)
{
    line(QStringLiteral("== %1").arg(QLatin1StringView(name)));
    QUdpSocket serverSocket;
    serverSocket.bind(QHostAddress::LocalHost, 0);
    QDtlsClientVerifier verifier;
    std::unique_ptr<QDtls> server;
    QUdpSocket clientSocket;
    clientSocket.bind(QHostAddress::LocalHost, 0);
    QDtls client(QSslSocket::SslClientMode);
    client.setDtlsConfiguration(clientConfiguration);
    client.setPeer(QHostAddress::LocalHost, serverSocket.localPort(), verificationName);
    QEventLoop loop;
    QObject::connect(&client, &QDtls::pskRequired, &loop, [](QSslPreSharedKeyAuthenticator *authenticator) {
        line(QStringLiteral("client pskRequired hint=\"%1\" maxIdentity=%2 maxKey=%3")
                     .arg(QString::fromLatin1(authenticator->identityHint()))
                     .arg(authenticator->maximumIdentityLength())
                     .arg(authenticator->maximumPreSharedKeyLength()));
        authenticator->setIdentity("client id");
        authenticator->setPreSharedKey("0123456789");
    });
    QObject::connect(&serverSocket, &QUdpSocket::readyRead, &loop, [&] {
        while (serverSocket.hasPendingDatagrams()) {
            const QNetworkDatagram datagram = serverSocket.receiveDatagram();
            if (!server) {
                if (!verifier.verifyClient(&serverSocket, datagram.data(), datagram.senderAddress(), datagram.senderPort()))
                    continue;
                line(QStringLiteral("server: client hello verified"));
                server = std::make_unique<QDtls>(QSslSocket::SslServerMode);
                server->setDtlsConfiguration(serverConfiguration);
                server->setPeer(datagram.senderAddress(), datagram.senderPort());
                QObject::connect(server.get(), &QDtls::pskRequired, &loop, [](QSslPreSharedKeyAuthenticator *authenticator) {
                    line(QStringLiteral("server pskRequired identity=\"%1\" hint=\"%2\" maxKey=%3")
                                 .arg(QString::fromLatin1(authenticator->identity()),
                                      QString::fromLatin1(authenticator->identityHint()))
                                 .arg(authenticator->maximumPreSharedKeyLength()));
                    authenticator->setPreSharedKey("0123456789");
                });
                server->doHandshake(&serverSocket, verifier.verifiedHello());
            } else if (server->handshakeState() == QDtls::HandshakeInProgress) {
                server->doHandshake(&serverSocket, datagram.data());
                if (server->isConnectionEncrypted())
                    line(QStringLiteral("server encrypted protocol=%1 cipher=%2")
                                 .arg(int(server->sessionProtocol()))
                                 .arg(server->sessionCipher().name()));
            } else if (server->isConnectionEncrypted()) {
                const QByteArray data = server->decryptDatagram(&serverSocket, datagram.data());
                line(QStringLiteral("server decrypted \"%1\" %2").arg(QString::fromLatin1(data), state(*server)));
                if (!data.isEmpty())
                    server->writeDatagramEncrypted(&serverSocket, data.toUpper());
                else
                    loop.quit();
            }
        }
    });
    QObject::connect(&clientSocket, &QUdpSocket::readyRead, &loop, [&] {
        while (clientSocket.hasPendingDatagrams()) {
            const QByteArray datagram = clientSocket.receiveDatagram().data();
            if (client.handshakeState() == QDtls::HandshakeInProgress) {
                client.doHandshake(&clientSocket, datagram);
                if (client.handshakeState() == QDtls::PeerVerificationFailed) {
                    QStringList errors;
                    for (const QSslError &error : client.peerVerificationErrors())
                        errors << QStringLiteral("%1@%2").arg(int(error.error())).arg(error.certificate().subjectDisplayName());
                    line(QStringLiteral("client verification failed [%1] %2").arg(errors.join(u' '), state(client)));
                    onVerificationFailed(client, clientSocket);
                }
                if (client.isConnectionEncrypted()) {
                    line(QStringLiteral("client encrypted protocol=%1 cipher=%2 %3")
                                 .arg(int(client.sessionProtocol()))
                                 .arg(client.sessionCipher().name(), state(client)));
                    line(QStringLiteral("client writes -> %1").arg(client.writeDatagramEncrypted(&clientSocket, "hello")));
                } else if (client.handshakeState() != QDtls::HandshakeInProgress) {
                    loop.quit();
                }
            } else if (client.isConnectionEncrypted()) {
                line(QStringLiteral("client decrypted \"%1\"")
                             .arg(QString::fromLatin1(client.decryptDatagram(&clientSocket, datagram))));
                call(QStringLiteral("client shutdown"), client.shutdown(&clientSocket), client);
            }
        }
    });
    QTimer::singleShot(5000, &loop, [&] {
        line(QStringLiteral("timeout"));
        loop.quit();
    });
    call(QStringLiteral("client doHandshake"), client.doHandshake(&clientSocket), client);
    loop.exec();
    line(QStringLiteral("client final %1").arg(state(client)));
    if (server)
        line(QStringLiteral("server final %1").arg(state(*server)));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: dtls_trace CERTS_DIR\n");
        return 2;
    }
    certsDir = QString::fromLocal8Bit(argv[1]);
    preconditions();

    QSslConfiguration serverSide = QSslConfiguration::defaultDtlsConfiguration();
    serverSide.setLocalCertificateChain(QSslCertificate::fromPath(certsDir + QStringLiteral("/server.pem")));
    serverSide.setPrivateKey(key(QStringLiteral("server.key")));
    serverSide.setPeerVerifyMode(QSslSocket::VerifyNone);
    QSslConfiguration trusting = QSslConfiguration::defaultDtlsConfiguration();
    trusting.setCaCertificates(QSslCertificate::fromPath(certsDir + QStringLiteral("/ca.pem")));
    const auto nothing = [](QDtls &, QUdpSocket &) {};

    exchange("trusted", serverSide, trusting, QStringLiteral("localhost"), nothing);
    exchange("untrusted, resumed after ignoring", serverSide, QSslConfiguration::defaultDtlsConfiguration(),
             QStringLiteral("localhost"), [](QDtls &client, QUdpSocket &socket) {
                 call(QStringLiteral("resumeHandshake before ignoring"), client.resumeHandshake(&socket), client);
                 client.ignoreVerificationErrors(client.peerVerificationErrors());
                 call(QStringLiteral("resumeHandshake"), client.resumeHandshake(&socket), client);
             });
    exchange("wrong name, aborted", serverSide, trusting, QStringLiteral("wrong.example"),
             [](QDtls &client, QUdpSocket &socket) {
                 call(QStringLiteral("abortHandshake"), client.abortHandshake(&socket), client);
             });
    QSslConfiguration psk = QSslConfiguration::defaultDtlsConfiguration();
    psk.setPeerVerifyMode(QSslSocket::VerifyNone);
    psk.setCiphers(QStringLiteral("PSK-AES128-GCM-SHA256"));
    psk.setPreSharedKeyIdentityHint("server hint");
    exchange("PSK", psk, psk, QString(), nothing);
    return 0;
}
