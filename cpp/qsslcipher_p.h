// qssl-rs: QSslCipher's private data. Not API.
// SPDX-License-Identifier: MIT OR Apache-2.0
#ifndef QSSLRS_QSSLCIPHER_P_H
#define QSSLRS_QSSLCIPHER_P_H

#include <QtNetwork/qsslcipher.h>

#include "qtownssl_p.h"

namespace qsslrs { struct CipherView; }

QT_BEGIN_NAMESPACE

class QSslCipherPrivate : public QtOwnSsl::Marked
{
public:
    // A cipher as the engine describes it (empty name: a null cipher).
    static QSslCipher fromView(const qsslrs::CipherView &view);

    bool isNull = true;
    QString name;
    int supportedBits = 0;
    int bits = 0;
    QString keyExchangeMethod;
    QString authenticationMethod;
    QString encryptionMethod;
    QSsl::SslProtocol protocol = QSsl::UnknownProtocol;
    QString protocolString;
};

QT_END_NAMESPACE

#endif
