// SPDX-License-Identifier: MIT OR Apache-2.0
// What an app sees of the SSL objects that cross QNetworkAccessManager's API: Qt's own objects
// handed to the app (sslErrors, sslConfiguration, the PSK authenticator) and the app's objects
// handed to QNAM (ignoreSslErrors lists, request and default configurations). Compiled against
// Qt's installed headers only and built twice: linked with QtNetwork alone, and relinked with
// libQSslRs ahead of it, where the app's calls bind to qssl-rs while QNAM keeps Qt's stack.
// The boundary test requires the two traces to be identical.
//   qnam_client CERTS_DIR SELFSIGNED_PORT CA_PORT WRONGHOST_PORT CLIENTAUTH_PORT PSK_PORT
// The ports are those of https_server.py serving selfsigned.pem, server.pem, wronghost.pem and
// server.pem to clients with a certificate from ca.pem, and of `openssl s_server -psk`.
#include <QtCore/qcoreapplication.h>
#include <QtCore/qeventloop.h>
#include <QtCore/qtimer.h>
#include <QtNetwork/qnetworkaccessmanager.h>
#include <QtNetwork/qnetworkreply.h>
#include <QtNetwork/qnetworkrequest.h>
#include <QtNetwork/qsslpresharedkeyauthenticator.h>

#include "trace.h"

#include <cstdio>
#include <functional>
#include <memory>

namespace {

// Bounds every request; the servers answer in milliseconds.
constexpr int requestTimeoutMs = 10000;

using trace::line;
using trace::yesNo;

trace::Setup setup;

QUrl url(quint16 port, const char *path)
{
    return QUrl(QStringLiteral("https://127.0.0.1:%1/%2").arg(port).arg(QLatin1StringView(path)));
}

// The URL without its port, which changes from run to run.
QString shown(const QUrl &url)
{
    return url.adjusted(QUrl::RemovePort).toString();
}

// A default configuration that trusts the test CA only.
QSslConfiguration trustingCa()
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates({setup.ca});
    return configuration;
}

enum class OnErrors { Nothing, IgnoreAll, IgnoreCopy, IgnorePrebuilt };

struct Get
{
    QUrl url;
    OnErrors onErrors = OnErrors::Nothing;
    QList<QSslError> prebuilt; // for IgnorePrebuilt, handed to ignoreSslErrors before get()
    QSslConfiguration configuration; // used when not null
    QString peerVerifyName;
    // The server closes the connection with its response: whether Qt has seen the close (and
    // cleared the session) by the time the reply finishes is a race, so the session is not shown.
    bool closedByServer = false;
    // Runs when the reply finishes, before it is deleted.
    std::function<void(QNetworkReply *)> inspect;
};

// A fresh manager per scenario: its connections and TLS sessions die with it.
std::unique_ptr<QNetworkAccessManager> newManager()
{
    auto manager = std::make_unique<QNetworkAccessManager>();
    QObject::connect(manager.get(), &QNetworkAccessManager::encrypted, [](QNetworkReply *reply) {
        line(QStringLiteral("  manager encrypted: %1").arg(shown(reply->url())));
        trace::printConfiguration(QStringLiteral("    encrypted:"), reply->sslConfiguration());
    });
    QObject::connect(manager.get(), &QNetworkAccessManager::sslErrors,
                     [](QNetworkReply *reply, const QList<QSslError> &errors) {
                         line(QStringLiteral("  manager sslErrors: %1 for %2")
                                      .arg(errors.size())
                                      .arg(shown(reply->url())));
                     });
    return manager;
}

