// tlsbench: TLS micro-benchmarks of QSslSocket/QSslServer, built twice from this one source:
// tlsbench_qt (Qt's own QtNetwork) and tlsbench_qsslrs (libQSslRs). Everything runs over
// 127.0.0.1 only, in one process and on one event loop unless said otherwise. Output on stdout:
// one line per result,
//     name value unit
// (the median of --repeats runs), plus lines starting with '#': "# library: ...", "# options: ...",
// "# failed SCENARIO: why". Every single run and all diagnostics go to stderr.
//
//   tlsbench --certs DIR [--only a,b,...] [--repeats R] [--handshakes N] [--serial-handshakes N]
//            [--mib M] [--roundtrips N] [--conns N] [--watchdog SECONDS]
// Defaults: --repeats 1 --handshakes 1000 --serial-handshakes 200 --mib 512 --roundtrips 50000
// --conns 500 --watchdog 150 (one run of everything: well under a minute on 2 cores).
//
// Scenarios (a "pair" is a client socket plus its server socket, both in this process):
//   memory         peak RSS growth (getrusage) for --conns idle encrypted pairs, in KiB per pair
//   memory_tcp     the same for plain QTcpSocket pairs
//                  (each memory run is a child process of its own, as peak RSS only grows)
//   handshake13    sequential full TLS 1.3 handshakes (new client socket each, then a clean close)
//   handshake12    the same with TLS 1.2
//   handshake13_serial  as handshake13 (--serial-handshakes of them), but each connection is
//                  gone (both sockets destroyed) before the next one starts
//   resumed13      TLS 1.3 handshakes of clients that offer the session ticket of an earlier
//                  connection through Qt's API (setSessionTicket), counted per second only when
//                  the server resumed the session (its handshake flight then carries no
//                  certificate: fewer than 60% of a full handshake's bytes); 0 when the server
//                  never resumes. Also prints resumed13_resumed: how many of them were resumed.
//   upload_aes128, download_aes128
//                  --mib MiB client -> server (upload) or server -> client (download) in 64 KiB
//                  writes over TLS 1.3 with TLS_AES_128_GCM_SHA256 (forced on both ends with the
//                  backend option "Ciphersuites"; the scenario fails if another cipher is
//                  negotiated); the receiver reads and discards. Also prints NAME_cpu: CPU
//                  seconds (user + sys of the process, getrusage) per GiB moved.
//   upload_aes128_2t, download_aes128_2t
//                  the same with the QSslServer and the server socket in a worker QThread (its
//                  own event loop); the client stays in the main thread
//   upload_chacha20, download_chacha20, upload_chacha20_2t, download_chacha20_2t
//                  likewise with TLS_CHACHA20_POLY1305_SHA256
//   upload_tcp, download_tcp   likewise over a plain QTcpSocket pair (1 thread)
//   roundtrip      64-byte request, 64-byte response, one at a time, --roundtrips times (after a
//                  warm-up); each round trip timed with QElapsedTimer: roundtrip_p50 and
//                  roundtrip_p99 in microseconds (TLS 1.3, default configuration)
//   roundtrip_tcp  the same over a plain QTcpSocket pair (roundtrip_tcp_p50, roundtrip_tcp_p99)
//
// Exit status: 0; 4 when some scenarios failed (the others are reported); 1 or 3 (watchdog) when
// the program gave up.
// SPDX-License-Identifier: MIT OR Apache-2.0
#include <QtCore/qcoreapplication.h>
#include <QtCore/qelapsedtimer.h>
#include <QtCore/qeventloop.h>
#include <QtCore/qfile.h>
#include <QtCore/qprocess.h>
#include <QtCore/qthread.h>
#include <QtCore/qtimer.h>
#include <QtNetwork/qhostaddress.h>
#include <QtNetwork/qsslcertificate.h>
#include <QtNetwork/qsslcipher.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslkey.h>
#include <QtNetwork/qsslserver.h>
#include <QtNetwork/qsslsocket.h>
#include <QtNetwork/qtcpserver.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <functional>
#include <malloc.h>
#include <string>
#include <sys/resource.h>
#include <unistd.h>
#include <utility>
#include <vector>

#ifndef TLSBENCH_EXPECT_QSSLRS
#error "build with -DTLSBENCH_EXPECT_QSSLRS=0 (Qt) or 1 (qssl-rs)"
#endif

