// qssl-rs: QSslConfiguration. Expected values were observed with Qt 6.4's OpenSSL backend.
// SPDX-License-Identifier: MIT OR Apache-2.0

#include <QtCore/qdir.h>
#include <QtCore/qfile.h>
#include <QtCore/qmetatype.h>
#include <QtCore/qvariant.h>
#include <QtNetwork/qsslcertificate.h>
#include <QtNetwork/qsslcipher.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qssldiffiehellmanparameters.h>
#include <QtNetwork/qsslellipticcurve.h>
#include <QtNetwork/qsslkey.h>
#include <QtNetwork/qsslsocket.h>
#include <QtTest/QtTest>

#include <functional>

class tst_QSslConfiguration : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void nullConfiguration();
    void isNullAndEquality_data();
    void isNullAndEquality();
    void negativeDepthIsRejected();
    void copiesAreIndependent();
    void sslOptions();
    void localCertificate();
    void setCiphersFromString();
    void supportedCiphers();
    void defaultConfiguration();
    void defaultDtlsConfiguration();
    void setDefaultConfigurationSharesIt();
    void newSocketTakesDefaults();
    void caCertificates();
    void addCaCertificatesFromPath();
    void systemCaCertificates();
    void supportedEllipticCurves();
    void backendConfiguration();
    void alpnConstants();
    void metaType();

private:
    QString certs;
};

void tst_QSslConfiguration::initTestCase()
{
    certs = qEnvironmentVariable("QSSLRS_TEST_CERTS");
    if (certs.isEmpty() || !QFile::exists(certs + QStringLiteral("/ca.pem")))
        QSKIP("QSSLRS_TEST_CERTS is not set (run through ctest)");
}

void tst_QSslConfiguration::nullConfiguration()
{
    const QSslConfiguration c;
    QVERIFY(c.isNull());
    QCOMPARE(c.protocol(), QSsl::SecureProtocols);
    QCOMPARE(c.peerVerifyMode(), QSslSocket::AutoVerifyPeer);
    QCOMPARE(c.peerVerifyDepth(), 0);
    QVERIFY(c.localCertificateChain().isEmpty());
    QVERIFY(c.localCertificate().isNull());
    QVERIFY(c.peerCertificate().isNull());
    QVERIFY(c.peerCertificateChain().isEmpty());
    QVERIFY(c.sessionCipher().isNull());
    QCOMPARE(c.sessionProtocol(), QSsl::UnknownProtocol);
    QVERIFY(c.privateKey().isNull());
    QVERIFY(c.ciphers().isEmpty());
    QVERIFY(c.caCertificates().isEmpty());
    QVERIFY(c.sessionTicket().isNull());
    QCOMPARE(c.sessionTicketLifeTimeHint(), -1);
    QVERIFY(c.ephemeralServerKey().isNull());
    QVERIFY(c.ellipticCurves().isEmpty());
    QVERIFY(c.preSharedKeyIdentityHint().isNull());
    QCOMPARE(c.diffieHellmanParameters(), QSslDiffieHellmanParameters::defaultParameters());
    QVERIFY(c.backendConfiguration().isEmpty());
    QVERIFY(c.dtlsCookieVerificationEnabled());
    QVERIFY(!c.handshakeMustInterruptOnError());
    QVERIFY(!c.missingCertificateIsFatal());
    QVERIFY(!c.ocspStaplingEnabled());
    QVERIFY(c.allowedNextProtocols().isEmpty());
    QVERIFY(c.nextNegotiatedProtocol().isNull());
    QCOMPARE(c.nextProtocolNegotiationStatus(), QSslConfiguration::NextProtocolNegotiationNone);
    QCOMPARE(c, QSslConfiguration());
}

using Mutator = std::function<void(QSslConfiguration &)>;
Q_DECLARE_METATYPE(Mutator)

