// Prints everything a QSslServer and its sockets show through the public API while
// `openssl s_client` (directly, or through a relay that spoils its ClientHello) or a raw TCP
// client connects, in a set of scenarios. Built against the system's QtNetwork and against
// qssl-rs; the interop test asserts that the two traces are identical. Nothing that varies from
// run to run is printed: no ports, no ciphertext sizes, no timings.
//   server_trace CERTS_DIR
#include <QtCore/qcoreapplication.h>
#include <QtCore/qeventloop.h>
#include <QtCore/qfile.h>
#include <QtCore/qpointer.h>
#include <QtCore/qprocess.h>
#include <QtCore/qtimer.h>
#include <QtNetwork/qsslcipher.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslkey.h>
#include <QtNetwork/qsslserver.h>
#include <QtNetwork/qsslsocket.h>
#include <QtNetwork/qtcpserver.h>

#include "trace.h"

#include <cstdio>
#include <functional>

namespace {

using namespace trace;

enum class Client {
    SClient, // openssl s_client
    Raw,     // a QTcpSocket that writes `bytes`
    Relay,   // s_client through a relay that hands the server a spoiled ClientHello
};

enum class Plan {
    ServerCloses,  // client sends "hello", server answers "bye" and disconnectFromHost()
    ClientCloses,  // client sends "hello", server answers "ack", client sends close_notify
    ReadBuffer,    // server reads with setReadBufferSize(1000) while the client sends 2 x 4000 bytes
    Nothing,       // whatever the client does, the server only watches
};

enum class Spoil {
    None,
    HandshakeType, // the ClientHello's handshake type byte becomes ServerHello
    Truncate,      // half the ClientHello record, then the relay closes
};

struct Scenario
{
    QString name;
    Client client = Client::SClient;
    Plan plan = Plan::ServerCloses;
    QSslSocket::PeerVerifyMode verifyMode = QSslSocket::AutoVerifyPeer;
    QStringList sClientArgs;
    bool clientCertificate = false;
    QByteArray bytes;
    Spoil spoil = Spoil::None;
    // Certificate (and key) s_client sends instead of client.pem, and the chain it sends with it.
    QString clientCertificateName = QStringLiteral("client");
    QString clientChain;
    // The server's sockets ignore their errors from their sslErrors() signal.
    bool ignoreErrors = false;
    QStringList ciphers; // empty: Qt's default
    bool disableServerCipherPreference = false;
    // The server's local certificate chain and key (no key when empty), and its protocol.
    QString serverChain = QStringLiteral("server.pem");
    QString serverKey = QStringLiteral("server.key");
    QSsl::SslProtocol protocol = QSsl::SecureProtocols;
};

QList<Scenario> scenarios()
{
    const QStringList tls12{QStringLiteral("-tls1_2")};
    const QStringList tls13{QStringLiteral("-tls1_3")};
    QList<Scenario> list;
    list.append({QStringLiteral("TLS 1.2, server closes"), Client::SClient, Plan::ServerCloses,
                 QSslSocket::AutoVerifyPeer, tls12});
    list.append({QStringLiteral("TLS 1.3, server closes"), Client::SClient, Plan::ServerCloses,
                 QSslSocket::AutoVerifyPeer, tls13});
    list.append({QStringLiteral("TLS 1.2, client close_notify"), Client::SClient, Plan::ClientCloses,
                 QSslSocket::AutoVerifyPeer, tls12});
    list.append({QStringLiteral("TLS 1.3, client close_notify"), Client::SClient, Plan::ClientCloses,
                 QSslSocket::AutoVerifyPeer, tls13});
    list.append({QStringLiteral("TLS 1.3, QueryPeer, client certificate sent"), Client::SClient,
                 Plan::ServerCloses, QSslSocket::QueryPeer, tls13, true});
    list.append({QStringLiteral("TLS 1.2, QueryPeer, client certificate sent"), Client::SClient,
                 Plan::ServerCloses, QSslSocket::QueryPeer, tls12, true});
    list.append({QStringLiteral("TLS 1.3, QueryPeer, no client certificate"), Client::SClient,
                 Plan::ServerCloses, QSslSocket::QueryPeer, tls13});
    list.append({QStringLiteral("TLS 1.3, VerifyPeer, client certificate sent"), Client::SClient,
                 Plan::ServerCloses, QSslSocket::VerifyPeer, tls13, true});
    list.append({QStringLiteral("TLS 1.3, VerifyPeer, no client certificate"), Client::SClient,
                 Plan::Nothing, QSslSocket::VerifyPeer, tls13});
    list.append({QStringLiteral("TLS 1.2, VerifyPeer, no client certificate"), Client::SClient,
                 Plan::Nothing, QSslSocket::VerifyPeer, tls12});
    list.append({QStringLiteral("TLS 1.3, read buffer 1000"), Client::SClient, Plan::ReadBuffer,
                 QSslSocket::AutoVerifyPeer, tls13});
    list.append({QStringLiteral("TLS 1.2, read buffer 1000"), Client::SClient, Plan::ReadBuffer,
                 QSslSocket::AutoVerifyPeer, tls12});
    list.append({QStringLiteral("raw client, HTTP request"), Client::Raw, Plan::Nothing,
                 QSslSocket::AutoVerifyPeer, {}, false, QByteArray("GET / HTTP/1.0\r\n\r\n")});
    list.append({QStringLiteral("raw client, garbage handshake record"), Client::Raw, Plan::Nothing,
                 QSslSocket::AutoVerifyPeer, {}, false, QByteArray::fromHex("1603010005deadbeef00")});
    list.append({QStringLiteral("s_client, ClientHello spoiled"), Client::Relay, Plan::Nothing,
                 QSslSocket::AutoVerifyPeer, {}, false, {}, Spoil::HandshakeType});
    list.append({QStringLiteral("s_client, closed mid-handshake"), Client::Relay, Plan::Nothing,
                 QSslSocket::AutoVerifyPeer, {}, false, {}, Spoil::Truncate});

    // The server's cipher order against a client preferring the other suite: the server's wins
    // unless SslOptionDisableServerCipherPreference is set, for TLS 1.3 suites as for older ones.
    const QStringList tls13Preferring128{QStringLiteral("-tls1_3"), QStringLiteral("-ciphersuites"),
                                         QStringLiteral("TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256")};
    const QStringList tls12Preferring128{QStringLiteral("-tls1_2"), QStringLiteral("-cipher"),
                                         QStringLiteral("ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305")};
    const QStringList serverPreferringChaCha{
            QStringLiteral("TLS_CHACHA20_POLY1305_SHA256"), QStringLiteral("TLS_AES_128_GCM_SHA256"),
            QStringLiteral("ECDHE-ECDSA-CHACHA20-POLY1305"), QStringLiteral("ECDHE-ECDSA-AES128-GCM-SHA256")};
    for (const bool disable : {false, true}) {
        for (const bool tls13 : {true, false}) {
            Scenario cipher{QStringLiteral("TLS 1.%1, server prefers ChaCha20, client AES-128-GCM%2")
                                    .arg(tls13 ? 3 : 2)
                                    .arg(disable ? QStringLiteral(", SslOptionDisableServerCipherPreference")
                                                 : QString()),
                            Client::SClient, Plan::ServerCloses, QSslSocket::AutoVerifyPeer,
                            tls13 ? tls13Preferring128 : tls12Preferring128};
            cipher.ciphers = serverPreferringChaCha;
            cipher.disableServerCipherPreference = disable;
            list.append(cipher);
        }
    }

    // A client chain whose intermediate is on Qt's blacklist (the leaf is not): reported for the
    // intermediate whatever the verify mode, fatal only where the peer is verified and the error
    // not ignored.
    for (const QSslSocket::PeerVerifyMode mode : {QSslSocket::VerifyPeer, QSslSocket::QueryPeer}) {
        for (const bool ignore : {false, true}) {
            if (mode == QSslSocket::QueryPeer && ignore)
                continue;
            Scenario blacklisted{QStringLiteral("TLS 1.3, %1, blacklisted intermediate in the client chain%2")
                                         .arg(mode == QSslSocket::VerifyPeer ? QStringLiteral("VerifyPeer")
                                                                             : QStringLiteral("QueryPeer"))
                                         .arg(ignore ? QStringLiteral(", ignored") : QString()),
                                 Client::SClient, Plan::ServerCloses, mode, tls13, true};
            blacklisted.clientCertificateName = QStringLiteral("blacklisted");
            blacklisted.clientChain = QStringLiteral("blacklisted-ca.pem");
            blacklisted.ignoreErrors = ignore;
            list.append(blacklisted);
        }
    }

    // Configurations refused when the handshake starts: the socket stays connected and does
    // nothing more until QSslServer's handshake timeout aborts it.
    Scenario noKey{QStringLiteral("TLS 1.3, local certificate without a key"), Client::SClient, Plan::Nothing,
                   QSslSocket::AutoVerifyPeer, tls13};
    noKey.serverKey.clear();
    list.append(noKey);
    for (const QSsl::SslProtocol protocol : {QSsl::UnknownProtocol, QSsl::DtlsV1_2}) {
        Scenario refused{QStringLiteral("TLS 1.3, server protocol %1")
                                 .arg(protocol == QSsl::UnknownProtocol ? QStringLiteral("UnknownProtocol")
                                                                        : QStringLiteral("DtlsV1_2")),
                         Client::SClient, Plan::Nothing, QSslSocket::AutoVerifyPeer, tls13};
        refused.protocol = protocol;
        list.append(refused);
    }
    // Qt checks only the peer's certificates against its blacklist, never its own.
    Scenario blacklistedLocal{QStringLiteral("TLS 1.3, blacklisted local certificate"), Client::SClient,
                              Plan::ServerCloses, QSslSocket::AutoVerifyPeer, tls13};
    blacklistedLocal.serverChain = QStringLiteral("blacklisted-chain.pem");
    blacklistedLocal.serverKey = QStringLiteral("blacklisted.key");
    list.append(blacklistedLocal);
    return list;
}

// Short records (alerts) in full; anything longer is handshake data whose size is not stable.
QString shortBytes(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return QStringLiteral("nothing");
    if (bytes.size() <= 16)
        return QString::fromLatin1(bytes.toHex(' '));
    return QStringLiteral("more than 16 bytes");
}

class Run
{
public:
    Run(const Scenario &scenario, const QString &certs) : scenario(scenario), certs(certs) { }

