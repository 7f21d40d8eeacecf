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
                                                          int(type))))
{
}

QSslKey::QSslKey(const QSslKey &other) = default;

QSslKey::QSslKey(QSslKey &&other) noexcept : d(std::move(other.d)) {}

QSslKey &QSslKey::operator=(QSslKey &&other) noexcept
{
    if (this != &other) {
        d.reset();
        d.swap(other.d);
    }
    return *this;
}

QSslKey &QSslKey::operator=(const QSslKey &other) = default;

QSslKey::~QSslKey() = default;

// A moved-from key (null d) reads as a default-constructed one.
bool QSslKey::isNull() const { return !d || d->key->is_null(); }

void QSslKey::clear() { d = new QSslKeyPrivate; }

int QSslKey::length() const { return d ? d->key->length() : -1; }

QSsl::KeyType QSslKey::type() const
{
    return d ? QSsl::KeyType(d->key->key_type()) : QSsl::PublicKey;
}

QSsl::KeyAlgorithm QSslKey::algorithm() const
{
    return d ? QSsl::KeyAlgorithm(d->key->algorithm()) : QSsl::Opaque;
}

QByteArray QSslKey::toPem(const QByteArray &passPhrase) const
{
    return d ? toByteArray(d->key->to_pem(bytes(passPhrase))) : QByteArray();
}

QByteArray QSslKey::toDer(const QByteArray &passPhrase) const
{
    return d ? toByteArray(d->key->to_der(bytes(passPhrase))) : QByteArray();
}

Qt::HANDLE QSslKey::handle() const
{
    return d ? reinterpret_cast<Qt::HANDLE>(d->key->handle()) : nullptr;
}

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
