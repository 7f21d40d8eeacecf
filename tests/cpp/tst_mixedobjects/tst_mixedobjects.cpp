// qssl-rs: SSL objects made by Qt's own QtNetwork and by us, side by side in one process: each
// value class copied, assigned, compared, hashed, streamed and destroyed across the two
// implementations (run under AddressSanitizer in CI). Qt-made objects come straight from Qt's
// own constructors and functions, looked up by their Qt_6 versioned symbols, as Qt's libraries
// (QNetworkAccessManager, QWebSocket) hand them to an app.
// SPDX-License-Identifier: MIT OR Apache-2.0

#include <QtCore/qfile.h>
#include <QtCore/qset.h>
#include <QtNetwork/qocspresponse.h>
#include <QtNetwork/qsslcertificate.h>
#include <QtNetwork/qsslcertificateextension.h>
#include <QtNetwork/qsslcipher.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qssldiffiehellmanparameters.h>
#include <QtNetwork/qsslerror.h>
#include <QtNetwork/qsslkey.h>
#include <QtNetwork/qsslpresharedkeyauthenticator.h>
#include <QtNetwork/qsslserver.h>
#include <QtNetwork/qsslsocket.h>
#include <QtTest/QtTest>

#include <cstring>
#include <dlfcn.h>
#include <memory>
#include <thread>

namespace {

void *qtSymbol(const char *name)
{
    void *found = dlvsym(RTLD_DEFAULT, name, "Qt_6");
    if (!found)
        qFatal("Qt's own %s not found", name);
    return found;
}

// An object built by one of Qt's own constructors (Qt's private inside).
template <typename T, typename... Params, typename... Args>
T qtConstructed(const char *constructor, Args &&...args)
{
    const auto ctor = reinterpret_cast<void (*)(T *, Params...)>(qtSymbol(constructor));
    alignas(T) unsigned char storage[sizeof(T)];
    T *made = reinterpret_cast<T *>(storage);
    ctor(made, std::forward<Args>(args)...);
    T result(*made);
    made->~T();
    return result;
}

// What one of Qt's own functions returns (a static function, or a member taking `this` first).
template <typename R, typename... Params, typename... Args>
R qtCalled(const char *function, Args &&...args)
{
    return reinterpret_cast<R (*)(Params...)>(qtSymbol(function))(std::forward<Args>(args)...);
}

// The same test as the library's: every private of qssl-rs starts with this word.
template <typename T>
bool madeByQt(const T &object)
{
    const void *d;
    std::memcpy(&d, static_cast<const void *>(&object), sizeof d);
    quint64 word = 0;
    if (d)
        std::memcpy(&word, d, sizeof word);
    return d && word != 0x5153'4c52'd00d'feedULL;
}

template <typename T>
QString debugText(const T &value)
{
    QString text;
    QDebug(&text) << value;
    return text;
}

QSslCertificate qtCertificate(const QByteArray &pem)
{
    return qtConstructed<QSslCertificate, const QByteArray &, QSsl::EncodingFormat>(
            "_ZN15QSslCertificateC1ERK10QByteArrayN4QSsl14EncodingFormatE", pem, QSsl::Pem);
}

QSslKey qtKey(const QByteArray &pem, QSsl::KeyAlgorithm algorithm)
{
    return qtConstructed<QSslKey, const QByteArray &, QSsl::KeyAlgorithm, QSsl::EncodingFormat,
                         QSsl::KeyType, const QByteArray &>(
            "_ZN7QSslKeyC1ERK10QByteArrayN4QSsl12KeyAlgorithmENS3_14EncodingFormatENS3_7KeyTypeES2_",
            pem, algorithm, QSsl::Pem, QSsl::PrivateKey, QByteArray());
}

QSslConfiguration qtDefaultConfiguration()
{
    return qtCalled<QSslConfiguration>("_ZN17QSslConfiguration20defaultConfigurationEv");
}

} // namespace