namespace {

struct Options
{
    QString certs;
    QStringList only;
    int repeats = 1;
    int handshakes = 1000;
    int serialHandshakes = 200;
    int mib = 512;
    int roundtrips = 50000;
    int conns = 500;
    int watchdogSeconds = 150;
    bool isolated = false;   // the child process of an isolated scenario (runs it, no header lines)
};
Options opt;

constexpr char aes128[] = "TLS_AES_128_GCM_SHA256";
constexpr char chacha20[] = "TLS_CHACHA20_POLY1305_SHA256";

// Made in main(), after QCoreApplication: a QSslConfiguration before it would load Qt's TLS backend
// too early.
struct Configs
{
    QSslConfiguration server;
    QSslConfiguration client;
};
Configs *configs = nullptr;

// The scenario under way, for the "# failed" line (also read by the watchdog).
const char *volatile currentScenario = nullptr;

[[noreturn]] void die(const QString &what)
{
    if (const char *scenario = currentScenario) {
        std::printf("# failed %s: %s\n", scenario, qPrintable(what));
        std::fflush(stdout);
    }
    std::fprintf(stderr, "tlsbench: %s\n", qPrintable(what));
    std::fflush(stderr);
    std::_Exit(1);
}

// A scenario that cannot give a meaningful result (but leaves the program in a state to go on).
// Thrown only outside event loops.
struct ScenarioFailed
{
    QString why;
};

void watchdog(int)
{
    if (const char *scenario = currentScenario) {
        const char head[] = "# failed ";
        const char tail[] = ": watchdog expired\n";
        (void)!write(1, head, sizeof head - 1);
        (void)!write(1, scenario, std::strlen(scenario));
        (void)!write(1, tail, sizeof tail - 1);
    }
    const char msg[] = "tlsbench: watchdog expired, giving up\n";
    (void)!write(2, msg, sizeof msg - 1);
    _exit(3);
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        die(QStringLiteral("cannot read ") + path);
    return file.readAll();
}

void loadConfigs()
{
    const QString dir = opt.certs + QLatin1Char('/');
    const QList<QSslCertificate> chain = QSslCertificate::fromData(readFile(dir + QStringLiteral("server.pem")));
    const QSslKey key(readFile(dir + QStringLiteral("server.key")), QSsl::Ec);
    const QList<QSslCertificate> ca = QSslCertificate::fromData(readFile(dir + QStringLiteral("ca.pem")));
    if (chain.isEmpty() || key.isNull() || ca.isEmpty())
        die(QStringLiteral("bad certificates in %1 (make them with tests/certs/make-certs.sh DIR)").arg(dir));

    QSslConfiguration &serverConfig = configs->server;
    serverConfig = QSslConfiguration::defaultConfiguration();
    serverConfig.setLocalCertificateChain(chain);
    serverConfig.setPrivateKey(key);
    serverConfig.setPeerVerifyMode(QSslSocket::VerifyNone);

    // A real client: verifies the server (EC P-256, CA-signed, SAN IP 127.0.0.1) against our CA.
    QSslConfiguration &clientConfig = configs->client;
    clientConfig = QSslConfiguration::defaultConfiguration();
    clientConfig.setCaCertificates(ca);
    clientConfig.setPeerVerifyMode(QSslSocket::VerifyPeer);
}

// `config` restricted to one TLS 1.3 cipher suite (none: unchanged), through the backend option
// that Qt's OpenSSL backend hands to SSL_CONF_cmd and qssl-rs honours alike.
QSslConfiguration withSuite(QSslConfiguration config, const char *suite)
{
    if (suite)
        config.setBackendConfigurationOption(QByteArrayLiteral("Ciphersuites"), QByteArray(suite));
    return config;
}

// Runs fn in the thread of `context` and waits for it.
void runIn(QObject *context, const std::function<void()> &fn)
{
    if (context->thread() == QThread::currentThread())
        fn();
    else
        QMetaObject::invokeMethod(context, fn, Qt::BlockingQueuedConnection);
}

// Runs fn in the thread of `context`: now when that is this thread, else queued (not waiting).
void post(QObject *context, const std::function<void()> &fn)
{
    if (context->thread() == QThread::currentThread())
        fn();
    else
        QMetaObject::invokeMethod(context, fn, Qt::QueuedConnection);
}

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Runs a nested event loop until quit(); a run that takes too long is fatal.
class Loop
{
public:
    explicit Loop(const char *what) : what(what) {}
    void run(int seconds = 60)
    {
        QTimer deadline;
        deadline.setSingleShot(true);
        QObject::connect(&deadline, &QTimer::timeout, &deadline,
                         [this] { fail(QStringLiteral("timed out")); });
        deadline.start(seconds * 1000);
        loop.exec();
    }
    void quit() { loop.quit(); }
    [[noreturn]] void fail(const QString &message) const
    {
        die(QString::fromLatin1(what) + QStringLiteral(": ") + message);
    }

private:
    QEventLoop loop;
    const char *what;
};

// QSslServer on 127.0.0.1, any free port; every socket it hands out goes to onSocket.
struct Server
{
    QSslServer server;
    std::function<void(QSslSocket *)> onSocket;

