// SPDX-License-Identifier: MIT OR Apache-2.0
// Printing shared by the boundary clients: what an app reads from the SSL objects it gets from
// Qt's own code, and the operations that mix those objects with the app's own. Every line is
// deterministic (no ports, addresses, times or pointers), so two builds can be compared.
#pragma once

#include <QtCore/qdebug.h>
#include <QtCore/qfile.h>
#include <QtCore/qset.h>
#include <QtCore/qstringlist.h>
#include <QtCore/qvariant.h>
#include <QtNetwork/qsslcertificate.h>
#include <QtNetwork/qsslcertificateextension.h>
#include <QtNetwork/qsslcipher.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qssldiffiehellmanparameters.h>
#include <QtNetwork/qsslellipticcurve.h>
#include <QtNetwork/qsslerror.h>
#include <QtNetwork/qsslkey.h>

#include <cstdio>

namespace trace {

// Flushed line by line: a crash must not swallow the lines printed before it.
inline void line(const QString &text)
{
    std::printf("%s\n", qPrintable(text));
    std::fflush(stdout);
}

inline QString yesNo(bool value)
{
    return value ? QStringLiteral("yes") : QStringLiteral("no");
}

inline QString commonName(const QSslCertificate &certificate)
{
    return certificate.subjectInfo(QSslCertificate::CommonName).join(u'/');
}

inline QString commonNames(const QList<QSslCertificate> &chain)
{
    QStringList names;
    for (const QSslCertificate &certificate : chain)
        names << commonName(certificate);
    return u'[' + names.join(QStringLiteral(", ")) + u']';
}

inline QSslCertificate load(const QString &certs, const char *name)
{
    const QList<QSslCertificate> certificates = QSslCertificate::fromPath(certs + u'/' + QLatin1StringView(name));
    if (certificates.size() != 1)
        qFatal("cannot read %s from %s", name, qPrintable(certs));
    return certificates.first();
}

inline QSslKey loadKey(const QString &certs, const char *name)
{
    QFile file(certs + u'/' + QLatin1StringView(name));
    const QSslKey key(file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray(), QSsl::Ec);
    if (key.isNull())
        qFatal("cannot read the EC key %s from %s", name, qPrintable(certs));
    return key;
}

// The servers run_boundary.py started (ports in argv, after the certificate directory) and the
// certificates both clients use.
struct Setup
{
    QString certs;
    quint16 selfSignedPort = 0;
    quint16 caPort = 0;
    quint16 wrongHostPort = 0;
    quint16 clientAuthPort = 0;
    quint16 pskPort = 0; // QNAM only
    QSslCertificate ca;
    QSslCertificate server;
    QSslCertificate selfSigned;
    QSslCertificate wrongHost;
    QSslCertificate client;
    QSslKey clientKey;