class tst_MixedObjects : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void certificate();
    void certificateExtension();
    void key();
    void error();
    void cipher();
    void configuration();
    void configurationConversionKeepsEverything();
    void diffieHellmanParameters();
    void preSharedKeyAuthenticator();
    void ocspResponse();
    void containers();
    void errorListsInVariants();
    void socketTakesQtObjects();
    void qtMadeSocket();
    void defaultConfigurationReachesQt();
    void threads();

private:
    QByteArray readCert(const char *name);
    QString certs;
    QByteArray serverPem;
    QByteArray caPem;
};

QByteArray tst_MixedObjects::readCert(const char *name)
{
    QFile file(certs + u'/' + QLatin1String(name));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(file.fileName()));
    return file.readAll();
}

void tst_MixedObjects::initTestCase()
{
    certs = qEnvironmentVariable("QSSLRS_TEST_CERTS");
    if (certs.isEmpty())
        QSKIP("QSSLRS_TEST_CERTS is not set (run through ctest)");
    serverPem = readCert("server.pem");
    caPem = readCert("ca.pem");
}

void tst_MixedObjects::certificate()
{
    const QSslCertificate qt = qtCertificate(serverPem);
    const QSslCertificate ours(serverPem);
    QVERIFY(madeByQt(qt));
    QVERIFY(!madeByQt(ours));

    // Getters on Qt's object are Qt's answers.
    QCOMPARE(qt.subjectInfo(QSslCertificate::CommonName), ours.subjectInfo(QSslCertificate::CommonName));
    QCOMPARE(qt.issuerDisplayName(), ours.issuerDisplayName());
    QCOMPARE(qt.toDer(), ours.toDer());
    QCOMPARE(qt.toPem(), ours.toPem());
    QCOMPARE(qt.serialNumber(), ours.serialNumber());
    QCOMPARE(qt.expiryDate(), ours.expiryDate());
    QCOMPARE(qt.subjectAlternativeNames(), ours.subjectAlternativeNames());
    QCOMPARE(qt.digest(QCryptographicHash::Sha256), ours.digest(QCryptographicHash::Sha256));
    QCOMPARE(qt.publicKey(), ours.publicKey());
    QCOMPARE(qt.isSelfSigned(), ours.isSelfSigned());
    QVERIFY(qt.handle());

    // Compared, hashed and streamed the same either way.
    QVERIFY(qt == ours);
    QVERIFY(ours == qt);
    QVERIFY(!(qt != ours));
    QVERIFY(qt != QSslCertificate(caPem));
    for (size_t seed : {size_t(0), size_t(42)})
        QCOMPARE(qHash(qt, seed), qHash(ours, seed));
    QCOMPARE(debugText(qt), debugText(ours));

    // Copies share the implementation of their source.
    const QSslCertificate copyOfQt(qt);
    QVERIFY(madeByQt(copyOfQt));
    QCOMPARE(copyOfQt, ours);

    QSslCertificate target(caPem);
    target = qt; // ours := Qt's
    QVERIFY(target == ours);
    QSslCertificate qtTarget = qtCertificate(caPem);
    qtTarget = ours; // Qt's := ours: stays Qt's, with our value
    QVERIFY(madeByQt(qtTarget));
    QCOMPARE(qtTarget, ours);
    qtTarget = QSslCertificate(caPem); // moved
    QCOMPARE(qtTarget.subjectDisplayName(), QStringLiteral("qssl-rs Test CA"));

    QSslCertificate cleared = qtCertificate(serverPem);
    cleared.clear();
    QVERIFY(cleared.isNull());

    // Our static functions take Qt's objects.
    const QList<QSslError> errors = QSslCertificate::verify({qt, qtCertificate(caPem)});
    QVERIFY(!errors.isEmpty());
    QVERIFY(QSslCertificate::verify({ours, QSslCertificate(caPem)}) == errors);

    // A null certificate of Qt's.
    const QSslCertificate qtNull = qtCertificate(QByteArray());
    QVERIFY(madeByQt(qtNull));
    QVERIFY(qtNull.isNull());
    QVERIFY(qtNull == QSslCertificate());
    QCOMPARE(qHash(qtNull, 7), qHash(QSslCertificate(), 7));
}

