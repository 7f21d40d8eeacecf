// qssl-rs: QSslCertificateExtension.
// SPDX-License-Identifier: MIT OR Apache-2.0
#include <QtNetwork/qsslcertificateextension.h>

#include "qsslcertificateextension_p.h"

QT_BEGIN_NAMESPACE

QSslCertificateExtension::QSslCertificateExtension() : d(new QSslCertificateExtensionPrivate) {}

QSslCertificateExtension::QSslCertificateExtension(const QSslCertificateExtension &other) = default;

QSslCertificateExtension::~QSslCertificateExtension() = default;

QSslCertificateExtension &QSslCertificateExtension::operator=(const QSslCertificateExtension &other) = default;

// A moved-from extension (null d) reads as a default-constructed one.
QString QSslCertificateExtension::oid() const { return d ? d->oid : QString(); }
QString QSslCertificateExtension::name() const { return d ? d->name : QString(); }
QVariant QSslCertificateExtension::value() const { return d ? d->value : QVariant(); }
bool QSslCertificateExtension::isCritical() const { return d && d->critical; }
bool QSslCertificateExtension::isSupported() const { return d && d->supported; }

QT_END_NAMESPACE
