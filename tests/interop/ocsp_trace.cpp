// Prints what a QSslSocket client with OCSP stapling shows for each kind of stapled response
// (from `openssl s_server -status_file`, and from a QSslServer stapling through Qt's
// "Qt-OCSP-response" backend key), and what the settings Qt refuses report. Built against the
// system's QtNetwork and against qssl-rs; the interop test asserts the two traces are identical.
//   ocsp_trace CERTS_DIR
#include <QtCore/qcoreapplication.h>
#include <QtCore/qfile.h>
#include <QtCore/qtimer.h>
#include <QtNetwork/qocspresponse.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslkey.h>
#include <QtNetwork/qsslserver.h>

#include "trace.h"

#include <functional>

namespace {

using namespace trace;

QString certsDir;

QString certPath(const char *name)
{
    return certsDir + u'/' + QLatin1StringView(name);
}

QByteArray fileBytes(const char *name)
{
    QFile file(certPath(name));
    file.open(QIODevice::ReadOnly);
    return file.readAll();
}

QString responses(const QSslSocket &socket)
{
    QStringList out;
    for (const QOcspResponse &response : socket.ocspResponses()) {
        out << QStringLiteral("status=%1 reason=%2 responder=%3 subject=%4")
                        .arg(int(response.certificateStatus()))
                        .arg(int(response.revocationReason()))
                        .arg(response.responder().isNull() ? QStringLiteral("null")
                                                           : response.responder().subjectDisplayName())
                        .arg(response.subject().subjectDisplayName());
    }
    return QStringLiteral("ocspResponses [%1]").arg(out.join(QStringLiteral("; ")));
}

// The client: stapling on, the test CA trusted, then `configure`.
void runClient(QSslSocket &socket, quint16 port, const std::function<void(QSslConfiguration &)> &configure,
               bool ignoreErrors, int timeoutMs)
{
    QSslConfiguration configuration = socket.sslConfiguration();
    configuration.setCaCertificates(QSslCertificate::fromPath(certPath("ca.pem")));
    configuration.setOcspStaplingEnabled(true);
    if (configure)
        configure(configuration);
    socket.setSslConfiguration(configuration);
    QEventLoop loop;
    traceSocket(&socket, QStringLiteral("client"), loop);
    QObject::connect(&socket, &QSslSocket::sslErrors, &loop, [&](const QList<QSslError> &) {
        line(responses(socket));
        if (ignoreErrors)
            socket.ignoreSslErrors();
    });
    QObject::connect(&socket, &QSslSocket::encrypted, &loop, [&] {
        line(responses(socket));
        socket.write("ping\n");
    });
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
    QTimer::singleShot(timeoutMs, &loop, [&] {
        line(QStringLiteral("client timeout"));
        loop.quit();
    });
    socket.connectToHostEncrypted(QStringLiteral("localhost"), port);
    loop.exec();
    line(QStringLiteral("client final state=%1 error=%2 encrypted=%3 handshakeErrors=[%4]")
                 .arg(int(socket.state()))
                 .arg(int(socket.error()))
                 .arg(socket.isEncrypted())
                 .arg(errorNames(socket.sslHandshakeErrors())));
    line(responses(socket));
}

struct OpenSslScenario
{
    const char *name;
    const char *response; // the file s_server staples; null: none
    std::function<void(QSslConfiguration &)> configure = nullptr;
    bool ignoreErrors = false;
};

void runAgainstOpenSsl(const OpenSslScenario &scenario)
{
    line(QStringLiteral("== s_server: %1").arg(QLatin1StringView(scenario.name)));
    const quint16 port = freePort();
    QStringList arguments{QStringLiteral("s_server"), QStringLiteral("-accept"), QStringLiteral("127.0.0.1:%1").arg(port),
                          QStringLiteral("-cert"), certPath("server.pem"), QStringLiteral("-key"),
                          certPath("server.key"), QStringLiteral("-cert_chain"), certPath("ca.pem"),
                          QStringLiteral("-rev"), QStringLiteral("-quiet")};
    if (scenario.response)
        arguments << QStringLiteral("-status_file") << certPath(scenario.response);
    QProcess server;
    startOpenSsl(server, arguments);
    waitForListener(port);
    QSslSocket socket;
    runClient(socket, port, scenario.configure, scenario.ignoreErrors, 5000);
    server.kill();
    server.waitForFinished();
}

// QSslServer (Qt's or ours) with `configure`, and a client from the same library.
void runAgainstQSslServer(const char *name, const std::function<void(QSslConfiguration &)> &configure,
                          int clientTimeoutMs = 5000)
{
    line(QStringLiteral("== QSslServer: %1").arg(QLatin1StringView(name)));
    QSslServer server;
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(QSslCertificate::fromPath(certPath("server-chain.pem")));
    QFile keyFile(certPath("server.key"));
    keyFile.open(QIODevice::ReadOnly);
    configuration.setPrivateKey(QSslKey(&keyFile, QSsl::Ec));
    configure(configuration);
    server.setSslConfiguration(configuration);
    QObject::connect(&server, &QSslServer::errorOccurred, &server, [](QSslSocket *socket, QAbstractSocket::SocketError error) {
        line(QStringLiteral("server errorOccurred %1 \"%2\"").arg(int(error)).arg(socket->errorString()));
    });
    QObject::connect(&server, &QSslServer::pendingConnectionAvailable, &server, [&] {
        QTcpSocket *socket = server.nextPendingConnection();
        // The client closes the connection once it has read the echo.
        QObject::connect(socket, &QIODevice::readyRead, socket, [socket] { socket->write(socket->readAll()); });
    });
    server.listen(QHostAddress::LocalHost, 0);
    QSslSocket socket;
    runClient(socket, server.serverPort(), nullptr, false, clientTimeoutMs);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 2) {
        std::fprintf(stderr, "usage: ocsp_trace CERTS_DIR\n");
        return 2;
    }
    certsDir = QString::fromLocal8Bit(argv[1]);

