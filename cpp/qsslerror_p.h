// qssl-rs: QSslError's private data. Not API.
// SPDX-License-Identifier: MIT OR Apache-2.0
#ifndef QSSLRS_QSSLERROR_P_H
#define QSSLRS_QSSLERROR_P_H

#include <QtNetwork/qsslcertificate.h>
#include <QtNetwork/qsslerror.h>

#include "qtownssl_p.h"

namespace qsslrs {
struct PeerErrorView;
}

QT_BEGIN_NAMESPACE

class QSslErrorPrivate : public QtOwnSsl::Marked
{
public:
    QSslError::SslError error = QSslError::NoError;
    QSslCertificate certificate;
    // qssl-rs' own checks (public-key pins) say what they found; Qt's errors have their text.
    QString text;

    // The error for one problem the engine's verification found, `chain` being the peer's: Qt's
    // error and text, or for qssl-rs' own checks (public-key pins) a text of their own, which
    // copies keep (Qt's copies cannot).
    static QSslError fromEngine(const qsslrs::PeerErrorView &view, const QList<QSslCertificate> &chain);
};

QT_END_NAMESPACE

#endif
