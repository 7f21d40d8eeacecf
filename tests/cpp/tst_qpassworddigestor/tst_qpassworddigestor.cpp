// QPasswordDigestor: PBKDF2 test vectors of RFC 6070 and RFC 3962, PBKDF1 limits.
#include <QtNetwork/QPasswordDigestor>
#include <QtTest/QtTest>

class tst_QPasswordDigestor : public QObject
{
    Q_OBJECT

private slots:
    void pbkdf2_data();
    void pbkdf2();
    void pbkdf1();
};

void tst_QPasswordDigestor::pbkdf2_data()
{
    QTest::addColumn<QByteArray>("password");
    QTest::addColumn<QByteArray>("salt");
    QTest::addColumn<int>("iterations");
    QTest::addColumn<int>("length");
    QTest::addColumn<QByteArray>("expected");
    // RFC 6070.
    QTest::newRow("6070-1") << QByteArray("password") << QByteArray("salt") << 1 << 20 << QByteArray("0c60c80f961f0e71f3a9b524af6012062fe037a6");
    QTest::newRow("6070-2") << QByteArray("password") << QByteArray("salt") << 2 << 20 << QByteArray("ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957");
    QTest::newRow("6070-3") << QByteArray("password") << QByteArray("salt") << 4096 << 20 << QByteArray("4b007901b765489abead49d926f721d065a429c1");
    QTest::newRow("6070-5") << QByteArray("passwordPASSWORDpassword") << QByteArray("saltSALTsaltSALTsaltSALTsaltSALTsalt") << 4096 << 25 << QByteArray("3d2eec4fe41c849b80c8d83662c0e44a8b291a964cf2f07038");
    QTest::newRow("6070-6") << QByteArray("pass\0word", 9) << QByteArray("sa\0lt", 5) << 4096 << 16 << QByteArray("56fa6aa75548099dcc37d7f03425e0c3");
    // RFC 3962, appendix B.
    QTest::newRow("3962-1") << QByteArray("password") << QByteArray("ATHENA.MIT.EDUraeburn") << 1 << 32 << QByteArray("cdedb5281bb2f801565a1122b25635150ad1f7a04bb9f3a333ecc0e2e1f70837");
    QTest::newRow("3962-1200") << QByteArray("password") << QByteArray("ATHENA.MIT.EDUraeburn") << 1200 << 32 << QByteArray("5c08eb61fdf71e4e4ec3cf6ba1f5512ba7e52ddbc5e5142f708a31e2e62b1e13");
    QTest::newRow("3962-64") << QByteArray(64, 'X') << QByteArray("pass phrase equals block size") << 1200 << 32 << QByteArray("139c30c0966bc32ba55fdbf212530ac9c5ec59f1a452f5cc9ad940fea0598ed1");
}

void tst_QPasswordDigestor::pbkdf2()
{
    QFETCH(QByteArray, password);
    QFETCH(QByteArray, salt);
    QFETCH(int, iterations);
    QFETCH(int, length);
    QFETCH(QByteArray, expected);
    QCOMPARE(QPasswordDigestor::deriveKeyPbkdf2(QCryptographicHash::Sha1, password, salt, iterations, quint64(length)).toHex(), expected);
}

void tst_QPasswordDigestor::pbkdf1()
{
    const QByteArray key = QPasswordDigestor::deriveKeyPbkdf1(QCryptographicHash::Sha1, "password", "saltsalt", 3, 16);
    QByteArray manual = QCryptographicHash::hash("passwordsaltsalt", QCryptographicHash::Sha1);
    manual = QCryptographicHash::hash(QCryptographicHash::hash(manual, QCryptographicHash::Sha1), QCryptographicHash::Sha1);
    QCOMPARE(key, manual.left(16));
    QTest::ignoreMessage(QtWarningMsg, "The salt must be 8 bytes long!");
    QVERIFY(QPasswordDigestor::deriveKeyPbkdf1(QCryptographicHash::Sha1, "password", "salt", 1, 10).isEmpty());
    QTest::ignoreMessage(QtWarningMsg, "The only supported algorithms for pbkdf1 are SHA-1 and MD5!");
    QVERIFY(QPasswordDigestor::deriveKeyPbkdf1(QCryptographicHash::Sha256, "password", "saltsalt", 1, 10).isEmpty());
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^Derived key too long")));
    QVERIFY(QPasswordDigestor::deriveKeyPbkdf1(QCryptographicHash::Md5, "password", "saltsalt", 1, 17).isEmpty());
    QVERIFY(QPasswordDigestor::deriveKeyPbkdf1(QCryptographicHash::Md5, "password", "saltsalt", 0, 10).isEmpty());
    QVERIFY(QPasswordDigestor::deriveKeyPbkdf2(QCryptographicHash::Sha1, "password", "salt", 0, 10).isEmpty());
    QVERIFY(QPasswordDigestor::deriveKeyPbkdf2(QCryptographicHash::Sha1, "password", "salt", 2, 0).isNull());
}

QTEST_GUILESS_MAIN(tst_QPasswordDigestor)
#include "tst_qpassworddigestor.moc"
