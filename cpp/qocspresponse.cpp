// qssl-rs: QOcspResponse.
// SPDX-License-Identifier: MIT OR Apache-2.0

#include "qocspresponse_p.h"

#include <QtCore/qhashfunctions.h>

QT_BEGIN_NAMESPACE

QT_IMPL_METATYPE_EXTERN(QOcspResponse)

QOcspResponse::QOcspResponse()
    : d(new QOcspResponsePrivate)
{
}

QOcspResponse::QOcspResponse(const QOcspResponse &other) = default;

QOcspResponse::QOcspResponse(QOcspResponse &&other) noexcept = default;

QOcspResponse::~QOcspResponse() = default;

QOcspResponse &QOcspResponse::operator=(const QOcspResponse &other) = default;

QOcspResponse &QOcspResponse::operator=(QOcspResponse &&other) noexcept = default;

QOcspCertificateStatus QOcspResponse::certificateStatus() const
{
    return d->certificateStatus;
}

QOcspRevocationReason QOcspResponse::revocationReason() const
{
    return d->revocationReason;
}

QSslCertificate QOcspResponse::responder() const
{
    return d->signerCert;
}

QSslCertificate QOcspResponse::subject() const
{
    return d->subjectCert;
}

bool QOcspResponse::isEqual(const QOcspResponse &other) const
{
    return d == other.d
        || (d->certificateStatus == other.d->certificateStatus
            && d->revocationReason == other.d->revocationReason
            && d->signerCert == other.d->signerCert
            && d->subjectCert == other.d->subjectCert);
}

// Null certificates do not take part, as in Qt.
size_t qHash(const QOcspResponse &response, size_t seed) noexcept
{
    const QOcspResponsePrivate *d = response.d.data();
    QtPrivate::QHashCombine hasher;
    size_t hash = hasher(seed, int(d->certificateStatus));
    hash = hasher(hash, int(d->revocationReason));
    if (!d->signerCert.isNull())
        hash = hasher(hash, d->signerCert);
    if (!d->subjectCert.isNull())
        hash = hasher(hash, d->subjectCert);
    return hash;
}

QT_END_NAMESPACE