void tst_MixedObjects::certificateExtension()
{
    const QList<QSslCertificateExtension> qt = qtCertificate(serverPem).extensions();
    const QList<QSslCertificateExtension> ours = QSslCertificate(serverPem).extensions();
    QCOMPARE(qt.size(), ours.size());
    QVERIFY(!qt.isEmpty());
    for (qsizetype i = 0; i < qt.size(); ++i) {
        QVERIFY(madeByQt(qt[i]));
        QCOMPARE(qt[i].oid(), ours[i].oid());
        QCOMPARE(qt[i].name(), ours[i].name());
        QCOMPARE(qt[i].isCritical(), ours[i].isCritical());
        QCOMPARE(qt[i].isSupported(), ours[i].isSupported());
        QCOMPARE(qt[i].value(), ours[i].value());

        QSslCertificateExtension assigned = ours[i];
        assigned = qt[i]; // ours := Qt's
        QCOMPARE(assigned.oid(), qt[i].oid());
        QSslCertificateExtension qtCopy = qt[i];
        qtCopy = ours[(i + 1) % ours.size()]; // Qt's := ours: Qt cannot make one, so ours
        QCOMPARE(qtCopy.oid(), ours[(i + 1) % ours.size()].oid());
    }
}

void tst_MixedObjects::key()
{
    const QByteArray pem = readCert("server.key");
    const QSslKey qt = qtKey(pem, QSsl::Ec);
    const QSslKey ours(pem, QSsl::Ec);
    QVERIFY(madeByQt(qt));
    QVERIFY(!qt.isNull());
    QCOMPARE(qt.algorithm(), QSsl::Ec);
    QCOMPARE(qt.length(), ours.length());
    QCOMPARE(qt.type(), ours.type());
    QCOMPARE(qt.toDer(), ours.toDer());
    QVERIFY(qt.handle());
    QVERIFY(qt == ours);
    QVERIFY(ours == qt);
    QCOMPARE(debugText(qt), debugText(ours));

    QSslKey assigned;
    assigned = qt;
    QVERIFY(assigned == ours);
    QSslKey qtTarget = qtKey(readCert("client.key"), QSsl::Ec);
    qtTarget = ours;
    QVERIFY(madeByQt(qtTarget));
    QVERIFY(qtTarget == ours);
    QSslKey moved(std::move(qtTarget));
    QVERIFY(moved == ours);
    qtTarget = std::move(moved); // a moved-from object takes a value again
    QVERIFY(qtTarget == ours);
    QSslKey cleared = qt;
    cleared.clear();
    QVERIFY(cleared.isNull());
    QVERIFY(!qt.isNull());

    // The RSA key through Qt's public-key path.
    const QSslKey qtRsa = qtKey(readCert("server-rsa.key"), QSsl::Rsa);
    QCOMPARE(qtRsa.length(), 2048);
    QCOMPARE(QSslKey(readCert("server-rsa.key"), QSsl::Rsa), qtRsa);
}

void tst_MixedObjects::error()
{
    const QSslCertificate cert(serverPem);
    const QSslError qt = qtConstructed<QSslError, QSslError::SslError, const QSslCertificate &>(
            "_ZN9QSslErrorC1ENS_8SslErrorERK15QSslCertificate", QSslError::HostNameMismatch,
            qtCertificate(serverPem));
    const QSslError ours(QSslError::HostNameMismatch, cert);
    QVERIFY(madeByQt(qt));
    QCOMPARE(qt.error(), QSslError::HostNameMismatch);
    QCOMPARE(qt.errorString(), ours.errorString());
    QCOMPARE(qt.certificate(), cert);
    QVERIFY(madeByQt(qt.certificate()));
    QVERIFY(qt == ours);
    QVERIFY(ours == qt);
    QCOMPARE(qHash(qt, 3), qHash(ours, 3));
    QCOMPARE(debugText(qt), debugText(ours));

    QSslError assigned;
    assigned = qt;
    QCOMPARE(assigned, ours);
    QSslError qtTarget = qtConstructed<QSslError, QSslError::SslError>(
            "_ZN9QSslErrorC1ENS_8SslErrorE", QSslError::CertificateExpired);
    qtTarget = ours;
    QVERIFY(madeByQt(qtTarget));
    QCOMPARE(qtTarget, ours);
    // Our constructor takes Qt's certificate and keeps its own copy.
    const QSslError fromQtCert(QSslError::SelfSignedCertificate, qtCertificate(serverPem));
    QVERIFY(!madeByQt(fromQtCert));
    QVERIFY(!madeByQt(fromQtCert.certificate()));
    QCOMPARE(fromQtCert.certificate(), cert);
}

