// sslechoserver: a QSslServer that echoes every byte back.
//   sslechoserver --cert FILE --key FILE [--port N] [--address 127.0.0.1]
//                 [--handshake-timeout MS] [--idle-timeout MS]
// A client that does not read its echo is not buffered for: once 64 KiB wait to be sent to it,
// the server stops reading from it (TCP then holds the client back). A client that sends and
// reads nothing for --idle-timeout is closed. Every dropped client is reported on stderr.
#include <QtCore/qcommandlineparser.h>
#include <QtCore/qcoreapplication.h>
#include <QtCore/qfile.h>
#include <QtCore/qtimer.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslkey.h>
#include <QtNetwork/qsslserver.h>
#include <QtNetwork/qsslsocket.h>

#include <cstdio>

namespace {

// What may wait for one client, each way: its unread data and its unsent echo.
constexpr qint64 backlogLimit = 64 * 1024;

// Prefixed with the client's address while it is known (a socket forgets it once closed).
void report(const QAbstractSocket *socket, const QString &what)
{
    if (socket->peerAddress().isNull())
        std::fprintf(stderr, "sslechoserver: %s\n", qPrintable(what));
    else
        std::fprintf(stderr, "sslechoserver: %s:%u: %s\n", qPrintable(socket->peerAddress().toString()),
                     socket->peerPort(), qPrintable(what));
}

// What waits to be sent to the client: plaintext not yet encrypted and ciphertext not yet sent.
qint64 backlog(const QSslSocket *socket)
{
    return socket->bytesToWrite() + socket->encryptedBytesToWrite();
}

// Echoes what the client sent, as far as the backlog allows; the rest waits in the socket,
// whose read buffer is limited too.
void echo(QSslSocket *socket)
{
    while (socket->bytesAvailable() > 0 && backlog(socket) < backlogLimit) {
        if (socket->write(socket->read(backlogLimit - backlog(socket))) < 0)
            return;
    }
}

void serve(QSslSocket *socket, int idleTimeout)
{
    socket->setReadBufferSize(backlogLimit);
    QObject::connect(socket, &QIODevice::readyRead, socket, [socket] { echo(socket); });
    QObject::connect(socket, &QSslSocket::encryptedBytesWritten, socket, [socket] { echo(socket); });
    QObject::connect(socket, &QAbstractSocket::errorOccurred, socket, [socket](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError) // a client leaving
            report(socket, socket->errorString());
    });
    QObject::connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    if (idleTimeout <= 0)
        return;
    auto *idle = new QTimer(socket);
    idle->setSingleShot(true);
    QObject::connect(idle, &QTimer::timeout, socket, [socket, idleTimeout] {
        report(socket, QStringLiteral("idle for %1 ms, closed").arg(idleTimeout));
        // A client that does not read would never take what waits for it: no goodbye then.
        if (socket->bytesToWrite() > 0)
            socket->abort();
        else
            socket->disconnectFromHost();
    });
    QObject::connect(socket, &QIODevice::readyRead, idle, qOverload<>(&QTimer::start));
    QObject::connect(socket, &QSslSocket::encryptedBytesWritten, idle, qOverload<>(&QTimer::start));
    idle->start(idleTimeout);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("TLS echo server on qssl-rs' QSslServer"));
    parser.addHelpOption();
    const QCommandLineOption certOption(QStringLiteral("cert"), QStringLiteral("PEM certificate (chain)."), QStringLiteral("FILE"));
    const QCommandLineOption keyOption(QStringLiteral("key"), QStringLiteral("PEM private key."), QStringLiteral("FILE"));
    const QCommandLineOption portOption(QStringLiteral("port"), QStringLiteral("Port (0: any free one)."), QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption addressOption(QStringLiteral("address"), QStringLiteral("Address to listen on."),
                                           QStringLiteral("ADDRESS"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption handshakeTimeoutOption(QStringLiteral("handshake-timeout"),
                                                    QStringLiteral("Drop a client whose TLS handshake takes longer."),
                                                    QStringLiteral("MS"), QStringLiteral("5000"));
    const QCommandLineOption idleTimeoutOption(QStringLiteral("idle-timeout"),
                                               QStringLiteral("Close a connection idle for that long (0: never)."),
                                               QStringLiteral("MS"), QStringLiteral("60000"));
    parser.addOptions({certOption, keyOption, portOption, addressOption, handshakeTimeoutOption, idleTimeoutOption});
    parser.process(app);
    bool handshakeTimeoutOk = false;
    bool idleTimeoutOk = false;
    const int handshakeTimeout = parser.value(handshakeTimeoutOption).toInt(&handshakeTimeoutOk);
    const int idleTimeout = parser.value(idleTimeoutOption).toInt(&idleTimeoutOk);
    if (!handshakeTimeoutOk || handshakeTimeout <= 0 || !idleTimeoutOk || idleTimeout < 0) {
        std::fprintf(stderr, "sslechoserver: --handshake-timeout must be positive, --idle-timeout not negative\n");
        return 2;
    }

    QFile certFile(parser.value(certOption));
    QFile keyFile(parser.value(keyOption));
    if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "sslechoserver: --cert and --key must name readable files\n");
        return 2;
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certFile.readAll());
    const QByteArray keyPem = keyFile.readAll();
    QSslKey key(keyPem, QSsl::Ec);
    if (key.isNull())
        key = QSslKey(keyPem, QSsl::Rsa);
    if (chain.isEmpty() || key.isNull()) {
        std::fprintf(stderr, "sslechoserver: cannot load the certificate or the key\n");
        return 2;
    }

    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificateChain(chain);
    configuration.setPrivateKey(key);

    QSslServer server;
    server.setSslConfiguration(configuration);
    server.setHandshakeTimeout(handshakeTimeout);
    QObject::connect(&server, &QSslServer::errorOccurred, &server,
                     [](QSslSocket *socket, QAbstractSocket::SocketError error) {
                         if (error != QAbstractSocket::RemoteHostClosedError) // a client leaving
                             report(socket, socket->errorString());
                     });
    QObject::connect(&server, &QTcpServer::pendingConnectionAvailable, &server, [&server, idleTimeout] {
        while (QTcpSocket *socket = server.nextPendingConnection())
            serve(qobject_cast<QSslSocket *>(socket), idleTimeout);
    });
    if (!server.listen(QHostAddress(parser.value(addressOption)), quint16(parser.value(portOption).toUInt()))) {
        std::fprintf(stderr, "sslechoserver: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    std::printf("listening on %s:%u\n", qPrintable(server.serverAddress().toString()), server.serverPort());
    std::fflush(stdout);
    return app.exec();
}
