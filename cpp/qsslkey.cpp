// qssl-rs: QSslKey, on the engine's key (decoding and encoding as Qt's OpenSSL backend).
// SPDX-License-Identifier: MIT OR Apache-2.0
#include <QtNetwork/qsslkey.h>

#include <QtCore/qdebug.h>
#include <QtCore/qiodevice.h>

#include "qsslkey_p.h"
#include "qsslrsconvert_p.h"
#include "qtlsbackend_p.h"

QT_BEGIN_NAMESPACE

namespace {

using qsslrs::bytes;
using qsslrs::toByteArray;

rust::Box<qsslrs::Key> decode(const QByteArray &encoded, QSsl::KeyAlgorithm algorithm,
                              QSsl::EncodingFormat format, QSsl::KeyType type,
                              const QByteArray &passPhrase)
{
    return qsslrs::engine_key_decode(bytes(encoded), format == QSsl::Der, int(algorithm),
                                     int(type), bytes(passPhrase));
}

} // namespace

using QtOwnSsl::call;
using QtOwnSsl::madeByQt;

QSslKey QtOwnSsl::Convert<QSslKey>::ours(const QSslKey &key)
{
    if (!madeByQt(key))
        return key;
    if (call<&QSslKey::isNull>(&key))
        return QSslKey();
    const QSsl::KeyAlgorithm algorithm = call<&QSslKey::algorithm>(&key);
    const QSsl::KeyType type = call<&QSslKey::type>(&key);
    // Qt's key keeps its EVP_PKEY: ours takes a reference of its own.
    if (algorithm == QSsl::Opaque)
        return QSslKeyPrivate::fromEngine(qsslrs::engine_key_from_handle(
                reinterpret_cast<size_t>(call<&QSslKey::handle>(&key)), int(type), true));
    return QSslKey(call<&QSslKey::toDer>(&key, QByteArray()), algorithm, QSsl::Der, type);
}

QSslKey QtOwnSsl::Convert<QSslKey>::qts(const QSslKey &key)
{
    if (madeByQt(key))
        return key;
    if (key.isNull())
        return constructQts<QSslKey, void (*)(QSslKey *)>("_ZN7QSslKeyC1Ev");
    if (key.algorithm() == QSsl::Opaque) {
        // Qt's constructor takes over the reference it is given: one of its own.
        using Ctor = void (*)(QSslKey *, Qt::HANDLE, QSsl::KeyType);
        return constructQts<QSslKey, Ctor>(
                "_ZN7QSslKeyC1EPvN4QSsl7KeyTypeE",
                reinterpret_cast<Qt::HANDLE>(QTlsBackend::d(key)->key->share_handle()), key.type());
    }
    using Ctor = void (*)(QSslKey *, const QByteArray &, QSsl::KeyAlgorithm, QSsl::EncodingFormat,
                          QSsl::KeyType, const QByteArray &);
    return constructQts<QSslKey, Ctor>(
            "_ZN7QSslKeyC1ERK10QByteArrayN4QSsl12KeyAlgorithmENS3_14EncodingFormatENS3_7KeyTypeES2_",
            key.toDer(), key.algorithm(), QSsl::Der, key.type(), QByteArray());
}

QSslKey QSslKeyPrivate::fromEngine(rust::Box<qsslrs::Key> key)
{
    QSslKey result;
    QTlsBackend::d(result) = new QSslKeyPrivate(std::move(key));
    return result;
}

QSslKey::QSslKey() : d(new QSslKeyPrivate) {}

QSslKey::QSslKey(const QByteArray &encoded, QSsl::KeyAlgorithm algorithm,
                 QSsl::EncodingFormat format, QSsl::KeyType type, const QByteArray &passPhrase)
    : d(new QSslKeyPrivate(decode(encoded, algorithm, format, type, passPhrase)))
{
}

QSslKey::QSslKey(QIODevice *device, QSsl::KeyAlgorithm algorithm, QSsl::EncodingFormat format,
                 QSsl::KeyType type, const QByteArray &passPhrase)
    : d(new QSslKeyPrivate(decode(device ? device->readAll() : QByteArray(), algorithm, format,
                                  type, passPhrase)))
{
}

