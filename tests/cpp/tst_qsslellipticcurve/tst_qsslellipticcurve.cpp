// QSslEllipticCurve: OpenSSL NIDs by short and long name, TLS named curves.
#include <QtNetwork/QSslEllipticCurve>
#include <QtTest/QtTest>

class tst_QSslEllipticCurve : public QObject
{
    Q_OBJECT

private slots:
    void names();
    void tlsNamedCurves();
    void invalid();
};

void tst_QSslEllipticCurve::names()
{
    const auto p256 = QSslEllipticCurve::fromShortName(QStringLiteral("prime256v1"));
    QVERIFY(p256.isValid());
    QCOMPARE(p256.shortName(), QStringLiteral("prime256v1"));
    QCOMPARE(QSslEllipticCurve::fromLongName(p256.longName()), p256);
    const auto x25519 = QSslEllipticCurve::fromLongName(QStringLiteral("X25519"));
    QCOMPARE(x25519, QSslEllipticCurve::fromShortName(QStringLiteral("X25519")));
    QString text;
    QDebug(&text) << p256;
    QCOMPARE(text, QStringLiteral("QSslEllipticCurve(\"prime256v1\") "));
    QCOMPARE(QVariant::fromValue(p256).value<QSslEllipticCurve>(), p256);
}

void tst_QSslEllipticCurve::tlsNamedCurves()
{
    for (const char *name : {"prime256v1", "secp384r1", "secp521r1", "secp256k1", "brainpoolP256r1", "sect571r1"})
        QVERIFY2(QSslEllipticCurve::fromShortName(QString::fromLatin1(name)).isTlsNamedCurve(), name);
    QVERIFY(!QSslEllipticCurve::fromShortName(QStringLiteral("X25519")).isTlsNamedCurve());
    QVERIFY(!QSslEllipticCurve::fromShortName(QStringLiteral("brainpoolP256t1")).isTlsNamedCurve());
}

void tst_QSslEllipticCurve::invalid()
{
    const QSslEllipticCurve none;
    QVERIFY(!none.isValid());
    QVERIFY(none.shortName().isNull());
    QVERIFY(none.longName().isNull());
    QVERIFY(!none.isTlsNamedCurve());
    QVERIFY(!QSslEllipticCurve::fromShortName(QString()).isValid());
    QVERIFY(!QSslEllipticCurve::fromShortName(QStringLiteral("no-such-curve")).isValid());
    // NIST names are not resolved by Qt 6.4 on OpenSSL 3 either.
    QVERIFY(!QSslEllipticCurve::fromShortName(QStringLiteral("P-256")).isValid());
}

QTEST_GUILESS_MAIN(tst_QSslEllipticCurve)
#include "tst_qsslellipticcurve.moc"
