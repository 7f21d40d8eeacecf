// qssl-rs: the per-socket state behind QSslSocket and the driver of its TLS session. Not API.
// SPDX-License-Identifier: MIT OR Apache-2.0
#ifndef QSSLRS_QSSLSOCKET_P_H
#define QSSLRS_QSSLSOCKET_P_H

#include <QtCore/qbytearray.h>
#include <QtCore/qlist.h>
#include <QtNetwork/qocspresponse.h>
#include <QtNetwork/qsslcertificate.h>
#include <QtNetwork/qsslcipher.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslerror.h>
#include <QtNetwork/qsslkey.h>
#include <QtNetwork/qsslsocket.h>
#include <QtNetwork/qtcpsocket.h>

#include "qsslrs-bridge/src/session.rs.h"
#include "rust/cxx.h"

#include <optional>

QT_BEGIN_NAMESPACE

class QSslConfigurationPrivate;

// Qt's QSslSocket extends the private QTcpSocketPrivate, which Qt does not export. Ours must keep
// the public object at sizeof(QTcpSocket), so its state lives here, found through a table keyed
// by the socket, and an inner plain QTcpSocket carries the bytes. The name is the one
// Q_DECLARE_PRIVATE(QSslSocket) befriends, which grants access to the protected setters.
class QSslSocketPrivate : private qsslrs::SessionHooks
{
public:
    explicit QSslSocketPrivate(QSslSocket *q);
    QSslSocketPrivate(const QSslSocketPrivate &) = delete;
    QSslSocketPrivate &operator=(const QSslSocketPrivate &) = delete;

    // QtNetwork exports these two for other Qt modules; a relinked process may reach ours.
    Q_DECL_EXPORT static bool isMatchingHostname(const QSslCertificate &cert,
                                                 const QString &peerName);
    Q_DECL_EXPORT static bool isMatchingHostname(const QString &cn, const QString &hostname);

    static QSslSocketPrivate *get(const QSslSocket *socket);

    // Everything of a configuration the engine's context is made from, but the protocol (TLS
    // and DTLS take it differently). A member for the friend access the value classes give it.
    static void describeConfiguration(const QSslConfigurationPrivate &config, bool server,
                                      qsslrs::SessionConfig &builder);

    // A slot may delete the socket while a function of its private still runs (Qt's own
    // QSslSocket does not survive that from every signal). Each function that emits holds a
    // Running: the private then outlives the socket until the outermost one returns, and
    // socketDeleted tells the rest of the function to stop.
    class Running
    {
    public:
        explicit Running(QSslSocketPrivate *d) : d(d) { ++d->runningCalls; }
        Running(const Running &) = delete;
        Running &operator=(const Running &) = delete;
        ~Running()
        {
            if (--d->runningCalls == 0 && d->socketDeleted)
                delete d;
        }

    private:
        QSslSocketPrivate *const d;
    };
    static void attach(QSslSocket *socket);
    static void detach(QSslSocket *socket);

    // True while the socket passes bytes through unencrypted.
    bool isPlain() const { return mode == QSslSocket::UnencryptedMode && !autoStartHandshake; }