QSslKey::QSslKey(Qt::HANDLE handle, QSsl::KeyType type)
    : d(new QSslKeyPrivate(qsslrs::engine_key_from_handle(reinterpret_cast<size_t>(handle),
                                                          int(type), false)))
{
}

QSslKey::QSslKey(const QSslKey &other)
{
    if (madeByQt(other))
        QtOwnSsl::copyConstructQts(this, other);
    else
        d = other.d;
}

QSslKey::QSslKey(QSslKey &&other) noexcept : d(std::move(other.d)) {}

// The old value leaves through a local, whose destructor knows whose it is.
QSslKey &QSslKey::operator=(QSslKey &&other) noexcept
{
    if (this != &other) {
        QSslKey old(std::move(*this));
        swap(other);
    }
    return *this;
}

QSslKey &QSslKey::operator=(const QSslKey &other)
{
    if (!QtOwnSsl::assignedAcross(*this, other))
        d = other.d;
    return *this;
}

QSslKey::~QSslKey()
{
    if (madeByQt(*this))
        QtOwnSsl::destroyQts(*this);
}

// A moved-from key (null d) reads as a default-constructed one.
bool QSslKey::isNull() const
{
    if (madeByQt(*this))
        return call<&QSslKey::isNull>(this);
    return !d || d->key->is_null();
}

void QSslKey::clear()
{
    if (madeByQt(*this))
        return call<&QSslKey::clear>(this);
    d = new QSslKeyPrivate;
}

int QSslKey::length() const
{
    if (madeByQt(*this))
        return call<&QSslKey::length>(this);
    return d ? d->key->length() : -1;
}

QSsl::KeyType QSslKey::type() const
{
    if (madeByQt(*this))
        return call<&QSslKey::type>(this);
    return d ? QSsl::KeyType(d->key->key_type()) : QSsl::PublicKey;
}

QSsl::KeyAlgorithm QSslKey::algorithm() const
{
    if (madeByQt(*this))
        return call<&QSslKey::algorithm>(this);
    return d ? QSsl::KeyAlgorithm(d->key->algorithm()) : QSsl::Opaque;
}

QByteArray QSslKey::toPem(const QByteArray &passPhrase) const
{
    if (madeByQt(*this))
        return call<&QSslKey::toPem>(this, passPhrase);
    return d ? toByteArray(d->key->to_pem(bytes(passPhrase))) : QByteArray();
}

QByteArray QSslKey::toDer(const QByteArray &passPhrase) const
{
    if (madeByQt(*this))
        return call<&QSslKey::toDer>(this, passPhrase);
    return d ? toByteArray(d->key->to_der(bytes(passPhrase))) : QByteArray();
}

Qt::HANDLE QSslKey::handle() const
{
    if (madeByQt(*this))
        return call<&QSslKey::handle>(this);
    return d ? reinterpret_cast<Qt::HANDLE>(d->key->handle()) : nullptr;
}

// Through the getters, so that either side may be Qt's.
bool QSslKey::operator==(const QSslKey &other) const
{
    if (isNull())
        return other.isNull();
    if (other.isNull())
        return false;
    if (algorithm() != other.algorithm() || type() != other.type() || length() != other.length())
        return false;
    if (algorithm() == QSsl::Opaque)
        return handle() == other.handle();
    return toDer() == other.toDer();
}

#ifndef QT_NO_DEBUG_STREAM
QDebug operator<<(QDebug debug, const QSslKey &key)
{
    static const char *const algorithms[] = {"OPAQUE", "RSA", "DSA", "EC", "DH"};
    const int algorithm = int(key.algorithm());
    QDebugStateSaver saver(debug);
    debug.resetFormat().nospace();
    debug << "QSslKey(" << (key.type() == QSsl::PublicKey ? "PublicKey" : "PrivateKey") << ", "
          << (algorithm >= 0 && algorithm <= 4 ? algorithms[algorithm] : "EC") << ", "
          << key.length() << ')';
    return debug;
}
#endif

QT_END_NAMESPACE
