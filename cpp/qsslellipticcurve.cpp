// qssl-rs: QSslEllipticCurve; ids are OpenSSL NIDs, names come from the engine.
// SPDX-License-Identifier: MIT OR Apache-2.0
#include <QtNetwork/qsslellipticcurve.h>

#include <QtCore/qdebug.h>

#include "qsslrs-bridge/src/curve.rs.h"
#include "rust/cxx.h"

QT_IMPL_METATYPE_EXTERN(QSslEllipticCurve)

QT_BEGIN_NAMESPACE

static QString nameOrNull(const rust::String &name)
{
    return name.empty() ? QString() : QString::fromLatin1(name.data(), qsizetype(name.size()));
}

QSslEllipticCurve QSslEllipticCurve::fromShortName(const QString &name)
{
    QSslEllipticCurve result;
    const QByteArray latin1 = name.toLatin1();
    result.id = qsslrs::engine_curve_from_short_name(rust::Str(latin1.constData(), size_t(latin1.size())));
    return result;
}

QSslEllipticCurve QSslEllipticCurve::fromLongName(const QString &name)
{
    QSslEllipticCurve result;
    const QByteArray latin1 = name.toLatin1();
    result.id = qsslrs::engine_curve_from_long_name(rust::Str(latin1.constData(), size_t(latin1.size())));
    return result;
}

QString QSslEllipticCurve::shortName() const
{
    return nameOrNull(qsslrs::engine_curve_short_name(id));
}

QString QSslEllipticCurve::longName() const
{
    return nameOrNull(qsslrs::engine_curve_long_name(id));
}

bool QSslEllipticCurve::isTlsNamedCurve() const noexcept
{
    return qsslrs::engine_curve_is_tls_named(id);
}

#ifndef QT_NO_DEBUG_STREAM
QDebug operator<<(QDebug debug, QSslEllipticCurve curve)
{
    QDebugStateSaver saver(debug);
    debug.resetFormat().nospace();
    debug << "QSslEllipticCurve(" << curve.shortName() << ')';
    return debug;
}
#endif

QT_END_NAMESPACE