void tst_MixedObjects::cipher()
{
    const QSslCipher qt = qtConstructed<QSslCipher, const QString &, QSsl::SslProtocol>(
            "_ZN10QSslCipherC1ERK7QStringN4QSsl11SslProtocolE",
            QStringLiteral("TLS_AES_128_GCM_SHA256"), QSsl::TlsV1_3);
    const QSslCipher ours(QStringLiteral("TLS_AES_128_GCM_SHA256"), QSsl::TlsV1_3);
    QVERIFY(madeByQt(qt));
    QVERIFY(!qt.isNull());
    QCOMPARE(qt.name(), ours.name());
    QCOMPARE(qt.protocol(), ours.protocol());
    QCOMPARE(qt.protocolString(), ours.protocolString());
    QCOMPARE(qt.usedBits(), ours.usedBits());
    QCOMPARE(qt.supportedBits(), ours.supportedBits());
    QCOMPARE(qt.encryptionMethod(), ours.encryptionMethod());
    QVERIFY(qt == ours);
    QVERIFY(ours == qt);
    QCOMPARE(debugText(qt), debugText(ours));

    QSslCipher assigned;
    assigned = qt;
    QCOMPARE(assigned, ours);
    QSslCipher qtTarget = qtConstructed<QSslCipher>("_ZN10QSslCipherC1Ev");
    QVERIFY(qtTarget.isNull());
    qtTarget = ours;
    QVERIFY(madeByQt(qtTarget));
    QCOMPARE(qtTarget, ours);
}

void tst_MixedObjects::configuration()
{
    QSslConfiguration qt = qtDefaultConfiguration();
    QVERIFY(madeByQt(qt));
    QVERIFY(madeByQt(qt.ciphers().value(0)));
    QCOMPARE(qt.protocol(), QSsl::SecureProtocols);

    // A setter on Qt's object keeps it Qt's (Qt may own it) and takes our objects.
    const QSslCertificate ca(caPem);
    qt.setCaCertificates({ca});
    qt.setPeerVerifyMode(QSslSocket::VerifyNone);
    qt.setPrivateKey(QSslKey(readCert("server.key"), QSsl::Ec));
    qt.setLocalCertificate(QSslCertificate(serverPem));
    qt.setDiffieHellmanParameters(QSslDiffieHellmanParameters());
    qt.setAllowedNextProtocols({QByteArrayLiteral("h2")});
    QVERIFY(madeByQt(qt));
    QCOMPARE(qt.caCertificates(), QList<QSslCertificate>{ca});
    QCOMPARE(qt.peerVerifyMode(), QSslSocket::VerifyNone);
    QCOMPARE(qt.localCertificate(), QSslCertificate(serverPem));
    QVERIFY(!qt.privateKey().isNull());

    // Compared with, assigned to and copied from ours.
    QSslConfiguration ours = QSslConfiguration::defaultConfiguration();
    ours.setCaCertificates({ca});
    ours.setPeerVerifyMode(QSslSocket::VerifyNone);
    ours.setPrivateKey(QSslKey(readCert("server.key"), QSsl::Ec));
    ours.setLocalCertificate(QSslCertificate(serverPem));
    ours.setDiffieHellmanParameters(QSslDiffieHellmanParameters());
    ours.setAllowedNextProtocols({QByteArrayLiteral("h2")});
    QVERIFY(!madeByQt(ours));
    QVERIFY(qt == ours);
    QVERIFY(ours == qt);

    QSslConfiguration assigned;
    assigned = qt;
    QVERIFY(assigned == ours);
    QSslConfiguration qtTarget = qtDefaultConfiguration();
    qtTarget = ours;
    QVERIFY(madeByQt(qtTarget));
    QVERIFY(qtTarget == ours);
    QVERIFY(qtTarget.isNull() == ours.isNull());

    // Our setters keep our own copies of Qt's objects.
    QSslConfiguration fromQt;
    fromQt.setCaCertificates(qt.caCertificates());
    fromQt.setLocalCertificateChain(qt.localCertificateChain());
    fromQt.setPrivateKey(qt.privateKey());
    fromQt.setCiphers(qt.ciphers());
    QVERIFY(!madeByQt(fromQt.caCertificates().first()));
    QVERIFY(!madeByQt(fromQt.privateKey()));
    QVERIFY(!madeByQt(fromQt.ciphers().first()));
    QCOMPARE(fromQt.caCertificates(), qt.caCertificates());
}