    const OpenSslScenario scenarios[] = {
        {"good", "ocsp-good.der"},
        {"revoked", "ocsp-revoked.der"},
        {"revoked, errors ignored", "ocsp-revoked.der", nullptr, true},
        {"unknown", "ocsp-unknown.der"},
        {"expired", "ocsp-expired.der"},
        {"signed by an untrusted responder", "ocsp-untrusted.der"},
        {"about another certificate", "ocsp-othercert.der"},
        {"tryLater", "ocsp-trylater.der"},
        {"malformed", "ocsp-junk.der"},
        {"no response stapled", nullptr},
        {"revoked, VerifyNone", "ocsp-revoked.der",
         [](QSslConfiguration &c) { c.setPeerVerifyMode(QSslSocket::VerifyNone); }},
        {"revoked, QueryPeer", "ocsp-revoked.der",
         [](QSslConfiguration &c) { c.setPeerVerifyMode(QSslSocket::QueryPeer); }},
        {"revoked, stapling off", "ocsp-revoked.der", [](QSslConfiguration &c) { c.setOcspStaplingEnabled(false); }},
        {"good, CA not trusted", "ocsp-good.der", [](QSslConfiguration &c) { c.setCaCertificates({}); }},
        {"good, TLS 1.2", "ocsp-good.der", [](QSslConfiguration &c) { c.setProtocol(QSsl::TlsV1_2); }},
        {"client with a response to staple", "ocsp-good.der",
         [](QSslConfiguration &c) { c.setBackendConfigurationOption("Qt-OCSP-response", fileBytes("ocsp-good.der")); }},
    };
    for (const OpenSslScenario &scenario : scenarios)
        runAgainstOpenSsl(scenario);

    const auto staple = [](const char *file) {
        return [file](QSslConfiguration &c) { c.setBackendConfigurationOption("Qt-OCSP-response", fileBytes(file)); };
    };
    runAgainstQSslServer("staples good", staple("ocsp-good.der"));
    runAgainstQSslServer("staples revoked", staple("ocsp-revoked.der"));
    runAgainstQSslServer("staples a response and has other backend options", [](QSslConfiguration &c) {
        c.setBackendConfigurationOption("Qt-OCSP-response", fileBytes("ocsp-good.der"));
        c.setBackendConfigurationOption("MinProtocol", QByteArray("TLSv1.2"));
    });
    runAgainstQSslServer("staples an empty response", [](QSslConfiguration &c) {
        c.setBackendConfigurationOption("Qt-OCSP-response", QByteArray());
    });
    runAgainstQSslServer("stapling enabled on the server", [](QSslConfiguration &c) { c.setOcspStaplingEnabled(true); },
                         1500);
    return 0;
}
