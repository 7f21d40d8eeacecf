// qssl-rs: QSslPreSharedKeyAuthenticator (the value class; the PSK handshake is tested with
// QSslSocket). Expected values were observed with Qt 6.4.
// SPDX-License-Identifier: MIT OR Apache-2.0

#include <QtCore/qmetatype.h>
#include <QtCore/qvariant.h>
#include <QtNetwork/qsslpresharedkeyauthenticator.h>
#include <QtTest/QtTest>

class tst_QSslPreSharedKeyAuthenticator : public QObject
{
    Q_OBJECT
private slots:
    void defaults();
    void setters();
    void equality();
    void copyOnWrite();
    void metaTypes();
};

void tst_QSslPreSharedKeyAuthenticator::defaults()
{
    const QSslPreSharedKeyAuthenticator a;
    QVERIFY(a.identityHint().isNull());
    QVERIFY(a.identity().isNull());
    QVERIFY(a.preSharedKey().isNull());
    QCOMPARE(a.maximumIdentityLength(), 0);
    QCOMPARE(a.maximumPreSharedKeyLength(), 0);
}

void tst_QSslPreSharedKeyAuthenticator::setters()
{
    QSslPreSharedKeyAuthenticator a;
    a.setIdentity("client-1");
    a.setPreSharedKey(QByteArray::fromHex("00112233"));
    QCOMPARE(a.identity(), QByteArray("client-1"));
    QCOMPARE(a.preSharedKey(), QByteArray::fromHex("00112233"));
    // Stored as given: the maximums are only known once the socket fills them in.
    const QByteArray longIdentity(1000, 'x');
    a.setIdentity(longIdentity);
    QCOMPARE(a.identity(), longIdentity);
    QVERIFY(a.identityHint().isNull());
}

void tst_QSslPreSharedKeyAuthenticator::equality()
{
    QSslPreSharedKeyAuthenticator a;
    QSslPreSharedKeyAuthenticator b;
    QVERIFY(a == b);
    QVERIFY(!(a != b));
    a.setIdentity("x");
    QVERIFY(a != b);
    // Byte arrays compare by content: an empty identity equals a null one.
    a.setIdentity("");
    QVERIFY(a == b);
    a.setPreSharedKey("k");
    QVERIFY(a != b);
    b.setPreSharedKey("k");
    QVERIFY(a == b);
}

void tst_QSslPreSharedKeyAuthenticator::copyOnWrite()
{
    QSslPreSharedKeyAuthenticator a;
    a.setIdentity("one");
    QSslPreSharedKeyAuthenticator b = a;
    QCOMPARE(b, a);
    b.setIdentity("two");
    QCOMPARE(a.identity(), QByteArray("one"));
    QCOMPARE(b.identity(), QByteArray("two"));
    QSslPreSharedKeyAuthenticator c;
    c = b;
    QCOMPARE(c.identity(), QByteArray("two"));
    c.swap(a);
    QCOMPARE(c.identity(), QByteArray("one"));
    QCOMPARE(a.identity(), QByteArray("two"));
    QSslPreSharedKeyAuthenticator d;
    d = std::move(c);
    QCOMPARE(d.identity(), QByteArray("one"));
}

void tst_QSslPreSharedKeyAuthenticator::metaTypes()
{
    const QMetaType value = QMetaType::fromType<QSslPreSharedKeyAuthenticator>();
    QVERIFY(value.isValid());
    QCOMPARE(value.name(), "QSslPreSharedKeyAuthenticator");
    QCOMPARE(qRegisterMetaType<QSslPreSharedKeyAuthenticator>(), value.id());
    QCOMPARE(QMetaType::fromName("QSslPreSharedKeyAuthenticator"), value);

    const QMetaType pointer = QMetaType::fromType<QSslPreSharedKeyAuthenticator *>();
    QVERIFY(pointer.isValid());
    QCOMPARE(pointer.name(), "QSslPreSharedKeyAuthenticator*");
    QCOMPARE(qRegisterMetaType<QSslPreSharedKeyAuthenticator *>(), pointer.id());
    QCOMPARE(QMetaType::fromName("QSslPreSharedKeyAuthenticator*"), pointer);

    QSslPreSharedKeyAuthenticator a;
    a.setIdentity("id");
    const QVariant v = QVariant::fromValue(a);
    QCOMPARE(v.value<QSslPreSharedKeyAuthenticator>(), a);
}

QTEST_GUILESS_MAIN(tst_QSslPreSharedKeyAuthenticator)
#include "tst_qsslpresharedkeyauthenticator.moc"