void tst_MixedObjects::configurationConversionKeepsEverything()
{
    QSslConfiguration ours;
    ours.setProtocol(QSsl::TlsV1_2OrLater);
    ours.setPeerVerifyMode(QSslSocket::QueryPeer);
    ours.setPeerVerifyDepth(3);
    ours.setSslOption(QSsl::SslOptionDisableSessionTickets, true);
    ours.setSslOption(QSsl::SslOptionDisableCompression, false);
    ours.setSessionTicket(QByteArrayLiteral("ticket"));
    ours.setPreSharedKeyIdentityHint(QByteArrayLiteral("hint"));
    ours.setBackendConfigurationOption(QByteArrayLiteral("Groups"), QStringLiteral("P-384"));
    ours.setDtlsCookieVerificationEnabled(false);
    ours.setHandshakeMustInterruptOnError(true);
    ours.setMissingCertificateIsFatal(true);
    ours.setOcspStaplingEnabled(true);
    ours.setCiphers(QStringLiteral("TLS_AES_256_GCM_SHA384:ECDHE-ECDSA-AES128-GCM-SHA256"));
    ours.setDiffieHellmanParameters(QSslDiffieHellmanParameters());

    // Through Qt's own default: set, then read back by Qt's own getter.
    const QSslConfiguration saved = QSslConfiguration::defaultConfiguration();
    QSslConfiguration::setDefaultConfiguration(ours);
    const QSslConfiguration qt = qtDefaultConfiguration();
    QVERIFY(madeByQt(qt));
    QCOMPARE(qt.protocol(), QSsl::TlsV1_2OrLater);
    QCOMPARE(qt.peerVerifyMode(), QSslSocket::QueryPeer);
    QCOMPARE(qt.peerVerifyDepth(), 3);
    QVERIFY(qt.testSslOption(QSsl::SslOptionDisableSessionTickets));
    QVERIFY(!qt.testSslOption(QSsl::SslOptionDisableCompression));
    QCOMPARE(qt.sessionTicket(), QByteArrayLiteral("ticket"));
    QCOMPARE(qt.preSharedKeyIdentityHint(), QByteArrayLiteral("hint"));
    QCOMPARE(qt.backendConfiguration().value("Groups"), QVariant(QStringLiteral("P-384")));
    QVERIFY(!qt.dtlsCookieVerificationEnabled());
    QVERIFY(qt.handshakeMustInterruptOnError());
    QVERIFY(qt.missingCertificateIsFatal());
    QVERIFY(qt.ocspStaplingEnabled());
    QCOMPARE(qt.ciphers().size(), 2);
    QCOMPARE(qt.ciphers().first().name(), QStringLiteral("TLS_AES_256_GCM_SHA384"));
    QVERIFY(qt.diffieHellmanParameters() == ours.diffieHellmanParameters());
    // And back: Qt's object converted into ours compares equal.
    QVERIFY(qt == ours);
    QSslConfiguration::setDefaultConfiguration(saved);
}