void get(QNetworkAccessManager &manager, const Get &spec)
{
    line(QStringLiteral("  get %1").arg(shown(spec.url)));
    QNetworkRequest request(spec.url);
    if (!spec.configuration.isNull()) {
        request.setSslConfiguration(spec.configuration);
        const QSslConfiguration stored = request.sslConfiguration();
        line(QStringLiteral("  request configuration: same=%1 cas=%2 local=%3 peerVerifyMode=%4")
                     .arg(yesNo(stored == spec.configuration), trace::commonNames(stored.caCertificates()),
                          trace::commonNames(stored.localCertificateChain()))
                     .arg(int(stored.peerVerifyMode())));
    }
    if (!spec.peerVerifyName.isEmpty())
        request.setPeerVerifyName(spec.peerVerifyName);
    QNetworkReply *reply = manager.get(request);
    if (spec.onErrors == OnErrors::IgnorePrebuilt)
        reply->ignoreSslErrors(spec.prebuilt);

    QObject::connect(reply, &QNetworkReply::sslErrors, [reply, &spec](const QList<QSslError> &errors) {
        trace::printErrors(errors);
        const QSslConfiguration configuration = reply->sslConfiguration();
        line(QStringLiteral("  reply's configuration in the slot: cipher=%1 chain=%2")
                     .arg(configuration.sessionCipher().name(),
                          trace::commonNames(configuration.peerCertificateChain())));
        switch (spec.onErrors) {
        case OnErrors::Nothing:
            break;
        case OnErrors::IgnoreAll:
            reply->ignoreSslErrors();
            break;
        case OnErrors::IgnoreCopy: {
            const QList<QSslError> copy = errors;
            reply->ignoreSslErrors(copy);
            break;
        }
        case OnErrors::IgnorePrebuilt:
            trace::mixErrors(errors.first(), spec.prebuilt.first());
            break;
        }
    });
    // A queued slot gets its own copy through the meta-type system; printed at the end, where
    // its place in the trace does not depend on when it ran.
    QList<QSslError> queued;
    bool queuedCalled = false;
    QObject::connect(
            reply, &QNetworkReply::sslErrors, reply,
            [&queued, &queuedCalled](const QList<QSslError> &errors) {
                queued = errors;
                queuedCalled = true;
            },
            Qt::QueuedConnection);
    QObject::connect(reply, &QNetworkReply::preSharedKeyAuthenticationRequired,
                     [reply](QSslPreSharedKeyAuthenticator *authenticator) {
                         line(QStringLiteral("  psk: hint=%1 maxIdentity=%2 maxKey=%3 identity=%4")
                                      .arg(QString::fromLatin1(authenticator->identityHint()))
                                      .arg(authenticator->maximumIdentityLength())
                                      .arg(authenticator->maximumPreSharedKeyLength())
                                      .arg(QString::fromLatin1(authenticator->identity())));
                         const QSslPreSharedKeyAuthenticator before = *authenticator;
                         // What run_boundary.py gives `openssl s_server -psk`.
                         authenticator->setIdentity("Client_identity");
                         authenticator->setPreSharedKey(QByteArray::fromHex("1a2b3c4d5e6f"));
                         line(QStringLiteral("  psk: set identity=%1 key=%2 changed=%3 reply running=%4")
                                      .arg(QString::fromLatin1(authenticator->identity()),
                                           QString::fromLatin1(authenticator->preSharedKey().toHex()),
                                           yesNo(before != *authenticator), yesNo(reply->isRunning())));
                     });

    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(requestTimeoutMs, &loop, [&loop, reply] {
        line(QStringLiteral("  TIMEOUT"));
        reply->abort();
        loop.quit();
    });
    if (!reply->isFinished())
        loop.exec();

    const QByteArray body = reply->isOpen() ? reply->readAll() : QByteArray();
    line(QStringLiteral("  finished: error=%1 status=%2 body=%3")
                 .arg(int(reply->error()))
                 .arg(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt())
                 .arg(QString::fromLatin1(body.trimmed())));
    if (!spec.closedByServer) {
        const QSslConfiguration configuration = reply->sslConfiguration();
        line(QStringLiteral("  finished: cipher=%1 chain=%2")
                     .arg(configuration.sessionCipher().name(),
                          trace::commonNames(configuration.peerCertificateChain())));
    }
    if (spec.inspect)
        spec.inspect(reply);
    QCoreApplication::sendPostedEvents(reply);
    if (queuedCalled) {
        QStringList codes;
        for (const QSslError &error : std::as_const(queued))
            codes << QString::number(int(error.error()));
        line(QStringLiteral("  queued sslErrors: [%1]").arg(codes.join(u' ')));
    }
    delete reply;
}

