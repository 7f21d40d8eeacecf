// QSslDiffieHellmanParameters: decoding, Qt's safety rules, equality and hashing.
#include <QtCore/QBuffer>
#include <QtNetwork/QSslDiffieHellmanParameters>
#include <QtTest/QtTest>

class tst_QSslDiffieHellmanParameters : public QObject
{
    Q_OBJECT

private slots:
    void defaults();
    void decode();
    void badInput();
    void movedFrom();
};

// RFC 3526 group 14 (2048-bit MODP), g = 2.
static const char group14[] =
    "-----BEGIN DH PARAMETERS-----\n"
    "MIIBCAKCAQEA///////////JD9qiIWjCNMTGYouA3BzRKQJOCIpnzHQCC76mOxOb\n"
    "IlFKCHmONATd75UZs806QxswKwpt8l8UN0/hNW1tUcJF5IW1dmJefsb0TELppjft\n"
    "awv/XLb0Brft7jhr+1qJn6WunyQRfEsf5kkoZlHs5Fs9wgB8uKFjvwWY2kg2HFXT\n"
    "mmkWP6j9JM9fg2VdI9yjrZYcYvNWIIVSu57VKQdwlpZtZww1Tkq8mATxdGwIyhgh\n"
    "fDKQXkYuNs474553LBgOhgObJ4Oi7Aeij7XFXfBvTFLJ3ivL9pVYFxg5lUl86pVq\n"
    "5RXSJhiY+gUQFXKOWoqsqmj//////////wIBAg==\n"
    "-----END DH PARAMETERS-----\n";

void tst_QSslDiffieHellmanParameters::defaults()
{
    const auto def = QSslDiffieHellmanParameters::defaultParameters();
    QVERIFY(def.isValid());
    QVERIFY(!def.isEmpty());
    QCOMPARE(def.error(), QSslDiffieHellmanParameters::NoError);
    QCOMPARE(def.errorString(), QStringLiteral("No error"));
    const QSslDiffieHellmanParameters empty;
    QVERIFY(empty.isEmpty());
    QVERIFY(empty.isValid());
    QVERIFY(empty != def);
    QCOMPARE(def, QSslDiffieHellmanParameters(def));
}

void tst_QSslDiffieHellmanParameters::decode()
{
    const auto pem = QSslDiffieHellmanParameters::fromEncoded(QByteArray(group14));
    QVERIFY(pem.isValid());
    QVERIFY(!pem.isEmpty());
    QString text;
    QDebug(&text) << pem;
    QVERIFY(text.startsWith(QStringLiteral("QSslDiffieHellmanParameters(\"MIIBCAKCAQEA")));
    QByteArray body(group14);
    body = body.mid(body.indexOf('\n') + 1);
    body.truncate(body.indexOf("-----END"));
    const QByteArray der = QByteArray::fromBase64(body);
    QBuffer buffer;
    buffer.setData(der);
    buffer.open(QIODevice::ReadOnly);
    const auto fromDer = QSslDiffieHellmanParameters::fromEncoded(&buffer, QSsl::Der);
    QCOMPARE(fromDer, pem);
    QCOMPARE(qHash(fromDer, 3), qHash(pem, 3));
}

void tst_QSslDiffieHellmanParameters::badInput()
{
    for (const QByteArray &input : {QByteArray(), QByteArray("garbage"), QByteArray(group14).left(100)}) {
        const auto dh = QSslDiffieHellmanParameters::fromEncoded(input);
        QVERIFY(!dh.isValid());
        QVERIFY(!dh.isEmpty());
        QCOMPARE(dh.error(), QSslDiffieHellmanParameters::InvalidInputDataError);
        QCOMPARE(dh.errorString(), QStringLiteral("Invalid input data"));
    }
    // p = 23, g = 5: far below 1024 bits.
    const auto small = QSslDiffieHellmanParameters::fromEncoded(QByteArray::fromHex("3006020117020105"), QSsl::Der);
    QCOMPARE(small.error(), QSslDiffieHellmanParameters::UnsafeParametersError);
    QCOMPARE(small.errorString(), QStringLiteral("The given Diffie-Hellman parameters are deemed unsafe"));
}

void tst_QSslDiffieHellmanParameters::movedFrom()
{
    auto a = QSslDiffieHellmanParameters::defaultParameters();
    QSslDiffieHellmanParameters b(std::move(a));
    QVERIFY(!b.isEmpty());
    QVERIFY(a.isEmpty()); // moved-from objects read as empty ones
    QVERIFY(a.isValid());
    a = b;
    QCOMPARE(a, b);
}

QTEST_GUILESS_MAIN(tst_QSslDiffieHellmanParameters)
#include "tst_qssldiffiehellmanparameters.moc"