// Qt's isNull() and operator== look at different things; both quirks are reproduced.
void tst_QSslConfiguration::isNullAndEquality_data()
{
    QTest::addColumn<Mutator>("mutate");
    QTest::addColumn<bool>("isNull");
    QTest::addColumn<bool>("equalsNull");

    auto row = [](const char *name, Mutator m, bool isNull, bool equalsNull) {
        QTest::newRow(name) << m << isNull << equalsNull;
    };
    row("nothing", [](QSslConfiguration &) {}, true, true);
    row("dtlsCookie off", [](QSslConfiguration &c) { c.setDtlsCookieVerificationEnabled(false); },
        true, false);
    row("backend option", [](QSslConfiguration &c) { c.setBackendConfigurationOption("a", 1); },
        false, false);
    row("empty backend config", [](QSslConfiguration &c) { c.setBackendConfiguration(); },
        true, true);
    row("ocsp", [](QSslConfiguration &c) { c.setOcspStaplingEnabled(true); }, false, false);
    row("missing cert fatal", [](QSslConfiguration &c) { c.setMissingCertificateIsFatal(true); },
        false, false);
    row("interrupt on error",
        [](QSslConfiguration &c) { c.setHandshakeMustInterruptOnError(true); }, false, false);
    row("psk hint", [](QSslConfiguration &c) { c.setPreSharedKeyIdentityHint("x"); }, false,
        false);
    row("empty psk hint",
        [](QSslConfiguration &c) { c.setPreSharedKeyIdentityHint(QByteArray("")); }, false, true);
    row("alpn", [](QSslConfiguration &c) { c.setAllowedNextProtocols({"h2"}); }, false, false);
    row("session ticket", [](QSslConfiguration &c) { c.setSessionTicket("x"); }, false, false);
    row("empty session ticket", [](QSslConfiguration &c) { c.setSessionTicket(QByteArray("")); },
        false, true);
    row("empty dh params",
        [](QSslConfiguration &c) { c.setDiffieHellmanParameters(QSslDiffieHellmanParameters()); },
        false, false);
    row("default dh params", [](QSslConfiguration &c) {
        c.setDiffieHellmanParameters(QSslDiffieHellmanParameters::defaultParameters());
    }, true, true);
    row("curves", [](QSslConfiguration &c) {
        c.setEllipticCurves({QSslEllipticCurve::fromShortName(QStringLiteral("prime256v1"))});
    }, false, false);
    row("empty CA list set", [](QSslConfiguration &c) { c.setCaCertificates({}); }, false, false);
    row("empty CA list added",
        [](QSslConfiguration &c) { c.addCaCertificates(QList<QSslCertificate>{}); }, false, false);
    row("null CA added", [](QSslConfiguration &c) { c.addCaCertificate(QSslCertificate()); },
        false, false);
    row("depth", [](QSslConfiguration &c) { c.setPeerVerifyDepth(2); }, false, false);
    row("protocol", [](QSslConfiguration &c) { c.setProtocol(QSsl::TlsV1_3); }, false, false);
    row("same protocol", [](QSslConfiguration &c) { c.setProtocol(QSsl::SecureProtocols); },
        true, true);
    row("verify mode", [](QSslConfiguration &c) { c.setPeerVerifyMode(QSslSocket::VerifyNone); },
        false, false);
    row("option on",
        [](QSslConfiguration &c) { c.setSslOption(QSsl::SslOptionDisableSessionTickets, true); },
        false, false);
    row("default option again",
        [](QSslConfiguration &c) { c.setSslOption(QSsl::SslOptionDisableCompression, true); },
        true, true);
    row("null local cert",
        [](QSslConfiguration &c) { c.setLocalCertificate(QSslCertificate()); }, false, false);
    row("empty local chain", [](QSslConfiguration &c) { c.setLocalCertificateChain({}); }, true,
        true);
    row("ciphers", [](QSslConfiguration &c) { c.setCiphers(QStringLiteral("AES128-SHA")); },
        false, false);
    row("unknown cipher names",
        [](QSslConfiguration &c) { c.setCiphers(QStringLiteral("NOPE:ALSO-NOPE")); }, true, true);
}

void tst_QSslConfiguration::isNullAndEquality()
{
    QFETCH(Mutator, mutate);
    QFETCH(bool, isNull);
    QFETCH(bool, equalsNull);
    QSslConfiguration c;
    mutate(c);
    QCOMPARE(c.isNull(), isNull);
    QCOMPARE(c == QSslConfiguration(), equalsNull);
    QCOMPARE(c != QSslConfiguration(), !equalsNull);
    QSslConfiguration copy = c;
    QCOMPARE(copy, c);
}

void tst_QSslConfiguration::negativeDepthIsRejected()
{
    QSslConfiguration c;
    c.setPeerVerifyDepth(3);
    QTest::ignoreMessage(QtWarningMsg,
                         "QSslConfiguration::setPeerVerifyDepth: cannot set negative depth of -1");
    c.setPeerVerifyDepth(-1);
    QCOMPARE(c.peerVerifyDepth(), 3);
}

