// Helpers shared by the interop trace programs (built twice: against Qt's QtNetwork and ours).
#ifndef QSSLRS_INTEROP_TRACE_H
#define QSSLRS_INTEROP_TRACE_H

#include <QtCore/qeventloop.h>
#include <QtCore/qprocess.h>
#include <QtCore/qthread.h>
#include <QtNetwork/qsslcipher.h>
#include <QtNetwork/qsslsocket.h>
#include <QtNetwork/qtcpserver.h>

#include <cstdio>

namespace trace {

inline void line(const QString &text)
{
    std::printf("%s\n", qPrintable(text));
    std::fflush(stdout);
}

inline quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

inline QString errorNames(const QList<QSslError> &errors)
{
    QStringList out;
    for (const QSslError &error : errors)
        out << QStringLiteral("%1@%2").arg(int(error.error())).arg(error.certificate().subjectDisplayName());
    return out.join(u' ');
}

// Every signal of the socket that says something about the handshake, prefixed by `who`.
inline void traceSocket(QSslSocket *socket, const QString &who, QEventLoop &loop)
{
    QObject::connect(socket, &QSslSocket::alertSent, &loop, [who](QSsl::AlertLevel level, QSsl::AlertType type, const QString &text) {
        line(QStringLiteral("%1 alertSent %2 %3 %4").arg(who).arg(int(level)).arg(int(type)).arg(text));
    });
    QObject::connect(socket, &QSslSocket::alertReceived, &loop, [who](QSsl::AlertLevel level, QSsl::AlertType type, const QString &text) {
        line(QStringLiteral("%1 alertReceived %2 %3 %4").arg(who).arg(int(level)).arg(int(type)).arg(text));
    });
    QObject::connect(socket, &QSslSocket::peerVerifyError, &loop,
                     [who](const QSslError &error) { line(QStringLiteral("%1 peerVerifyError %2").arg(who, errorNames({error}))); });
    QObject::connect(socket, &QSslSocket::sslErrors, &loop, [who](const QList<QSslError> &errors) {
        line(QStringLiteral("%1 sslErrors %2").arg(who, errorNames(errors)));
    });
    QObject::connect(socket, &QSslSocket::encrypted, &loop, [who, socket] {
        line(QStringLiteral("%1 encrypted protocol=%2 cipher=%3 chain=%4 handshakeErrors=[%5]")
                     .arg(who)
                     .arg(int(socket->sessionProtocol()))
                     .arg(socket->sessionCipher().name())
                     .arg(socket->peerCertificateChain().size())
                     .arg(errorNames(socket->sslHandshakeErrors())));
    });
    QObject::connect(socket, &QAbstractSocket::errorOccurred, &loop, [who, socket](QAbstractSocket::SocketError error) {
        line(QStringLiteral("%1 errorOccurred %2 \"%3\"").arg(who).arg(int(error)).arg(socket->errorString()));
    });
}

inline void startOpenSsl(QProcess &process, const QStringList &arguments)
{
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral("openssl"), arguments);
    process.waitForStarted();
}

inline void waitForListener(quint16 port)
{
    for (int i = 0; i < 100; ++i) {
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, port);
        if (probe.waitForConnected(100))
            return;
        QThread::msleep(20);
    }
}

} // namespace trace

#endif
