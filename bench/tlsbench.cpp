// tlsbench: TLS micro-benchmarks of QSslSocket/QSslServer, built twice from this one source:
// tlsbench_qt (Qt's own QtNetwork) and tlsbench_qsslrs (libQSslRs). Everything runs in one
// process, on one event loop, over 127.0.0.1 only. Output: one line per scenario,
//     scenario value unit
// on stdout (the best of --repeats runs); every single run and diagnostics go to stderr, as
// lines starting with '#'.
//
//   tlsbench --certs DIR [--only a,b,...] [--repeats R] [--handshakes N] [--serial-handshakes N]
//            [--mib M] [--roundtrips N] [--conns N] [--watchdog SECONDS]
//
// Scenarios (in this order; memory first because peak RSS only grows):
//   memory         peak RSS growth (getrusage) for --conns idle encrypted connections, in KiB per
//                  connection; both endpoints live in this process, so one connection is a
//                  client socket plus its server socket
//   handshake13    sequential full TLS 1.3 handshakes (new client socket each, then a clean close)
//   handshake12    the same with TLS 1.2
//   handshake13_serial  as handshake13 (--serial-handshakes of them), but each connection is
//                  gone (both sockets destroyed) before the next one starts
//   resumed13      TLS 1.3 handshakes of clients that offer the session ticket of an earlier
//                  connection through Qt's API (setSessionTicket), counted per second only when
//                  the server resumed the session (its handshake flight then carries no
//                  certificate: fewer than 60% of a full handshake's bytes); 0 when the server
//                  never resumes
//   upload         client -> server, --mib MiB in 64 KiB writes; the server reads and discards
//   download       server -> client, likewise
//   roundtrip      64-byte request, 64-byte response, one at a time, --roundtrips times
// SPDX-License-Identifier: MIT OR Apache-2.0
#include <QtCore/qcoreapplication.h>
#include <QtCore/qelapsedtimer.h>
#include <QtCore/qeventloop.h>
#include <QtCore/qfile.h>
#include <QtCore/qtimer.h>
#include <QtNetwork/qhostaddress.h>
#include <QtNetwork/qsslcertificate.h>
#include <QtNetwork/qsslcipher.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslkey.h>
#include <QtNetwork/qsslserver.h>
#include <QtNetwork/qsslsocket.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <functional>
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

#ifndef TLSBENCH_EXPECT_QSSLRS
#error "build with -DTLSBENCH_EXPECT_QSSLRS=0 (Qt) or 1 (qssl-rs)"
#endif