void tst_QSslConfiguration::copiesAreIndependent()
{
    QSslConfiguration a;
    a.setProtocol(QSsl::TlsV1_3OrLater);
    QSslConfiguration b = a;
    QCOMPARE(a, b);
    b.setProtocol(QSsl::TlsV1_2);
    QCOMPARE(a.protocol(), QSsl::TlsV1_3OrLater);
    QVERIFY(a != b);
    a.swap(b);
    QCOMPARE(a.protocol(), QSsl::TlsV1_2);
    QCOMPARE(b.protocol(), QSsl::TlsV1_3OrLater);
    QSslConfiguration c;
    c = std::move(a);
    QCOMPARE(c.protocol(), QSsl::TlsV1_2);
}

void tst_QSslConfiguration::sslOptions()
{
    QSslConfiguration c;
    const int on[] = {0x01, 0x04, 0x10, 0x40};
    for (int bit = 1; bit <= 0x80; bit <<= 1) {
        const bool expected = std::find(std::begin(on), std::end(on), bit) != std::end(on);
        QCOMPARE(c.testSslOption(QSsl::SslOption(bit)), expected);
    }
    c.setSslOption(QSsl::SslOptionDisableCompression, false);
    QVERIFY(!c.testSslOption(QSsl::SslOptionDisableCompression));
    QVERIFY(!c.isNull());
    c.setSslOption(QSsl::SslOptionDisableServerNameIndication, true);
    QVERIFY(c.testSslOption(QSsl::SslOptionDisableServerNameIndication));
}

void tst_QSslConfiguration::localCertificate()
{
    const QList<QSslCertificate> chain =
            QSslCertificate::fromPath(certs + QStringLiteral("/server-chain.pem"));
    QCOMPARE(chain.size(), 2);
    QSslConfiguration c;
    c.setLocalCertificateChain(chain);
    QCOMPARE(c.localCertificate(), chain.first());
    QCOMPARE(c.localCertificateChain(), chain);
    c.setLocalCertificate(chain.last());
    QCOMPARE(c.localCertificateChain(), QList<QSslCertificate>{chain.last()});
}

void tst_QSslConfiguration::setCiphersFromString()
{
    QSslConfiguration c;
    c.setCiphers(QStringLiteral(
            "AES128-SHA:NOPE:ECDHE-RSA-AES128-GCM-SHA256:TLS_AES_128_GCM_SHA256"));
    const QList<QSslCipher> ciphers = c.ciphers();
    QCOMPARE(ciphers.size(), 3);
    QCOMPARE(ciphers.at(0).name(), QStringLiteral("AES128-SHA"));
    QCOMPARE(ciphers.at(0).protocol(), QSsl::UnknownProtocol);
    QCOMPARE(ciphers.at(1).name(), QStringLiteral("ECDHE-RSA-AES128-GCM-SHA256"));
    QCOMPARE(ciphers.at(1).protocol(), QSsl::TlsV1_2);
    QCOMPARE(ciphers.at(2).name(), QStringLiteral("TLS_AES_128_GCM_SHA256"));
    QCOMPARE(ciphers.at(2).protocol(), QSsl::TlsV1_3);

    // No trimming, no OpenSSL cipher-string syntax.
    c.setCiphers(QStringLiteral(" AES128-SHA : AES256-SHA "));
    QVERIFY(c.ciphers().isEmpty());
    c.setCiphers(QStringLiteral("HIGH:!aNULL"));
    QVERIFY(c.ciphers().isEmpty());
    c.setCiphers(QStringLiteral("AES128-SHA::AES256-SHA:"));
    QCOMPARE(c.ciphers().size(), 2);
    c.setCiphers(QString());
    QVERIFY(c.ciphers().isEmpty());
    QVERIFY(c.isNull());
}