    void exec()
    {
        line(QStringLiteral("== %1").arg(scenario.name));
        configureServer();
        if (!server.listen(QHostAddress::LocalHost, 0)) {
            line(QStringLiteral("listen failed"));
            return;
        }
        watchServer();

        switch (scenario.client) {
        case Client::SClient:
            startSClient(server.serverPort());
            break;
        case Client::Raw:
            startRawClient();
            break;
        case Client::Relay:
            startRelay();
            break;
        }

        QTimer poll;
        poll.callOnTimeout(&loop, [this] {
            if (settled())
                loop.quit();
        });
        poll.start(20);
        QTimer::singleShot(15000, &loop, [this] {
            line(QStringLiteral("timeout"));
            loop.quit();
        });
        loop.exec();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);

        for (int i = 0; i < sockets.size(); ++i) {
            QSslSocket *socket = sockets.at(i);
            if (!socket) {
                line(QStringLiteral("final s%1 deleted").arg(i + 1));
                continue;
            }
            line(QStringLiteral("final s%1 state=%2 error=%3 \"%4\" encrypted=%5 mode=%6 bytesWritten=%7 "
                                "available=%8 handshakeErrors=[%9]")
                         .arg(i + 1)
                         .arg(int(socket->state()))
                         .arg(int(socket->error()))
                         .arg(socket->errorString())
                         .arg(socket->isEncrypted())
                         .arg(int(socket->mode()))
                         .arg(bytesWritten.value(i))
                         .arg(socket->bytesAvailable())
                         .arg(errorNames(socket->sslHandshakeErrors())));
        }
        line(QStringLiteral("final server pending=%1").arg(server.hasPendingConnections()));
        // What the raw client (or the relay, on s_client's behalf) got from the server.
        if (scenario.client != Client::SClient)
            line(QStringLiteral("final client received %1").arg(shortBytes(rawReceived)));
        finishClients();
    }

private:
    void configureServer()
    {
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setLocalCertificateChain(QSslCertificate::fromPath(certs + u'/' + scenario.serverChain));
        if (!scenario.serverKey.isEmpty()) {
            QFile key(certs + u'/' + scenario.serverKey);
            key.open(QIODevice::ReadOnly);
            configuration.setPrivateKey(QSslKey(key.readAll(), QSsl::Ec));
        }
        configuration.setProtocol(scenario.protocol);
        configuration.setCaCertificates(QSslCertificate::fromPath(certs + QStringLiteral("/ca.pem")));
        configuration.setPeerVerifyMode(scenario.verifyMode);
        if (!scenario.ciphers.isEmpty()) {
            QList<QSslCipher> ciphers;
            for (const QString &name : scenario.ciphers)
                ciphers.append(QSslCipher(name));
            configuration.setCiphers(ciphers);
        }
        configuration.setSslOption(QSsl::SslOptionDisableServerCipherPreference,
                                   scenario.disableServerCipherPreference);
        server.setSslConfiguration(configuration);
    }