    explicit Server(const QSslConfiguration &config = configs->server)
    {
        server.setSslConfiguration(config);
        server.setMaxPendingConnections(1 << 20);
        server.setHandshakeTimeout(60000);   // valgrind is slow; the default is 5 s
        QObject::connect(&server, &QSslServer::errorOccurred, &server,
                         [](QSslSocket *socket, QAbstractSocket::SocketError error) {
                             if (error != QAbstractSocket::RemoteHostClosedError)
                                 std::fprintf(stderr, "# server socket error: %s\n",
                                              qPrintable(socket->errorString()));
                         });
        QObject::connect(&server, &QTcpServer::pendingConnectionAvailable, &server, [this] {
            while (QTcpSocket *socket = server.nextPendingConnection()) {
                auto *ssl = qobject_cast<QSslSocket *>(socket);
                if (!ssl)
                    die(QStringLiteral("QSslServer handed out a socket that is no QSslSocket"));
                if (onSocket)
                    onSocket(ssl);
            }
        });
        if (!server.listen(QHostAddress::LocalHost, 0))
            die(server.errorString());
    }
    quint16 port() const { return server.serverPort(); }
};

QSslSocket *newClient(QSsl::SslProtocol protocol, const Loop &loop, const char *suite = nullptr)
{
    auto *client = new QSslSocket;
    QSslConfiguration config = withSuite(configs->client, suite);
    config.setProtocol(protocol);
    client->setSslConfiguration(config);
    QObject::connect(client, &QSslSocket::sslErrors, client, [&loop](const QList<QSslError> &errors) {
        loop.fail(QStringLiteral("client sslErrors: ") + errors.constFirst().errorString());
    });
    QObject::connect(client, &QAbstractSocket::errorOccurred, client, [client, &loop] {
        loop.fail(QStringLiteral("client error: ") + client->errorString());
    });
    return client;
}

// A server socket that goes away when its client does.
void adoptServerSocket(QSslSocket *socket)
{
    QObject::connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
}

// Closes a client cleanly (close_notify, FIN) and deletes it once it is gone.
void closeClient(QSslSocket *client)
{
    QObject::disconnect(client, nullptr, client, nullptr);   // our slots; not the tracking
    QObject::connect(client, &QAbstractSocket::disconnected, client, &QObject::deleteLater);
    client->disconnectFromHost();
    if (client->state() == QAbstractSocket::UnconnectedState)
        client->deleteLater();
}

// Lets queued deletions and closes run.
void drainEvents()
{
    for (int i = 0; i < 3; ++i) {
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
    }
}

// What a Pair is made of.
struct PairSpec
{
    bool tls = true;                // else plain QTcpSocket/QTcpServer
    const char *suite = nullptr;    // TLS 1.3 cipher suite forced on both ends; none: the default
    bool threaded = false;          // server and server socket in a worker thread
};

// One connected client/server pair (TLS 1.3 or plain TCP), for the data scenarios. The client
// lives in the main thread; the server and its socket (peer) in the worker thread when threaded.
struct Pair
{
    PairSpec spec;
    QObject mainContext;   // in the main thread: target of what the worker posts back
    QThread worker;
    QObject *serverContext = nullptr;   // in the server's thread
    Server *sslServer = nullptr;
    QTcpServer *tcpServer = nullptr;
    QTcpSocket *client = nullptr;
    QTcpSocket *peer = nullptr;

    explicit Pair(const PairSpec &spec) : spec(spec)
    {
        serverContext = new QObject;
        if (spec.threaded) {
            worker.setObjectName(QStringLiteral("tlsbench server"));
            serverContext->moveToThread(&worker);
            worker.start();
        }
        Loop loop("connect");
        bool peerReady = false;
        bool clientReady = false;
        // In the server's thread.
        const auto accepted = [this, &loop, &peerReady, &clientReady](QTcpSocket *socket) {
            peer = socket;
            post(&mainContext, [&loop, &peerReady, &clientReady] {
                peerReady = true;
                if (clientReady)
                    loop.quit();
            });
        };
        quint16 port = 0;
        const QSslConfiguration serverConfig = withSuite(configs->server, spec.suite);
        runIn(serverContext, [&] {
            if (spec.tls) {
                sslServer = new Server(serverConfig);
                sslServer->onSocket = accepted;
                port = sslServer->port();
            } else {
                tcpServer = new QTcpServer;
                QObject::connect(tcpServer, &QTcpServer::newConnection, tcpServer, [this, accepted] {
                    while (QTcpSocket *socket = tcpServer->nextPendingConnection())
                        accepted(socket);
                });
                if (!tcpServer->listen(QHostAddress::LocalHost, 0))
                    die(tcpServer->errorString());
                port = tcpServer->serverPort();
            }
        });

        const auto ready = [&] {
            clientReady = true;
            if (peerReady)
                loop.quit();
        };
        if (spec.tls) {
            QSslSocket *ssl = newClient(QSsl::TlsV1_3, loop, spec.suite);
            QObject::connect(ssl, &QSslSocket::encrypted, ssl, ready);
            ssl->connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
            client = ssl;
        } else {
            client = new QTcpSocket;
            QObject::connect(client, &QAbstractSocket::connected, client, ready);
            QObject::connect(client, &QAbstractSocket::errorOccurred, client,
                             [this, &loop] { loop.fail(QStringLiteral("client error: ") + client->errorString()); });
            client->connectToHost(QHostAddress::LocalHost, port);
        }
        loop.run(30);
        QObject::disconnect(client, nullptr, nullptr, nullptr);
        runIn(serverContext, [this] {
            if (sslServer)
                sslServer->onSocket = nullptr;
            if (tcpServer)
                QObject::disconnect(tcpServer, nullptr, nullptr, nullptr);
        });
    }
    ~Pair()
    {
        runIn(serverContext, [this] {
            QObject::disconnect(peer, nullptr, nullptr, nullptr);
            peer->abort();
            delete peer;
            delete sslServer;
            delete tcpServer;
        });
        QObject::disconnect(client, nullptr, nullptr, nullptr);
        client->abort();
        delete client;
        if (spec.threaded) {
            worker.quit();
            worker.wait();
        }
        delete serverContext;   // its thread (if any) has finished
    }