    // argv: CERTS_DIR SELFSIGNED_PORT CA_PORT WRONGHOST_PORT CLIENTAUTH_PORT [PSK_PORT]
    bool read(int argc, char **argv, bool withPsk)
    {
        if (argc != (withPsk ? 7 : 6)) {
            std::fprintf(stderr, "usage: %s CERTS_DIR SELFSIGNED_PORT CA_PORT WRONGHOST_PORT "
                                 "CLIENTAUTH_PORT%s\n", argv[0], withPsk ? " PSK_PORT" : "");
            return false;
        }
        const auto port = [argv](int index) { return quint16(QByteArray(argv[index]).toUInt()); };
        certs = QString::fromLocal8Bit(argv[1]);
        selfSignedPort = port(2);
        caPort = port(3);
        wrongHostPort = port(4);
        clientAuthPort = port(5);
        if (withPsk)
            pskPort = port(6);
        ca = load(certs, "ca.pem");
        server = load(certs, "server.pem");
        selfSigned = load(certs, "selfsigned.pem");
        wrongHost = load(certs, "wronghost.pem");
        client = load(certs, "client.pem");
        clientKey = loadKey(certs, "client.key");
        return true;
    }
};

// What a certificate says, without what changes each time the test PKI is generated (serial
// numbers, dates, key identifiers).
inline QString details(const QSslCertificate &certificate)
{
    QStringList names;
    const auto alternatives = certificate.subjectAlternativeNames();
    for (auto it = alternatives.cbegin(); it != alternatives.cend(); ++it)
        names << QStringLiteral("%1:%2").arg(int(it.key())).arg(it.value());
    QStringList extensions; // "!" marks a critical one
    for (const QSslCertificateExtension &extension : certificate.extensions())
        extensions << extension.name() + (extension.isCritical() ? QStringLiteral("!") : QString());
    const QSslKey key = certificate.publicKey();
    return QStringLiteral("version=%1 selfSigned=%2 key=%3/%4/%5 sans=[%6] extensions=[%7]")
            .arg(QString::fromLatin1(certificate.version()), yesNo(certificate.isSelfSigned()))
            .arg(int(key.algorithm()))
            .arg(int(key.type()))
            .arg(key.length())
            .arg(names.join(u' '), extensions.join(u' '));
}

// The session and settings of a configuration Qt filled in.
inline void printConfiguration(const QString &prefix, const QSslConfiguration &configuration)
{
    const QSslCipher cipher = configuration.sessionCipher();
    line(QStringLiteral("%1 null=%2 protocol=%3 sessionProtocol=%4 peerVerifyMode=%5 depth=%6")
                 .arg(prefix, yesNo(configuration.isNull()))
                 .arg(int(configuration.protocol()))
                 .arg(int(configuration.sessionProtocol()))
                 .arg(int(configuration.peerVerifyMode()))
                 .arg(configuration.peerVerifyDepth()));
    line(QStringLiteral("%1 cipher null=%2 name=%3 protocol=%4 bits=%5/%6 kx=%7 auth=%8 enc=%9")
                 .arg(prefix, yesNo(cipher.isNull()), cipher.name(), cipher.protocolString())
                 .arg(cipher.usedBits())
                 .arg(cipher.supportedBits())
                 .arg(cipher.keyExchangeMethod(), cipher.authenticationMethod(), cipher.encryptionMethod()));
    const QSslCertificate peer = configuration.peerCertificate();
    line(QStringLiteral("%1 peer null=%2 subject=%3 issuer=%4 chain=%5")
                 .arg(prefix, yesNo(peer.isNull()), peer.subjectDisplayName(), peer.issuerDisplayName(),
                      commonNames(configuration.peerCertificateChain())));
    if (!peer.isNull())
        line(QStringLiteral("%1 peer %2").arg(prefix, details(peer)));
    const QSslKey ephemeral = configuration.ephemeralServerKey();
    const QSslKey privateKey = configuration.privateKey();
    line(QStringLiteral("%1 ephemeralKey null=%2 algorithm=%3 type=%4 local=%5 key null=%6 algorithm=%7 "
                        "cas>0=%8 ciphers>0=%9")
                 .arg(prefix, yesNo(ephemeral.isNull()))
                 .arg(int(ephemeral.algorithm()))
                 .arg(int(ephemeral.type()))
                 .arg(commonNames(configuration.localCertificateChain()), yesNo(privateKey.isNull()))
                 .arg(int(privateKey.algorithm()))
                 .arg(yesNo(!configuration.caCertificates().isEmpty()), yesNo(!configuration.ciphers().isEmpty())));
    line(QStringLiteral("%1 curves>0=%2 dh empty=%3 preSharedKeyIdentityHint=%4 ocsp=%5")
                 .arg(prefix, yesNo(!configuration.ellipticCurves().isEmpty()),
                      yesNo(configuration.diffieHellmanParameters().isEmpty()),
                      QString::fromLatin1(configuration.preSharedKeyIdentityHint()),
                      yesNo(configuration.ocspStaplingEnabled())));
    QStringList alpn;
    for (const QByteArray &protocol : configuration.allowedNextProtocols())
        alpn << QString::fromLatin1(protocol);
    line(QStringLiteral("%1 alpn allowed=[%2] negotiated=%3 status=%4")
                 .arg(prefix, alpn.join(u','), QString::fromLatin1(configuration.nextNegotiatedProtocol()))
                 .arg(int(configuration.nextProtocolNegotiationStatus())));
}

inline QString describe(const QSslError &error)
{
    const QSslCertificate certificate = error.certificate();
    return QStringLiteral("error=%1 \"%2\" cn=%3 null=%4 der=%5")
            .arg(int(error.error()))
            .arg(error.errorString(), commonName(certificate), yesNo(certificate.isNull()),
                 yesNo(certificate.toDer().size() > 0));
}

// Every value-class operation an app may apply to the errors Qt hands it.
inline void printErrors(const QList<QSslError> &errors)
{
    line(QStringLiteral("  sslErrors: %1").arg(errors.size()));
    for (const QSslError &error : errors)
        line(QStringLiteral("    ") + describe(error));
    const QList<QSslError> copy = errors;
    QStringList pairs; // '=' for ==, '!' for != of each pair
    for (const QSslError &a : errors)
        for (const QSslError &b : copy)
            pairs << QString(a == b ? u'=' : u'.') + (a != b ? u'!' : u'.');
    line(QStringLiteral("    copy==original=%1 pairs=%2").arg(yesNo(copy == errors), pairs.join(u' ')));
    const QSet<QSslError> set(errors.cbegin(), errors.cend());
    bool allFound = true;
    for (const QSslError &error : copy)
        allFound = allFound && set.contains(error);
    line(QStringLiteral("    set size=%1 contains all=%2").arg(set.size()).arg(yesNo(allFound)));
    QString debug;
    for (const QSslError &error : errors)
        QDebug(&debug) << error << error.error();
    line(QStringLiteral("    debug=%1").arg(debug.trimmed()));
    // Through the meta-type system, as queued connections and QVariant-based code copy them.
    const QVariant variant = QVariant::fromValue(errors);
    line(QStringLiteral("    variant type=%1 round trip equal=%2")
                 .arg(QString::fromLatin1(variant.typeName()),
                      yesNo(variant.value<QList<QSslError>>() == errors)));
}

// Assignments and comparisons across an error made by Qt and one made by the app.
inline void mixErrors(const QSslError &fromQt, const QSslError &fromApp)
{
    QSslError mine = fromApp;
    mine = fromQt;
    line(QStringLiteral("  mixed: app:=qt error=%1 equal=%2 cn=%3")
                 .arg(int(mine.error()))
                 .arg(yesNo(mine == fromQt), commonName(mine.certificate())));
    QList<QSslError> theirs{fromQt};
    theirs.first() = fromApp;
    line(QStringLiteral("  mixed: qt:=app error=%1 equal=%2 equal to qt's=%3")
                 .arg(int(theirs.first().error()))
                 .arg(yesNo(theirs.first() == fromApp), yesNo(theirs.first() == fromQt)));
    line(QStringLiteral("  mixed: app==qt %1, qt==app %2, same hash %3")
                 .arg(yesNo(fromApp == fromQt), yesNo(fromQt == fromApp), yesNo(qHash(fromApp) == qHash(fromQt))));
}

// A configuration Qt filled in, compared with the app's objects, copied and changed.
inline void mixConfiguration(const QSslConfiguration &fromQt, const QSslCertificate &expectedPeer,
                             const QList<QSslCertificate> &otherCas)
{
    const QSslCertificate peer = fromQt.peerCertificate();
    line(QStringLiteral("  mixed: app cert==peer %1, peer==app cert %2, same hash %3")
                 .arg(yesNo(expectedPeer == peer), yesNo(peer == expectedPeer),
                      yesNo(qHash(expectedPeer) == qHash(peer))));
    const QSslCertificate rebuilt(peer.toDer(), QSsl::Der);
    line(QStringLiteral("  mixed: peer rebuilt from DER==peer %1, same PEM %2, same digest %3, same public key %4")
                 .arg(yesNo(rebuilt == peer), yesNo(peer.toPem() == expectedPeer.toPem()),
                      yesNo(peer.digest(QCryptographicHash::Sha256)
                            == expectedPeer.digest(QCryptographicHash::Sha256)),
                      yesNo(peer.publicKey() == expectedPeer.publicKey())));
    QStringList verified;
    for (const QSslError &error : QSslCertificate::verify(fromQt.peerCertificateChain(), QStringLiteral("localhost")))
        verified << QString::number(int(error.error()));
    line(QStringLiteral("  mixed: QSslCertificate::verify(peer chain) errors=[%1]").arg(verified.join(u' ')));
    const QSslCipher session = fromQt.sessionCipher();
    const QSslCipher named(session.name(), fromQt.sessionProtocol());
    line(QStringLiteral("  mixed: app cipher==session %1, session==app cipher %2, in supported ciphers %3")
                 .arg(yesNo(named == session), yesNo(session == named),
                      yesNo(QSslConfiguration::supportedCiphers().contains(session))));
    QSslConfiguration copy = fromQt;
    line(QStringLiteral("  mixed: copy==qt's %1").arg(yesNo(copy == fromQt)));
    copy.setPeerVerifyMode(QSslSocket::VerifyNone);
    copy.setCaCertificates(otherCas);
    line(QStringLiteral("  mixed: copy after setters: peerVerifyMode=%1 cas=%2 copy==qt's %3; "
                        "qt's peerVerifyMode=%4 cas=%5")
                 .arg(int(copy.peerVerifyMode()))
                 .arg(commonNames(copy.caCertificates()), yesNo(copy == fromQt))
                 .arg(int(fromQt.peerVerifyMode()))
                 .arg(commonNames(fromQt.caCertificates())));
}

} // namespace trace