// connectToHostEncrypted() reports through the manager's encrypted signal only. Waiting for it
// keeps the order of the signals fixed: a get() issued at once races the pre-connection.
void waitForEncrypted(QNetworkAccessManager &manager)
{
    QEventLoop loop;
    QObject::connect(&manager, &QNetworkAccessManager::encrypted, &loop, &QEventLoop::quit);
    QTimer::singleShot(requestTimeoutMs, &loop, [&loop] {
        line(QStringLiteral("  TIMEOUT"));
        loop.quit();
    });
    loop.exec();
}

void scenario(const char *name, const std::function<void(QNetworkAccessManager &)> &body)
{
    line(QStringLiteral("== %1").arg(QLatin1StringView(name)));
    const auto manager = newManager();
    body(*manager);
}

void run()
{
    scenario("untrusted self-signed, nothing ignored", [](QNetworkAccessManager &manager) {
        get(manager, {url(setup.selfSignedPort, "a"), OnErrors::Nothing});
    });
    scenario("ignoreSslErrors() in the slot", [](QNetworkAccessManager &manager) {
        get(manager, {url(setup.selfSignedPort, "b"), OnErrors::IgnoreAll});
    });
    scenario("ignoreSslErrors(copy of the signal's list)", [](QNetworkAccessManager &manager) {
        get(manager, {url(setup.selfSignedPort, "c"), OnErrors::IgnoreCopy});
    });
    scenario("ignoreSslErrors(errors built before get)", [](QNetworkAccessManager &manager) {
        get(manager, {url(setup.selfSignedPort, "d"), OnErrors::IgnorePrebuilt,
                      {QSslError(QSslError::SelfSignedCertificate, setup.selfSigned)}});
    });
    scenario("ignoreSslErrors(host name mismatch built before get)", [](QNetworkAccessManager &manager) {
        get(manager, {url(setup.wrongHostPort, "d2"), OnErrors::IgnorePrebuilt,
                      {QSslError(QSslError::HostNameMismatch, setup.wrongHost)}, trustingCa()});
    });
    scenario("ignoreSslErrors(list) in the manager's sslErrors slot", [](QNetworkAccessManager &manager) {
        QObject::connect(&manager, &QNetworkAccessManager::sslErrors,
                         [](QNetworkReply *reply, const QList<QSslError> &errors) { reply->ignoreSslErrors(errors); });
        get(manager, {url(setup.selfSignedPort, "d3")});
    });
    scenario("request configuration with the CA", [](QNetworkAccessManager &manager) {
        Get spec{url(setup.caPort, "e"), OnErrors::Nothing, {}, trustingCa()};
        spec.inspect = [](QNetworkReply *reply) {
            trace::mixConfiguration(reply->sslConfiguration(), setup.server, {setup.ca, setup.selfSigned});
        };
        get(manager, spec);
    });
    scenario("default configuration with the CA", [](QNetworkAccessManager &manager) {
        const QSslConfiguration saved = QSslConfiguration::defaultConfiguration();
        QSslConfiguration::setDefaultConfiguration(trustingCa());
        line(QStringLiteral("  default cas=%1")
                     .arg(trace::commonNames(QSslConfiguration::defaultConfiguration().caCertificates())));
        get(manager, {url(setup.caPort, "f")});
        QSslConfiguration::setDefaultConfiguration(saved);
        line(QStringLiteral("  default restored=%1").arg(yesNo(QSslConfiguration::defaultConfiguration() == saved)));
    });
    scenario("connectToHostEncrypted, then get", [](QNetworkAccessManager &manager) {
        manager.connectToHostEncrypted(QStringLiteral("127.0.0.1"), setup.caPort, trustingCa());
        waitForEncrypted(manager);
        get(manager, {url(setup.caPort, "g"), OnErrors::Nothing, {}, trustingCa()});
    });
    scenario("connectToHostEncrypted with peer name, then get", [](QNetworkAccessManager &manager) {
        manager.connectToHostEncrypted(QStringLiteral("127.0.0.1"), setup.caPort, trustingCa(),
                                       QStringLiteral("localhost"));
        waitForEncrypted(manager);
        get(manager, {url(setup.caPort, "g2"), OnErrors::Nothing, {}, trustingCa(), QStringLiteral("localhost")});
    });
    scenario("untrusted, then trusted through the first reply's configuration", [](QNetworkAccessManager &manager) {
        QSslConfiguration configuration;
        Get first{url(setup.caPort, "h1")};
        first.inspect = [&configuration](QNetworkReply *reply) { configuration = reply->sslConfiguration(); };
        get(manager, first);
        configuration.setCaCertificates({setup.ca});
        // QNAM keys its cached connections by host, port and peer name, not by configuration:
        // the cached connection keeps the first configuration until the cache is cleared.
        get(manager, {url(setup.caPort, "h2"), OnErrors::Nothing, {}, configuration});
        manager.clearConnectionCache();
        get(manager, {url(setup.caPort, "h3"), OnErrors::Nothing, {}, configuration});
    });
    scenario("client certificate and key from the app", [](QNetworkAccessManager &manager) {
        QSslConfiguration configuration = trustingCa();
        configuration.setLocalCertificate(setup.client);
        configuration.setPrivateKey(setup.clientKey);
        Get spec{url(setup.clientAuthPort, "client"), OnErrors::Nothing, {}, configuration};
        spec.inspect = [](QNetworkReply *reply) {
            const QSslConfiguration fromQt = reply->sslConfiguration();
            line(QStringLiteral("  mixed: local==app cert %1, key==app key %2, same key DER %3")
                         .arg(yesNo(fromQt.localCertificate() == setup.client),
                              yesNo(fromQt.privateKey() == setup.clientKey),
                              yesNo(fromQt.privateKey().toDer() == setup.clientKey.toDer())));
        };
        get(manager, spec);
    });
    // The app's own QSslSocket (ours when relinked) between requests of QNAM (Qt's): both TLS
    // stacks use one libcrypto in one process, and each frees only its own per-connection data.
    scenario("the app's QSslSocket next to QNAM", [](QNetworkAccessManager &manager) {
        get(manager, {url(setup.caPort, "s1"), OnErrors::Nothing, {}, trustingCa()});
        {
            QSslSocket socket;
            socket.setSslConfiguration(trustingCa());
            socket.connectToHostEncrypted(QStringLiteral("localhost"), setup.caPort);
            const bool encrypted = socket.waitForEncrypted(requestTimeoutMs);
            socket.write("GET /s2 HTTP/1.0\r\nHost: localhost\r\n\r\n");
            QByteArray response;
            while (socket.waitForReadyRead(requestTimeoutMs))
                response += socket.readAll();
            response += socket.readAll();
            line(QStringLiteral("  socket: encrypted=%1 peer=%2 status=%3")
                         .arg(yesNo(encrypted), socket.peerCertificate().subjectDisplayName(),
                              QString::fromLatin1(response.left(response.indexOf('\r')))));
        }
        get(manager, {url(setup.caPort, "s3"), OnErrors::Nothing, {}, trustingCa()});
    });
    // Python's ssl module has no PSK: the server is `openssl s_server -psk`, with no certificate
    // to verify. Qt offers PSK suites only when asked to.
    scenario("pre-shared key", [](QNetworkAccessManager &manager) {
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setProtocol(QSsl::TlsV1_2);
        configuration.setCiphers({QSslCipher(QStringLiteral("PSK-AES128-CBC-SHA256"))});
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
        Get spec{url(setup.pskPort, "psk.txt"), OnErrors::Nothing, {}, configuration};
        spec.closedByServer = true;
        get(manager, spec);
    });
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (!setup.read(argc, argv, true))
        return 2;
    run();
    line(QStringLiteral("== done"));
    return 0;
}