    // Fails unless both ends negotiated `suite`.
    void expectCipher(const char *scenario, const char *suite)
    {
        const QString clientCipher = static_cast<QSslSocket *>(client)->sessionCipher().name();
        QString serverCipher;
        runIn(serverContext, [&] { serverCipher = static_cast<QSslSocket *>(peer)->sessionCipher().name(); });
        std::fprintf(stderr, "# %s: cipher %s (server: %s)\n", scenario, qPrintable(clientCipher),
                     qPrintable(serverCipher));
        if (clientCipher != QLatin1String(suite) || serverCipher != QLatin1String(suite))
            throw ScenarioFailed{QStringLiteral("negotiated %1 (server: %2), not %3")
                                     .arg(clientCipher, serverCipher, QLatin1String(suite))};
    }
};

// --- scenarios ----------------------------------------------------------------------------------

struct Result
{
    std::string name;
    double value;
    std::string unit;
};
using Results = std::vector<Result>;

// Runs the nested event loop of a measurement. Not inlined: run.sh --callgrind counts only what
// happens inside it (--toggle-collect='*measuredLoop*').
__attribute__((noinline)) void measuredLoop(Loop &loop)
{
    loop.run();
}

// Sequential handshakes: a new client each time, closed cleanly once both ends are encrypted.
// Overlapped: the next client starts at once (the previous connection closes meanwhile). Serial:
// the next client starts only once both sockets of the previous connection are destroyed, as for a
// server that sees one client now and then (nothing of the last connection is alive any more).
// `warmup` handshakes on the same server come first and are not measured. Returns the seconds
// that the `count` measured handshakes took.
double handshakeLoop(QSsl::SslProtocol protocol, int warmup, int count, bool serial = false)
{
    Server server;
    Loop loop("handshake");
    int done = 0;
    int target = warmup;
    int live = 0;   // sockets not yet destroyed
    bool waitingForTeardown = false;
    QSslSocket *client = nullptr;
    bool clientEncrypted = false;
    bool serverEncrypted = false;
    std::function<void()> startOne;

    auto track = [&](QSslSocket *socket) {
        ++live;
        QObject::connect(socket, &QObject::destroyed, &server.server, [&] {
            if (--live == 0 && waitingForTeardown && done < target) {
                waitingForTeardown = false;
                QTimer::singleShot(0, &server.server, [&] { startOne(); });
            }
        });
    };
    auto checkDone = [&] {
        if (!clientEncrypted || !serverEncrypted)
            return;
        if (client->sessionProtocol() != protocol)
            loop.fail(QStringLiteral("unexpected protocol negotiated"));
        if (done == 0)
            std::fprintf(stderr, "# handshake: %s\n", qPrintable(client->sessionCipher().name()));
        closeClient(std::exchange(client, nullptr));
        ++done;
        if (serial)
            waitingForTeardown = true;
        if (done == target)
            loop.quit();
        else if (!serial)
            startOne();
    };
    server.onSocket = [&](QSslSocket *socket) {
        track(socket);
        adoptServerSocket(socket);
        serverEncrypted = true;
        checkDone();
    };
    startOne = [&] {
        clientEncrypted = serverEncrypted = false;
        client = newClient(protocol, loop);
        track(client);
        QObject::connect(client, &QSslSocket::encrypted, client, [&] {
            clientEncrypted = true;
            checkDone();
        });
        client->connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.port());
    };

    if (warmup > 0) {
        startOne();
        loop.run();
    }
    target = warmup + count;
    QElapsedTimer timer;
    timer.start();
    if (!serial || live == 0)
        startOne();   // else the teardown of the last warm-up connection starts it
    measuredLoop(loop);
    const double seconds = timer.nsecsElapsed() / 1e9;
    drainEvents();
    return seconds;
}

Results benchHandshakes(const char *name, QSsl::SslProtocol protocol, bool serial = false)
{
    // Warm-up: one-time initialisation is not what we measure.
    const int count = serial ? opt.serialHandshakes : opt.handshakes;
    return {{name, count / handshakeLoop(protocol, 2, count, serial), "handshakes/s"}};
}

// Resumed TLS 1.3 handshakes per second (see the header).
Results benchResumption(const char *name)
{
    Server server;
    Loop loop("resumption");
    QSslConfiguration clientConfig = configs->client;
    clientConfig.setProtocol(QSsl::TlsV1_3);
    clientConfig.setSslOption(QSsl::SslOptionDisableSessionPersistence, false);
    QByteArray ticket;
    qint64 fullHandshakeBytes = 0;
    qint64 serverBytes = 0;   // written by the server socket of the connection under way
    int done = 0, resumed = 0, target = 1;
    QSslSocket *client = nullptr;
    bool clientReady = false, serverEncrypted = false;
    std::function<void()> startOne;

    QObject::connect(&server.server, &QSslServer::startedEncryptionHandshake, &server.server, [&](QSslSocket *socket) {
        serverBytes = 0;
        QObject::connect(socket, &QSslSocket::encryptedBytesWritten, socket, [&](qint64 n) { serverBytes += n; });
    });
    auto checkDone = [&] {
        if (!clientReady || !serverEncrypted)
            return;
        if (done == 0) {
            ticket = client->sslConfiguration().sessionTicket();
            fullHandshakeBytes = serverBytes;
            if (ticket.isEmpty())
                loop.fail(QStringLiteral("no session ticket"));
        } else if (serverBytes * 10 < fullHandshakeBytes * 6) {
            ++resumed;
        }
        closeClient(std::exchange(client, nullptr));
        if (++done == target)
            loop.quit();
        else
            startOne();
    };
    server.onSocket = [&](QSslSocket *socket) {
        adoptServerSocket(socket);
        serverEncrypted = true;
        checkDone();
    };
    startOne = [&] {
        clientReady = serverEncrypted = false;
        client = newClient(QSsl::TlsV1_3, loop);
        QSslConfiguration config = clientConfig;
        config.setSessionTicket(ticket);
        client->setSslConfiguration(config);
        // The first connection waits for its ticket, which comes after the handshake (and is
        // closed once the signal has returned: Qt's socket crashes when closed from that slot).
        const auto ready = [&, expected = client] {
            if (client != expected || clientReady)
                return;   // a second ticket, or one for a connection already closed
            clientReady = true;
            checkDone();
        };
        if (done == 0)
            QObject::connect(client, &QSslSocket::newSessionTicketReceived, client, ready, Qt::QueuedConnection);
        else
            QObject::connect(client, &QSslSocket::encrypted, client, ready);
        client->connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.port());
    };

    startOne();
    loop.run();   // the connection that provides the ticket, not measured
    target = 1 + opt.handshakes;
    QElapsedTimer timer;
    timer.start();
    startOne();
    measuredLoop(loop);
    const double seconds = timer.nsecsElapsed() / 1e9;
    drainEvents();
    std::fprintf(stderr, "# resumed13: %d of %d handshakes resumed (full handshake: %lld server bytes)\n", resumed,
                 opt.handshakes, fullHandshakeBytes);
    const std::string of = "of " + std::to_string(opt.handshakes);
    return {{name, resumed / seconds, "resumed/s"}, {std::string(name) + "_resumed", double(resumed), of}};
}