    // The inner socket: buffered as a plain QTcpSocket, or unbuffered for a connection encrypted
    // from its start, whose bytes then go between the kernel and the engine with no copy in
    // between, and which holds no buffer while idle.
    enum class InnerBuffering { Buffered, Unbuffered };
    void ensurePlainSocket(InnerBuffering buffering);
    // Before setSocketDescriptor(): the adopted connection will be read unbuffered.
    void makeUnbufferedForDescriptor();
    // Forgets the previous connection, as Qt does at every connectToHost*(): the socket starts
    // unencrypted again and a blanket ignoreSslErrors() no longer applies.
    void prepareConnection();
    // connectToHostEncrypted()'s part before it connects; false when the socket cannot start.
    bool prepareEncryptedConnection();
    // Builds the session for `mode` and sends or awaits the first flight.
    void startHandshake(QSslSocket::SslMode newMode);
    // Moves bytes between the inner socket and the engine, then acts on what happened. The
    // trigger says when an end of connection found on the way is reported (see schedulePeerGone).
    enum class Trigger { Call, ReadNotification };
    void transmit(Trigger trigger = Trigger::Call);
    // The session, unless there is none or it is inside process(), asking this socket a question
    // whose slot may call anything (an answer must not reach into the session).
    qsslrs::Session *idleSession() { return session && !inEngine ? &**session : nullptr; }
    const qsslrs::Session *idleSession() const { return session && !inEngine ? &**session : nullptr; }
    void flushPendingWrites();
    // Announces at once what scheduleWrittenSignals() would announce later; returns whether there was anything.
    bool emitWrittenSignalsNow();
    // Reports the end of the connection an unbuffered inner socket has (or is about to) come to.
    void reportPeerGone();
    void reportPeerGoneIfOpen();
    void schedulePeerGone();
    void drainInput();
    // Before an unbuffered connection closes: what the kernel holds is read into the session
    // (a Qt buffered socket would hold it already). A close with unread data makes the kernel
    // reset the connection, and a reset can destroy what the peer has not read yet.
    void takeKernelInput();
    qint64 writeEncrypted(const char *data, qint64 len);
    qint64 readPlaintext(char *data, qint64 maxlen);
    qsizetype plaintextAvailable() const;
    void sendCloseNotify();
    void resumeAfterSslErrors();
    // QAbstractSocket's setErrorString + setSocketError (+ errorOccurred), in Qt's order.
    void setError(QAbstractSocket::SocketError error, const QString &message);
    void setErrorAndEmit(QAbstractSocket::SocketError error, const QString &message);
    QSslConfiguration sessionConfiguration() const;
    bool verifyProtocolSupported(const char *where);

    QSslSocket *const q;
    QTcpSocket *plain = nullptr;
    bool unbuffered = false;
    qint64 lastUnbufferedArrival = 0; // bytes the last read of an unbuffered socket took
    // Set by QSslServer for the sockets it makes: they start their handshake at once.
    bool acceptedByServer = false;
    int runningCalls = 0;
    bool socketDeleted = false;
    QSslSocket::SslMode mode = QSslSocket::UnencryptedMode;
    QSslConfiguration configuration;
    QString verificationName;
    QAbstractSocket::NetworkLayerProtocol preferredProtocol = QAbstractSocket::AnyIPProtocol;
    qint64 readBufferMaxSize = 0;

    std::optional<rust::Box<qsslrs::Session>> session;
    // True during the session's process(): see idleSession().
    bool inEngine = false;
    // A session dropped (abort, a new connection) by a slot that answered from inside its
    // process(): freed once that call has returned.
    std::optional<rust::Box<qsslrs::Session>> retiredSession;
    // handshakeMustInterruptOnError: set as handshakeInterruptedOnError is emitted, cleared by
    // continueInterruptedHandshake() in its slot.
    bool handshakeInterrupted = false;
    bool errorsReportedFromCallback = false;
    // Chain errors already announced with peerVerifyError while the handshake went on.
    qsizetype chainErrorsReported = 0;
    bool autoStartHandshake = false;
    bool connectionPrepared = false; // by connectToHostEncrypted(), for its connectToHost()
    bool connectionEncrypted = false;
    bool pendingClose = false;
    bool closeNotifySent = false;
    bool fatalErrorSeen = false;
    bool pausedOnSslErrors = false;
    bool ignoreAllSslErrors = false;
    QList<QSslError> ignoreErrorsList;
    QList<QSslError> sslErrors;
    QList<QSslCertificate> peerCertificateChain;
    QSslCipher sessionCipher;
    QSsl::SslProtocol sessionProtocol = QSsl::UnknownProtocol;
    QByteArray negotiatedAlpn;
    // The session as the handshake left it, kept until the peer is accepted (continueHandshake).
    bool sessionResumed = false;
    QByteArray sessionAtHandshake;
    int sessionLifetimeHintAtHandshake = -1;
    // Like Qt, set by each client handshake that has one and never cleared: a later connection
    // without one (RSA key exchange, server side) still reports the previous key.
    QSslKey ephemeralServerKey;
    // The stapled response checked after the last handshake (a client with OCSP stapling).
    QList<QOcspResponse> ocspResponses;