    QString id(QSslSocket *socket) const
    {
        for (int i = 0; i < sockets.size(); ++i) {
            if (sockets.at(i) == socket)
                return QStringLiteral("s%1").arg(i + 1);
        }
        return QStringLiteral("s?");
    }

    void watchServer()
    {
        QObject::connect(&server, &QTcpServer::newConnection, &loop, [this] {
            // Qt 6.4 emits newConnection() as soon as incomingConnection() has made the socket.
            for (QSslSocket *socket : server.findChildren<QSslSocket *>(Qt::FindDirectChildrenOnly)) {
                if (!sockets.contains(socket)) {
                    sockets.append(socket);
                    bytesWritten.append(0);
                    watchSocket(socket, sockets.size() - 1);
                }
            }
            line(QStringLiteral("server newConnection sockets=%1 pending=%2")
                         .arg(sockets.size())
                         .arg(server.hasPendingConnections()));
        });
        QObject::connect(&server, &QTcpServer::acceptError, &loop, [](QAbstractSocket::SocketError error) {
            line(QStringLiteral("server acceptError %1").arg(int(error)));
        });
        QObject::connect(&server, &QSslServer::startedEncryptionHandshake, &loop, [this](QSslSocket *socket) {
            line(QStringLiteral("server startedEncryptionHandshake %1 mode=%2").arg(id(socket)).arg(int(socket->mode())));
        });
        QObject::connect(&server, &QSslServer::peerVerifyError, &loop, [this](QSslSocket *socket, const QSslError &error) {
            line(QStringLiteral("server peerVerifyError %1 %2").arg(id(socket), errorNames({error})));
        });
        QObject::connect(&server, &QSslServer::sslErrors, &loop, [this](QSslSocket *socket, const QList<QSslError> &errors) {
            line(QStringLiteral("server sslErrors %1 %2").arg(id(socket), errorNames(errors)));
            if (scenario.ignoreErrors)
                socket->ignoreSslErrors();
        });
        QObject::connect(&server, &QSslServer::errorOccurred, &loop,
                         [this](QSslSocket *socket, QAbstractSocket::SocketError error) {
                             line(QStringLiteral("server errorOccurred %1 %2 \"%3\"")
                                          .arg(id(socket))
                                          .arg(int(error))
                                          .arg(socket->errorString()));
                         });
        QObject::connect(&server, &QSslServer::alertSent, &loop,
                         [this](QSslSocket *socket, QSsl::AlertLevel level, QSsl::AlertType type, const QString &text) {
                             line(QStringLiteral("server alertSent %1 %2 %3 \"%4\"")
                                          .arg(id(socket)).arg(int(level)).arg(int(type)).arg(text));
                         });
        QObject::connect(&server, &QSslServer::alertReceived, &loop,
                         [this](QSslSocket *socket, QSsl::AlertLevel level, QSsl::AlertType type, const QString &text) {
                             line(QStringLiteral("server alertReceived %1 %2 %3 \"%4\"")
                                          .arg(id(socket)).arg(int(level)).arg(int(type)).arg(text));
                         });
        QObject::connect(&server, &QSslServer::handshakeInterruptedOnError, &loop,
                         [this](QSslSocket *socket, const QSslError &error) {
                             line(QStringLiteral("server handshakeInterruptedOnError %1 %2").arg(id(socket), errorNames({error})));
                         });
        QObject::connect(&server, &QTcpServer::pendingConnectionAvailable, &loop, [this] {
            line(QStringLiteral("server pendingConnectionAvailable"));
            while (QTcpSocket *next = server.nextPendingConnection()) {
                auto *socket = qobject_cast<QSslSocket *>(next);
                if (!socket) {
                    line(QStringLiteral("nextPendingConnection: not a QSslSocket"));
                    continue;
                }
                const QSslCertificate peer = socket->peerCertificate();
                line(QStringLiteral("nextPendingConnection %1 encrypted=%2 mode=%3 state=%4 protocol=%5 cipher=%6 "
                                    "chain=%7 peer=\"%8\" handshakeErrors=[%9]")
                             .arg(id(socket))
                             .arg(socket->isEncrypted())
                             .arg(int(socket->mode()))
                             .arg(int(socket->state()))
                             .arg(int(socket->sessionProtocol()))
                             .arg(socket->sessionCipher().name())
                             .arg(socket->peerCertificateChain().size())
                             .arg(peer.isNull() ? QString() : peer.subjectDisplayName())
                             .arg(errorNames(socket->sslHandshakeErrors())));
                onPending(socket);
            }
        });
    }