struct BulkResult
{
    double mibPerSecond;
    double cpuSecondsPerGiB;
};

// Moves --mib MiB from one end of the pair to the other. The sender writes and the receiver reads
// in their own threads (the peer's may be the worker); completion is posted to the main thread.
BulkResult measuredBulk(Pair &pair, bool upload, const char *name)
{
    QTcpSocket *sender = upload ? pair.client : pair.peer;
    QTcpSocket *receiver = upload ? pair.peer : pair.client;
    auto *sslSender = qobject_cast<QSslSocket *>(sender);
    const qint64 total = qint64(opt.mib) << 20;
    const QByteArray chunk(64 * 1024, 'x');
    constexpr qint64 maxInFlight = 1 << 20;   // plaintext + ciphertext queued at the sender
    std::vector<char> sink(256 * 1024);
    qint64 sent = 0;                          // the sender's thread only
    std::atomic<qint64> received{0};          // written by the receiver's thread only
    bool finished = false;                    // the receiver's thread only
    Loop loop(name);
    std::vector<QMetaObject::Connection> connections;

    auto pump = [&] {
        while (sent < total
               && sender->bytesToWrite() + (sslSender ? sslSender->encryptedBytesToWrite() : 0) < maxInFlight) {
            if (sender->write(chunk) != chunk.size())
                loop.fail(QStringLiteral("short write"));
            sent += chunk.size();
        }
    };
    connections.push_back(QObject::connect(sender, &QIODevice::bytesWritten, sender, pump));
    if (sslSender)
        connections.push_back(QObject::connect(sslSender, &QSslSocket::encryptedBytesWritten, sslSender, pump));
    connections.push_back(QObject::connect(receiver, &QIODevice::readyRead, receiver, [&] {
        qint64 n;
        qint64 have = received.load(std::memory_order_relaxed);
        while ((n = receiver->read(sink.data(), qint64(sink.size()))) > 0)
            have += n;
        received.store(have, std::memory_order_relaxed);
        if (have >= total && !finished) {
            finished = true;
            post(&pair.mainContext, [&loop] { loop.quit(); });
        }
    }));
    for (QTcpSocket *socket : {sender, receiver})
        connections.push_back(QObject::connect(socket, &QAbstractSocket::errorOccurred, socket,
                                               [&loop, socket] { loop.fail(socket->errorString()); }));

    const double cpuBefore = cpuSeconds();
    QElapsedTimer timer;
    timer.start();
    post(sender, pump);
    measuredLoop(loop);
    const double seconds = timer.nsecsElapsed() / 1e9;
    const double cpu = cpuSeconds() - cpuBefore;
    // Nothing of ours may run in the worker once this function has returned.
    runIn(pair.serverContext, [&] {
        for (const QMetaObject::Connection &connection : connections)
            QObject::disconnect(connection);
    });
    if (received.load() != total)
        loop.fail(QStringLiteral("received %1 bytes, expected %2").arg(received.load()).arg(total));
    return {opt.mib / seconds, cpu / (opt.mib / 1024.0)};
}

Results benchBulk(const char *name, bool upload, const PairSpec &spec)
{
    Pair pair(spec);
    if (spec.suite)
        pair.expectCipher(name, spec.suite);
    const BulkResult r = measuredBulk(pair, upload, name);
    std::fprintf(stderr, "# %s: %.1f MiB/s, %.3f CPU-s/GiB\n", name, r.mibPerSecond, r.cpuSecondsPerGiB);
    Results results = {{name, r.mibPerSecond, "MiB/s"}};
    // CPU per GiB in the table for the 1-thread AES rows (and on stderr above for all).
    if (spec.tls && !spec.threaded && spec.suite == aes128)
        results.push_back({std::string(name) + "_cpu", r.cpuSecondsPerGiB, "CPU-s/GiB"});
    return results;
}

