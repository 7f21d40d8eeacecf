// SPDX-License-Identifier: MIT OR Apache-2.0
// The wss:// peer of the boundary test: a QWebSocketServer in SecureMode built with Qt alone
// (never with qssl-rs), so the server side is Qt's own TLS in both runs. Listens on 127.0.0.1
// with a free port, prints "port N", echoes every text message, and exits when its stdin
// closes (the driver ended) or after ten minutes at most.
//   wss_server CERT EC_KEY [CLIENT_CA]
// With CLIENT_CA, clients must present a certificate it issued, and echoes name them.
#include <QtCore/qcoreapplication.h>
#include <QtCore/qfile.h>
#include <QtCore/qsocketnotifier.h>
#include <QtCore/qtimer.h>
#include <QtNetwork/qsslcertificate.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslkey.h>
#include <QtWebSockets/qwebsocket.h>
#include <QtWebSockets/qwebsocketserver.h>

#include <cstdio>
#include <unistd.h>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 3 && argc != 4) {
        std::fprintf(stderr, "usage: %s CERT EC_KEY [CLIENT_CA]\n", argv[0]);
        return 2;
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromPath(QString::fromLocal8Bit(argv[1]));
    QFile keyFile(QString::fromLocal8Bit(argv[2]));
    if (chain.isEmpty() || !keyFile.open(QIODevice::ReadOnly))
        qFatal("cannot read %s or %s", argv[1], argv[2]);
    const QSslKey key(keyFile.readAll(), QSsl::Ec);
    if (key.isNull())
        qFatal("%s is not an EC key", argv[2]);

    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);
    if (argc == 4) {
        configuration.setCaCertificates(QSslCertificate::fromPath(QString::fromLocal8Bit(argv[3])));
        configuration.setPeerVerifyMode(QSslSocket::VerifyPeer);
    } else {
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    }

    QWebSocketServer server(QStringLiteral("boundary"), QWebSocketServer::SecureMode);
    server.setSslConfiguration(configuration);
    QObject::connect(&server, &QWebSocketServer::newConnection, [&server] {
        while (QWebSocket *socket = server.nextPendingConnection()) {
            const QStringList client = socket->sslConfiguration().peerCertificate().subjectInfo(
                    QSslCertificate::CommonName);
            const QString suffix = client.isEmpty() ? QString() : QStringLiteral(" for ") + client.join(u'/');
            QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                             [socket, suffix](const QString &message) { socket->sendTextMessage(message + suffix); });
            QObject::connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
    if (!server.listen(QHostAddress::LocalHost, 0))
        qFatal("cannot listen: %s", qPrintable(server.errorString()));
    std::printf("port %u\n", unsigned(server.serverPort()));
    std::fflush(stdout);

    QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
    QObject::connect(&input, &QSocketNotifier::activated, [&app] {
        char buffer[256];
        if (::read(STDIN_FILENO, buffer, sizeof buffer) <= 0)
            app.quit();
    });
    QTimer::singleShot(10 * 60 * 1000, &app, &QCoreApplication::quit);
    return app.exec();
}