    void watchSocket(QSslSocket *socket, int index)
    {
        const QString name = QStringLiteral("s%1").arg(index + 1);
        QObject::connect(socket, &QAbstractSocket::stateChanged, &loop, [name](QAbstractSocket::SocketState state) {
            line(QStringLiteral("%1 stateChanged %2").arg(name).arg(int(state)));
        });
        QObject::connect(socket, &QSslSocket::modeChanged, &loop, [name](QSslSocket::SslMode mode) {
            line(QStringLiteral("%1 modeChanged %2").arg(name).arg(int(mode)));
        });
        QObject::connect(socket, &QSslSocket::encrypted, &loop, [name, socket] {
            line(QStringLiteral("%1 encrypted protocol=%2 cipher=%3 chain=%4")
                         .arg(name)
                         .arg(int(socket->sessionProtocol()))
                         .arg(socket->sessionCipher().name())
                         .arg(socket->peerCertificateChain().size()));
        });
        QObject::connect(socket, &QSslSocket::peerVerifyError, &loop, [name](const QSslError &error) {
            line(QStringLiteral("%1 peerVerifyError %2").arg(name, errorNames({error})));
        });
        QObject::connect(socket, &QSslSocket::sslErrors, &loop, [name](const QList<QSslError> &errors) {
            line(QStringLiteral("%1 sslErrors %2").arg(name, errorNames(errors)));
        });
        QObject::connect(socket, &QAbstractSocket::errorOccurred, &loop, [name, socket](QAbstractSocket::SocketError error) {
            line(QStringLiteral("%1 errorOccurred %2 \"%3\"").arg(name).arg(int(error)).arg(socket->errorString()));
        });
        QObject::connect(socket, &QSslSocket::alertSent, &loop,
                         [name](QSsl::AlertLevel level, QSsl::AlertType type, const QString &text) {
                             line(QStringLiteral("%1 alertSent %2 %3 \"%4\"").arg(name).arg(int(level)).arg(int(type)).arg(text));
                         });
        QObject::connect(socket, &QSslSocket::alertReceived, &loop,
                         [name](QSsl::AlertLevel level, QSsl::AlertType type, const QString &text) {
                             line(QStringLiteral("%1 alertReceived %2 %3 \"%4\"").arg(name).arg(int(level)).arg(int(type)).arg(text));
                         });
        QObject::connect(socket, &QSslSocket::newSessionTicketReceived, &loop,
                         [name] { line(QStringLiteral("%1 newSessionTicketReceived").arg(name)); });
        QObject::connect(socket, &QAbstractSocket::disconnected, &loop,
                         [name] { line(QStringLiteral("%1 disconnected").arg(name)); });
        QObject::connect(socket, &QIODevice::readChannelFinished, &loop,
                         [name] { line(QStringLiteral("%1 readChannelFinished").arg(name)); });
        QObject::connect(socket, &QIODevice::aboutToClose, &loop,
                         [name] { line(QStringLiteral("%1 aboutToClose").arg(name)); });
        QObject::connect(socket, &QIODevice::bytesWritten, &loop,
                         [this, index](qint64 written) { bytesWritten[index] += written; });
        QObject::connect(socket, &QObject::destroyed, &loop, [name] { line(QStringLiteral("%1 destroyed").arg(name)); });
    }