// `count` 64-byte requests, each answered by a 64-byte response before the next one goes out.
// Each round trip's duration (request written until the whole response is read) goes to
// `samples` when given.
void echoLoop(Pair &pair, int count, std::vector<qint64> *samples)
{
    constexpr qint64 size = 64;
    const QByteArray request(size, 'q');
    const QByteArray response(size, 'r');
    char buffer[4096];
    qint64 serverHave = 0;
    qint64 clientHave = 0;
    int done = 0;
    Loop loop("roundtrip");
    QElapsedTimer timer;
    qint64 sentAt = 0;
    std::vector<QMetaObject::Connection> connections;

    connections.push_back(QObject::connect(pair.peer, &QIODevice::readyRead, pair.peer, [&] {
        qint64 n;
        while ((n = pair.peer->read(buffer, sizeof buffer)) > 0)
            serverHave += n;
        for (; serverHave >= size; serverHave -= size)
            pair.peer->write(response);
    }));
    connections.push_back(QObject::connect(pair.client, &QIODevice::readyRead, pair.client, [&] {
        qint64 n;
        while ((n = pair.client->read(buffer, sizeof buffer)) > 0)
            clientHave += n;
        for (; clientHave >= size; clientHave -= size) {
            if (samples)
                samples->push_back(timer.nsecsElapsed() - sentAt);
            if (++done == count) {
                loop.quit();
                return;
            }
            sentAt = timer.nsecsElapsed();
            pair.client->write(request);
        }
    }));
    for (QTcpSocket *socket : {pair.client, pair.peer})
        connections.push_back(QObject::connect(socket, &QAbstractSocket::errorOccurred, socket,
                                               [&loop, socket] { loop.fail(socket->errorString()); }));

    timer.start();
    sentAt = timer.nsecsElapsed();
    pair.client->write(request);
    if (samples)
        measuredLoop(loop);
    else
        loop.run();
    for (const QMetaObject::Connection &connection : connections)
        QObject::disconnect(connection);
}

// Median and 99th percentile of the round-trip time, in microseconds.
Results benchEcho(const char *name, const PairSpec &spec)
{
    Pair pair(spec);
    echoLoop(pair, std::clamp(opt.roundtrips / 10, 10, 1000), nullptr);   // warm-up
    std::vector<qint64> samples;
    samples.reserve(size_t(opt.roundtrips));
    QElapsedTimer timer;
    timer.start();
    echoLoop(pair, opt.roundtrips, &samples);
    const double seconds = timer.nsecsElapsed() / 1e9;
    std::sort(samples.begin(), samples.end());
    const auto rank = [&](double p) {   // nearest rank
        const size_t i = size_t(std::max(1.0, std::ceil(p * double(samples.size())))) - 1;
        return double(samples.at(std::min(i, samples.size() - 1))) / 1000;
    };
    std::fprintf(stderr, "# %s: %.0f round trips/s; min %.1f, p50 %.1f, p90 %.1f, p99 %.1f, max %.1f us\n", name,
                 opt.roundtrips / seconds, rank(0), rank(0.5), rank(0.9), rank(0.99), rank(1));
    return {{std::string(name) + "_p50", rank(0.5), "us"}, {std::string(name) + "_p99", rank(0.99), "us"}};
}

// Heap in use (malloc'd and not freed, mmapped chunks included), in KiB: a second, exact view.
double heapKiB()
{
    const struct mallinfo2 info = mallinfo2();
    return double(info.uordblks + info.hblkhd) / 1024;
}

long maxRssKiB()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

// Peak RSS and heap in use when made; measure() gives their growth per pair once the pairs of
// a memory scenario exist and are idle.
struct MemoryProbe
{
    const long before = maxRssKiB();
    const double heapBefore = heapKiB();

    Results measure(const char *name) const
    {
        // Idle: let everything that is still in flight (session tickets, bytesWritten) settle.
        QCoreApplication::processEvents(QEventLoop::AllEvents, 100);
        const long after = maxRssKiB();
        const double heapAfter = heapKiB();
        std::fprintf(stderr, "# %s: peak RSS %ld KiB before, %ld KiB with %d pairs; heap in use +%.1f KiB/pair\n",
                     name, before, after, opt.conns, (heapAfter - heapBefore) / opt.conns);
        return {{name, double(after - before) / opt.conns, "KiB/pair"}};
    }
};

Results benchMemory(const char *name)
{
    // Warm up: one connection made and closed, so that one-time initialisation is not counted.
    handshakeLoop(QSsl::TlsV1_3, 0, 1);
    const MemoryProbe probe;

    Server server;
    Loop loop("memory");
    constexpr int inFlightMax = 16;   // well below the listen backlog
    std::vector<QSslSocket *> clients;
    clients.reserve(size_t(opt.conns));
    int started = 0;
    int clientsEncrypted = 0;
    int serversEncrypted = 0;
    std::function<void()> startMore;

    auto checkDone = [&] {
        if (clientsEncrypted == opt.conns && serversEncrypted == opt.conns)
            loop.quit();
        else
            startMore();
    };
    server.onSocket = [&](QSslSocket *) {
        ++serversEncrypted;
        checkDone();
    };
    startMore = [&] {
        while (started < opt.conns && started - std::min(clientsEncrypted, serversEncrypted) < inFlightMax) {
            QSslSocket *client = newClient(QSsl::TlsV1_3, loop);
            QObject::connect(client, &QSslSocket::encrypted, client, [&] {
                ++clientsEncrypted;
                checkDone();
            });
            client->connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.port());
            clients.push_back(client);
            ++started;
        }
    };
    startMore();
    loop.run(90);
    const Results results = probe.measure(name);

    for (QSslSocket *client : clients) {
        QObject::disconnect(client, nullptr, nullptr, nullptr);
        client->abort();
        delete client;
    }
    return results;
}

