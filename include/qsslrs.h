// qssl-rs: what Qt's SSL classes lack, for apps that know they run on qssl-rs. Free functions
// on Qt's own types: nothing here changes a Qt class, its layout, vtable or exported symbols,
// and an app that never includes this header sees exactly Qt's API.
//
// Every setting that belongs to a configuration is also a backend configuration key (the
// QSslRs...Option names below), so code that must also build against plain Qt can set it with
// QSslConfiguration::setBackendConfigurationOption(); Qt's own backend refuses such a key.
// SPDX-License-Identifier: MIT OR Apache-2.0
#ifndef QSSLRS_H
#define QSSLRS_H

#include <QtCore/qbytearray.h>
#include <QtCore/qlist.h>
#include <QtCore/qstring.h>
#include <QtNetwork/qsslcertificate.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslkey.h>
#include <QtNetwork/qsslsocket.h>

#define QSSLRS_VERSION_MAJOR 0
#define QSSLRS_VERSION_MINOR 1
#define QSSLRS_VERSION_PATCH 0
// As QT_VERSION: 0xMMNNPP, comparable with QT_VERSION_CHECK(0, 1, 0).
#define QSSLRS_VERSION 0x000100
#define QSSLRS_VERSION_STR "0.1.0"

// The version of the libQSslRs the app runs on (QSSLRS_VERSION_STR is the one it was built with).
Q_NETWORK_EXPORT const char *qSslRsVersion() noexcept;

namespace QSslRs {

// Backend configuration keys (their values are QByteArrays).
// The file TLS secrets are appended to, in the NSS key log format that Wireshark reads.
inline constexpr char KeyLogFileOption[] = "QSslRsKeyLogFile";
// Public-key pins: base64 SHA-256 digests of SubjectPublicKeyInfo, separated by commas.
inline constexpr char PublicKeyPinsOption[] = "QSslRsPublicKeyPins";
// A server's certificates by server name: for each name, a "-----BEGIN QSSLRS SERVER NAME-----"
// line, the name, an "-----END QSSLRS SERVER NAME-----" line, then its chain and key in PEM.
inline constexpr char ServerNameCertificatesOption[] = "QSslRsServerNameCertificates";

// Key logging. Without this, secrets are logged only when the SSLKEYLOGFILE environment variable
// names a file; with it, this configuration's connections log to `path` (both roles, TLS and
// DTLS). Either way a one-time warning on stderr says where. An empty path turns it off again.
Q_NETWORK_EXPORT void setKeyLogFile(QSslConfiguration &configuration, const QString &path);
Q_NETWORK_EXPORT QString keyLogFile(const QSslConfiguration &configuration);

// Public-key pinning: the peer's chain (as sent, or as verification completed it) must hold a
// certificate whose public key has one of these SHA-256 digests. One that does not fails
// verification with QSslError::CertificateRejected and its own text, through sslErrors(), so
// ignoreSslErrors() still applies. An empty list removes the pins.
Q_NETWORK_EXPORT void setPublicKeyPins(QSslConfiguration &configuration, const QList<QByteArray> &sha256Digests);
Q_NETWORK_EXPORT QList<QByteArray> publicKeyPins(const QSslConfiguration &configuration);
// The pin of a certificate's public key (SHA-256 of its SubjectPublicKeyInfo); empty for a null
// certificate.
Q_NETWORK_EXPORT QByteArray publicKeyPin(const QSslCertificate &certificate);

// Certificates chosen by the name a client asks for (SNI), for a server configuration (give it
// to QSslServer::setSslConfiguration()): `serverName` is exact ("api.example.com") or a wildcard
// ("*.example.com"); an exact name wins over a wildcard, and a client that asks for no listed
// name gets the configuration's own certificate. Returns false (and adds nothing) for an empty
// name or chain, or a key that cannot be written as PEM (an opaque key).
Q_NETWORK_EXPORT bool addServerNameCertificate(QSslConfiguration &configuration, const QString &serverName,
                                               const QList<QSslCertificate> &certificateChain,
                                               const QSslKey &privateKey);
Q_NETWORK_EXPORT void clearServerNameCertificates(QSslConfiguration &configuration);

// The group of the encrypted session's key exchange, as OpenSSL names it ("x25519",
// "secp256r1", "X25519MLKEM768" where the OpenSSL has post-quantum groups); empty when the socket
// is not encrypted, or is one of Qt's own sockets.
Q_NETWORK_EXPORT QString negotiatedGroup(const QSslSocket *socket);

// Keying material (RFC 5705; RFC 8446 section 7.5 in TLS 1.3) of an encrypted socket: `length`
// bytes for `label` and `context`. A null `context` means none at all, which TLS 1.2 tells apart
// from an empty one. Empty when the socket is not encrypted or the export fails.
Q_NETWORK_EXPORT QByteArray exportKeyingMaterial(const QSslSocket *socket, const QByteArray &label, int length,
                                                 const QByteArray &context = QByteArray());

} // namespace QSslRs

#endif // QSSLRS_H
