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
    // qssl-rs' own checks (public-key pins) say what they found; Qt's errors have their text.
    QString text;

    // An error with a text of its own (errorString()); copies keep it, Qt's copies cannot.
    static QSslError withText(QSslError::SslError error, const QSslCertificate &certificate, const QString &text);
};

QT_END_NAMESPACE

#endif