void tst_QSslConfiguration::supportedCiphers()
{
    const QList<QSslCipher> supported = QSslConfiguration::supportedCiphers();
    QVERIFY(supported.size() > 10);
    // OpenSSL's order: TLS 1.3 suites first.
    QCOMPARE(supported.at(0).name(), QStringLiteral("TLS_AES_256_GCM_SHA384"));
    QCOMPARE(supported.at(1).name(), QStringLiteral("TLS_CHACHA20_POLY1305_SHA256"));
    QCOMPARE(supported.at(2).name(), QStringLiteral("TLS_AES_128_GCM_SHA256"));
    QCOMPARE(supported.at(3).name(), QStringLiteral("ECDHE-ECDSA-AES256-GCM-SHA384"));
    QSet<QString> names;
    for (const QSslCipher &c : supported) {
        QVERIFY(!c.isNull());
        QVERIFY2(!c.name().startsWith(QStringLiteral("ADH"))
                         && !c.name().startsWith(QStringLiteral("AECDH")),
                 qPrintable(c.name()));
        names.insert(c.name());
    }
    QCOMPARE(names.size(), supported.size());
    for (const char *name : {"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-CHACHA20-POLY1305",
                             "DHE-RSA-AES256-GCM-SHA384", "AES256-SHA", "PSK-AES128-CBC-SHA"})
        QVERIFY2(names.contains(QLatin1String(name)), name);
}

void tst_QSslConfiguration::defaultConfiguration()
{
    const QSslConfiguration d = QSslConfiguration::defaultConfiguration();
    QVERIFY(!d.isNull());
    QVERIFY(d != QSslConfiguration());
    QCOMPARE(d.protocol(), QSsl::SecureProtocols);
    QCOMPARE(d.peerVerifyMode(), QSslSocket::AutoVerifyPeer);
    QCOMPARE(d.peerVerifyDepth(), 0);
    // Roots are loaded on demand from the system store: the list itself stays empty.
    QVERIFY(d.caCertificates().isEmpty());
    QVERIFY(d.ellipticCurves().isEmpty());
    QVERIFY(d.allowedNextProtocols().isEmpty());
    QVERIFY(d.dtlsCookieVerificationEnabled());
    QCOMPARE(d.diffieHellmanParameters(), QSslDiffieHellmanParameters::defaultParameters());
    QVERIFY(d.testSslOption(QSsl::SslOptionDisableCompression));
    QVERIFY(!d.testSslOption(QSsl::SslOptionDisableSessionTickets));

    // The default ciphers: the supported ones of at least 128 bits, in the same order.
    QList<QSslCipher> expected;
    for (const QSslCipher &c : QSslConfiguration::supportedCiphers()) {
        if (c.usedBits() >= 128)
            expected.append(c);
    }
    QCOMPARE(d.ciphers(), expected);
    QCOMPARE(QSslConfiguration::defaultConfiguration(), d);
}

void tst_QSslConfiguration::defaultDtlsConfiguration()
{
    const QSslConfiguration d = QSslConfiguration::defaultDtlsConfiguration();
    QVERIFY(!d.isNull());
    QCOMPARE(d.protocol(), QSsl::DtlsV1_2OrLater);
    QVERIFY(d.dtlsCookieVerificationEnabled());
    QCOMPARE(d.ciphers(), QSslConfiguration::defaultConfiguration().ciphers());
    QVERIFY(d != QSslConfiguration::defaultConfiguration());
}

void tst_QSslConfiguration::setDefaultConfigurationSharesIt()
{
    const QSslConfiguration original = QSslConfiguration::defaultConfiguration();
    const QSslConfiguration originalDtls = QSslConfiguration::defaultDtlsConfiguration();

    QSslConfiguration c = original;
    c.setAllowedNextProtocols({QSslConfiguration::ALPNProtocolHTTP2});
    c.setSessionTicket("tick");
    c.setPreSharedKeyIdentityHint("hint");
    c.setDtlsCookieVerificationEnabled(false);
    c.setHandshakeMustInterruptOnError(true);
    c.setBackendConfigurationOption("k", 1);
    QSslConfiguration::setDefaultConfiguration(c);
    const QSslConfiguration d = QSslConfiguration::defaultConfiguration();
    QCOMPARE(d, c);
    QCOMPARE(d.allowedNextProtocols(), QList<QByteArray>{"h2"});
    QCOMPARE(d.sessionTicket(), QByteArray("tick"));
    QCOMPARE(d.preSharedKeyIdentityHint(), QByteArray("hint"));
    // Later changes to the caller's copy do not leak into the default.
    c.setProtocol(QSsl::TlsV1_3);
    QCOMPARE(QSslConfiguration::defaultConfiguration().protocol(), QSsl::SecureProtocols);
    // The DTLS default is separate.
    QCOMPARE(QSslConfiguration::defaultDtlsConfiguration(), originalDtls);

    QSslConfiguration::setDefaultConfiguration(QSslConfiguration());
    QVERIFY(QSslConfiguration::defaultConfiguration().isNull());
    QVERIFY(QSslConfiguration::defaultConfiguration().ciphers().isEmpty());
    QVERIFY(!QSslConfiguration::defaultDtlsConfiguration().isNull());

    QSslConfiguration::setDefaultDtlsConfiguration(QSslConfiguration());
    QCOMPARE(QSslConfiguration::defaultDtlsConfiguration().protocol(), QSsl::SecureProtocols);

    QSslConfiguration::setDefaultConfiguration(original);
    QSslConfiguration::setDefaultDtlsConfiguration(originalDtls);
    QCOMPARE(QSslConfiguration::defaultConfiguration(), original);
    QCOMPARE(QSslConfiguration::defaultDtlsConfiguration(), originalDtls);
}

