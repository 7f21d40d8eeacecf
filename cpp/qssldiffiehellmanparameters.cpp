// qssl-rs: QSslDiffieHellmanParameters; decoding and the safety check are the engine's.
// SPDX-License-Identifier: MIT OR Apache-2.0
#include <QtNetwork/qssldiffiehellmanparameters.h>

#include <QtCore/qcoreapplication.h>
#include <QtCore/qdebug.h>
#include <QtCore/qhashfunctions.h>
#include <QtCore/qiodevice.h>

#include "qssldiffiehellmanparameters_p.h"
#include "qsslrs-bridge/src/dhparams.rs.h"
#include "qsslrsconvert_p.h"

QT_BEGIN_NAMESPACE

// Qt's default: the 1024-bit MODP group of RFC 2409 (section 6.2), generator 2, as DER.
static const char defaultDhParams[] =
    "MIGHAoGBAP//////////yQ/aoiFowjTExmKLgNwc0SkCTgiKZ8x0Agu+pjsTmyJRSgh5jjQE3e+VGbPNOkMbMC"
    "sKbfJfFDdP4TVtbVHCReSFtXZiXn7G9ExC6aY37WsL/1y29Aa37e44a/taiZ+lrp8kEXxLH+ZJKGZR7OZTgf"
    "//////////AgEC";

QSslDiffieHellmanParameters QSslDiffieHellmanParameters::defaultParameters()
{
    QSslDiffieHellmanParameters result;
    result.d->derData = QByteArray::fromBase64(QByteArray(defaultDhParams));
    return result;
}

QSslDiffieHellmanParameters::QSslDiffieHellmanParameters()
    : d(new QSslDiffieHellmanParametersPrivate)
{
    d->ref.ref();
}

QSslDiffieHellmanParameters::QSslDiffieHellmanParameters(const QSslDiffieHellmanParameters &other)
    : d(other.d)
{
    if (d)
        d->ref.ref();
}

QSslDiffieHellmanParameters::~QSslDiffieHellmanParameters()
{
    if (d && !d->ref.deref())
        delete d;
}

QSslDiffieHellmanParameters &
QSslDiffieHellmanParameters::operator=(const QSslDiffieHellmanParameters &other)
{
    QSslDiffieHellmanParameters copy(other);
    swap(copy);
    return *this;
}

QSslDiffieHellmanParameters QSslDiffieHellmanParameters::fromEncoded(const QByteArray &encoded,
                                                                     QSsl::EncodingFormat format)
{
    QSslDiffieHellmanParameters result;
    const auto decoded = qsslrs::engine_dh_params_decode(
            qsslrs::bytes(encoded),
            format == QSsl::Der);
    result.d->error = Error(decoded.error);
    if (result.d->error == NoError)
        result.d->derData = qsslrs::toByteArray(decoded.der);
    return result;
}

QSslDiffieHellmanParameters QSslDiffieHellmanParameters::fromEncoded(QIODevice *device,
                                                                     QSsl::EncodingFormat format)
{
    return fromEncoded(device ? device->readAll() : QByteArray(), format);
}

// A moved-from object (null d) reads as a default-constructed one.
bool QSslDiffieHellmanParameters::isEmpty() const noexcept
{
    return !d || (d->derData.isNull() && d->error == NoError);
}

bool QSslDiffieHellmanParameters::isValid() const noexcept
{
    return !d || d->error == NoError;
}

QSslDiffieHellmanParameters::Error QSslDiffieHellmanParameters::error() const noexcept
{
    return d ? d->error : NoError;
}

QString QSslDiffieHellmanParameters::errorString() const noexcept
{
    switch (error()) {
    case NoError:
        return QCoreApplication::translate("QSslDiffieHellmanParameter", "No error");
    case InvalidInputDataError:
        return QCoreApplication::translate("QSslDiffieHellmanParameter", "Invalid input data");
    case UnsafeParametersError:
        return QCoreApplication::translate("QSslDiffieHellmanParameter",
                                           "The given Diffie-Hellman parameters are deemed unsafe");
    }
    return {};
}

bool QSslDiffieHellmanParameters::isEqual(const QSslDiffieHellmanParameters &other) const noexcept
{
    const QByteArray mine = d ? d->derData : QByteArray();
    const QByteArray theirs = other.d ? other.d->derData : QByteArray();
    return mine == theirs;
}

size_t qHash(const QSslDiffieHellmanParameters &dhparam, size_t seed) noexcept
{
    const QByteArray der = dhparam.d ? dhparam.d->derData : QByteArray();
    return qHashBits(der.constData(), size_t(der.size()), seed);
}

#ifndef QT_NO_DEBUG_STREAM
QDebug operator<<(QDebug debug, const QSslDiffieHellmanParameters &dhparam)
{
    QDebugStateSaver saver(debug);
    debug.resetFormat().nospace();
    debug << "QSslDiffieHellmanParameters("
          << (dhparam.d ? dhparam.d->derData : QByteArray()).toBase64() << ')';
    return debug;
}
#endif

QT_END_NAMESPACE
