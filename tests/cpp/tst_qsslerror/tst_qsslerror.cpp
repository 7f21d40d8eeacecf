// qssl-rs: QSslError. Expected values were observed with Qt 6.4's own QtNetwork.
// SPDX-License-Identifier: MIT OR Apache-2.0

#include <QtCore/qhash.h>
#include <QtCore/qmetaobject.h>
#include <QtCore/qmetatype.h>
#include <QtNetwork/qsslcertificate.h>
#include <QtNetwork/qsslerror.h>
#include <QtTest/QtTest>

class tst_QSslError : public QObject
{
    Q_OBJECT
private slots:
    void defaults();
    void errorString_data();
    void errorString();
    void copyAndCompare();
    void hash();
    void debugStream();
    void metaTypes();
};

void tst_QSslError::defaults()
{
    QSslError e;
    QCOMPARE(e.error(), QSslError::NoError);
    QVERIFY(e.certificate().isNull());
    QCOMPARE(e.errorString(), QStringLiteral("No error"));
    QCOMPARE(QSslError(QSslError::NoError), e);
    QSslError withCert(QSslError::HostNameMismatch, QSslCertificate());
    QCOMPARE(withCert.error(), QSslError::HostNameMismatch);
    QVERIFY(withCert.certificate().isNull());
}

void tst_QSslError::errorString_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("text");
    const char *texts[] = {
        "Unknown error", // UnspecifiedError (-1)
        "No error",
        "The issuer certificate could not be found",
        "The certificate signature could not be decrypted",
        "The public key in the certificate could not be read",
        "The signature of the certificate is invalid",
        "The certificate is not yet valid",
        "The certificate has expired",
        "The certificate's notBefore field contains an invalid time",
        "The certificate's notAfter field contains an invalid time",
        "The certificate is self-signed, and untrusted",
        "The root certificate of the certificate chain is self-signed, and untrusted",
        "The issuer certificate of a locally looked up certificate could not be found",
        "No certificates could be verified",
        "Unknown error", // CertificateRevoked: Qt has no text for it
        "One of the CA certificates is invalid",
        "The basicConstraints path length parameter has been exceeded",
        "The supplied certificate is unsuitable for this purpose",
        "The root CA certificate is not trusted for this purpose",
        "The root CA certificate is marked to reject the specified purpose",
        "The current candidate issuer certificate was rejected because its subject name did "
        "not match the issuer name of the current certificate",
        "The current candidate issuer certificate was rejected because its issuer name and "
        "serial number was present and did not match the authority key identifier of the "
        "current certificate",
        "The peer did not present any certificate",
        "The host name did not match any of the valid hosts for this certificate",
        "", // NoSslSupport: empty in Qt
        "The peer certificate is blacklisted",
        "Unknown error", // CertificateStatusUnknown
        "No OCSP status response found",
        "The OCSP status request had invalid syntax",
        "OCSP response contains an unexpected number of SingleResponse structures",
        "OCSP responder reached an inconsistent internal state",
        "OCSP responder was unable to return a status for the requested certificate",
        "The server requires the client to sign the OCSP request in order to construct a "
        "response",
        "The client is not authorized to request OCSP status from this server",
        "OCSP responder's identity cannot be verified",
        "The identity of a certificate in an OCSP response cannot be established",
        "The certificate status response has expired",
        "The certificate's status is unknown",
        "Unknown error", // 37: out of range
    };
    int code = -1;
    for (const char *text : texts) {
        QTest::addRow("%d", code) << code << QString::fromLatin1(text);
        ++code;
    }
    QTest::addRow("99") << 99 << QStringLiteral("Unknown error");
}

void tst_QSslError::errorString()
{
    QFETCH(int, code);
    QFETCH(QString, text);
    QCOMPARE(QSslError(QSslError::SslError(code)).errorString(), text);
    if (code == 23)
        QVERIFY(QSslError(QSslError::NoSslSupport).errorString().isNull());
}

