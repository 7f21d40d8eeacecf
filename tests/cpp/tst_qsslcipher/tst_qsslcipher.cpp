// qssl-rs: QSslCipher. Expected values were observed with Qt 6.4's OpenSSL backend (OpenSSL 3.0).
// SPDX-License-Identifier: MIT OR Apache-2.0

#include <QtCore/qset.h>
#include <QtNetwork/qsslcipher.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtTest/QtTest>

class tst_QSslCipher : public QObject
{
    Q_OBJECT
private slots:
    void nullCipher();
    void byName_data();
    void byName();
    void byNameAndProtocol();
    void unknownName();
    void copyAndCompare();
    void everySupportedCipherRoundTrips();
    void debugStream();
};

void tst_QSslCipher::nullCipher()
{
    QSslCipher c;
    QVERIFY(c.isNull());
    QCOMPARE(c.name(), QString());
    QCOMPARE(c.usedBits(), 0);
    QCOMPARE(c.supportedBits(), 0);
    QCOMPARE(c.protocol(), QSsl::UnknownProtocol);
    QCOMPARE(c.protocolString(), QString());
    QCOMPARE(c.keyExchangeMethod(), QString());
    QCOMPARE(c.authenticationMethod(), QString());
    QCOMPARE(c.encryptionMethod(), QString());
    QCOMPARE(c, QSslCipher());
}

void tst_QSslCipher::byName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("protocolString");
    QTest::addColumn<int>("protocol");
    QTest::addColumn<int>("bits");
    QTest::addColumn<QString>("kx");
    QTest::addColumn<QString>("au");
    QTest::addColumn<QString>("enc");

    QTest::newRow("tls13-aes256") << "TLS_AES_256_GCM_SHA384" << "TLSv1.3" << int(QSsl::TlsV1_3)
                                  << 256 << "any" << "any" << "AESGCM(256)";
    QTest::newRow("tls13-chacha") << "TLS_CHACHA20_POLY1305_SHA256" << "TLSv1.3"
                                  << int(QSsl::TlsV1_3) << 256 << "any" << "any"
                                  << "CHACHA20/POLY1305(256)";
    QTest::newRow("tls13-aes128") << "TLS_AES_128_GCM_SHA256" << "TLSv1.3" << int(QSsl::TlsV1_3)
                                  << 128 << "any" << "any" << "AESGCM(128)";
    QTest::newRow("ecdhe-ecdsa-gcm") << "ECDHE-ECDSA-AES128-GCM-SHA256" << "TLSv1.2"
                                     << int(QSsl::TlsV1_2) << 128 << "ECDH" << "ECDSA"
                                     << "AESGCM(128)";
    QTest::newRow("ecdhe-rsa-gcm") << "ECDHE-RSA-AES256-GCM-SHA384" << "TLSv1.2"
                                   << int(QSsl::TlsV1_2) << 256 << "ECDH" << "RSA"
                                   << "AESGCM(256)";
    QTest::newRow("dhe-rsa-chacha") << "DHE-RSA-CHACHA20-POLY1305" << "TLSv1.2"
                                    << int(QSsl::TlsV1_2) << 256 << "DH" << "RSA"
                                    << "CHACHA20/POLY1305(256)";
    QTest::newRow("rsa-gcm") << "AES128-GCM-SHA256" << "TLSv1.2" << int(QSsl::TlsV1_2) << 128
                             << "RSA" << "RSA" << "AESGCM(128)";
    QTest::newRow("psk") << "PSK-AES128-GCM-SHA256" << "TLSv1.2" << int(QSsl::TlsV1_2) << 128
                         << "PSK" << "PSK" << "AESGCM(128)";
    QTest::newRow("rsa-psk") << "RSA-PSK-AES256-GCM-SHA384" << "TLSv1.2" << int(QSsl::TlsV1_2)
                             << 256 << "RSAPSK" << "RSA" << "AESGCM(256)";
    QT_WARNING_PUSH
    QT_WARNING_DISABLE_DEPRECATED
    QTest::newRow("ecdhe-cbc-tls1") << "ECDHE-RSA-AES128-SHA" << "TLSv1" << int(QSsl::TlsV1_0)
                                    << 128 << "ECDH" << "RSA" << "AES(128)";
    QT_WARNING_POP
    // OpenSSL calls these SSLv3 suites, which Qt maps to UnknownProtocol.
    QTest::newRow("rsa-cbc-sslv3") << "AES128-SHA" << "SSLv3" << int(QSsl::UnknownProtocol)
                                   << 128 << "RSA" << "RSA" << "AES(128)";
    QTest::newRow("srp") << "SRP-AES-256-CBC-SHA" << "SSLv3" << int(QSsl::UnknownProtocol)
                         << 256 << "SRP" << "SRP" << "AES(256)";
}

