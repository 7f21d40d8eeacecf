// sslclient: an `openssl s_client`-like tool on QSslSocket. Prints the session, then relays
// stdin to the server and the server's data to stdout.
//   sslclient HOST:PORT [--cafile FILE] [--servername NAME] [--insecure] [--timeout MS]
// Exits 0 when an encrypted session ended without an error; otherwise prints why and exits 1.
#include <QtCore/qcommandlineparser.h>
#include <QtCore/qcoreapplication.h>
#include <QtCore/qsocketnotifier.h>
#include <QtCore/qtextstream.h>
#include <QtCore/qtimer.h>
#include <QtNetwork/qsslcipher.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslsocket.h>
#include <QSslRs> // qssl-rs' extensions: the key exchange group

#include <cstdio>
#include <unistd.h>

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QString protocolName(QSsl::SslProtocol protocol)
{
    switch (protocol) {
    case QSsl::TlsV1_2: return QStringLiteral("TLSv1.2");
    case QSsl::TlsV1_3: return QStringLiteral("TLSv1.3");
    default: return QStringLiteral("unknown (%1)").arg(int(protocol));
    }
}

void printSession(const QSslSocket &socket)
{
    out() << "Protocol: " << protocolName(socket.sessionProtocol()) << '\n'
          << "Cipher: " << socket.sessionCipher().name() << '\n'
          << "Key exchange group: " << QSslRs::negotiatedGroup(&socket) << '\n'
          << "Peer certificate chain:\n";
    const QList<QSslCertificate> chain = socket.peerCertificateChain();
    for (qsizetype i = 0; i < chain.size(); ++i) {
        const QSslCertificate &certificate = chain.at(i);
        out() << "  " << i << " subject: " << certificate.subjectDisplayName() << '\n'
              << "    issuer: " << certificate.issuerDisplayName() << '\n'
              << "    expires: " << certificate.expiryDate().toString(Qt::ISODate) << '\n';
    }
    out().flush();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("TLS client on qssl-rs' QSslSocket"));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("host:port"), QStringLiteral("Where to connect."));
    const QCommandLineOption caFile(QStringLiteral("cafile"), QStringLiteral("Trust the CA certificates in FILE."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption serverName(QStringLiteral("servername"),
                                        QStringLiteral("Send NAME as SNI and verify the certificate against it."),
                                        QStringLiteral("NAME"));
    const QCommandLineOption insecure(QStringLiteral("insecure"),
                                      QStringLiteral("Report verification errors but carry on."));
    const QCommandLineOption timeoutOption(QStringLiteral("timeout"),
                                           QStringLiteral("Give up when connecting and the TLS handshake take "
                                                          "longer than MS milliseconds (0: wait forever)."),
                                           QStringLiteral("MS"), QStringLiteral("30000"));
    parser.addOptions({caFile, serverName, insecure, timeoutOption});
    parser.process(app);

    const char usage[] = "usage: sslclient HOST:PORT [--cafile FILE] [--servername NAME] [--insecure] [--timeout MS]\n";
    const QStringList positional = parser.positionalArguments();
    const qsizetype colon = positional.value(0).lastIndexOf(u':');
    bool portOk = false;
    const quint16 port = colon > 0 ? positional.first().mid(colon + 1).toUShort(&portOk) : 0;
    bool timeoutOk = false;
    const int timeout = parser.value(timeoutOption).toInt(&timeoutOk);
    if (positional.size() != 1 || !portOk || !timeoutOk || timeout < 0) {
        std::fputs(usage, stderr);
        return 2;
    }
    const QString host = positional.first().left(colon);

    QSslSocket socket;
    if (parser.isSet(caFile)) {
        QSslConfiguration configuration = socket.sslConfiguration();
        if (!configuration.addCaCertificates(parser.value(caFile))) {
            std::fprintf(stderr, "sslclient: no certificate in %s\n", qPrintable(parser.value(caFile)));
            return 2;
        }
        socket.setSslConfiguration(configuration);
    }

    // Every way this can end, once: 0 for an encrypted session that ended without an error.
    bool wasEncrypted = false; // isEncrypted() is false again once the connection has gone
    bool finished = false;
    const auto finish = [&](const QString &failure) {
        if (finished)
            return;
        finished = true;
        if (!failure.isEmpty())
            std::fprintf(stderr, "sslclient: %s\n", qPrintable(failure));
        app.exit(failure.isEmpty() ? 0 : 1);
    };

    QObject::connect(&socket, &QSslSocket::sslErrors, &socket, [&](const QList<QSslError> &errors) {
        for (const QSslError &error : errors)
            out() << "Verification error: " << error.errorString() << '\n';
        out().flush();
        if (parser.isSet(insecure))
            socket.ignoreSslErrors();
    });
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &socket, [&] {
        const bool connected = socket.state() == QAbstractSocket::ConnectedState;
        finish(QStringLiteral("no TLS session within %1 ms (%2)")
                       .arg(timeout)
                       .arg(connected ? QStringLiteral("connected, the handshake did not complete")
                                      : QStringLiteral("not connected")));
        socket.abort();
    });
    QObject::connect(&socket, &QSslSocket::encrypted, &socket, [&] {
        deadline.stop();
        wasEncrypted = true;
        printSession(socket);
    });
    QObject::connect(&socket, &QIODevice::readyRead, &socket, [&] {
        const QByteArray data = socket.readAll();
        std::fwrite(data.constData(), 1, size_t(data.size()), stdout);
        std::fflush(stdout);
    });
    QObject::connect(&socket, &QAbstractSocket::errorOccurred, &socket, [&](QAbstractSocket::SocketError error) {
        // A server that closes an established session is the normal end; a close (or a reset)
        // before the session is established is a failure, and says so.
        if (error == QAbstractSocket::RemoteHostClosedError && wasEncrypted)
            return;
        if (error == QAbstractSocket::RemoteHostClosedError)
            finish(QStringLiteral("the server closed the connection before the TLS session was established (%1)")
                           .arg(socket.errorString()));
        else
            finish(socket.errorString());
        socket.abort();
    });
    QObject::connect(&socket, &QAbstractSocket::disconnected, &socket, [&] {
        finish(wasEncrypted ? QString() : QStringLiteral("disconnected before the TLS session was established"));
    });

    // Once stdin ends, the server gets a moment to answer before we close.
    QTimer quiet;
    quiet.setSingleShot(true);
    quiet.setInterval(500);
    QObject::connect(&quiet, &QTimer::timeout, &socket, [&] { socket.disconnectFromHost(); });
    QObject::connect(&socket, &QIODevice::readyRead, &quiet, [&] {
        if (!quiet.isActive() && quiet.property("stdinDone").toBool())
            quiet.start();
    });

    QSocketNotifier input(STDIN_FILENO, QSocketNotifier::Read);
    input.setEnabled(false);
    QObject::connect(&socket, &QSslSocket::encrypted, &input, [&] { input.setEnabled(true); });
    QObject::connect(&input, &QSocketNotifier::activated, &socket, [&] {
        char buffer[16384];
        const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
        if (n > 0) {
            socket.write(buffer, n);
            return;
        }
        input.setEnabled(false);
        quiet.setProperty("stdinDone", true);
        quiet.start();
    });

    if (timeout > 0)
        deadline.start(timeout);
    if (parser.isSet(serverName))
        socket.connectToHostEncrypted(host, port, parser.value(serverName));
    else
        socket.connectToHostEncrypted(host, port);
    return app.exec();
}
