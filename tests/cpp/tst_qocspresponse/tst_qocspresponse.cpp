// qssl-rs: QOcspResponse as a value class (stapled responses are tested with QSslSocket).
// Expected values were observed with Qt 6.4.
// SPDX-License-Identifier: MIT OR Apache-2.0

#include <QtCore/qhash.h>
#include <QtCore/qmetatype.h>
#include <QtCore/qvariant.h>
#include <QtNetwork/qocspresponse.h>
#include <QtNetwork/qsslcertificate.h>
#include <QtTest/QtTest>

class tst_QOcspResponse : public QObject
{
    Q_OBJECT
private slots:
    void defaults();
    void copyAndCompare();
    void hash();
    void metaType();
};

void tst_QOcspResponse::defaults()
{
    const QOcspResponse r;
    QCOMPARE(r.certificateStatus(), QOcspCertificateStatus::Unknown);
    QCOMPARE(r.revocationReason(), QOcspRevocationReason::None);
    QVERIFY(r.responder().isNull());
    QVERIFY(r.subject().isNull());
}

void tst_QOcspResponse::copyAndCompare()
{
    QOcspResponse a;
    QOcspResponse b(a);
    QVERIFY(a == b);
    QVERIFY(!(a != b));
    QOcspResponse c(std::move(b));
    QVERIFY(c == a);
    QOcspResponse d;
    d = c;
    QVERIFY(d == a);
    QOcspResponse e;
    e = std::move(d);
    QVERIFY(e == a);
    e.swap(c);
    QVERIFY(e == c);
}

void tst_QOcspResponse::hash()
{
    // Qt 6.4: combine(status, reason), certificates only when not null.
    QCOMPARE(qHash(QOcspResponse()), size_t(7968044131366487007ULL));
    QCOMPARE(qHash(QOcspResponse(), 7), size_t(7968044131366522255ULL));
}

void tst_QOcspResponse::metaType()
{
    const QMetaType type = QMetaType::fromType<QOcspResponse>();
    QVERIFY(type.isValid());
    QCOMPARE(type.name(), "QOcspResponse");
    QCOMPARE(qRegisterMetaType<QOcspResponse>(), type.id());
    QCOMPARE(QMetaType::fromName("QOcspResponse"), type);
    const QVariant v = QVariant::fromValue(QOcspResponse());
    QVERIFY(v.value<QOcspResponse>() == QOcspResponse());
}

QTEST_GUILESS_MAIN(tst_QOcspResponse)
#include "tst_qocspresponse.moc"