// The same for plain QTcpSocket pairs.
Results benchMemoryTcp(const char *name)
{
    delete new Pair(PairSpec{false});   // warm-up
    drainEvents();
    const MemoryProbe probe;

    QTcpServer server;
    Loop loop("memory_tcp");
    constexpr int inFlightMax = 16;
    std::vector<QTcpSocket *> clients;
    std::vector<QTcpSocket *> peers;
    clients.reserve(size_t(opt.conns));
    peers.reserve(size_t(opt.conns));
    int connected = 0;
    std::function<void()> startMore;

    auto checkDone = [&] {
        if (connected == opt.conns && int(peers.size()) == opt.conns)
            loop.quit();
        else
            startMore();
    };
    QObject::connect(&server, &QTcpServer::newConnection, &server, [&] {
        while (QTcpSocket *socket = server.nextPendingConnection())
            peers.push_back(socket);
        checkDone();
    });
    if (!server.listen(QHostAddress::LocalHost, 0))
        die(server.errorString());
    startMore = [&] {
        while (int(clients.size()) < opt.conns
               && int(clients.size()) - std::min(connected, int(peers.size())) < inFlightMax) {
            auto *client = new QTcpSocket;
            QObject::connect(client, &QAbstractSocket::connected, client, [&] {
                ++connected;
                checkDone();
            });
            QObject::connect(client, &QAbstractSocket::errorOccurred, client,
                             [&loop, client] { loop.fail(QStringLiteral("client error: ") + client->errorString()); });
            client->connectToHost(QHostAddress::LocalHost, server.serverPort());
            clients.push_back(client);
        }
    };
    startMore();
    loop.run(90);
    const Results results = probe.measure(name);

    for (QTcpSocket *socket : clients) {
        QObject::disconnect(socket, nullptr, nullptr, nullptr);
        socket->abort();
        delete socket;
    }
    for (QTcpSocket *socket : peers) {
        socket->abort();
        delete socket;
    }
    return results;
}

// Runs one scenario in a child process (this program, --only NAME) and takes over its results.
Results runIsolated(const char *name)
{
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    const QStringList args = {
        QStringLiteral("--isolated"),
        QStringLiteral("--certs"), opt.certs,
        QStringLiteral("--only"), QLatin1String(name),
        QStringLiteral("--handshakes"), QString::number(opt.handshakes),
        QStringLiteral("--serial-handshakes"), QString::number(opt.serialHandshakes),
        QStringLiteral("--mib"), QString::number(opt.mib),
        QStringLiteral("--roundtrips"), QString::number(opt.roundtrips),
        QStringLiteral("--conns"), QString::number(opt.conns),
        QStringLiteral("--watchdog"), QString::number(opt.watchdogSeconds),
    };
    child.start(QCoreApplication::applicationFilePath(), args);
    if (!child.waitForFinished(opt.watchdogSeconds * 1000))
        throw ScenarioFailed{QStringLiteral("the child process did not finish: ") + child.errorString()};
    Results results;
    QString failure;
    for (const QByteArray &line : child.readAllStandardOutput().split('\n')) {
        if (line.startsWith("# failed ")) {
            failure = QString::fromUtf8(line.mid(9));
            continue;
        }
        const QList<QByteArray> fields = line.trimmed().split(' ');
        if (line.startsWith('#') || fields.size() < 3)
            continue;
        results.push_back({fields.at(0).toStdString(), fields.at(1).toDouble(),
                           line.trimmed().mid(fields.at(0).size() + fields.at(1).size() + 2).toStdString()});
    }
    if (child.exitStatus() != QProcess::NormalExit || child.exitCode() != 0 || results.empty())
        throw ScenarioFailed{QStringLiteral("the child process failed (exit code %1)%2")
                                 .arg(child.exitCode())
                                 .arg(failure.isEmpty() ? QString() : QStringLiteral(": ") + failure)};
    return results;
}

struct Scenario
{
    const char *name;
    std::function<Results(const char *)> run;
    bool isolated = false;   // each run in a child process
};

void reportImplementation()
{
    Dl_info info{};
    const char *file = dladdr(&QSslSocket::staticMetaObject, &info) && info.dli_fname ? info.dli_fname : "?";
    const bool isQSslRs = std::strstr(file, "libQSslRs") != nullptr;
    if (!opt.isolated) {
        std::fprintf(stderr, "# QSslSocket from %s (%s; backend \"%s\"; %s)\n", file,
                     isQSslRs ? "qssl-rs" : "Qt", qPrintable(QSslSocket::activeBackend()),
                     qPrintable(QSslSocket::sslLibraryVersionString()));
        std::printf("# library: %s; %s; Qt %s\n", isQSslRs ? "qssl-rs" : "Qt",
                    qPrintable(QSslSocket::sslLibraryVersionString()), qVersion());
        std::printf("# options: --repeats %d --handshakes %d --serial-handshakes %d --mib %d --roundtrips %d "
                    "--conns %d\n",
                    opt.repeats, opt.handshakes, opt.serialHandshakes, opt.mib, opt.roundtrips, opt.conns);
        std::fflush(stdout);
    }
    if (isQSslRs != bool(TLSBENCH_EXPECT_QSSLRS))
        die(QStringLiteral("this build was meant for the other implementation"));
}

