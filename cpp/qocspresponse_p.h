// qssl-rs: QOcspResponse's private data. Not API.
// SPDX-License-Identifier: MIT OR Apache-2.0
#ifndef QSSLRS_QOCSPRESPONSE_P_H
#define QSSLRS_QOCSPRESPONSE_P_H

#include <QtCore/qshareddata.h>
#include <QtNetwork/qocspresponse.h>
#include <QtNetwork/qsslcertificate.h>

#include "qtownssl_p.h"

QT_BEGIN_NAMESPACE

class QOcspResponsePrivate : public QtOwnSsl::Marked, public QSharedData
{
public:
    QOcspCertificateStatus certificateStatus = QOcspCertificateStatus::Unknown;
    QOcspRevocationReason revocationReason = QOcspRevocationReason::None;
    QSslCertificate signerCert;
    QSslCertificate subjectCert;
};

// The public header befriends Qt's OpenSSL cryptograph only; ours is this accessor
// (internal, never exported), for the socket to fill in stapled responses.
namespace QTlsPrivate {
class TlsCryptographOpenSSL
{
public:
    static QOcspResponsePrivate &d(QOcspResponse &response) { return *response.d; }
};
} // namespace QTlsPrivate

QT_END_NAMESPACE

#endif