    void onPending(QSslSocket *socket)
    {
        const QString name = id(socket);
        switch (scenario.plan) {
        case Plan::ServerCloses:
        case Plan::ClientCloses:
            QObject::connect(socket, &QIODevice::readyRead, &loop, [this, name, socket] {
                while (socket->canReadLine()) {
                    line(QStringLiteral("%1 read \"%2\"").arg(name, QString::fromLatin1(socket->readLine().trimmed())));
                    if (scenario.plan == Plan::ServerCloses) {
                        socket->write("bye\n");
                        socket->disconnectFromHost();
                        line(QStringLiteral("%1 after disconnectFromHost state=%2 encrypted=%3")
                                     .arg(name).arg(int(socket->state())).arg(socket->isEncrypted()));
                    } else {
                        socket->write("ack\n");
                    }
                }
            });
            sClient.write("hello\n");
            break;
        case Plan::ReadBuffer:
            socket->setReadBufferSize(1000);
            QObject::connect(socket, &QIODevice::readyRead, &loop, [this, name, socket] {
                line(QStringLiteral("%1 readyRead available=%2").arg(name).arg(socket->bytesAvailable()));
                if (draining)
                    received += socket->readAll().size();
                if (received >= 8000 && !answered) {
                    answered = true;
                    line(QStringLiteral("%1 received %2").arg(name).arg(received));
                    socket->write("ack\n");
                    socket->disconnectFromHost();
                }
            });
            sClient.write(QByteArray(3999, 'A') + '\n');
            QTimer::singleShot(300, &loop, [this] { sClient.write(QByteArray(3999, 'B') + '\n'); });
            QTimer::singleShot(900, &loop, [this, name, socket = QPointer<QSslSocket>(socket)] {
                if (!socket)
                    return;
                line(QStringLiteral("%1 before reading: available=%2 undecrypted=%3")
                             .arg(name)
                             .arg(socket->bytesAvailable())
                             .arg(socket->encryptedBytesAvailable() > 0));
                draining = true;
                received += socket->readAll().size();
                line(QStringLiteral("%1 read %2").arg(name).arg(received));
            });
            break;
        case Plan::Nothing:
            break;
        }
    }

