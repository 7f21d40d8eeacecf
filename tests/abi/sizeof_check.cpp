// qssl-rs: compile-only ABI layout check for the public SSL headers.
// SPDX-License-Identifier: MIT OR Apache-2.0
//
// Build (syntax check only; our include dirs must come before Qt's):
//   g++ -std=c++17 -fsyntax-only -fPIC -I include/QtNetwork -I include
//       $(pkg-config --cflags Qt6Network) tests/abi/sizeof_check.cpp
//
// The expected numbers were obtained by compiling a probe program against
// Qt 6.4.2's own headers (Debian, x86_64) and printing sizeof/alignof.

#include <QtNetwork/qssl.h>
#include <QtNetwork/qsslsocket.h>
#include <QtNetwork/qsslserver.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslcertificate.h>
#include <QtNetwork/qsslcertificateextension.h>
#include <QtNetwork/qsslkey.h>
#include <QtNetwork/qsslcipher.h>
#include <QtNetwork/qsslerror.h>
#include <QtNetwork/qsslellipticcurve.h>
#include <QtNetwork/qssldiffiehellmanparameters.h>
#include <QtNetwork/qsslpresharedkeyauthenticator.h>
#include <QtNetwork/qocspresponse.h>
#include <QtNetwork/qdtls.h>
#include <QtNetwork/qpassworddigestor.h>

#include <type_traits>