void tst_QSslCipher::byName()
{
    QFETCH(QString, name);
    QFETCH(QString, protocolString);
    QFETCH(int, protocol);
    QFETCH(int, bits);
    QFETCH(QString, kx);
    QFETCH(QString, au);
    QFETCH(QString, enc);

    const QSslCipher c(name);
    QVERIFY(!c.isNull());
    QCOMPARE(c.name(), name);
    QCOMPARE(c.protocolString(), protocolString);
    QCOMPARE(int(c.protocol()), protocol);
    QCOMPARE(c.usedBits(), bits);
    QCOMPARE(c.supportedBits(), bits);
    QCOMPARE(c.keyExchangeMethod(), kx);
    QCOMPARE(c.authenticationMethod(), au);
    QCOMPARE(c.encryptionMethod(), enc);
}

void tst_QSslCipher::byNameAndProtocol()
{
    QVERIFY(!QSslCipher(QStringLiteral("TLS_AES_128_GCM_SHA256"), QSsl::TlsV1_3).isNull());
    QVERIFY(QSslCipher(QStringLiteral("TLS_AES_128_GCM_SHA256"), QSsl::TlsV1_2).isNull());
    QVERIFY(!QSslCipher(QStringLiteral("ECDHE-RSA-AES128-GCM-SHA256"), QSsl::TlsV1_2).isNull());
    // The protocol must match exactly: "OrLater" values and SecureProtocols never do.
    QVERIFY(QSslCipher(QStringLiteral("ECDHE-RSA-AES128-GCM-SHA256"), QSsl::TlsV1_2OrLater).isNull());
    QVERIFY(QSslCipher(QStringLiteral("ECDHE-RSA-AES128-GCM-SHA256"), QSsl::SecureProtocols).isNull());
    QVERIFY(QSslCipher(QStringLiteral("AES128-SHA"), QSsl::TlsV1_2).isNull());
    QVERIFY(!QSslCipher(QStringLiteral("AES128-SHA"), QSsl::UnknownProtocol).isNull());
}

void tst_QSslCipher::unknownName()
{
    QVERIFY(QSslCipher(QStringLiteral("nope")).isNull());
    QVERIFY(QSslCipher(QString()).isNull());
    // Names are case-sensitive.
    QVERIFY(QSslCipher(QStringLiteral("aes128-sha")).isNull());
    // Anonymous suites are never offered by Qt's OpenSSL backend.
    QVERIFY(QSslCipher(QStringLiteral("ADH-AES128-SHA")).isNull());
    QVERIFY(QSslCipher(QStringLiteral("AECDH-AES128-SHA")).isNull());
    QCOMPARE(QSslCipher(QStringLiteral("nope")), QSslCipher());
}

void tst_QSslCipher::copyAndCompare()
{
    const QSslCipher a(QStringLiteral("TLS_AES_256_GCM_SHA384"));
    QSslCipher b(a);
    QCOMPARE(a, b);
    QVERIFY(!(a != b));
    QSslCipher c(QStringLiteral("TLS_AES_128_GCM_SHA256"));
    QVERIFY(a != c);
    c = a;
    QCOMPARE(c, a);
    QSslCipher d;
    d.swap(c);
    QVERIFY(c.isNull());
    QCOMPARE(d, a);
    QSslCipher e;
    e = std::move(d);
    QCOMPARE(e, a);
    d = QSslCipher(QStringLiteral("AES128-SHA"));
    QCOMPARE(d.name(), QStringLiteral("AES128-SHA"));
}

void tst_QSslCipher::everySupportedCipherRoundTrips()
{
    const QList<QSslCipher> supported = QSslConfiguration::supportedCiphers();
    QVERIFY(supported.size() > 10);
    for (const QSslCipher &c : supported) {
        QVERIFY2(!c.isNull(), qPrintable(c.name()));
        QVERIFY(c.usedBits() > 0);
        QVERIFY(c.supportedBits() >= c.usedBits());
        QVERIFY(!c.protocolString().isEmpty());
        const QSslCipher again(c.name(), c.protocol());
        QCOMPARE(again, c);
        QCOMPARE(again.encryptionMethod(), c.encryptionMethod());
    }
}

void tst_QSslCipher::debugStream()
{
    QString out;
    QDebug(&out) << QSslCipher(QStringLiteral("TLS_AES_256_GCM_SHA384"));
    QCOMPARE(out, QStringLiteral("QSslCipher(name=TLS_AES_256_GCM_SHA384, bits=256, proto=TLSv1.3) "));
    out.clear();
    QDebug(&out) << QSslCipher();
    QCOMPARE(out, QStringLiteral("QSslCipher(name=, bits=0, proto=) "));
    // The stream's own format survives.
    out.clear();
    QDebug(&out) << QSslCipher(QStringLiteral("AES128-SHA")) << QStringLiteral("x");
    QCOMPARE(out, QStringLiteral("QSslCipher(name=AES128-SHA, bits=128, proto=SSLv3) \"x\" "));
}

QTEST_GUILESS_MAIN(tst_QSslCipher)
#include "tst_qsslcipher.moc"