    QStringList sClientArguments(quint16 port) const
    {
        QStringList arguments{QStringLiteral("s_client"), QStringLiteral("-connect"),
                              QStringLiteral("127.0.0.1:%1").arg(port), QStringLiteral("-brief"),
                              QStringLiteral("-no_ign_eof"), QStringLiteral("-servername"),
                              QStringLiteral("localhost"), QStringLiteral("-CAfile"), certs + QStringLiteral("/ca.pem")};
        arguments << scenario.sClientArgs;
        if (scenario.clientCertificate) {
            const QString base = certs + u'/' + scenario.clientCertificateName;
            arguments << QStringLiteral("-cert") << base + QStringLiteral(".pem") << QStringLiteral("-key")
                      << base + QStringLiteral(".key");
            if (!scenario.clientChain.isEmpty())
                arguments << QStringLiteral("-cert_chain") << certs + u'/' + scenario.clientChain;
        }
        return arguments;
    }

    void startSClient(quint16 port)
    {
        sClient.setProcessChannelMode(QProcess::SeparateChannels);
        QObject::connect(&sClient, &QProcess::readyReadStandardOutput, &loop, [this] {
            sClientOutput += sClient.readAllStandardOutput();
            // The server's answer has come: end the session from the client side.
            if (scenario.plan == Plan::ClientCloses && sClientOutput.contains("ack\n") && !stdinClosed) {
                stdinClosed = true;
                sClient.closeWriteChannel();
            }
        });
        QObject::connect(&sClient, &QProcess::readyReadStandardError, &loop, [this] { sClient.readAllStandardError(); });
        sClient.start(QStringLiteral("openssl"), sClientArguments(port));
    }

