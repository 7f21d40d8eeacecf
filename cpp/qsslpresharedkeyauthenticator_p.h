// qssl-rs: QSslPreSharedKeyAuthenticator's private data. Not API.
// SPDX-License-Identifier: MIT OR Apache-2.0
#ifndef QSSLRS_QSSLPRESHAREDKEYAUTHENTICATOR_P_H
#define QSSLRS_QSSLPRESHAREDKEYAUTHENTICATOR_P_H

#include <QtCore/qbytearray.h>
#include <QtCore/qshareddata.h>
#include <QtNetwork/qsslpresharedkeyauthenticator.h>

#include "qtownssl_p.h"
#include "rust/cxx.h"

QT_BEGIN_NAMESPACE

class QSslPreSharedKeyAuthenticatorPrivate : public QtOwnSsl::Marked, public QSharedData
{
public:
    // What a socket (or QDtls) hands its app when the engine asks for PSK credentials, as Qt
    // fills it: a client gets the server's hint and keeps one byte of OpenSSL's identity buffer
    // for a terminating NUL; a server gets the client's identity and its own hint.
    static QSslPreSharedKeyAuthenticator forClient(rust::Slice<const uint8_t> hint, size_t maxIdentityLength,
                                                   size_t maxKeyLength);
    static QSslPreSharedKeyAuthenticator forServer(rust::Slice<const uint8_t> identity, const QByteArray &hint,
                                                   size_t maxKeyLength);
    // The app's answer, cut to the lengths allowed, for the engine.
    static void answer(const QSslPreSharedKeyAuthenticator &authenticator, rust::Vec<uint8_t> *identity,
                       rust::Vec<uint8_t> &key);

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
