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

using QtOwnSsl::call;
using QtOwnSsl::madeByQt;

namespace {

// Qt's parameters as DER: Qt's public API shows them only through its QDebug operator, which
// writes them in base64 between quotes.
QByteArray qtsDer(const QSslDiffieHellmanParameters &dhparams)
{
    QString text;
    QtOwnSsl::callRequired<static_cast<QDebug (*)(QDebug, const QSslDiffieHellmanParameters &)>(
            &operator<<)>(QDebug(&text), dhparams);
    const qsizetype open = text.indexOf(u'"');
    const qsizetype close = text.indexOf(u'"', open + 1);
    if (open < 0 || close < 0)
        return {};
    return QByteArray::fromBase64(text.mid(open + 1, close - open - 1).toLatin1());
}

} // namespace

QSslDiffieHellmanParameters
QtOwnSsl::Convert<QSslDiffieHellmanParameters>::ours(const QSslDiffieHellmanParameters &dhparams)
{
    if (!madeByQt(dhparams))
        return dhparams;
    QSslDiffieHellmanParameters result;
    QSslDiffieHellmanParametersPrivate *d = QSslContext::d(result);
    d->error = call<&QSslDiffieHellmanParameters::error>(&dhparams);
    if (d->error == QSslDiffieHellmanParameters::NoError
        && !call<&QSslDiffieHellmanParameters::isEmpty>(&dhparams)) {
        d->derData = qtsDer(dhparams);
    }
    return result;
}

QSslDiffieHellmanParameters
QtOwnSsl::Convert<QSslDiffieHellmanParameters>::qts(const QSslDiffieHellmanParameters &dhparams)
{
    if (madeByQt(dhparams))
        return dhparams;
    if (dhparams.isEmpty()) {
        return constructQts<QSslDiffieHellmanParameters,
                            void (*)(QSslDiffieHellmanParameters *)>(
                "_ZN27QSslDiffieHellmanParametersC1Ev");
    }
    // Invalid parameters keep no data of ours either: Qt rejects the same empty input.
    constexpr auto fromEncoded = static_cast<QSslDiffieHellmanParameters (*)(
            const QByteArray &, QSsl::EncodingFormat)>(&QSslDiffieHellmanParameters::fromEncoded);
    return QtOwnSsl::callRequired<fromEncoded>(QSslContext::d(dhparams)->derData, QSsl::Der);
}

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
    : d(nullptr)
{
    if (madeByQt(other)) {
        QtOwnSsl::copyConstructQts(this, other);
        return;
    }
    d = other.d;
    if (d)
        d->ref.ref();
}

QSslDiffieHellmanParameters::~QSslDiffieHellmanParameters()
{
    if (madeByQt(*this))
        QtOwnSsl::destroyQts(*this);
    else if (d && !d->ref.deref())
        delete d;
}

QSslDiffieHellmanParameters &
QSslDiffieHellmanParameters::operator=(const QSslDiffieHellmanParameters &other)
{
    if (QtOwnSsl::assignedAcross(*this, other))
        return *this;
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
    if (madeByQt(*this))
        return call<&QSslDiffieHellmanParameters::isEmpty>(this);
    return !d || (d->derData.isNull() && d->error == NoError);
}

bool QSslDiffieHellmanParameters::isValid() const noexcept
{
    if (madeByQt(*this))
        return call<&QSslDiffieHellmanParameters::isValid>(this);
    return !d || d->error == NoError;
}

QSslDiffieHellmanParameters::Error QSslDiffieHellmanParameters::error() const noexcept
{
    if (madeByQt(*this))
        return call<&QSslDiffieHellmanParameters::error>(this);
    return d ? d->error : NoError;
}

QString QSslDiffieHellmanParameters::errorString() const noexcept
{
    if (madeByQt(*this))
        return call<&QSslDiffieHellmanParameters::errorString>(this);
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
    if (madeByQt(*this) || madeByQt(other))
        return QtOwnSsl::ours(*this).isEqual(QtOwnSsl::ours(other));
    const QByteArray mine = d ? d->derData : QByteArray();
    const QByteArray theirs = other.d ? other.d->derData : QByteArray();
    return mine == theirs;
}

size_t qHash(const QSslDiffieHellmanParameters &dhparam, size_t seed) noexcept
{
    if (madeByQt(dhparam))
        return qHash(QtOwnSsl::ours(dhparam), seed);
    const QByteArray der = dhparam.d ? dhparam.d->derData : QByteArray();
    return qHashBits(der.constData(), size_t(der.size()), seed);
}

#ifndef QT_NO_DEBUG_STREAM
QDebug operator<<(QDebug debug, const QSslDiffieHellmanParameters &dhparam)
{
    if (madeByQt(dhparam))
        return operator<<(debug, QtOwnSsl::ours(dhparam));
    QDebugStateSaver saver(debug);
    debug.resetFormat().nospace();
    debug << "QSslDiffieHellmanParameters("
          << (dhparam.d ? dhparam.d->derData : QByteArray()).toBase64() << ')';
    return debug;
}
#endif

QT_END_NAMESPACE