#define QSSLRS_CHECK_LAYOUT(T, size, align)                                   \
    static_assert(sizeof(T) == (size), "sizeof(" #T ") differs from Qt 6.4"); \
    static_assert(alignof(T) == (align), "alignof(" #T ") differs from Qt 6.4")

QSSLRS_CHECK_LAYOUT(QSslSocket, 16, 8);
QSSLRS_CHECK_LAYOUT(QSslServer, 16, 8);
QSSLRS_CHECK_LAYOUT(QSslConfiguration, 8, 8);
QSSLRS_CHECK_LAYOUT(QSslCertificate, 8, 8);
QSSLRS_CHECK_LAYOUT(QSslCertificateExtension, 8, 8);
QSSLRS_CHECK_LAYOUT(QSslKey, 8, 8);
QSSLRS_CHECK_LAYOUT(QSslCipher, 8, 8);
QSSLRS_CHECK_LAYOUT(QSslError, 8, 8);
QSSLRS_CHECK_LAYOUT(QSslEllipticCurve, 4, 4);
QSSLRS_CHECK_LAYOUT(QSslDiffieHellmanParameters, 8, 8);
QSSLRS_CHECK_LAYOUT(QSslPreSharedKeyAuthenticator, 8, 8);
QSSLRS_CHECK_LAYOUT(QOcspResponse, 8, 8);
QSSLRS_CHECK_LAYOUT(QDtls, 16, 8);
QSSLRS_CHECK_LAYOUT(QDtlsClientVerifier, 16, 8);
QSSLRS_CHECK_LAYOUT(QDtlsClientVerifier::GeneratorParameters, 32, 8);

QSSLRS_CHECK_LAYOUT(QDtlsError, 1, 1);
QSSLRS_CHECK_LAYOUT(QOcspCertificateStatus, 4, 4);
QSSLRS_CHECK_LAYOUT(QOcspRevocationReason, 4, 4);
QSSLRS_CHECK_LAYOUT(QSsl::SslProtocol, 4, 4);
QSSLRS_CHECK_LAYOUT(QSsl::SslOptions, 4, 4);
QSSLRS_CHECK_LAYOUT(QSsl::AlertType, 4, 4);

// QSslSocket adds no data members to QTcpSocket (its state lives in the
// private object reached through QObject::d_ptr).
static_assert(sizeof(QSslSocket) == sizeof(QTcpSocket), "QSslSocket must not add data members");
static_assert(sizeof(QSslServer) == sizeof(QTcpServer), "QSslServer must not add data members");
static_assert(sizeof(QDtls) == sizeof(QObject), "QDtls must not add data members");
static_assert(sizeof(QDtlsClientVerifier) == sizeof(QObject), "QDtlsClientVerifier must not add data members");

// Base classes.
static_assert(std::is_base_of_v<QTcpSocket, QSslSocket>);
static_assert(std::is_base_of_v<QTcpServer, QSslServer>);
static_assert(std::is_base_of_v<QObject, QDtls>);
static_assert(std::is_base_of_v<QObject, QDtlsClientVerifier>);

// Value classes are not polymorphic.
static_assert(!std::is_polymorphic_v<QSslConfiguration>);
static_assert(!std::is_polymorphic_v<QSslCertificate>);
static_assert(!std::is_polymorphic_v<QSslCertificateExtension>);
static_assert(!std::is_polymorphic_v<QSslKey>);
static_assert(!std::is_polymorphic_v<QSslCipher>);
static_assert(!std::is_polymorphic_v<QSslError>);
static_assert(!std::is_polymorphic_v<QSslEllipticCurve>);
static_assert(!std::is_polymorphic_v<QSslDiffieHellmanParameters>);
static_assert(!std::is_polymorphic_v<QSslPreSharedKeyAuthenticator>);
static_assert(!std::is_polymorphic_v<QOcspResponse>);

// QSslEllipticCurve is a literal, trivially copyable type.
static_assert(std::is_trivially_copyable_v<QSslEllipticCurve>);
static_assert(!QSslEllipticCurve().isValid());
static_assert(QSslEllipticCurve() == QSslEllipticCurve());
static_assert(QTypeInfo<QSslEllipticCurve>::isRelocatable);

// Enum underlying types.
static_assert(std::is_same_v<std::underlying_type_t<QDtlsError>, unsigned char>);
static_assert(std::is_same_v<std::underlying_type_t<QSsl::AlertType>, int>);
static_assert(std::is_same_v<std::underlying_type_t<QSsl::AlertLevel>, int>);
static_assert(std::is_same_v<std::underlying_type_t<QOcspRevocationReason>, int>);

// Selected enumerator values (wire codes / Qt-visible constants).
static_assert(QSsl::UnknownProtocol == -1);
static_assert(QSsl::TlsV1_2 == 2 && QSsl::AnyProtocol == 3 && QSsl::SecureProtocols == 4);
static_assert(QSsl::TlsV1_2OrLater == 7 && QSsl::DtlsV1_2 == 10 && QSsl::DtlsV1_2OrLater == 11);
static_assert(QSsl::TlsV1_3 == 12 && QSsl::TlsV1_3OrLater == 13);
static_assert(QSsl::SslOptionDisableServerCipherPreference == 0x80);
static_assert(int(QSsl::AlertType::UnknownAlertMessage) == 255);
static_assert(int(QSsl::AlertType::NoApplicationProtocol) == 120);
static_assert(int(QSsl::SupportedFeature::Alerts) == 6);
static_assert(int(QSsl::ImplementedClass::DtlsCookie) == 6);
static_assert(QSslError::OcspStatusUnknown == 36 && QSslError::UnspecifiedError == -1);
static_assert(QSslCertificate::EmailAddress == 8);
static_assert(int(QSslCertificate::PatternSyntax::FixedString) == 2);
static_assert(QSslSocket::AutoVerifyPeer == 3 && QSslSocket::SslServerMode == 2);
static_assert(QDtls::HandshakeComplete == 3);
static_assert(int(QDtlsError::TlsNonFatalError) == 8);
static_assert(int(QOcspRevocationReason::RemoveFromCRL) == 7);
static_assert(QSslConfiguration::NextProtocolNegotiationUnsupported == 2);
static_assert(QSslDiffieHellmanParameters::UnsafeParametersError == 2);

// Inline noexcept members.
static_assert(std::is_nothrow_move_assignable_v<QSslConfiguration>);
static_assert(std::is_nothrow_move_assignable_v<QSslCertificate>);
static_assert(std::is_nothrow_move_assignable_v<QSslError>);
static_assert(std::is_nothrow_move_constructible_v<QSslKey>);
static_assert(std::is_nothrow_move_constructible_v<QSslDiffieHellmanParameters>);
static_assert(std::is_nothrow_move_constructible_v<QOcspResponse>);

// Objects are neither copyable nor movable.
static_assert(!std::is_copy_constructible_v<QSslSocket>);
static_assert(!std::is_copy_constructible_v<QSslServer>);
static_assert(!std::is_copy_constructible_v<QDtls>);
static_assert(!std::is_copy_constructible_v<QDtlsClientVerifier>);