void tst_MixedObjects::diffieHellmanParameters()
{
    using FromEncoded = QSslDiffieHellmanParameters (*)(const QByteArray &, QSsl::EncodingFormat);
    const auto qtFromEncoded = reinterpret_cast<FromEncoded>(qtSymbol(
            "_ZN27QSslDiffieHellmanParameters11fromEncodedERK10QByteArrayN4QSsl14EncodingFormatE"));
    const QByteArray der = QByteArray::fromBase64(
            debugText(QSslDiffieHellmanParameters::defaultParameters()).section(u'"', 1, 1).toLatin1());
    QVERIFY(!der.isEmpty());
    const QSslDiffieHellmanParameters qt = qtFromEncoded(der, QSsl::Der);
    const QSslDiffieHellmanParameters ours = QSslDiffieHellmanParameters::fromEncoded(der, QSsl::Der);
    QVERIFY(madeByQt(qt));
    QVERIFY(qt.isValid());
    QVERIFY(!qt.isEmpty());
    QVERIFY(qt == ours);
    QVERIFY(ours == qt);
    QCOMPARE(qHash(qt, 9), qHash(ours, 9));
    QCOMPARE(debugText(qt), debugText(ours));

    const QSslDiffieHellmanParameters qtInvalid = qtFromEncoded(QByteArrayLiteral("junk"), QSsl::Der);
    QVERIFY(!qtInvalid.isValid());
    QCOMPARE(qtInvalid.error(), QSslDiffieHellmanParameters::InvalidInputDataError);
    QCOMPARE(qtInvalid.errorString(),
             QSslDiffieHellmanParameters::fromEncoded(QByteArrayLiteral("junk"), QSsl::Der).errorString());

    QSslDiffieHellmanParameters assigned;
    assigned = qt;
    QVERIFY(assigned == ours);
    QSslDiffieHellmanParameters qtTarget = qtInvalid;
    qtTarget = ours;
    QVERIFY(madeByQt(qtTarget));
    QVERIFY(qtTarget == ours);
}

void tst_MixedObjects::preSharedKeyAuthenticator()
{
    QSslPreSharedKeyAuthenticator qt =
            qtConstructed<QSslPreSharedKeyAuthenticator>("_ZN29QSslPreSharedKeyAuthenticatorC1Ev");
    QVERIFY(madeByQt(qt));
    qt.setIdentity(QByteArrayLiteral("client"));
    qt.setPreSharedKey(QByteArrayLiteral("secret"));
    QVERIFY(madeByQt(qt));
    QCOMPARE(qt.identity(), QByteArrayLiteral("client"));
    QCOMPARE(qt.preSharedKey(), QByteArrayLiteral("secret"));

    QSslPreSharedKeyAuthenticator ours;
    ours.setIdentity(QByteArrayLiteral("client"));
    ours.setPreSharedKey(QByteArrayLiteral("secret"));
    QVERIFY(qt == ours);
    QVERIFY(ours == qt);

    // Assigning ours to the one Qt handed out keeps it Qt's, with our identity and key.
    QSslPreSharedKeyAuthenticator other;
    other.setIdentity(QByteArrayLiteral("other"));
    other.setPreSharedKey(QByteArrayLiteral("key2"));
    qt = other;
    QVERIFY(madeByQt(qt));
    QCOMPARE(qt.identity(), QByteArrayLiteral("other"));
    QCOMPARE(qt.preSharedKey(), QByteArrayLiteral("key2"));
    ours = qt;
    QCOMPARE(ours.identity(), QByteArrayLiteral("other"));
}

void tst_MixedObjects::ocspResponse()
{
    const QOcspResponse qt = qtConstructed<QOcspResponse>("_ZN13QOcspResponseC1Ev");
    const QOcspResponse ours;
    QVERIFY(madeByQt(qt));
    QCOMPARE(qt.certificateStatus(), ours.certificateStatus());
    QCOMPARE(qt.revocationReason(), ours.revocationReason());
    QVERIFY(qt.responder().isNull());
    QVERIFY(qt == ours);
    QVERIFY(ours == qt);
    QCOMPARE(qHash(qt, 5), qHash(ours, 5));
    QOcspResponse assigned;
    assigned = qt;
    QVERIFY(assigned == ours);
    QOcspResponse qtTarget = qt;
    qtTarget = ours;
    QVERIFY(qtTarget == ours);
    QOcspResponse moved = std::move(qtTarget);
    QVERIFY(moved == ours);
}