// A new socket copies only part of the default configuration (Qt's deepCopyDefaultConfiguration).
void tst_QSslConfiguration::newSocketTakesDefaults()
{
    const QSslConfiguration original = QSslConfiguration::defaultConfiguration();
    QSslConfiguration c = original;
    c.setAllowedNextProtocols({"h2"});
    c.setSessionTicket("tick");
    c.setPreSharedKeyIdentityHint("hint");
    c.setDiffieHellmanParameters(QSslDiffieHellmanParameters());
    c.setDtlsCookieVerificationEnabled(false);
    c.setHandshakeMustInterruptOnError(true);
    c.setMissingCertificateIsFatal(true);
    c.setBackendConfigurationOption("k", 1);
    c.setPeerVerifyDepth(4);
    QSslConfiguration::setDefaultConfiguration(c);

    QSslSocket socket;
    const QSslConfiguration s = socket.sslConfiguration();
    QSslConfiguration::setDefaultConfiguration(original);

    QVERIFY(s != c);
    QVERIFY(s.allowedNextProtocols().isEmpty());
    QVERIFY(s.sessionTicket().isEmpty());
    QVERIFY(s.preSharedKeyIdentityHint().isEmpty());
    QCOMPARE(s.diffieHellmanParameters(), QSslDiffieHellmanParameters::defaultParameters());
    QVERIFY(!s.dtlsCookieVerificationEnabled());
    QVERIFY(s.handshakeMustInterruptOnError());
    QVERIFY(s.missingCertificateIsFatal());
    QCOMPARE(s.backendConfiguration().value("k"), QVariant(1));
    QCOMPARE(s.peerVerifyDepth(), 4);
    QCOMPARE(s.ciphers(), original.ciphers());
    QVERIFY(!s.isNull());
}

void tst_QSslConfiguration::caCertificates()
{
    const QList<QSslCertificate> ca = QSslCertificate::fromPath(certs + QStringLiteral("/ca.pem"));
    const QList<QSslCertificate> server =
            QSslCertificate::fromPath(certs + QStringLiteral("/server.pem"));
    QCOMPARE(ca.size(), 1);
    QCOMPARE(server.size(), 1);

    QSslConfiguration a;
    a.setCaCertificates(ca);
    QCOMPARE(a.caCertificates(), ca);
    a.addCaCertificate(server.first());
    QCOMPARE(a.caCertificates(), ca + server);
    a.addCaCertificates(server);
    QCOMPARE(a.caCertificates().size(), 3);

    QSslConfiguration b;
    b.addCaCertificates(ca);
    QSslConfiguration c;
    c.addCaCertificate(ca.first());
    QSslConfiguration d;
    d.setCaCertificates(ca);
    QCOMPARE(b, c);
    QCOMPARE(b, d);
}

