// qssl-rs: access to the d-pointers of public classes. Not API.
// SPDX-License-Identifier: MIT OR Apache-2.0
#ifndef QSSLRS_QTLSBACKEND_P_H
#define QSSLRS_QTLSBACKEND_P_H

#include <QtNetwork/qtnetworkglobal.h>

QT_BEGIN_NAMESPACE

// The public headers befriend Qt's QTlsBackend (QSslCipher, QSslCertificate, QSslKey,
// QSslConfiguration, QSslPreSharedKeyAuthenticator), as Qt's do. Ours is just this accessor:
// internal (hidden), never exported, and defined here once so every file sees the same class.
class QTlsBackend
{
public:
    // The object's d member (a std::unique_ptr or QSharedDataPointer).
    template <typename T>
    static auto &d(T &object) { return object.d; }
    template <typename T>
    static const auto &d(const T &object) { return object.d; }
};

QT_END_NAMESPACE

#endif