void tst_MixedObjects::containers()
{
    const QSslCertificate ours(serverPem);
    const QSslCertificate qt = qtCertificate(serverPem);
    QSet<QSslCertificate> set{ours, qt, QSslCertificate(caPem), qtCertificate(caPem)};
    QCOMPARE(set.size(), 2);
    QVERIFY(set.contains(qt));
    QVERIFY(set.contains(ours));

    QList<QSslError> errors{QSslError(QSslError::HostNameMismatch, qt),
                            QSslError(QSslError::HostNameMismatch, ours)};
    QSet<QSslError> errorSet(errors.cbegin(), errors.cend());
    QCOMPARE(errorSet.size(), 1);
    QHash<QSslCertificate, int> hash;
    hash.insert(qt, 1);
    QCOMPARE(hash.value(ours), 1);
    QVariant variant = QVariant::fromValue(qt);
    QCOMPARE(variant.value<QSslCertificate>(), ours);
}

// QNetworkAccessManager registers the list's metatype with Qt's own function (Qt 6.11 does so
// at start-up); iterating a QVariant of errors of either kind must still work.
void tst_MixedObjects::errorListsInVariants()
{
    qtCalled<int, const QByteArray &>("_Z43qRegisterNormalizedMetaType_QList_QSslErrorRK10QByteArray",
                                      QByteArrayLiteral("QList<QSslError>"));
    const QSslError qt = qtConstructed<QSslError, QSslError::SslError, const QSslCertificate &>(
            "_ZN9QSslErrorC1ENS_8SslErrorERK15QSslCertificate", QSslError::HostNameMismatch,
            qtCertificate(serverPem));
    const QList<QSslError> errors{QSslError(QSslError::CertificateExpired), qt};
    const QVariant variant = QVariant::fromValue(errors);
    const QVariantList list = variant.value<QVariantList>();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list.at(0).value<QSslError>().error(), QSslError::CertificateExpired);
    QCOMPARE(list.at(1).value<QSslError>(), qt);
    QSequentialIterable iterable = variant.value<QSequentialIterable>();
    QCOMPARE(iterable.size(), 2);
    QCOMPARE(iterable.at(1).value<QSslError>().certificate(), QSslCertificate(serverPem));
}

void tst_MixedObjects::socketTakesQtObjects()
{
    QSslSocket socket;
    QSslConfiguration qt = qtDefaultConfiguration();
    qt.setCaCertificates({qtCertificate(caPem)});
    socket.setSslConfiguration(qt);
    QCOMPARE(socket.sslConfiguration().caCertificates(), QList<QSslCertificate>{QSslCertificate(caPem)});
    QVERIFY(!madeByQt(socket.sslConfiguration()));
    socket.setLocalCertificate(qtCertificate(serverPem));
    QCOMPARE(socket.localCertificate(), QSslCertificate(serverPem));
    socket.setPrivateKey(qtKey(readCert("server.key"), QSsl::Ec));
    QVERIFY(!socket.privateKey().isNull());
    socket.ignoreSslErrors({qtConstructed<QSslError, QSslError::SslError>(
            "_ZN9QSslErrorC1ENS_8SslErrorE", QSslError::SelfSignedCertificate)});
}

