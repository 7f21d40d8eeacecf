// qssl-rs: QSslDiffieHellmanParameters' private data. Not API.
// SPDX-License-Identifier: MIT OR Apache-2.0
#ifndef QSSLRS_QSSLDIFFIEHELLMANPARAMETERS_P_H
#define QSSLRS_QSSLDIFFIEHELLMANPARAMETERS_P_H

#include <QtCore/qshareddata.h>
#include <QtNetwork/qssldiffiehellmanparameters.h>

#include "qtownssl_p.h"

QT_BEGIN_NAMESPACE

// The name is fixed by the public header (a raw, manually reference-counted pointer).
class QSslDiffieHellmanParametersPrivate : public QtOwnSsl::Marked, public QSharedData
{
public:
    // The parameters as DER (what a TLS context is given); null when empty or invalid.
    QByteArray derData;
    QSslDiffieHellmanParameters::Error error = QSslDiffieHellmanParameters::NoError;
};

// The public header befriends Qt's QSslContext; ours is just this accessor (hidden).
class QSslContext
{
public:
    static QSslDiffieHellmanParametersPrivate *d(const QSslDiffieHellmanParameters &dhparams)
    { return dhparams.d; }
};

QT_END_NAMESPACE

#endif
