// SPDX-License-Identifier: MIT OR Apache-2.0
// What an app sees of the SSL objects that cross QWebSocket's API: Qt's own objects handed to
// the app (sslErrors, peerVerifyError, sslConfiguration) and the app's objects handed to
// QtWebSockets (ignoreSslErrors lists, setSslConfiguration). Compiled against Qt's installed
// headers only and built twice: linked with Qt alone, and relinked with libQSslRs ahead of
// QtNetwork, where the app's calls bind to qssl-rs while QtWebSockets keeps Qt's stack.
// The boundary test requires the two traces to be identical.
//   wss_client CERTS_DIR SELFSIGNED_PORT CA_PORT WRONGHOST_PORT CLIENTAUTH_PORT
// The ports are those of wss_server serving selfsigned.pem, server.pem, wronghost.pem and
// server.pem to clients with a certificate from ca.pem.
#include <QtCore/qcoreapplication.h>
#include <QtCore/qeventloop.h>
#include <QtCore/qtimer.h>
#include <QtWebSockets/qwebsocket.h>

#include "trace.h"

#include <cstdio>
#include <functional>

namespace {

// Bounds every connection; the server answers in milliseconds.
constexpr int connectionTimeoutMs = 10000;

using trace::line;
using trace::yesNo;

trace::Setup setup;

enum class OnErrors { Nothing, IgnoreAll, IgnoreCopy, IgnorePrebuilt };

struct Open
{
    quint16 port = 0;
    OnErrors onErrors = OnErrors::Nothing;
    QList<QSslError> prebuilt; // for IgnorePrebuilt, handed to ignoreSslErrors before open()
    QSslConfiguration configuration; // used when not null
    // Runs once connected, before the echo.
    std::function<void(QWebSocket &)> inspect;
};

// A default configuration that trusts the test CA only.
QSslConfiguration trustingCa()
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates({setup.ca});
    return configuration;
}

// Opens wss://127.0.0.1:PORT/, sends one message and closes once it is echoed.
void open(const char *name, const Open &spec)
{
    line(QStringLiteral("== %1").arg(QLatin1StringView(name)));
    const QString port = QString::number(spec.port);
    // Error strings may name the peer's address.
    const auto scrub = [&port](QString text) { return text.replace(port, QStringLiteral("PORT")); };

    QWebSocket socket;
    QEventLoop loop;
    if (!spec.configuration.isNull()) {
        socket.setSslConfiguration(spec.configuration);
        const QSslConfiguration stored = socket.sslConfiguration();
        line(QStringLiteral("  socket's configuration: same=%1 cas=%2 local=%3 peerVerifyMode=%4")
                     .arg(yesNo(stored == spec.configuration), trace::commonNames(stored.caCertificates()),
                          trace::commonNames(stored.localCertificateChain()))
                     .arg(int(stored.peerVerifyMode())));
    }
    if (spec.onErrors == OnErrors::IgnorePrebuilt)
        socket.ignoreSslErrors(spec.prebuilt);

    QObject::connect(&socket, &QWebSocket::peerVerifyError, [](const QSslError &error) {
        line(QStringLiteral("  peerVerifyError: ") + trace::describe(error));
        const QSslError copy = error;
        line(QStringLiteral("    copy==original=%1").arg(yesNo(copy == error)));
    });
    QObject::connect(&socket, &QWebSocket::sslErrors, [&socket, &spec](const QList<QSslError> &errors) {
        trace::printErrors(errors);
        switch (spec.onErrors) {
        case OnErrors::Nothing:
            break;
        case OnErrors::IgnoreAll:
            socket.ignoreSslErrors();
            break;
        case OnErrors::IgnoreCopy: {
            const QList<QSslError> copy = errors;
            socket.ignoreSslErrors(copy);
            break;
        }
        case OnErrors::IgnorePrebuilt:
            trace::mixErrors(errors.first(), spec.prebuilt.first());
            break;
        }
    });
    QObject::connect(&socket, &QWebSocket::connected, [&socket, &spec] {
        line(QStringLiteral("  connected"));
        trace::printConfiguration(QStringLiteral("    connected:"), socket.sslConfiguration());
        if (spec.inspect)
            spec.inspect(socket);
        socket.sendTextMessage(QStringLiteral("echo over wss"));
    });
    QObject::connect(&socket, &QWebSocket::textMessageReceived, [&socket](const QString &message) {
        line(QStringLiteral("  echoed: %1").arg(message));
        socket.close();
    });
    QObject::connect(&socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error),
                     [&socket, &scrub](QAbstractSocket::SocketError error) {
                         line(QStringLiteral("  error: %1 %2").arg(int(error)).arg(scrub(socket.errorString())));
                     });
    QObject::connect(&socket, &QWebSocket::disconnected, &loop, &QEventLoop::quit);
    QTimer::singleShot(connectionTimeoutMs, &loop, [&loop, &socket] {
        line(QStringLiteral("  TIMEOUT"));
        socket.abort();
        loop.quit();
    });

    socket.open(QUrl(QStringLiteral("wss://127.0.0.1:%1/").arg(spec.port)));
    loop.exec();
    line(QStringLiteral("  disconnected: closeCode=%1 state=%2")
                 .arg(int(socket.closeCode()))
                 .arg(int(socket.state())));
}

void run()
{
    open("untrusted self-signed, nothing ignored", {setup.selfSignedPort});
    open("ignoreSslErrors() in the slot", {setup.selfSignedPort, OnErrors::IgnoreAll});
    open("ignoreSslErrors(copy of the signal's list)", {setup.selfSignedPort, OnErrors::IgnoreCopy});
    open("ignoreSslErrors(errors built before open)",
         {setup.selfSignedPort, OnErrors::IgnorePrebuilt,
          {QSslError(QSslError::SelfSignedCertificate, setup.selfSigned)}});
    open("ignoreSslErrors(host name mismatch built before open)",
         {setup.wrongHostPort, OnErrors::IgnorePrebuilt, {QSslError(QSslError::HostNameMismatch, setup.wrongHost)},
          trustingCa()});
    open("untrusted CA", {setup.caPort});
    Open trusted{setup.caPort, OnErrors::Nothing, {}, trustingCa()};
    trusted.inspect = [](QWebSocket &socket) {
        trace::mixConfiguration(socket.sslConfiguration(), setup.server, {setup.ca, setup.selfSigned});
    };
    open("setSslConfiguration with the CA", trusted);
    Open withClient{setup.clientAuthPort, OnErrors::Nothing, {}, trustingCa()};
    withClient.configuration.setLocalCertificate(setup.client);
    withClient.configuration.setPrivateKey(setup.clientKey);
    withClient.inspect = [](QWebSocket &socket) {
        const QSslConfiguration fromQt = socket.sslConfiguration();
        line(QStringLiteral("  mixed: local==app cert %1, key==app key %2, same key DER %3")
                     .arg(yesNo(fromQt.localCertificate() == setup.client),
                          yesNo(fromQt.privateKey() == setup.clientKey),
                          yesNo(fromQt.privateKey().toDer() == setup.clientKey.toDer())));
    };
    open("client certificate and key from the app", withClient);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (!setup.read(argc, argv, false))
        return 2;
    run();
    line(QStringLiteral("== done"));
    return 0;
}
