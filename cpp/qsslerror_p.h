// qssl-rs: QSslError's private data. Not API.
// SPDX-License-Identifier: MIT OR Apache-2.0
#ifndef QSSLRS_QSSLERROR_P_H
#define QSSLRS_QSSLERROR_P_H

#include <QtNetwork/qsslcertificate.h>
#include <QtNetwork/qsslerror.h>

#include "qtownssl_p.h"

QT_BEGIN_NAMESPACE

class QSslErrorPrivate : public QtOwnSsl::Marked
{
public:
    QSslError::SslError error = QSslError::NoError;
    QSslCertificate certificate;
};

QT_END_NAMESPACE

#endif
