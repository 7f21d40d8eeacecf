// qssl-rs: QSslConfiguration's private data. Not API.
// SPDX-License-Identifier: MIT OR Apache-2.0
#ifndef QSSLRS_QSSLCONFIGURATION_P_H
#define QSSLRS_QSSLCONFIGURATION_P_H

#include <QtCore/qmap.h>
#include <QtCore/qshareddata.h>
#include <QtCore/qvariant.h>
#include <QtNetwork/qsslcertificate.h>
#include <QtNetwork/qsslcipher.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qssldiffiehellmanparameters.h>
#include <QtNetwork/qsslellipticcurve.h>
#include <QtNetwork/qsslkey.h>
#include <QtNetwork/qsslsocket.h>

#include "qtownssl_p.h"

QT_BEGIN_NAMESPACE

// The name is fixed by the public header (QSharedDataPointer<QSslConfigurationPrivate>).
class QSslConfigurationPrivate : public QtOwnSsl::Marked, public QSharedData
{
public:
    // Qt's defaults: see QSslConfiguration::isNull().
    static constexpr QSsl::SslOptions defaultSslOptions =
        QSsl::SslOptionDisableEmptyFragments | QSsl::SslOptionDisableLegacyRenegotiation
        | QSsl::SslOptionDisableCompression | QSsl::SslOptionDisableSessionPersistence;

    // Ours only: every configuration a socket or a default keeps went through ours() first.
    static const QSslConfigurationPrivate &of(const QSslConfiguration &configuration)
    { Q_ASSERT(!QtOwnSsl::madeByQt(configuration)); return *configuration.d; }
    static QSslConfigurationPrivate &of(QSslConfiguration &configuration)
    { Q_ASSERT(!QtOwnSsl::madeByQt(configuration)); return *configuration.d; }

    // The ciphers a default configuration offers (OpenSSL's default list, without anonymous
    // and null ciphers, as Qt's OpenSSL backend does).
    static QList<QSslCipher> defaultCiphers();

    // What a new QSslSocket starts with: a copy of the default configuration's fields as Qt
    // copies them (QSslSocketPrivate::deepCopyDefaultConfiguration). ALPN protocols, session
    // ticket, PSK identity hint and DH parameters of the default are NOT carried over.
    static QSslConfiguration newSocketConfiguration();

    QSsl::SslProtocol protocol = QSsl::SecureProtocols;
    QSslSocket::PeerVerifyMode peerVerifyMode = QSslSocket::AutoVerifyPeer;
    int peerVerifyDepth = 0;
    QList<QSslCertificate> localCertificateChain;
    QSslKey privateKey;
    QList<QSslCipher> ciphers;
    QList<QSslCertificate> caCertificates;
    // True until CA certificates are set explicitly: the system store is then consulted
    // when verifying (Qt's "on-demand loading" of root certificates).
    bool allowRootCertOnDemandLoading = true;
    QSsl::SslOptions sslOptions = defaultSslOptions;
    QByteArray sslSession;
    int sslSessionTicketLifeTimeHint = -1;
    QSslKey ephemeralServerKey;
    QList<QSslEllipticCurve> ellipticCurves;
    QByteArray preSharedKeyIdentityHint;
    QSslDiffieHellmanParameters dhParams = QSslDiffieHellmanParameters::defaultParameters();
    QMap<QByteArray, QVariant> backendConfig;
    bool dtlsCookieEnabled = true;
    bool reportFromCallback = false;
    bool missingCertIsFatal = false;
    bool ocspStaplingEnabled = false;
    QList<QByteArray> nextAllowedProtocols;

    // Filled in by a socket for the configuration it returns; never configured by users.
    QSslCertificate peerCertificate;
    QList<QSslCertificate> peerCertificateChain;
    QSslCipher sessionCipher;
    QSsl::SslProtocol sessionProtocol = QSsl::UnknownProtocol;
    QByteArray nextNegotiatedProtocol;
    QSslConfiguration::NextProtocolNegotiationStatus nextProtocolNegotiationStatus =
        QSslConfiguration::NextProtocolNegotiationNone;
};

QT_END_NAMESPACE

#endif
