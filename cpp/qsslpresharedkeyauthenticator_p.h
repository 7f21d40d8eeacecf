// qssl-rs: QSslPreSharedKeyAuthenticator's private data. Not API.
// SPDX-License-Identifier: MIT OR Apache-2.0
#ifndef QSSLRS_QSSLPRESHAREDKEYAUTHENTICATOR_P_H
#define QSSLRS_QSSLPRESHAREDKEYAUTHENTICATOR_P_H

#include <QtCore/qbytearray.h>
#include <QtCore/qshareddata.h>
#include <QtNetwork/qsslpresharedkeyauthenticator.h>

#include "qtownssl_p.h"

QT_BEGIN_NAMESPACE

class QSslPreSharedKeyAuthenticatorPrivate : public QtOwnSsl::Marked, public QSharedData
{
public:
    // The socket fills these before emitting preSharedKeyAuthenticationRequired
    // (through QTlsBackend::d(), see qtlsbackend_p.h).
    QByteArray identityHint;
    QByteArray identity;
    int maximumIdentityLength = 0;
    QByteArray preSharedKey;
    int maximumPreSharedKeyLength = 0;
};

QT_END_NAMESPACE

#endif