void parseArguments(const QStringList &args, const QStringList &scenarioNames)
{
    auto intValue = [&](int &i) {
        if (i + 1 >= args.size())
            die(args.at(i) + QStringLiteral(" needs a value"));
        bool ok = false;
        const int value = args.at(++i).toInt(&ok);
        if (!ok || value <= 0)
            die(QStringLiteral("bad value for ") + args.at(i - 1));
        return value;
    };
    for (int i = 1; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        if (arg == QLatin1String("--certs") && i + 1 < args.size())
            opt.certs = args.at(++i);
        else if (arg == QLatin1String("--only") && i + 1 < args.size())
            opt.only = args.at(++i).split(QLatin1Char(','), Qt::SkipEmptyParts);
        else if (arg == QLatin1String("--repeats"))
            opt.repeats = intValue(i);
        else if (arg == QLatin1String("--handshakes"))
            opt.handshakes = intValue(i);
        else if (arg == QLatin1String("--serial-handshakes"))
            opt.serialHandshakes = intValue(i);
        else if (arg == QLatin1String("--mib"))
            opt.mib = intValue(i);
        else if (arg == QLatin1String("--roundtrips"))
            opt.roundtrips = intValue(i);
        else if (arg == QLatin1String("--conns"))
            opt.conns = intValue(i);
        else if (arg == QLatin1String("--watchdog"))
            opt.watchdogSeconds = intValue(i);
        else if (arg == QLatin1String("--isolated"))
            opt.isolated = true;
        else
            die(QStringLiteral("usage: tlsbench --certs DIR [--only ") + scenarioNames.join(QLatin1Char(','))
                + QStringLiteral("] [--repeats R] [--handshakes N] [--serial-handshakes N] [--mib M] "
                                 "[--roundtrips N] [--conns N] [--watchdog S]"));
    }
    if (opt.certs.isEmpty())
        die(QStringLiteral("--certs DIR is required"));
    for (const QString &name : std::as_const(opt.only)) {
        if (!scenarioNames.contains(name))
            die(QStringLiteral("unknown scenario ") + name);
    }
}

// 2 sockets per connection plus some: raise the soft descriptor limit as far as allowed.
void raiseFileLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);

    const PairSpec aesPair{true, aes128, false};
    const PairSpec aesPair2t{true, aes128, true};
    const PairSpec chachaPair{true, chacha20, false};
    const PairSpec chachaPair2t{true, chacha20, true};
    const PairSpec tlsPair{true, nullptr, false};
    const PairSpec tcpPair{false, nullptr, false};
    const auto bulk = [](bool upload, PairSpec spec) {
        return [upload, spec](const char *name) { return benchBulk(name, upload, spec); };
    };
    const std::vector<Scenario> scenarios = {
        {"memory", benchMemory, true},
        {"memory_tcp", benchMemoryTcp, true},
        {"handshake13", [](const char *name) { return benchHandshakes(name, QSsl::TlsV1_3); }},
        {"handshake12", [](const char *name) { return benchHandshakes(name, QSsl::TlsV1_2); }},
        {"handshake13_serial", [](const char *name) { return benchHandshakes(name, QSsl::TlsV1_3, true); }},
        {"resumed13", benchResumption},
        {"upload_aes128", bulk(true, aesPair)},
        {"download_aes128", bulk(false, aesPair)},
        {"upload_aes128_2t", bulk(true, aesPair2t)},
        {"download_aes128_2t", bulk(false, aesPair2t)},
        {"upload_chacha20", bulk(true, chachaPair)},
        {"download_chacha20", bulk(false, chachaPair)},
        {"upload_chacha20_2t", bulk(true, chachaPair2t)},
        {"download_chacha20_2t", bulk(false, chachaPair2t)},
        {"upload_tcp", bulk(true, tcpPair)},
        {"download_tcp", bulk(false, tcpPair)},
        {"roundtrip", [tlsPair](const char *name) { return benchEcho(name, tlsPair); }},
        {"roundtrip_tcp", [tcpPair](const char *name) { return benchEcho(name, tcpPair); }},
    };
    QStringList names;
    for (const Scenario &scenario : scenarios)
        names.append(QLatin1String(scenario.name));

    parseArguments(app.arguments(), names);
    std::signal(SIGALRM, watchdog);
    alarm(unsigned(opt.watchdogSeconds));
    raiseFileLimit();
    reportImplementation();
    Configs theConfigs;
    configs = &theConfigs;
    loadConfigs();

    int failures = 0;
    for (const Scenario &scenario : scenarios) {
        if (!opt.only.isEmpty() && !opt.only.contains(QLatin1String(scenario.name)))
            continue;
        const bool inChild = scenario.isolated && !opt.isolated;
        currentScenario = scenario.name;
        // Every result of the scenario, in the order of first appearance, with its runs.
        std::vector<std::pair<Result, std::vector<double>>> runs;
        try {
            for (int i = 0; i < opt.repeats; ++i) {
                const Results results = inChild ? runIsolated(scenario.name) : scenario.run(scenario.name);
                drainEvents();
                for (const Result &result : results) {
                    auto it = std::find_if(runs.begin(), runs.end(),
                                           [&](const auto &entry) { return entry.first.name == result.name; });
                    if (it == runs.end())
                        it = runs.insert(runs.end(), {result, {}});
                    it->second.push_back(result.value);
                }
            }
        } catch (const ScenarioFailed &failure) {
            drainEvents();
            ++failures;
            currentScenario = nullptr;
            std::printf("# failed %s: %s\n", scenario.name, qPrintable(failure.why));
            std::fflush(stdout);
            std::fprintf(stderr, "tlsbench: %s failed: %s\n", scenario.name, qPrintable(failure.why));
            continue;
        }
        currentScenario = nullptr;
        for (const auto &[result, values] : runs) {
            QString all;
            for (double value : values)
                all += QStringLiteral(" %1").arg(value, 0, 'g', 6);
            if (!opt.isolated)   // the parent says it again
                std::fprintf(stderr, "# %s runs:%s\n", result.name.c_str(), qPrintable(all));
            std::printf("%s %.6g %s\n", result.name.c_str(), median(values), result.unit.c_str());
        }
        std::fflush(stdout);
    }
    return failures ? 4 : 0;
}
