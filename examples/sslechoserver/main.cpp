// sslechoserver: a QSslServer that echoes every byte back.
//   sslechoserver --cert FILE --key FILE [--port N] [--address 127.0.0.1]
#include <QtCore/qcommandlineparser.h>
#include <QtCore/qcoreapplication.h>
#include <QtCore/qfile.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslkey.h>
#include <QtNetwork/qsslserver.h>
#include <QtNetwork/qsslsocket.h>

#include <cstdio>

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
    parser.addOptions({certOption, keyOption, portOption, addressOption});
    parser.process(app);

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
    QObject::connect(&server, &QSslServer::errorOccurred, &server,
                     [](QSslSocket *socket, QAbstractSocket::SocketError error) {
                         if (error != QAbstractSocket::RemoteHostClosedError) // a client leaving
                             std::fprintf(stderr, "sslechoserver: %s\n", qPrintable(socket->errorString()));
                     });
    QObject::connect(&server, &QTcpServer::pendingConnectionAvailable, &server, [&server] {
        while (QTcpSocket *socket = server.nextPendingConnection()) {
            QObject::connect(socket, &QIODevice::readyRead, socket, [socket] { socket->write(socket->readAll()); });
            QObject::connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
        }
    });
    if (!server.listen(QHostAddress(parser.value(addressOption)), quint16(parser.value(portOption).toUInt()))) {
        std::fprintf(stderr, "sslechoserver: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    std::printf("listening on %s:%u\n", qPrintable(server.serverAddress().toString()), server.serverPort());
    std::fflush(stdout);
    return app.exec();
}
