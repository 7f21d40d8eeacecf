// qssl-rs: QSslCipher.
// SPDX-License-Identifier: MIT OR Apache-2.0

#include "qsslcipher_p.h"
#include "qsslrsconvert_p.h"
#include "qtlsbackend_p.h"

#include "qsslrs-bridge/src/session.rs.h"

#include <QtCore/qdebug.h>
#include <QtNetwork/qsslconfiguration.h>

QT_BEGIN_NAMESPACE

using qsslrs::toQString;
using QtOwnSsl::call;
using QtOwnSsl::madeByQt;

QSslCipher QtOwnSsl::Convert<QSslCipher>::ours(const QSslCipher &cipher)
{
    if (!madeByQt(cipher))
        return cipher;
    QSslCipher result;
    QSslCipherPrivate &d = *QTlsBackend::d(result);
    d.isNull = call<&QSslCipher::isNull>(&cipher);
    d.name = call<&QSslCipher::name>(&cipher);
    d.supportedBits = call<&QSslCipher::supportedBits>(&cipher);
    d.bits = call<&QSslCipher::usedBits>(&cipher);
    d.keyExchangeMethod = call<&QSslCipher::keyExchangeMethod>(&cipher);
    d.authenticationMethod = call<&QSslCipher::authenticationMethod>(&cipher);
    d.encryptionMethod = call<&QSslCipher::encryptionMethod>(&cipher);
    d.protocol = call<&QSslCipher::protocol>(&cipher);
    d.protocolString = call<&QSslCipher::protocolString>(&cipher);
    return result;
}

// Qt finds a cipher by name and protocol among those its backend supports, as ours does.
QSslCipher QtOwnSsl::Convert<QSslCipher>::qts(const QSslCipher &cipher)
{
    if (madeByQt(cipher))
        return cipher;
    if (cipher.isNull())
        return constructQts<QSslCipher, void (*)(QSslCipher *)>("_ZN10QSslCipherC1Ev");
    using Ctor = void (*)(QSslCipher *, const QString &, QSsl::SslProtocol);
    return constructQts<QSslCipher, Ctor>("_ZN10QSslCipherC1ERK7QStringN4QSsl11SslProtocolE",
                                          cipher.name(), cipher.protocol());
}

QSslCipher QSslCipherPrivate::fromView(const qsslrs::CipherView &view)
{
    QSslCipher cipher;
    if (view.name.empty())
        return cipher;
    QSslCipherPrivate &d = *QTlsBackend::d(cipher);
    d.isNull = false;
    d.name = toQString(view.name);
    d.protocol = QSsl::SslProtocol(view.protocol);
    d.protocolString = toQString(view.protocol_string);
    d.bits = view.bits;
    d.supportedBits = view.supported_bits;
    d.keyExchangeMethod = toQString(view.key_exchange);
    d.authenticationMethod = toQString(view.authentication);
    d.encryptionMethod = toQString(view.encryption);
    return cipher;
}

QSslCipher::QSslCipher()
    : d(new QSslCipherPrivate)
{
}

// As Qt: the first supported cipher of that name, or a null cipher.
QSslCipher::QSslCipher(const QString &name)
    : d(new QSslCipherPrivate)
{
    const QList<QSslCipher> ciphers = QSslConfiguration::supportedCiphers();
    for (const QSslCipher &cipher : ciphers) {
        if (cipher.name() == name) {
            *this = cipher;
            return;
        }
    }
}

QSslCipher::QSslCipher(const QString &name, QSsl::SslProtocol protocol)
    : d(new QSslCipherPrivate)
{
    const QList<QSslCipher> ciphers = QSslConfiguration::supportedCiphers();
    for (const QSslCipher &cipher : ciphers) {
        if (cipher.name() == name && cipher.protocol() == protocol) {
            *this = cipher;
            return;
        }
    }
}

QSslCipher::QSslCipher(const QSslCipher &other)
{
    if (madeByQt(other))
        QtOwnSsl::copyConstructQts(this, other);
    else
        d.reset(new QSslCipherPrivate(*other.d));
}

QSslCipher::~QSslCipher()
{
    if (madeByQt(*this))
        QtOwnSsl::destroyQts(*this);
}

QSslCipher &QSslCipher::operator=(const QSslCipher &other)
{
    if (QtOwnSsl::assignedAcross(*this, other))
        return *this;
    if (!d)
        d.reset(new QSslCipherPrivate(*other.d));
    else
        *d = *other.d;
    return *this;
}

// Through the getters, so that either side may be Qt's.
bool QSslCipher::operator==(const QSslCipher &other) const
{
    return name() == other.name() && protocol() == other.protocol();
}

bool QSslCipher::isNull() const
{
    if (madeByQt(*this))
        return call<&QSslCipher::isNull>(this);
    return d->isNull;
}

QString QSslCipher::name() const
{
    if (madeByQt(*this))
        return call<&QSslCipher::name>(this);
    return d->name;
}

int QSslCipher::supportedBits() const
{
    if (madeByQt(*this))
        return call<&QSslCipher::supportedBits>(this);
    return d->supportedBits;
}

int QSslCipher::usedBits() const
{
    if (madeByQt(*this))
        return call<&QSslCipher::usedBits>(this);
    return d->bits;
}

QString QSslCipher::keyExchangeMethod() const
{
    if (madeByQt(*this))
        return call<&QSslCipher::keyExchangeMethod>(this);
    return d->keyExchangeMethod;
}

QString QSslCipher::authenticationMethod() const
{
    if (madeByQt(*this))
        return call<&QSslCipher::authenticationMethod>(this);
    return d->authenticationMethod;
}

QString QSslCipher::encryptionMethod() const
{
    if (madeByQt(*this))
        return call<&QSslCipher::encryptionMethod>(this);
    return d->encryptionMethod;
}

QString QSslCipher::protocolString() const
{
    if (madeByQt(*this))
        return call<&QSslCipher::protocolString>(this);
    return d->protocolString;
}

QSsl::SslProtocol QSslCipher::protocol() const
{
    if (madeByQt(*this))
        return call<&QSslCipher::protocol>(this);
    return d->protocol;
}

#ifndef QT_NO_DEBUG_STREAM
QDebug operator<<(QDebug debug, const QSslCipher &cipher)
{
    QDebugStateSaver saver(debug);
    debug.resetFormat().nospace().noquote();
    debug << "QSslCipher(name=" << cipher.name() << ", bits=" << cipher.usedBits()
          << ", proto=" << cipher.protocolString() << ')';
    return debug;
}
#endif

QT_END_NAMESPACE