// A QSslSocket of Qt's own class (QWebSocketServer hands one out from Qt 6.11 on): our entry
// points serve it with Qt's functions, and it completes a handshake with our server.
void tst_MixedObjects::qtMadeSocket()
{
    auto *socket = static_cast<QSslSocket *>(::operator new(sizeof(QSslSocket)));
    reinterpret_cast<void (*)(QSslSocket *, QObject *)>(qtSymbol("_ZN10QSslSocketC1EP7QObject"))(
            socket, nullptr);
    std::unique_ptr<QSslSocket> owner(socket); // its virtual destructor is Qt's

    socket->setPeerVerifyName(QStringLiteral("localhost"));
    QCOMPARE(socket->peerVerifyName(), QStringLiteral("localhost"));
    QCOMPARE(socket->mode(), QSslSocket::UnencryptedMode);
    QVERIFY(!socket->isEncrypted());
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates({QSslCertificate(caPem)});
    socket->setSslConfiguration(configuration);
    QVERIFY(madeByQt(socket->sslConfiguration()));
    QCOMPARE(socket->sslConfiguration().caCertificates(), QList<QSslCertificate>{QSslCertificate(caPem)});
    socket->setLocalCertificate(QSslCertificate(readCert("client.pem")));
    socket->setPrivateKey(QSslKey(readCert("client.key"), QSsl::Ec));
    QCOMPARE(socket->localCertificate(), QSslCertificate(readCert("client.pem")));
    QCOMPARE(socket->privateKey(), QSslKey(readCert("client.key"), QSsl::Ec));
    socket->ignoreSslErrors({QSslError(QSslError::SelfSignedCertificate, QSslCertificate(serverPem))});

    QSslServer server;
    QSslConfiguration serverConfiguration = QSslConfiguration::defaultConfiguration();
    serverConfiguration.setLocalCertificate(QSslCertificate(serverPem));
    serverConfiguration.setPrivateKey(QSslKey(readCert("server.key"), QSsl::Ec));
    server.setSslConfiguration(serverConfiguration);
    QVERIFY(server.listen(QHostAddress::LocalHost));
    bool encrypted = false;
    QVERIFY(QObject::connect(socket, &QSslSocket::encrypted, this, [&] { encrypted = true; }));
    socket->connectToHostEncrypted(QStringLiteral("localhost"), server.serverPort());
    // The server runs in this thread: wait in the event loop, not in waitForEncrypted().
    QTRY_VERIFY_WITH_TIMEOUT(encrypted, 10000);
    QVERIFY(socket->isEncrypted());
    QCOMPARE(socket->mode(), QSslSocket::SslClientMode);
    QCOMPARE(socket->peerCertificate(), QSslCertificate(serverPem));
    QVERIFY(madeByQt(socket->peerCertificate()));
    QVERIFY(!socket->sessionCipher().isNull());
    QCOMPARE(socket->sessionProtocol(), QSsl::TlsV1_3);
    QVERIFY(socket->sslHandshakeErrors().isEmpty());
    QVERIFY(!socket->waitForEncrypted(0)); // already encrypted: Qt's answer
    socket->disconnectFromHost();
}

void tst_MixedObjects::defaultConfigurationReachesQt()
{
    const QSslConfiguration saved = QSslConfiguration::defaultConfiguration();
    QSslConfiguration configuration = saved;
    configuration.addCaCertificate(QSslCertificate(caPem));
    QSslConfiguration::setDefaultConfiguration(configuration);
    QVERIFY(qtDefaultConfiguration().caCertificates().contains(QSslCertificate(caPem)));
    QSslConfiguration::setDefaultConfiguration(saved);
    QVERIFY(!qtDefaultConfiguration().caCertificates().contains(QSslCertificate(caPem)));
}

// Qt's functions are looked up once, from whichever thread comes first.
void tst_MixedObjects::threads()
{
    const QSslCertificate qt = qtCertificate(serverPem);
    const QSslCertificate ours(serverPem);
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                QSslCertificate copy = qt;
                QSslConfiguration configuration;
                configuration.setCaCertificates({copy, ours});
                const QSslError error(QSslError::CertificateExpired, copy);
                if (!(copy == ours) || qHash(copy) != qHash(ours)
                    || configuration.caCertificates().value(0) != ours
                    || !(error == QSslError(QSslError::CertificateExpired, ours)))
                    ++failures;
            }
        });
    }
    for (auto &thread : threads)
        thread.join();
    QCOMPARE(failures.load(), 0);
}

QTEST_GUILESS_MAIN(tst_MixedObjects)
#include "tst_mixedobjects.moc"