    // Plaintext written before the connection is encrypted: released only once the peer is
    // verified, so nothing reaches an unverified peer. Small writes also gather here until the
    // event loop turns, so that they share TLS records (as Qt's write buffer does).
    QByteArray pendingWrites;
    bool flushScheduled = false;
    qint64 unsignaledBytesWritten = 0;
    qint64 unsignaledEncryptedBytes = 0;
    bool writtenSignalsScheduled = false;
    bool transmitScheduled = false;
    // True while transmit() emits readyRead(): what the slot writes is flushed right after.
    bool answeringReadyRead = false;
    bool peerGoneScheduled = false;
    bool *readyReadEmittedPointer = nullptr;

private:
    // qsslrs::SessionHooks, asked from inside process() as Qt's backend asks from OpenSSL's
    // callbacks: the signal's slot answers before it returns.
    void psk_client(rust::Slice<const uint8_t> hint, bool has_hint, size_t max_identity_length,
                    size_t max_key_length, rust::Vec<uint8_t> &identity, rust::Vec<uint8_t> &key) override;
    void psk_server(rust::Slice<const uint8_t> identity, bool has_identity, size_t max_key_length,
                    rust::Vec<uint8_t> &key) override;
    bool verification_error(int32_t qt_error, rust::Slice<const uint8_t> certificate_der) override;

    void connectPlainSocket();
    void onPlainStateChanged(QAbstractSocket::SocketState state);
    void onPlainError(QAbstractSocket::SocketError error);
    void onPlainReadChannelFinished();
    void onPlainDisconnected();
    // Returns true when the connection turned out to be gone.
    bool readCiphertext();
    bool kernelHoldsEndOfConnection() const;
    void dropUnbufferedInput();
    void processCiphertext();
    void resetSession();
    void onHandshakeDone(const qsslrs::HandshakeSummary &handshake);
    void reportChainErrorsSoFar(const qsslrs::HandshakeSummary &handshake);
    QOcspResponse ocspResponseOf(const qsslrs::OcspResponseView &view) const;
    bool checkSslErrors();
    void rejectPeer();
    void continueHandshake();
    void storeSessionTicket(const QByteArray &der, int lifetimeHint);
    void failWith(const qsslrs::Failure &failure);
    // Whether the encryptedBytesWritten() of what goes straight to the kernel is scheduled, or
    // left to the caller (in unsignaledEncryptedBytes), which emits it itself.
    enum class WrittenSignal { Later, Caller };
    void flushCiphertext(WrittenSignal signal = WrittenSignal::Later);
    void handleEvents();
    // `handshake`: what the call that produced `events` established (for HandshakeDone).
    void dispatchEvents(const rust::Vec<qsslrs::SessionEvent> &events, size_t from, size_t to,
                        const qsslrs::HandshakeSummary *handshake = nullptr);
    void emitReadyRead();
    void scheduleTransmit();
    // bytesWritten() and encryptedBytesWritten() for these counts, from the event loop (one
    // event for whatever gathers until then).
    void scheduleWrittenSignals(qint64 plaintext, qint64 ciphertext);

    std::optional<rust::Box<qsslrs::Session>> newSession(QSslSocket::SslMode newMode);
    bool verifyErrorsHaveBeenIgnored() const;
};

QT_END_NAMESPACE

#endif
