// QSslKey against keys made with the openssl CLI, in every format Qt reads.
#include <QtCore/QBuffer>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslKey>
#include <QtTest/QtTest>

#include <dlfcn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

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
    void handles_data();
    void handles();
    void handleEdgeCases();
    void handlesAcrossQt();
    void equalityAndMove();

private:
    QByteArray file(const QString &name) const;
    EVP_PKEY *readKey(const QString &name, bool isPublic) const;
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

// What QSslKey(Qt::HANDLE) is given: a new EVP_PKEY, which the key takes over (as Qt's does).
EVP_PKEY *tst_QSslKey::readKey(const QString &name, bool isPublic) const
{
    const QByteArray pem = file(name);
    BIO *bio = BIO_new_mem_buf(pem.constData(), int(pem.size()));
    EVP_PKEY *key = isPublic ? PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr)
                             : PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    return key;
}

static EVP_PKEY *generated(const char *algorithm)
{
    EVP_PKEY *key = nullptr;
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(nullptr, algorithm, nullptr);
    if (!ctx || EVP_PKEY_keygen_init(ctx) != 1 || EVP_PKEY_keygen(ctx, &key) != 1)
        key = nullptr;
    EVP_PKEY_CTX_free(ctx);
    return key;
}

void tst_QSslKey::initTestCase()
{
    QVERIFY(dir.isValid());
    openssl({"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.key"});
    openssl({"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "ec.key"});
    openssl({"genpkey", "-genparam", "-algorithm", "DSA", "-pkeyopt", "dsa_paramgen_bits:1024", "-out", "dsa.param"});
    openssl({"genpkey", "-paramfile", "dsa.param", "-out", "dsa.key"});
    openssl({"genpkey", "-algorithm", "DH", "-pkeyopt", "group:ffdhe2048", "-out", "dh.key"});
    openssl({"pkey", "-in", "dh.key", "-pubout", "-out", "dh-pub.pem"});
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

// The facts below were measured on Qt 6.4.2's OpenSSL backend with the same EVP_PKEYs.
void tst_QSslKey::handles_data()
{
    QTest::addColumn<QString>("name"); // "" for a generated Ed25519/X25519 key
    QTest::addColumn<QByteArray>("generate");
    QTest::addColumn<QSsl::KeyType>("type");
    QTest::addColumn<QSsl::KeyAlgorithm>("algorithm");
    QTest::addColumn<int>("length");
    QTest::addColumn<QString>("debug");
    const struct { const char *name; QSsl::KeyAlgorithm algorithm; int length; } algs[] = {
        {"rsa", QSsl::Rsa, 2048}, {"ec", QSsl::Ec, 384}, {"dsa", QSsl::Dsa, 1024}, {"dh", QSsl::Dh, 2048}};
    for (const auto &a : algs) {
        const QString n = QString::fromLatin1(a.name);
        const QString alg = n.toUpper();
        QTest::addRow("%s-private", a.name) << n + ".key" << QByteArray() << QSsl::PrivateKey << a.algorithm
                                            << a.length << QStringLiteral("QSslKey(PrivateKey, %1, %2) ").arg(alg).arg(a.length);
        QTest::addRow("%s-public", a.name) << n + ".key" << QByteArray() << QSsl::PublicKey << a.algorithm
                                           << a.length << QStringLiteral("QSslKey(PublicKey, %1, %2) ").arg(alg).arg(a.length);
    }
    for (const char *g : {"ED25519", "X25519"}) {
        QTest::addRow("%s-private", g) << QString() << QByteArray(g) << QSsl::PrivateKey << QSsl::Opaque
                                       << -1 << QStringLiteral("QSslKey(PrivateKey, OPAQUE, -1) ");
        QTest::addRow("%s-public", g) << QString() << QByteArray(g) << QSsl::PublicKey << QSsl::Opaque
                                      << -1 << QStringLiteral("QSslKey(PublicKey, OPAQUE, -1) ");
    }
}

// RSA, DSA, DH and EC EVP_PKEYs are unwrapped into keys of that algorithm (of the type asked
// for); any other kind stays an opaque key that hands its EVP_PKEY back. The key owns it: never
// freed here (run under valgrind or ASan: no leak, no double free).
void tst_QSslKey::handles()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, generate);
    QFETCH(QSsl::KeyType, type);
    QFETCH(QSsl::KeyAlgorithm, algorithm);
    QFETCH(int, length);
    QFETCH(QString, debug);

    EVP_PKEY *pkey = name.isEmpty() ? generated(generate.constData()) : readKey(name, false);
    QVERIFY(pkey);
    const QSslKey key(Qt::HANDLE(pkey), type);
#ifdef QSSLRS_VENDORED_OPENSSL
    // Our libcrypto is not the one that made it: a null key, the handle left to us.
    QVERIFY(key.isNull());
    QCOMPARE(key.algorithm(), QSsl::Opaque);
    QCOMPARE(key.type(), type);
    QCOMPARE(key.handle(), nullptr);
    EVP_PKEY_free(pkey);
    return;
#endif
    QVERIFY(!key.isNull());
    QCOMPARE(key.algorithm(), algorithm);
    QCOMPARE(key.type(), type);
    QCOMPARE(key.length(), length);
    QVERIFY(key.handle());
    QCOMPARE(key, QSslKey(key));
    QString text;
    QDebug(&text) << key;
    QCOMPARE(text, debug);

    if (algorithm == QSsl::Opaque) {
        QCOMPARE(key.handle(), Qt::HANDLE(pkey));
        QVERIFY(key.toPem().isEmpty());
        QVERIFY(key.toDer().isEmpty());
        QVERIFY(key.toPem("pw").isEmpty());
        return;
    }
    // The legacy object (RSA*, ...), not the EVP_PKEY, which is already gone.
    QVERIFY(key.handle() != Qt::HANDLE(pkey));
    // Written like the same key read from a file.
    const QString suffix = type == QSsl::PublicKey ? QStringLiteral("-pub.pem")
                           : algorithm == QSsl::Dh ? QStringLiteral(".key")
                                                   : QStringLiteral("-trad.pem");
    const QSslKey read(file(name.section(u'.', 0, 0) + suffix), algorithm, QSsl::Pem, type);
    QVERIFY(!read.isNull());
    QCOMPARE(key.toPem(), read.toPem());
    QCOMPARE(key.toDer(), read.toDer());
    QCOMPARE(key, read);
    if (type == QSsl::PrivateKey) {
        QVERIFY(key.toPem("pw").contains("ENCRYPTED"));
        QVERIFY(key.toDer("pw").isEmpty());
    } else {
        QCOMPARE(key.toDer("pw"), read.toDer());
    }
}

void tst_QSslKey::handleEdgeCases()
{
#ifdef QSSLRS_VENDORED_OPENSSL
    QSKIP("the vendored build takes no EVP_PKEY (see handles())");
#endif
    // A public-only EVP_PKEY taken as a private key: an RSA key that cannot be written.
    const QSslKey publicAsPrivate(Qt::HANDLE(readKey(QStringLiteral("rsa-pub.pem"), true)),
                                  QSsl::PrivateKey);
    QVERIFY(!publicAsPrivate.isNull());
    QCOMPARE(publicAsPrivate.algorithm(), QSsl::Rsa);
    QCOMPARE(publicAsPrivate.type(), QSsl::PrivateKey);
    QCOMPARE(publicAsPrivate.length(), 2048);
    QVERIFY(publicAsPrivate.toPem().isEmpty());
    QVERIFY(publicAsPrivate.toDer().isEmpty());

    // No handle: a null opaque key of the type asked for (private by default).
    for (QSsl::KeyType type : {QSsl::PrivateKey, QSsl::PublicKey}) {
        const QSslKey none(Qt::HANDLE(nullptr), type);
        QVERIFY(none.isNull());
        QCOMPARE(none.type(), type);
        QCOMPARE(none.algorithm(), QSsl::Opaque);
        QCOMPARE(none.length(), -1);
        QCOMPARE(none.handle(), nullptr);
        QCOMPARE(none, QSslKey());
    }
    QCOMPARE(QSslKey(Qt::HANDLE(nullptr)).type(), QSsl::PrivateKey);

    // Two keys over one EVP_PKEY (each with its reference) are equal; cleared, one is Qt's default.
    EVP_PKEY *ed = generated("ED25519");
    QVERIFY(ed);
    EVP_PKEY_up_ref(ed);
    QSslKey first(Qt::HANDLE(ed), QSsl::PrivateKey);
    const QSslKey second(Qt::HANDLE(ed), QSsl::PrivateKey);
    QCOMPARE(first, second);
    first.clear();
    QVERIFY(first.isNull());
    QCOMPARE(first.type(), QSsl::PublicKey);
    QCOMPARE(first.handle(), nullptr);
    QCOMPARE(second.handle(), Qt::HANDLE(ed));
}

// An opaque key crossing between Qt's own QtNetwork and ours: each side holds a reference of its
// own, whichever goes first (a double free shows under valgrind or ASan).
void tst_QSslKey::handlesAcrossQt()
{
#ifdef QSSLRS_VENDORED_OPENSSL
    QSKIP("the vendored build takes no EVP_PKEY: Qt's opaque keys become null keys of ours");
#endif
    const auto qtSymbol = [](const char *name) {
        void *found = dlvsym(RTLD_DEFAULT, name, "Qt_6");
        if (!found)
            qFatal("Qt's own %s not found", name);
        return found;
    };
    EVP_PKEY *ed = generated("ED25519");
    QVERIFY(ed);

    // Qt's key into ours (our configuration keeps a key of ours).
    QSslConfiguration ourConfig;
    {
        alignas(QSslKey) unsigned char storage[sizeof(QSslKey)];
        auto *qtKey = reinterpret_cast<QSslKey *>(storage);
        reinterpret_cast<void (*)(QSslKey *, Qt::HANDLE, QSsl::KeyType)>(
                qtSymbol("_ZN7QSslKeyC1EPvN4QSsl7KeyTypeE"))(qtKey, Qt::HANDLE(ed), QSsl::PrivateKey);
        QCOMPARE(qtKey->handle(), Qt::HANDLE(ed));
        ourConfig.setPrivateKey(*qtKey);
        QCOMPARE(ourConfig.privateKey(), *qtKey);
        qtKey->~QSslKey();
    }
    const QSslKey ours = ourConfig.privateKey();
    QVERIFY(!ours.isNull());
    QCOMPARE(ours.handle(), Qt::HANDLE(ed));

    // Ours into Qt's (a configuration made by Qt keeps a key of Qt's).
    alignas(QSslConfiguration) unsigned char storage[sizeof(QSslConfiguration)];
    auto *qtConfig = reinterpret_cast<QSslConfiguration *>(storage);
    reinterpret_cast<void (*)(QSslConfiguration *)>(qtSymbol("_ZN17QSslConfigurationC1Ev"))(qtConfig);
    qtConfig->setPrivateKey(ours);
    QCOMPARE(qtConfig->privateKey().handle(), Qt::HANDLE(ed));
    QCOMPARE(qtConfig->privateKey(), ours);
    ourConfig = QSslConfiguration();
    qtConfig->~QSslConfiguration();
    QCOMPARE(ours.algorithm(), QSsl::Opaque);
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
