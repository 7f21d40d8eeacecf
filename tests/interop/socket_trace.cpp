// Prints everything a QSslSocket client shows through the public API while it talks to
// `openssl s_server` in a set of scenarios. Built against the system's QtNetwork and against
// qssl-rs; the interop test asserts that the two traces are identical.
//   socket_trace CERTS_DIR
#include <QtCore/qcoreapplication.h>
#include <QtCore/qeventloop.h>
#include <QtCore/qfile.h>
#include <QtCore/qprocess.h>
#include <QtCore/qthread.h>
#include <QtCore/qtimer.h>
#include <QtNetwork/qsslcipher.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qssldiffiehellmanparameters.h>
#include <QtNetwork/qsslellipticcurve.h>
#include <QtNetwork/qsslkey.h>
#include <QtNetwork/qsslsocket.h>
#include <QtNetwork/qtcpserver.h>

#include "trace.h"

#include <cstdio>
#include <memory>

namespace {

using namespace trace;

QString certsDir;

struct Scenario
{
    const char *name;
    const char *serverCert;
    bool trustTestCa;
    const char *host;
    QSslSocket::PeerVerifyMode verifyMode;
    bool ignoreErrors;
    // The only key exchange groups the server accepts (s_server -groups); null: its defaults.
    const char *serverGroups = nullptr;
    void (*configure)(QSslConfiguration &) = nullptr;
    // A refused configuration leaves the socket connected, doing nothing.
    int timeoutMs = 10000;
    // Connect with the previous scenario's socket instead of a new one.
    bool reuseSocket = false;
};

QSslEllipticCurve secp384r1()
{
    return QSslEllipticCurve::fromShortName(QStringLiteral("secp384r1"));
}

// TLS 1.2 with only this cipher suite.
void tls12(QSslConfiguration &configuration, const char *cipher)
{
    configuration.setProtocol(QSsl::TlsV1_2);
    configuration.setCiphers(QString::fromLatin1(cipher));
}

// Backend options Qt refuses run with Qt's default DH parameters, which OpenSSL refuses first
// (too small): that error shows in what Qt reports next.
const Scenario scenarios[] = {
    {"valid", "server", true, "localhost", QSslSocket::AutoVerifyPeer, false},
    {"valid by IP", "server", true, "127.0.0.1", QSslSocket::AutoVerifyPeer, false},
    {"self-signed", "selfsigned", false, "localhost", QSslSocket::AutoVerifyPeer, false},
    {"self-signed, errors ignored", "selfsigned", false, "localhost", QSslSocket::AutoVerifyPeer, true},
    {"self-signed, VerifyNone", "selfsigned", false, "localhost", QSslSocket::VerifyNone, false},
    {"self-signed, QueryPeer", "selfsigned", false, "localhost", QSslSocket::QueryPeer, false},
    {"wrong host", "wronghost", true, "localhost", QSslSocket::AutoVerifyPeer, false},
    {"expired", "expired", true, "localhost", QSslSocket::AutoVerifyPeer, false},
    {"untrusted CA", "server", false, "localhost", QSslSocket::AutoVerifyPeer, false},
    {"chain sent by server", "server-chain", true, "localhost", QSslSocket::AutoVerifyPeer, false},
    {"backend Groups=P-384", "server", true, "localhost", QSslSocket::AutoVerifyPeer, false, "P-384",
     [](QSslConfiguration &c) { c.setBackendConfigurationOption("Groups", QByteArray("P-384")); }},
    {"backend Groups=P-384 as a QString, server only X25519", "server", true, "localhost",
     QSslSocket::AutoVerifyPeer, false, "X25519",
     [](QSslConfiguration &c) { c.setBackendConfigurationOption("Groups", QStringLiteral("P-384")); }},
    {"ellipticCurves secp384r1", "server", true, "localhost", QSslSocket::AutoVerifyPeer, false, "P-384",
     [](QSslConfiguration &c) { c.setEllipticCurves({secp384r1()}); }},
    {"ellipticCurves secp384r1, server only X25519", "server", true, "localhost", QSslSocket::AutoVerifyPeer,
     false, "X25519", [](QSslConfiguration &c) { c.setEllipticCurves({secp384r1()}); }},
    {"ellipticCurves with an invalid curve, no DH parameters", "server", true, "localhost", QSslSocket::AutoVerifyPeer,
     false, nullptr,
     [](QSslConfiguration &c) {
         c.setDiffieHellmanParameters(QSslDiffieHellmanParameters());
         c.setEllipticCurves({QSslEllipticCurve()});
     },
     1000},
    {"backend unknown key", "server", true, "localhost", QSslSocket::AutoVerifyPeer, false, nullptr,
     [](QSslConfiguration &c) { c.setBackendConfigurationOption("Bogus", QByteArray("1")); }, 1000},
    {"backend server-only key NumTickets", "server", true, "localhost", QSslSocket::AutoVerifyPeer, false,
     nullptr, [](QSslConfiguration &c) { c.setBackendConfigurationOption("NumTickets", QByteArray("abc")); }, 1000},
    {"backend refused value", "server", true, "localhost", QSslSocket::AutoVerifyPeer, false, nullptr,
     [](QSslConfiguration &c) { c.setBackendConfigurationOption("Groups", QByteArray("bogus")); }, 1000},
    {"backend refused value, no DH parameters", "server", true, "localhost", QSslSocket::AutoVerifyPeer, false,
     nullptr,
     [](QSslConfiguration &c) {
         c.setDiffieHellmanParameters(QSslDiffieHellmanParameters());
         c.setBackendConfigurationOption("Groups", QByteArray("bogus"));
     },
     1000},
    {"ellipticCurves with an invalid curve", "server", true, "localhost",
     QSslSocket::AutoVerifyPeer, false, nullptr, [](QSslConfiguration &c) { c.setEllipticCurves({QSslEllipticCurve()}); },
     1000},
    {"DHE (the client's DH parameters are never used)", "server-rsa", true, "localhost", QSslSocket::AutoVerifyPeer, false, nullptr,
     [](QSslConfiguration &c) { tls12(c, "DHE-RSA-AES128-GCM-SHA256"); }},
    {"backend int value", "server", true, "localhost", QSslSocket::AutoVerifyPeer, false, nullptr,
     [](QSslConfiguration &c) { c.setBackendConfigurationOption("MinProtocol", 3); }, 1000},
    {"backend value not a QByteArray", "server", true, "localhost", QSslSocket::AutoVerifyPeer, false,
     nullptr, [](QSslConfiguration &c) { c.setBackendConfigurationOption("Groups", QVariantList{1, 2}); }, 1000},
    // Refused before any connection: errorOccurred(SslInvalidUserDataError), state untouched.
    {"protocol UnknownProtocol", "server", true, "localhost", QSslSocket::AutoVerifyPeer, false, nullptr,
     [](QSslConfiguration &c) { c.setProtocol(QSsl::UnknownProtocol); }, 1000},
    {"protocol DtlsV1_2", "server", true, "localhost", QSslSocket::AutoVerifyPeer, false, nullptr,
     [](QSslConfiguration &c) { c.setProtocol(QSsl::DtlsV1_2); }, 1000},
    {"protocol TlsV1_0", "server", true, "localhost", QSslSocket::AutoVerifyPeer, false, nullptr,
     [](QSslConfiguration &c) {
         QT_WARNING_PUSH
         QT_WARNING_DISABLE_DEPRECATED
         c.setProtocol(QSsl::TlsV1_0);
         QT_WARNING_POP
     }},
    {"protocol TlsV1_1", "server", true, "localhost", QSslSocket::AutoVerifyPeer, false, nullptr,
     [](QSslConfiguration &c) {
         QT_WARNING_PUSH
         QT_WARNING_DISABLE_DEPRECATED
         c.setProtocol(QSsl::TlsV1_1);
         QT_WARNING_POP
     }},
    {"protocol out of range", "server", true, "localhost", QSslSocket::AutoVerifyPeer, false, nullptr,
     [](QSslConfiguration &c) { c.setProtocol(QSsl::SslProtocol(42)); }},
    {"local certificate without a key", "server", true, "localhost", QSslSocket::AutoVerifyPeer, false, nullptr,
     [](QSslConfiguration &c) {
         c.setLocalCertificate(QSslCertificate::fromPath(QStringLiteral("%1/client.pem").arg(certsDir)).value(0));
     },
     1000},
    {"local certificate with a key that does not fit", "server", true, "localhost", QSslSocket::AutoVerifyPeer, false,
     nullptr,
     [](QSslConfiguration &c) {
         c.setLocalCertificate(QSslCertificate::fromPath(QStringLiteral("%1/client.pem").arg(certsDir)).value(0));
         QFile keyFile(QStringLiteral("%1/server.key").arg(certsDir));
         keyFile.open(QIODevice::ReadOnly);
         c.setPrivateKey(QSslKey(&keyFile, QSsl::Ec));
     },
     1000},
    {"ephemeral key X25519", "server", true, "localhost", QSslSocket::AutoVerifyPeer, false, "X25519"},
    {"ephemeral key P-256", "server", true, "localhost", QSslSocket::AutoVerifyPeer, false, "P-256"},
    {"ephemeral key P-384", "server", true, "localhost", QSslSocket::AutoVerifyPeer, false, "P-384"},
    {"ephemeral key ffdhe2048", "server", true, "localhost", QSslSocket::AutoVerifyPeer, false, "ffdhe2048"},
    {"ephemeral key TLS 1.2 ECDHE P-384", "server-rsa", true, "localhost", QSslSocket::AutoVerifyPeer, false,
     "P-384", [](QSslConfiguration &c) { tls12(c, "ECDHE-RSA-AES128-GCM-SHA256"); }},
    {"ephemeral key TLS 1.2 ECDHE X25519", "server-rsa", true, "localhost", QSslSocket::AutoVerifyPeer, false,
     "X25519", [](QSslConfiguration &c) { tls12(c, "ECDHE-RSA-AES128-GCM-SHA256"); }},
    {"ephemeral key TLS 1.2 DHE", "server-rsa", true, "localhost", QSslSocket::AutoVerifyPeer, false, nullptr,
     [](QSslConfiguration &c) { tls12(c, "DHE-RSA-AES128-GCM-SHA256"); }},
    {"ephemeral key TLS 1.2 RSA key exchange", "server-rsa", true, "localhost", QSslSocket::AutoVerifyPeer,
     false, nullptr, [](QSslConfiguration &c) { tls12(c, "AES128-GCM-SHA256"); }},
    // Qt never clears the key: a connection without one still shows the previous connection's.
    {"ephemeral key X25519, then the same socket", "server", true, "localhost", QSslSocket::AutoVerifyPeer,
     false, "X25519"},
    {"... with RSA key exchange", "server-rsa", true, "localhost", QSslSocket::AutoVerifyPeer, false, nullptr,
     [](QSslConfiguration &c) { tls12(c, "AES128-GCM-SHA256"); }, 10000, true},
    {"... with P-384 and errors ignored", "selfsigned", false, "localhost", QSslSocket::AutoVerifyPeer, true,
     "P-384",
     [](QSslConfiguration &c) {
         c.setProtocol(QSsl::SecureProtocols);
         c.setCiphers(QSslConfiguration::defaultConfiguration().ciphers());
     },
     10000, true},
    {"... failing verification", "selfsigned", false, "localhost", QSslSocket::AutoVerifyPeer, false, "X25519",
     nullptr, 10000, true},
};

QString ephemeralKey(const QSslSocket &socket)
{
    const QSslKey key = socket.sslConfiguration().ephemeralServerKey();
    return QStringLiteral("ephemeralServerKey null=%1 algorithm=%2 type=%3 length=%4 pem=%5")
            .arg(key.isNull())
            .arg(int(key.algorithm()))
            .arg(int(key.type()))
            .arg(key.length())
            .arg(!key.toPem().isEmpty());
}

void startServer(QProcess &server, const QStringList &arguments, quint16 port)
{
    startOpenSsl(server, arguments);
    waitForListener(port);
}

// Session resumption: each connection fetches `openssl s_server -www`'s status page, whose
// "New, ..." or "Reused, ..." line is the server's word on whether the session was resumed.
struct Resumption
{
    const char *name;
    QSsl::SslProtocol protocol;
    bool persistence; // false: Qt's default, SslOptionDisableSessionPersistence set
    bool sharing = true;
    // The ticket to offer: none, the previous connection's, or bytes that are no session.
    enum Offer { Nothing, Previous, Junk } offer = Nothing;
    // Connect with the previous connection's socket (and whatever its configuration kept).
    bool reuseSocket = false;
};

const Resumption resumptions[] = {
    {"TLS 1.3, persistence", QSsl::TlsV1_3, true},
    {"... ticket offered by a new socket", QSsl::TlsV1_3, true, true, Resumption::Previous},
    {"... the same socket again", QSsl::TlsV1_3, true, true, Resumption::Nothing, true},
    {"... ticket offered, session sharing disabled", QSsl::TlsV1_3, true, false, Resumption::Previous},
    {"... ticket offered without persistence", QSsl::TlsV1_3, false, true, Resumption::Previous},
    {"... junk offered", QSsl::TlsV1_3, true, true, Resumption::Junk},
    {"TLS 1.3, default options", QSsl::TlsV1_3, false},
    {"TLS 1.3, persistence, session sharing disabled", QSsl::TlsV1_3, true, false},
    {"TLS 1.2, persistence", QSsl::TlsV1_2, true},
    {"... ticket offered by a new socket", QSsl::TlsV1_2, true, true, Resumption::Previous},
    {"... the same socket again", QSsl::TlsV1_2, true, true, Resumption::Nothing, true},
    {"... ticket offered, session sharing disabled", QSsl::TlsV1_2, true, false, Resumption::Previous},
    {"... ticket offered without persistence", QSsl::TlsV1_2, false, true, Resumption::Previous},
    {"TLS 1.2, default options", QSsl::TlsV1_2, false},
    {"TLS 1.2, persistence, session sharing disabled", QSsl::TlsV1_2, true, false},
};

// A ticket's DER differs from run to run: say only how it relates to the one offered.
QString ticketState(const QSslSocket &socket, const QByteArray &offered)
{
    const QSslConfiguration configuration = socket.sslConfiguration();
    const QByteArray ticket = configuration.sessionTicket();
    const QString state = ticket.isEmpty() ? QStringLiteral("empty")
            : ticket == offered            ? QStringLiteral("offered")
                                           : QStringLiteral("new");
    return QStringLiteral("ticket=%1 hint=%2").arg(state).arg(configuration.sessionTicketLifeTimeHint());
}

// Returns the session ticket the connection left in the socket's configuration.
QByteArray resume(const Resumption &scenario, const QString &certs, quint16 port, QSslSocket &socket,
                  const QByteArray &previous)
{
    line(QStringLiteral("== resumption: %1").arg(QLatin1StringView(scenario.name)));
    QSslConfiguration configuration = socket.sslConfiguration();
    configuration.setCaCertificates(QSslCertificate::fromPath(certs + QStringLiteral("/ca.pem")));
    configuration.setProtocol(scenario.protocol);
    configuration.setSslOption(QSsl::SslOptionDisableSessionPersistence, !scenario.persistence);
    configuration.setSslOption(QSsl::SslOptionDisableSessionSharing, !scenario.sharing);
    if (scenario.offer != Resumption::Nothing)
        configuration.setSessionTicket(scenario.offer == Resumption::Junk ? QByteArray("junk") : previous);
    socket.setSslConfiguration(configuration);
    const QByteArray offered = socket.sslConfiguration().sessionTicket();
    line(QStringLiteral("before %1").arg(ticketState(socket, offered)));

    QEventLoop loop;
    QByteArray page;
    int tickets = 0;
    QObject::connect(&socket, &QSslSocket::encrypted, &loop, [&] {
        line(QStringLiteral("encrypted protocol=%1 %2").arg(int(socket.sessionProtocol())).arg(ticketState(socket, offered)));
        socket.write("GET / HTTP/1.0\r\n\r\n");
    });
    QObject::connect(&socket, &QSslSocket::newSessionTicketReceived, &loop, [&] {
        ++tickets;
        line(QStringLiteral("newSessionTicketReceived encrypted=%1 %2").arg(socket.isEncrypted()).arg(ticketState(socket, offered)));
    });
    QObject::connect(&socket, &QIODevice::readyRead, &loop, [&] { page += socket.readAll(); });
    QObject::connect(&socket, &QAbstractSocket::errorOccurred, &loop, [&](QAbstractSocket::SocketError error) {
        // The server's close_notify ends the page, whose last data readyRead announced before
        // this error: nothing is left unread. s_server then waits for us to close.
        line(QStringLiteral("errorOccurred %1 \"%2\" unread=%3")
                     .arg(int(error))
                     .arg(socket.errorString())
                     .arg(socket.bytesAvailable()));
        socket.disconnectFromHost();
    });
    QObject::connect(&socket, &QAbstractSocket::disconnected, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, [&] {
        line(QStringLiteral("timeout"));
        loop.quit();
    });
    socket.connectToHostEncrypted(QStringLiteral("localhost"), port);
    loop.exec();
    for (const QByteArray &pageLine : page.split('\n')) {
        if (pageLine.startsWith("New, ") || pageLine.startsWith("Reused, "))
            line(QStringLiteral("server: %1").arg(QString::fromLatin1(pageLine.trimmed())));
    }
    line(QStringLiteral("final newSessionTicketReceived=%1 %2").arg(tickets).arg(ticketState(socket, offered)));
    return socket.sslConfiguration().sessionTicket();
}

void runResumptions(const QString &certs)
{
    line(QStringLiteral("== supports session tickets: %1")
                 .arg(QSslSocket::isFeatureSupported(QSsl::SupportedFeature::SessionTicket)));
    const quint16 port = freePort();
    QProcess server;
    startServer(server,
                {QStringLiteral("s_server"), QStringLiteral("-accept"), QStringLiteral("127.0.0.1:%1").arg(port),
                 QStringLiteral("-cert"), certs + QStringLiteral("/server.pem"), QStringLiteral("-key"),
                 certs + QStringLiteral("/server.key"), QStringLiteral("-www")},
                port);
    std::unique_ptr<QSslSocket> socket;
    QByteArray previous;
    for (const Resumption &scenario : resumptions) {
        if (!scenario.reuseSocket)
            socket = std::make_unique<QSslSocket>();
        const QByteArray left = resume(scenario, certs, port, *socket, previous);
        // Each protocol's first scenario provides the ticket the following ones offer.
        if (scenario.name[0] != '.')
            previous = left;
    }
    server.kill();
    server.waitForFinished();
}

void run(const Scenario &scenario, const QString &certs, QSslSocket &socket)
{
    line(QStringLiteral("== %1").arg(QLatin1StringView(scenario.name)));
    const quint16 port = freePort();
    const QString stem = certs + u'/' + QLatin1StringView(scenario.serverCert);
    const QString keyStem = certs + u'/'
            + (qstrcmp(scenario.serverCert, "server-chain") == 0 ? QStringLiteral("server")
                                                                 : QLatin1StringView(scenario.serverCert));
    QProcess server;
    QStringList arguments{QStringLiteral("s_server"), QStringLiteral("-accept"), QStringLiteral("127.0.0.1:%1").arg(port),
                          QStringLiteral("-cert"), stem + QStringLiteral(".pem"), QStringLiteral("-key"),
                          keyStem + QStringLiteral(".key"), QStringLiteral("-rev"), QStringLiteral("-quiet")};
    if (scenario.serverGroups)
        arguments << QStringLiteral("-groups") << QString::fromLatin1(scenario.serverGroups);
    startServer(server, arguments, port);

    QSslConfiguration configuration = socket.sslConfiguration();
    configuration.setCaCertificates(scenario.trustTestCa ? QSslCertificate::fromPath(certs + QStringLiteral("/ca.pem"))
                                                         : QList<QSslCertificate>());
    configuration.setPeerVerifyMode(scenario.verifyMode);
    if (scenario.configure)
        scenario.configure(configuration);
    socket.setSslConfiguration(configuration);

    QEventLoop loop;
    QObject::connect(&socket, &QAbstractSocket::stateChanged, &loop,
                     [](QAbstractSocket::SocketState state) { line(QStringLiteral("stateChanged %1").arg(int(state))); });
    QObject::connect(&socket, &QAbstractSocket::connected, &loop,
                     [&] { line(QStringLiteral("connected ") + ephemeralKey(socket)); });
    QObject::connect(&socket, &QSslSocket::modeChanged, &loop,
                     [](QSslSocket::SslMode mode) { line(QStringLiteral("modeChanged %1").arg(int(mode))); });
    QObject::connect(&socket, &QSslSocket::peerVerifyError, &loop, [](const QSslError &error) {
        line(QStringLiteral("peerVerifyError %1").arg(errorNames({error})));
    });
    QObject::connect(&socket, &QSslSocket::sslErrors, &loop, [&](const QList<QSslError> &errors) {
        line(QStringLiteral("sslErrors %1").arg(errorNames(errors)));
        line(ephemeralKey(socket));
        if (scenario.ignoreErrors)
            socket.ignoreSslErrors();
    });
    QObject::connect(&socket, &QSslSocket::encrypted, &loop, [&] {
        line(QStringLiteral("encrypted protocol=%1 cipher=%2 chain=%3")
                     .arg(int(socket.sessionProtocol()))
                     .arg(socket.sessionCipher().name())
                     .arg(socket.peerCertificateChain().size()));
        line(ephemeralKey(socket));
        socket.write("ping\n");
    });
    QObject::connect(&socket, &QIODevice::readyRead, &loop, [&] {
        if (!socket.canReadLine())
            return;
        line(QStringLiteral("read %1").arg(QString::fromLatin1(socket.readLine().trimmed())));
        socket.disconnectFromHost();
    });
    QObject::connect(&socket, &QAbstractSocket::errorOccurred, &loop, [&](QAbstractSocket::SocketError error) {
        line(QStringLiteral("errorOccurred %1 \"%2\"").arg(int(error)).arg(socket.errorString()));
    });
    QObject::connect(&socket, &QAbstractSocket::disconnected, &loop, [&] {
        line(QStringLiteral("disconnected"));
        loop.quit();
    });
    QTimer::singleShot(scenario.timeoutMs, &loop, [&] {
        line(QStringLiteral("timeout"));
        loop.quit();
    });

    socket.connectToHostEncrypted(QString::fromLatin1(scenario.host), port);
    loop.exec();
    line(QStringLiteral("final state=%1 error=%2 encrypted=%3 handshakeErrors=[%4] mode=%5")
                 .arg(int(socket.state()))
                 .arg(int(socket.error()))
                 .arg(socket.isEncrypted())
                 .arg(errorNames(socket.sslHandshakeErrors()))
                 .arg(int(socket.mode())));
    line(ephemeralKey(socket));
    server.kill();
    server.waitForFinished();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: socket_trace CERTS_DIR\n");
        return 2;
    }
    certsDir = QString::fromLocal8Bit(argv[1]);
    std::unique_ptr<QSslSocket> socket;
    for (const Scenario &scenario : scenarios) {
        if (!scenario.reuseSocket)
            socket = std::make_unique<QSslSocket>();
        run(scenario, QString::fromLocal8Bit(argv[1]), *socket);
    }
    runResumptions(QString::fromLocal8Bit(argv[1]));
    return 0;
}
