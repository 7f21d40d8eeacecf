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
    : d(new QSslCipherPrivate(*other.d))
{
}

QSslCipher::~QSslCipher() = default;

QSslCipher &QSslCipher::operator=(const QSslCipher &other)
{
    if (!d)
        d.reset(new QSslCipherPrivate(*other.d));
    else
        *d = *other.d;
    return *this;
}

bool QSslCipher::operator==(const QSslCipher &other) const
{
    return d->name == other.d->name && d->protocol == other.d->protocol;
}

bool QSslCipher::isNull() const
{
    return d->isNull;
}

QString QSslCipher::name() const
{
    return d->name;
}

int QSslCipher::supportedBits() const
{
    return d->supportedBits;
}

int QSslCipher::usedBits() const
{
    return d->bits;
}

QString QSslCipher::keyExchangeMethod() const
{
    return d->keyExchangeMethod;
}

QString QSslCipher::authenticationMethod() const
{
    return d->authenticationMethod;
}

QString QSslCipher::encryptionMethod() const
{
    return d->encryptionMethod;
}

QString QSslCipher::protocolString() const
{
    return d->protocolString;
}

QSsl::SslProtocol QSslCipher::protocol() const
{
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
