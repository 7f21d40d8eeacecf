// qssl-rs: QOcspResponse.
// SPDX-License-Identifier: MIT OR Apache-2.0

#include "qocspresponse_p.h"

#include <QtCore/qhashfunctions.h>

QT_BEGIN_NAMESPACE

QT_IMPL_METATYPE_EXTERN(QOcspResponse)

using QtOwnSsl::call;
using QtOwnSsl::madeByQt;

QOcspResponse QtOwnSsl::Convert<QOcspResponse>::ours(const QOcspResponse &response)
{
    if (!madeByQt(response))
        return response;
    QOcspResponse result;
    QOcspResponsePrivate &d = QTlsPrivate::TlsCryptographOpenSSL::d(result);
    d.certificateStatus = call<&QOcspResponse::certificateStatus>(&response);
    d.revocationReason = call<&QOcspResponse::revocationReason>(&response);
    d.signerCert = QtOwnSsl::ours(call<&QOcspResponse::responder>(&response));
    d.subjectCert = QtOwnSsl::ours(call<&QOcspResponse::subject>(&response));
    return result;
}

// Qt's public API cannot make a response (only a socket's ocspResponses() can).
QOcspResponse QtOwnSsl::Convert<QOcspResponse>::qts(const QOcspResponse &response)
{
    return response;
}

QOcspResponse::QOcspResponse()
    : d(new QOcspResponsePrivate)
{
}

QOcspResponse::QOcspResponse(const QOcspResponse &other)
{
    if (madeByQt(other))
        QtOwnSsl::copyConstructQts(this, other);
    else
        d = other.d;
}

QOcspResponse::QOcspResponse(QOcspResponse &&other) noexcept = default;

QOcspResponse::~QOcspResponse()
{
    if (madeByQt(*this))
        QtOwnSsl::destroyQts(*this);
}

QOcspResponse &QOcspResponse::operator=(const QOcspResponse &other)
{
    if (!QtOwnSsl::assignedAcross(*this, other))
        d = other.d;
    return *this;
}

// The old value leaves with `other`, whose destructor knows whose it is.
QOcspResponse &QOcspResponse::operator=(QOcspResponse &&other) noexcept
{
    swap(other);
    return *this;
}

QOcspCertificateStatus QOcspResponse::certificateStatus() const
{
    if (madeByQt(*this))
        return call<&QOcspResponse::certificateStatus>(this);
    return d->certificateStatus;
}

QOcspRevocationReason QOcspResponse::revocationReason() const
{
    if (madeByQt(*this))
        return call<&QOcspResponse::revocationReason>(this);
    return d->revocationReason;
}

QSslCertificate QOcspResponse::responder() const
{
    if (madeByQt(*this))
        return call<&QOcspResponse::responder>(this);
    return d->signerCert;
}

QSslCertificate QOcspResponse::subject() const
{
    if (madeByQt(*this))
        return call<&QOcspResponse::subject>(this);
    return d->subjectCert;
}

// Through the getters, so that either side may be Qt's.
bool QOcspResponse::isEqual(const QOcspResponse &other) const
{
    return d == other.d
        || (certificateStatus() == other.certificateStatus()
            && revocationReason() == other.revocationReason()
            && responder() == other.responder()
            && subject() == other.subject());
}

size_t qHash(const QOcspResponse &response, size_t seed) noexcept
{
    QtPrivate::QHashCombine hasher;
    size_t hash = hasher(seed, int(response.certificateStatus()));
    hash = hasher(hash, int(response.revocationReason()));
    if (const QSslCertificate signer = response.responder(); !signer.isNull())
        hash = hasher(hash, signer);
    if (const QSslCertificate subject = response.subject(); !subject.isNull())
        hash = hasher(hash, subject);
    return hash;
}

QT_END_NAMESPACE