    void startRawClient()
    {
        QObject::connect(&raw, &QAbstractSocket::connected, &loop, [this] { raw.write(scenario.bytes); });
        QObject::connect(&raw, &QIODevice::readyRead, &loop, [this] { rawReceived += raw.readAll(); });
        raw.connectToHost(QHostAddress::LocalHost, server.serverPort());
    }

    // s_client -> relay -> server. The first record from s_client (its ClientHello) is spoiled
    // on the way; what the server says back is passed on.
    void startRelay()
    {
        relay.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&relay, &QTcpServer::newConnection, &loop, [this] {
            QTcpSocket *fromClient = relay.nextPendingConnection();
            if (!fromClient)
                return;
            QObject::connect(fromClient, &QIODevice::readyRead, &loop, [this, fromClient] {
                helloBuffer += fromClient->readAll();
                if (helloSent || helloBuffer.size() < 5)
                    return;
                const int recordSize = 5 + ((uchar(helloBuffer.at(3)) << 8) | uchar(helloBuffer.at(4)));
                if (helloBuffer.size() < recordSize)
                    return;
                helloSent = true;
                QByteArray record = helloBuffer.left(recordSize);
                if (scenario.spoil == Spoil::HandshakeType)
                    record[5] = 0x02;
                else if (scenario.spoil == Spoil::Truncate)
                    record.truncate(recordSize / 2);
                QObject::connect(&raw, &QAbstractSocket::connected, &loop, [this, record] {
                    raw.write(record);
                    if (scenario.spoil == Spoil::Truncate)
                        raw.disconnectFromHost();
                });
                QObject::connect(&raw, &QIODevice::readyRead, &loop, [this, fromClient] {
                    const QByteArray answer = raw.readAll();
                    rawReceived += answer;
                    fromClient->write(answer);
                });
                QObject::connect(&raw, &QAbstractSocket::disconnected, fromClient,
                                 [fromClient] { fromClient->disconnectFromHost(); });
                raw.connectToHost(QHostAddress::LocalHost, server.serverPort());
            });
        });
        startSClient(relay.serverPort());
    }

    // Done once every server-side socket is gone or unconnected (and the raw client, if any).
    bool settled() const
    {
        if (sockets.isEmpty())
            return false;
        for (const QPointer<QSslSocket> &socket : sockets) {
            if (socket && socket->state() != QAbstractSocket::UnconnectedState)
                return false;
        }
        return raw.state() == QAbstractSocket::UnconnectedState;
    }

    void finishClients()
    {
        // The server side is over; what the client does next is not traced.
        if (sClient.state() != QProcess::NotRunning) {
            sClient.kill();
            sClient.waitForFinished();
        }
        raw.abort();
        relay.close();
    }

    const Scenario scenario;
    const QString certs;
    QEventLoop loop;
    QSslServer server;
    QList<QPointer<QSslSocket>> sockets;
    QList<qint64> bytesWritten;
    QProcess sClient;
    QByteArray sClientOutput;
    bool stdinClosed = false;
    QTcpSocket raw;
    QByteArray rawReceived;
    QTcpServer relay;
    QByteArray helloBuffer;
    bool helloSent = false;
    bool draining = false;
    bool answered = false;
    qint64 received = 0;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: server_trace CERTS_DIR\n");
        return 2;
    }
    for (const Scenario &scenario : scenarios()) {
        Run run(scenario, QString::fromLocal8Bit(argv[1]));
        run.exec();
    }
    return 0;
}