void tst_QSslError::copyAndCompare()
{
    QSslError a(QSslError::CertificateExpired);
    QSslError b(a);
    QCOMPARE(b.error(), QSslError::CertificateExpired);
    QVERIFY(a == b);
    QVERIFY(!(a != b));
    QSslError c;
    QVERIFY(a != c);
    c = a;
    QCOMPARE(c, a);
    QSslError d(QSslError::HostNameMismatch);
    d.swap(c);
    QCOMPARE(c.error(), QSslError::HostNameMismatch);
    QCOMPARE(d.error(), QSslError::CertificateExpired);
    QSslError e;
    e = std::move(d);
    QCOMPARE(e.error(), QSslError::CertificateExpired);
    // A moved-from error can still be assigned to.
    d = QSslError(QSslError::CertificateRevoked);
    QCOMPARE(d.error(), QSslError::CertificateRevoked);
}

void tst_QSslError::hash()
{
    // Values from Qt 6.4 (boost-style combine of error() and certificate()).
    QCOMPARE(qHash(QSslError()), size_t(175247769566ULL));
    QCOMPARE(qHash(QSslError(), 7), size_t(175247674533ULL));
    QCOMPARE(qHash(QSslError(QSslError::CertificateExpired)), size_t(10235169229954369479ULL));
    QCOMPARE(qHash(QSslError(QSslError::CertificateExpired), 5), size_t(10235169229954586800ULL));
    QSet<QSslError> set{QSslError(QSslError::CertificateExpired),
                        QSslError(QSslError::CertificateExpired), QSslError()};
    QCOMPARE(set.size(), 2);
}

void tst_QSslError::debugStream()
{
    QString out;
    QDebug(&out) << QSslError(QSslError::CertificateExpired);
    QCOMPARE(out, QStringLiteral("\"The certificate has expired\" "));
    out.clear();
    QDebug(&out) << QSslError::HostNameMismatch;
    QCOMPARE(out, QStringLiteral("\"The host name did not match any of the valid hosts for this "
                                 "certificate\" "));
    out.clear();
    QDebug(&out) << QSslError::SslError(99);
    QCOMPARE(out, QStringLiteral("\"Unknown error\" "));
#ifndef QSSLRS_RELINKED_BUILD // Qt 6.8's API, declared by our headers only
    out.clear();
    print(QDebug(&out), QSslError::CertificateExpired);
    QCOMPARE(out, QStringLiteral("\"The certificate has expired\" "));
#endif
}

void tst_QSslError::metaTypes()
{
    const QMetaObject &mo = QSslError::staticMetaObject;
    QCOMPARE(mo.className(), "QSslError");
    const int index = mo.indexOfEnumerator("SslError");
    QVERIFY(index >= 0);
    const QMetaEnum me = mo.enumerator(index);
    QCOMPARE(me.keyCount(), 38);
    QCOMPARE(me.valueToKey(QSslError::HostNameMismatch), "HostNameMismatch");
    // By key: from Qt 6.9 on, valueToKey() of a negative value fails for code built on older
    // headers (Qt's own QSslError too), and this test also runs on Qt 6.11 (newer_qt_runtime).
    QCOMPARE(me.keyToValue("UnspecifiedError"), int(QSslError::UnspecifiedError));

    const QMetaType list = QMetaType::fromType<QList<QSslError>>();
    QVERIFY(list.isValid());
    QCOMPARE(list.name(), "QList<QSslError>");
    // Registration by name goes through the exported qRegisterNormalizedMetaType_QList_QSslError.
    QCOMPARE(qRegisterMetaType<QList<QSslError>>(), list.id());
    QCOMPARE(QMetaType::fromName("QList<QSslError>"), list);
    const QList<QSslError> errors{QSslError(QSslError::CertificateExpired)};
    const QVariant v = QVariant::fromValue(errors);
    QCOMPARE(v.value<QList<QSslError>>(), errors);
    QVERIFY(v.canConvert<QVariantList>());
    QCOMPARE(v.value<QVariantList>().size(), 1);
}

QTEST_GUILESS_MAIN(tst_QSslError)
#include "tst_qsslerror.moc"