void tst_QSslConfiguration::addCaCertificatesFromPath()
{
    const QString path = certs + QStringLiteral("/ca.pem");
    QSslConfiguration a;
    QVERIFY(a.addCaCertificates(path));
    QCOMPARE(a.caCertificates(), QSslCertificate::fromPath(path));
    QVERIFY(!a.isNull());

    // Qt keeps on-demand loading of system roots on in this overload only, so the result
    // differs from the same list added any other way.
    QSslConfiguration b;
    b.addCaCertificates(QSslCertificate::fromPath(path));
    QCOMPARE(a.caCertificates(), b.caCertificates());
    QVERIFY(a != b);

    QSslConfiguration e;
    QVERIFY(!e.addCaCertificates(QStringLiteral("/nonexistent/ca.pem")));
    QVERIFY(e.isNull());

    QSslConfiguration w;
    QVERIFY(w.addCaCertificates(certs + QStringLiteral("/server*.pem"), QSsl::Pem,
                                QSslCertificate::PatternSyntax::Wildcard));
    // server.pem, server-rsa.pem and the two of server-chain.pem
    QCOMPARE(w.caCertificates().size(), 4);

    QSslConfiguration der;
    QVERIFY(!der.addCaCertificates(path, QSsl::Der));
}

void tst_QSslConfiguration::systemCaCertificates()
{
    const QList<QSslCertificate> system = QSslConfiguration::systemCaCertificates();
    QVERIFY(!system.isEmpty());
    for (const QSslCertificate &c : system)
        QVERIFY(!c.isNull());
    // Debian-style stores: every *.pem in /etc/ssl/certs plus the ca-certificates.crt bundle.
    QFile bundle(QStringLiteral("/etc/ssl/certs/ca-certificates.crt"));
    if (bundle.open(QIODevice::ReadOnly)) {
        const int inBundle = int(bundle.readAll().count("-----BEGIN CERTIFICATE-----"));
        QVERIFY2(system.size() >= inBundle,
                 qPrintable(QStringLiteral("%1 < %2").arg(system.size()).arg(inBundle)));
    }
    // Not part of the default configuration's list (on-demand loading).
    QVERIFY(QSslConfiguration::defaultConfiguration().caCertificates().isEmpty());
}

void tst_QSslConfiguration::supportedEllipticCurves()
{
    const QList<QSslEllipticCurve> curves = QSslConfiguration::supportedEllipticCurves();
    QVERIFY(curves.size() > 10);
    const QSslEllipticCurve p256 = QSslEllipticCurve::fromShortName(QStringLiteral("prime256v1"));
    QVERIFY(p256.isValid());
    QVERIFY(curves.contains(p256));
    QVERIFY(curves.contains(QSslEllipticCurve::fromShortName(QStringLiteral("secp384r1"))));
    for (const QSslEllipticCurve &c : curves)
        QVERIFY(c.isValid());

    QSslConfiguration c;
    c.setEllipticCurves({p256});
    QCOMPARE(c.ellipticCurves(), QList<QSslEllipticCurve>{p256});
}

void tst_QSslConfiguration::backendConfiguration()
{
    QSslConfiguration c;
    c.setBackendConfigurationOption("MinProtocol", QByteArray("TLSv1.2"));
    c.setBackendConfigurationOption("Options", QVariant::fromValue(QList<QByteArray>{"-Bugs"}));
    QCOMPARE(c.backendConfiguration().size(), 2);
    QCOMPARE(c.backendConfiguration().value("MinProtocol"), QVariant(QByteArray("TLSv1.2")));
    c.setBackendConfigurationOption("MinProtocol", QByteArray("TLSv1.3"));
    QCOMPARE(c.backendConfiguration().value("MinProtocol"), QVariant(QByteArray("TLSv1.3")));
    c.setBackendConfiguration();
    QVERIFY(c.backendConfiguration().isEmpty());
    QVERIFY(c.isNull());
}

void tst_QSslConfiguration::alpnConstants()
{
    QCOMPARE(QByteArray(QSslConfiguration::ALPNProtocolHTTP2), QByteArray("h2"));
    QCOMPARE(QByteArray(QSslConfiguration::NextProtocolHttp1_1), QByteArray("http/1.1"));
}

void tst_QSslConfiguration::metaType()
{
    const QMetaType type = QMetaType::fromType<QSslConfiguration>();
    QVERIFY(type.isValid());
    QCOMPARE(type.name(), "QSslConfiguration");
    QCOMPARE(qRegisterMetaType<QSslConfiguration>(), type.id());
    QCOMPARE(QMetaType::fromName("QSslConfiguration"), type);
    QSslConfiguration c;
    c.setProtocol(QSsl::TlsV1_3);
    const QVariant v = QVariant::fromValue(c);
    QCOMPARE(v.metaType(), type);
    QCOMPARE(v.value<QSslConfiguration>(), c);
}

QTEST_GUILESS_MAIN(tst_QSslConfiguration)
#include "tst_qsslconfiguration.moc"
