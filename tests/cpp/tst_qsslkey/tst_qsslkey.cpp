// QSslKey against keys made with the openssl CLI, in every format Qt reads.
#include <QtCore/QBuffer>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QSslKey>
#include <QtTest/QtTest>

#include <openssl/evp.h>

class tst_QSslKey : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void defaults();
    void decode_data();
    void decode();
    void encryptedOutput();
    void badInput();
    void handles();
    void equalityAndMove();

private:
    QByteArray file(const QString &name) const;
    void openssl(const QStringList &args);
    QTemporaryDir dir;
};

void tst_QSslKey::openssl(const QStringList &args)
{
    QProcess p;
    p.setWorkingDirectory(dir.path());
    p.start(QStringLiteral("openssl"), args);
    QVERIFY(p.waitForFinished(120000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
}

QByteArray tst_QSslKey::file(const QString &name) const
{
    QFile f(dir.filePath(name));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void tst_QSslKey::initTestCase()
{
    QVERIFY(dir.isValid());
    openssl({"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.key"});
    openssl({"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "ec.key"});
    openssl({"genpkey", "-genparam", "-algorithm", "DSA", "-pkeyopt", "dsa_paramgen_bits:1024", "-out", "dsa.param"});
    openssl({"genpkey", "-paramfile", "dsa.param", "-out", "dsa.key"});
    openssl({"genpkey", "-algorithm", "DH", "-pkeyopt", "group:ffdhe2048", "-out", "dh.key"});
    for (const char *a : {"rsa", "ec", "dsa"}) {
        const QString k = QString::fromLatin1(a);
        openssl({"pkey", "-in", k + ".key", "-traditional", "-out", k + "-trad.pem"});
        openssl({"pkey", "-in", k + ".key", "-traditional", "-outform", "DER", "-out", k + "-trad.der"});
        openssl({"pkey", "-in", k + ".key", "-outform", "DER", "-out", k + "-pkcs8.der"});
        openssl({"pkey", "-in", k + ".key", "-pubout", "-out", k + "-pub.pem"});
        openssl({"pkey", "-in", k + ".key", "-pubout", "-outform", "DER", "-out", k + "-pub.der"});
        openssl({k, "-in", k + ".key", "-aes256", "-passout", "pass:secret", "-out", k + "-aes.pem"});
        openssl({k, "-in", k + ".key", "-des3", "-passout", "pass:secret", "-out", k + "-des3.pem"});
        openssl({"pkcs8", "-topk8", "-in", k + ".key", "-v2", "aes-128-cbc", "-passout", "pass:secret", "-outform", "DER", "-out", k + "-p8enc.der"});
        openssl({"pkcs8", "-topk8", "-in", k + ".key", "-v1", "PBE-SHA1-3DES", "-passout", "pass:secret", "-out", k + "-pbe.pem"});
    }
}

void tst_QSslKey::defaults()
{
    QSslKey key;
    QVERIFY(key.isNull());
    QCOMPARE(key.type(), QSsl::PublicKey);
    QCOMPARE(key.algorithm(), QSsl::Opaque);
    QCOMPARE(key.length(), -1);
    QVERIFY(key.toPem().isEmpty());
    QVERIFY(key.toDer().isEmpty());
    QCOMPARE(key.handle(), nullptr);
}

void tst_QSslKey::decode_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QSsl::KeyAlgorithm>("algorithm");
    QTest::addColumn<QSsl::EncodingFormat>("format");
    QTest::addColumn<QSsl::KeyType>("type");
    QTest::addColumn<QByteArray>("pass");
    QTest::addColumn<int>("length");
    const struct { const char *name; QSsl::KeyAlgorithm algorithm; int length; } algs[] = {
        {"rsa", QSsl::Rsa, 2048}, {"ec", QSsl::Ec, 384}, {"dsa", QSsl::Dsa, 1024}};
    for (const auto &a : algs) {
        const QString n = QString::fromLatin1(a.name);
        QTest::addRow("%s-key", a.name) << n + ".key" << a.algorithm << QSsl::Pem << QSsl::PrivateKey << QByteArray() << a.length;
        QTest::addRow("%s-trad", a.name) << n + "-trad.pem" << a.algorithm << QSsl::Pem << QSsl::PrivateKey << QByteArray() << a.length;
        QTest::addRow("%s-trad-der", a.name) << n + "-trad.der" << a.algorithm << QSsl::Der << QSsl::PrivateKey << QByteArray() << a.length;
        QTest::addRow("%s-pub", a.name) << n + "-pub.pem" << a.algorithm << QSsl::Pem << QSsl::PublicKey << QByteArray() << a.length;
        QTest::addRow("%s-pub-der", a.name) << n + "-pub.der" << a.algorithm << QSsl::Der << QSsl::PublicKey << QByteArray() << a.length;
        QTest::addRow("%s-aes", a.name) << n + "-aes.pem" << a.algorithm << QSsl::Pem << QSsl::PrivateKey << QByteArray("secret") << a.length;
        QTest::addRow("%s-des3", a.name) << n + "-des3.pem" << a.algorithm << QSsl::Pem << QSsl::PrivateKey << QByteArray("secret") << a.length;
        QTest::addRow("%s-p8enc-der", a.name) << n + "-p8enc.der" << a.algorithm << QSsl::Der << QSsl::PrivateKey << QByteArray("secret") << a.length;
        QTest::addRow("%s-pbe", a.name) << n + "-pbe.pem" << a.algorithm << QSsl::Pem << QSsl::PrivateKey << QByteArray("secret") << a.length;
        QTest::addRow("%s-wrong-pass", a.name) << n + "-aes.pem" << a.algorithm << QSsl::Pem << QSsl::PrivateKey << QByteArray("wrong") << -1;
        QTest::addRow("%s-no-pass", a.name) << n + "-aes.pem" << a.algorithm << QSsl::Pem << QSsl::PrivateKey << QByteArray() << -1;
        QTest::addRow("%s-as-public", a.name) << n + "-trad.pem" << a.algorithm << QSsl::Pem << QSsl::PublicKey << QByteArray() << -1;
    }
    QTest::addRow("dh") << "dh.key" << QSsl::Dh << QSsl::Pem << QSsl::PrivateKey << QByteArray() << 2048;
    QTest::addRow("rsa-as-ec") << "rsa-trad.pem" << QSsl::Ec << QSsl::Pem << QSsl::PrivateKey << QByteArray() << -1;
}

void tst_QSslKey::decode()
{
    QFETCH(QString, name);
    QFETCH(QSsl::KeyAlgorithm, algorithm);
    QFETCH(QSsl::EncodingFormat, format);
    QFETCH(QSsl::KeyType, type);
    QFETCH(QByteArray, pass);
    QFETCH(int, length);

    QBuffer device;
    device.setData(file(name));
    device.open(QIODevice::ReadOnly);
    const QSslKey key(&device, algorithm, format, type, pass);
    QCOMPARE(key.isNull(), length == -1);
    QCOMPARE(key.length(), length);
    // A failed decode still reports what was asked for.
    QCOMPARE(key.algorithm(), algorithm);
    QCOMPARE(key.type(), type);
    if (key.isNull())
        return;
    QVERIFY(key.handle());
    const QSslKey fromPem(key.toPem(), algorithm, QSsl::Pem, type);
    QCOMPARE(fromPem, key);
    const QSslKey fromDer(key.toDer(), algorithm, QSsl::Der, type);
    QCOMPARE(fromDer, key);
    QCOMPARE(fromDer.toDer(), key.toDer());
}

void tst_QSslKey::encryptedOutput()
{
    const QSslKey key(file(QStringLiteral("rsa-trad.pem")), QSsl::Rsa);
    const QByteArray pem = key.toPem("pw");
    QVERIFY(pem.contains("DEK-Info: DES-EDE3-CBC"));
    QCOMPARE(QSslKey(pem, QSsl::Rsa, QSsl::Pem, QSsl::PrivateKey, "pw"), key);
    QVERIFY(QSslKey(pem, QSsl::Rsa, QSsl::Pem, QSsl::PrivateKey, "nope").isNull());
    QVERIFY(key.toDer("pw").isEmpty()); // encrypted DER does not exist (QTBUG-41038)
    // A public key is never encrypted.
    const QSslKey pub(file(QStringLiteral("rsa-pub.pem")), QSsl::Rsa, QSsl::Pem, QSsl::PublicKey);
    QCOMPARE(pub.toPem("pw"), pub.toPem());
    QCOMPARE(pub.toDer("pw"), pub.toDer());
}

void tst_QSslKey::badInput()
{
    const QByteArray pem = file(QStringLiteral("rsa-trad.pem"));
    QVERIFY(QSslKey(pem.left(pem.size() / 2), QSsl::Rsa).isNull());
    QVERIFY(QSslKey(QByteArray(1 << 20, 'A'), QSsl::Rsa).isNull());
    QVERIFY(QSslKey(QByteArray(1 << 20, '\x30'), QSsl::Rsa, QSsl::Der).isNull());
    const QSslKey empty(QByteArray(), QSsl::Ec, QSsl::Der, QSsl::PrivateKey);
    QVERIFY(empty.isNull());
    QCOMPARE(empty.algorithm(), QSsl::Opaque); // empty input is not even looked at
    QCOMPARE(empty.type(), QSsl::PublicKey);
    QVERIFY(QSslKey(static_cast<QIODevice *>(nullptr), QSsl::Rsa).isNull());
}

void tst_QSslKey::handles()
{
    // An opaque key keeps the EVP_PKEY it was given and hands it back.
    EVP_PKEY *ed = nullptr;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr);
    QVERIFY(ctx && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &ed) == 1);
    EVP_PKEY_CTX_free(ctx);
    const QSslKey opaque(Qt::HANDLE(ed), QSsl::PrivateKey);
    QVERIFY(!opaque.isNull());
    QCOMPARE(opaque.algorithm(), QSsl::Opaque);
    QCOMPARE(opaque.handle(), Qt::HANDLE(ed));
    QCOMPARE(opaque.length(), -1);
    QVERIFY(opaque.toPem().isEmpty());
    QCOMPARE(opaque, QSslKey(opaque));

    // Qt 6.4 unwraps an RSA EVP_PKEY into its RSA object yet reports the key as null.
    EVP_PKEY *rsa = nullptr;
    ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_RSA, nullptr);
    QVERIFY(ctx && EVP_PKEY_keygen_init(ctx) == 1 && EVP_PKEY_keygen(ctx, &rsa) == 1);
    EVP_PKEY_CTX_free(ctx);
    const QSslKey unwrapped(Qt::HANDLE(rsa), QSsl::PrivateKey);
    QVERIFY(unwrapped.isNull());
    QCOMPARE(unwrapped.algorithm(), QSsl::Rsa);
    QVERIFY(unwrapped.handle());

    QVERIFY(QSslKey(Qt::HANDLE(nullptr)).isNull());
}

void tst_QSslKey::equalityAndMove()
{
    const QSslKey a(file(QStringLiteral("ec-trad.pem")), QSsl::Ec);
    const QSslKey b(file(QStringLiteral("ec.key")), QSsl::Ec);
    QCOMPARE(a, b);
    QVERIFY(a != QSslKey(file(QStringLiteral("ec-pub.pem")), QSsl::Ec, QSsl::Pem, QSsl::PublicKey));
    QSslKey c = a;
    QSslKey d(std::move(c));
    QCOMPARE(d, a);
    QVERIFY(c.isNull()); // moved-from keys read as null
    QCOMPARE(c.length(), -1);
    QCOMPARE(c.algorithm(), QSsl::Opaque);
    c = d;
    QCOMPARE(c, a);
    QString text;
    QDebug(&text) << a;
    QCOMPARE(text, QStringLiteral("QSslKey(PrivateKey, EC, 384) "));
    d.clear();
    QVERIFY(d.isNull());
}

QTEST_GUILESS_MAIN(tst_QSslKey)
#include "tst_qsslkey.moc"
