// qssl-rs: QSslCertificateExtension.
// SPDX-License-Identifier: MIT OR Apache-2.0
#include <QtNetwork/qsslcertificateextension.h>

#include "qsslcertificateextension_p.h"

QT_BEGIN_NAMESPACE

using QtOwnSsl::call;
using QtOwnSsl::madeByQt;

QSslCertificateExtension
QtOwnSsl::Convert<QSslCertificateExtension>::ours(const QSslCertificateExtension &extension)
{
    if (!madeByQt(extension))
        return extension;
    QSslCertificateExtension result;
    QSslCertificateExtensionPrivate *d = QSslCertificatePrivate::data(result);
    d->oid = call<&QSslCertificateExtension::oid>(&extension);
    d->name = call<&QSslCertificateExtension::name>(&extension);
    d->value = call<&QSslCertificateExtension::value>(&extension);
    d->critical = call<&QSslCertificateExtension::isCritical>(&extension);
    d->supported = call<&QSslCertificateExtension::isSupported>(&extension);
    return result;
}

// Qt's public API cannot make an extension (only a certificate's extensions() can).
QSslCertificateExtension
QtOwnSsl::Convert<QSslCertificateExtension>::qts(const QSslCertificateExtension &extension)
{
    return extension;
}

QSslCertificateExtension::QSslCertificateExtension() : d(new QSslCertificateExtensionPrivate) {}

QSslCertificateExtension::QSslCertificateExtension(const QSslCertificateExtension &other)
{
    if (madeByQt(other))
        QtOwnSsl::copyConstructQts(this, other);
    else
        d = other.d;
}

QSslCertificateExtension::~QSslCertificateExtension()
{
    if (madeByQt(*this))
        QtOwnSsl::destroyQts(*this);
}

QSslCertificateExtension &QSslCertificateExtension::operator=(const QSslCertificateExtension &other)
{
    if (!QtOwnSsl::assignedAcross(*this, other))
        d = other.d;
    return *this;
}

// A moved-from extension (null d) reads as a default-constructed one.
QString QSslCertificateExtension::oid() const
{
    if (madeByQt(*this))
        return call<&QSslCertificateExtension::oid>(this);
    return d ? d->oid : QString();
}

QString QSslCertificateExtension::name() const
{
    if (madeByQt(*this))
        return call<&QSslCertificateExtension::name>(this);
    return d ? d->name : QString();
}

QVariant QSslCertificateExtension::value() const
{
    if (madeByQt(*this))
        return call<&QSslCertificateExtension::value>(this);
    return d ? d->value : QVariant();
}

bool QSslCertificateExtension::isCritical() const
{
    if (madeByQt(*this))
        return call<&QSslCertificateExtension::isCritical>(this);
    return d && d->critical;
}

bool QSslCertificateExtension::isSupported() const
{
    if (madeByQt(*this))
        return call<&QSslCertificateExtension::isSupported>(this);
    return d && d->supported;
}

QT_END_NAMESPACE