namespace {

struct Options
{
    QString certs;
    QStringList only;
    int repeats = 5;
    int handshakes = 500;
    int serialHandshakes = 100;
    int mib = 256;
    int roundtrips = 100000;
    int conns = 1000;
    int watchdogSeconds = 150;
};
Options opt;

// Made in main(), after QCoreApplication: a QSslConfiguration before it would load Qt's TLS backend
// too early.
struct Configs
{
    QSslConfiguration server;
    QSslConfiguration client;
};
Configs *configs = nullptr;

[[noreturn]] void die(const QString &what)
{
    std::fprintf(stderr, "tlsbench: %s\n", qPrintable(what));
    std::fflush(stderr);
    std::_Exit(1);
}

void watchdog(int)
{
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

    Server()
    {
        server.setSslConfiguration(configs->server);
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

QSslSocket *newClient(QSsl::SslProtocol protocol, const Loop &loop)
{
    auto *client = new QSslSocket;
    QSslConfiguration config = configs->client;
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

// One encrypted client/server pair (TLS 1.3), for the data scenarios.
struct Pair
{
    Server server;
    QSslSocket *client = nullptr;
    QSslSocket *peer = nullptr;

    Pair()
    {
        Loop loop("connect");
        server.onSocket = [this, &loop](QSslSocket *socket) {
            peer = socket;
            if (client->isEncrypted())
                loop.quit();
        };
        client = newClient(QSsl::TlsV1_3, loop);
        QObject::connect(client, &QSslSocket::encrypted, client, [this, &loop] {
            if (peer)
                loop.quit();
        });
        client->connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.port());
        loop.run(30);
        server.onSocket = nullptr;
        QObject::disconnect(client, nullptr, nullptr, nullptr);
    }
    ~Pair()
    {
        QObject::disconnect(client, nullptr, nullptr, nullptr);
        QObject::disconnect(peer, nullptr, nullptr, nullptr);
        client->abort();
        delete client;
        peer->abort();
        delete peer;
    }
};

// --- scenarios ----------------------------------------------------------------------------------

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

double benchHandshakes(QSsl::SslProtocol protocol, bool serial = false)
{
    // Warm-up: one-time initialisation is not what we measure.
    const int count = serial ? opt.serialHandshakes : opt.handshakes;
    return count / handshakeLoop(protocol, 2, count, serial);
}

// Resumed TLS 1.3 handshakes per second (see the header).
double benchResumption()
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
    return resumed / seconds;
}

double measuredBulk(Pair &pair, bool upload)
{
    QSslSocket *sender = upload ? pair.client : pair.peer;
    QSslSocket *receiver = upload ? pair.peer : pair.client;
    const qint64 total = qint64(opt.mib) << 20;
    const QByteArray chunk(64 * 1024, 'x');
    constexpr qint64 maxInFlight = 1 << 20;   // plaintext + ciphertext queued at the sender
    std::vector<char> sink(256 * 1024);
    qint64 sent = 0;
    qint64 received = 0;
    Loop loop(upload ? "upload" : "download");

    auto pump = [&] {
        while (sent < total && sender->bytesToWrite() + sender->encryptedBytesToWrite() < maxInFlight) {
            if (sender->write(chunk) != chunk.size())
                loop.fail(QStringLiteral("short write"));
            sent += chunk.size();
        }
    };
    QObject::connect(sender, &QIODevice::bytesWritten, sender, pump);
    QObject::connect(sender, &QSslSocket::encryptedBytesWritten, sender, pump);
    QObject::connect(receiver, &QIODevice::readyRead, receiver, [&] {
        qint64 n;
        while ((n = receiver->read(sink.data(), qint64(sink.size()))) > 0)
            received += n;
        if (received >= total)
            loop.quit();
    });
    for (QSslSocket *socket : {sender, receiver})
        QObject::connect(socket, &QAbstractSocket::errorOccurred, socket,
                         [&loop, socket] { loop.fail(socket->errorString()); });

    QElapsedTimer timer;
    timer.start();
    pump();
    measuredLoop(loop);
    const double seconds = timer.nsecsElapsed() / 1e9;
    if (received != total)
        loop.fail(QStringLiteral("received %1 bytes, expected %2").arg(received).arg(total));
    return opt.mib / seconds;
}

double benchBulk(bool upload)
{
    Pair pair;
    return measuredBulk(pair, upload);
}

double measuredRoundtrips(Pair &pair)
{
    constexpr qint64 size = 64;
    const QByteArray request(size, 'q');
    const QByteArray response(size, 'r');
    char buffer[4096];
    qint64 serverHave = 0;
    qint64 clientHave = 0;
    int done = 0;
    Loop loop("roundtrip");

    QObject::connect(pair.peer, &QIODevice::readyRead, pair.peer, [&] {
        qint64 n;
        while ((n = pair.peer->read(buffer, sizeof buffer)) > 0)
            serverHave += n;
        for (; serverHave >= size; serverHave -= size)
            pair.peer->write(response);
    });
    QObject::connect(pair.client, &QIODevice::readyRead, pair.client, [&] {
        qint64 n;
        while ((n = pair.client->read(buffer, sizeof buffer)) > 0)
            clientHave += n;
        for (; clientHave >= size; clientHave -= size) {
            if (++done == opt.roundtrips) {
                loop.quit();
                return;
            }
            pair.client->write(request);
        }
    });
    for (QSslSocket *socket : {pair.client, pair.peer})
        QObject::connect(socket, &QAbstractSocket::errorOccurred, socket,
                         [&loop, socket] { loop.fail(socket->errorString()); });

    QElapsedTimer timer;
    timer.start();
    pair.client->write(request);
    measuredLoop(loop);
    return done / (timer.nsecsElapsed() / 1e9);
}

double benchRoundtrips()
{
    Pair pair;
    return measuredRoundtrips(pair);
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

double benchMemory()
{
    // Warm up: one connection made and closed, so that one-time initialisation is not counted.
    handshakeLoop(QSsl::TlsV1_3, 0, 1);
    const long before = maxRssKiB();
    const double heapBefore = heapKiB();

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
    // Idle: let everything that is still in flight (session tickets, bytesWritten) settle.
    QCoreApplication::processEvents(QEventLoop::AllEvents, 100);
    const long after = maxRssKiB();
    const double heapAfter = heapKiB();
    std::fprintf(stderr, "# memory: peak RSS %ld KiB before, %ld KiB with %d connections; "
                         "heap in use +%.1f KiB/conn\n",
                 before, after, opt.conns, (heapAfter - heapBefore) / opt.conns);

    for (QSslSocket *client : clients) {
        QObject::disconnect(client, nullptr, nullptr, nullptr);
        client->abort();
        delete client;
    }
    return double(after - before) / opt.conns;
}

struct Scenario
{
    const char *name;
    const char *unit;
    bool higherIsBetter;
    std::function<double()> run;
};

void reportImplementation()
{
    Dl_info info{};
    const char *file = dladdr(&QSslSocket::staticMetaObject, &info) && info.dli_fname ? info.dli_fname : "?";
    const bool isQSslRs = std::strstr(file, "libQSslRs") != nullptr;
    std::fprintf(stderr, "# QSslSocket from %s (%s; backend \"%s\"; %s)\n", file,
                 isQSslRs ? "qssl-rs" : "Qt", qPrintable(QSslSocket::activeBackend()),
                 qPrintable(QSslSocket::sslLibraryVersionString()));
    if (isQSslRs != bool(TLSBENCH_EXPECT_QSSLRS))
        die(QStringLiteral("this build was meant for the other implementation"));
}

void parseArguments(const QStringList &args)
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
        else
            die(QStringLiteral("usage: tlsbench --certs DIR [--only memory,handshake13,handshake12,"
                               "handshake13_serial,resumed13,upload,download,roundtrip] [--repeats R] [--handshakes N] "
                               "[--serial-handshakes N] [--mib M] "
                               "[--roundtrips N] [--conns N] [--watchdog S]"));
    }
    if (opt.certs.isEmpty())
        die(QStringLiteral("--certs DIR is required"));
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

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    parseArguments(app.arguments());
    std::signal(SIGALRM, watchdog);
    alarm(unsigned(opt.watchdogSeconds));
    raiseFileLimit();
    reportImplementation();
    Configs theConfigs;
    configs = &theConfigs;
    loadConfigs();

    const std::vector<Scenario> scenarios = {
        {"memory", "KiB/conn", false, benchMemory},
        {"handshake13", "handshakes/s", true, [] { return benchHandshakes(QSsl::TlsV1_3); }},
        {"handshake12", "handshakes/s", true, [] { return benchHandshakes(QSsl::TlsV1_2); }},
        {"handshake13_serial", "handshakes/s", true, [] { return benchHandshakes(QSsl::TlsV1_3, true); }},
        {"resumed13", "resumed/s", true, benchResumption},
        {"upload", "MiB/s", true, [] { return benchBulk(true); }},
        {"download", "MiB/s", true, [] { return benchBulk(false); }},
        {"roundtrip", "roundtrips/s", true, benchRoundtrips},
    };
    for (const QString &name : opt.only) {
        if (std::none_of(scenarios.begin(), scenarios.end(),
                         [&](const Scenario &s) { return name == QLatin1String(s.name); }))
            die(QStringLiteral("unknown scenario ") + name);
    }

    for (const Scenario &scenario : scenarios) {
        if (!opt.only.isEmpty() && !opt.only.contains(QLatin1String(scenario.name)))
            continue;
        // Peak RSS cannot be measured twice in one process.
        const int repeats = QByteArrayView(scenario.name) == "memory" ? 1 : opt.repeats;
        double best = 0;
        QString all;
        for (int i = 0; i < repeats; ++i) {
            const double value = scenario.run();
            drainEvents();
            all += QStringLiteral(" %1").arg(value, 0, 'f', 1);
            if (i == 0 || (scenario.higherIsBetter ? value > best : value < best))
                best = value;
        }
        std::fprintf(stderr, "# %s runs:%s\n", scenario.name, qPrintable(all));
        std::printf("%s %.1f %s\n", scenario.name, best, scenario.unit);
        std::fflush(stdout);
    }
    return 0;
}
