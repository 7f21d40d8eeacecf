// qssl-rs: the state behind QDtls and QDtlsClientVerifier, and the driver of a DTLS session.
// Not API.
// SPDX-License-Identifier: MIT OR Apache-2.0
#ifndef QSSLRS_QDTLS_P_H
#define QSSLRS_QDTLS_P_H

#include <QtCore/qbytearray.h>
#include <QtCore/qlist.h>
#include <QtCore/qtimer.h>
#include <QtNetwork/qdtls.h>
#include <QtNetwork/qhostaddress.h>
#include <QtNetwork/qsslcertificate.h>
#include <QtNetwork/qsslcipher.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslerror.h>

#include "qsslrs-bridge/src/session.rs.h"
#include "rust/cxx.h"

#include <optional>

QT_BEGIN_NAMESPACE

class QUdpSocket;

// What QDtls and QDtlsClientVerifier share: the last error, and the cookies' parameters.
class QDtlsBase
{
public:
    void setDtlsError(QDtlsError code, const QString &description);
    void clearDtlsError();
    // The engine context of `configuration` as a DTLS peer in `mode` (nullopt, with the error
    // set, when it cannot be made).
    std::optional<rust::Box<qsslrs::SessionContext>> engineContext(const QSslConfiguration &configuration,
                                                                    QSslSocket::SslMode mode, bool cookies);

    QDtlsError error = QDtlsError::NoError;
    QString errorString;
    QDtlsClientVerifier::GeneratorParameters cookieParameters;
};

// The state of a QDtls (whose public object has no room for it: see qsslrssidetable_p.h).
class QDtlsPrivate : public QDtlsBase, private qsslrs::SessionHooks
{
public:
    QDtlsPrivate(QDtls *q, QSslSocket::SslMode mode);

    static QDtlsPrivate *get(const QDtls *dtls);
    static void attach(QDtls *dtls, QSslSocket::SslMode mode);
    static void detach(QDtls *dtls);

    bool startHandshake(QUdpSocket *socket, const QByteArray &datagram);
    bool continueHandshake(QUdpSocket *socket, const QByteArray &datagram);
    void handleTimeout(QUdpSocket *socket);
    bool resumeHandshake();
    void abortHandshake();
    void shutdown(QUdpSocket *socket);
    qint64 writeDatagramEncrypted(QUdpSocket *socket, const QByteArray &datagram);
    QByteArray decryptDatagram(QUdpSocket *socket, const QByteArray &datagram);

    QDtls *const q;
    const QSslSocket::SslMode mode;
    QHostAddress peerAddress;
    quint16 peerPort = 0;
    QString peerVerificationName;
    quint16 mtuHint = 0;
    QSslConfiguration configuration = QSslConfiguration::defaultDtlsConfiguration();
    QDtls::HandshakeState handshakeState = QDtls::HandshakeNotStarted;
    bool connectionEncrypted = false;
    QList<QSslError> verificationErrors;
    QList<QSslError> errorsToIgnore;
    QList<QSslCertificate> peerChain;
    QSslCipher cipher;
    QSsl::SslProtocol protocol = QSsl::UnknownProtocol;

private:
    // qsslrs::SessionHooks: pskRequired is answered by its slot, as in Qt.
    void psk_client(rust::Slice<const uint8_t> hint, bool has_hint, size_t max_identity_length,
                    size_t max_key_length, rust::Vec<uint8_t> &identity, rust::Vec<uint8_t> &key) override;
    void psk_server(rust::Slice<const uint8_t> identity, bool has_identity, size_t max_key_length,
                    rust::Vec<uint8_t> &key) override;
    bool verification_error(int32_t qt_error, rust::Slice<const uint8_t> certificate_der) override;

    bool newSession(QUdpSocket *socket);
    void onHandshakeDone(const qsslrs::HandshakeSummary &handshake);
    bool verificationErrorsIgnored() const;
    // Back to the start: no session, nothing encrypted, no errors (the peer stays set).
    void reset();
    // Each datagram goes to the peer: through a connected socket, or addressed to it.
    bool send(QUdpSocket *socket, const rust::Vec<qsslrs::DerBlob> &datagrams);

    std::optional<rust::Box<qsslrs::DtlsSession>> session;
    // Qt's handshake timer: it fires handshakeTimeout(); handleTimeout() sends the flight again.
    QTimer timer;
    int timeoutMs = 1000;
};

class QDtlsClientVerifierPrivate : public QDtlsBase
{
public:
    static QDtlsClientVerifierPrivate *get(const QDtlsClientVerifier *verifier);
    static void attach(QDtlsClientVerifier *verifier);
    static void detach(QDtlsClientVerifier *verifier);

    QByteArray verifiedHello;
    // Made by the first verifyClient() (from the DTLS defaults then, as Qt takes them when it
    // makes its verifier) and kept until the cookie parameters change.
    std::optional<rust::Box<qsslrs::SessionContext>> context;
};

QT_END_NAMESPACE

#endif
