// qssl-rs: QSslError.
// SPDX-License-Identifier: MIT OR Apache-2.0

#include "qsslerror_p.h"

#include "qsslrs-bridge/src/session.rs.h"

#include <QtCore/qcoreapplication.h>
#include <QtCore/qdebug.h>
#include <QtCore/qhashfunctions.h>

QT_BEGIN_NAMESPACE

QT_IMPL_METATYPE_EXTERN_TAGGED(QList<QSslError>, QList_QSslError)

using QtOwnSsl::call;
using QtOwnSsl::madeByQt;

// A QVariant holding a QList<QSslError> is iterated through converters registered once per
// process. Qt's own QtNetwork registers them with its own element functions, which cannot read
// our errors (Qt 6.11 does so at start-up, Qt 6.4 once QNetworkAccessManager is used); ours read
// both kinds, so ours serve every list.
static void takeOverErrorListConverters()
{
    using List = QList<QSslError>;
    using Iterable = QIterable<QMetaSequence>;
    const QMetaType list = QMetaType::fromType<List>();
    const QMetaType iterable = QMetaType::fromType<Iterable>();
    if (QMetaType::hasRegisteredConverterFunction(list, iterable))
        QMetaType::unregisterConverterFunction(list, iterable);
    QMetaType::registerConverter<List, Iterable>(QtPrivate::QSequentialIterableConvertFunctor<List>());
    if (QMetaType::hasRegisteredMutableViewFunction(list, iterable))
        QMetaType::unregisterMutableViewFunction(list, iterable);
    QMetaType::registerMutableView<List, Iterable>(
            QtPrivate::QSequentialIterableMutableViewFunctor<List>());
}
Q_CONSTRUCTOR_FUNCTION(takeOverErrorListConverters)

QSslError QtOwnSsl::Convert<QSslError>::ours(const QSslError &error)
{
    if (!madeByQt(error))
        return error;
    return QSslError(call<&QSslError::error>(&error), call<&QSslError::certificate>(&error));
}

QSslError QtOwnSsl::Convert<QSslError>::qts(const QSslError &error)
{
    if (madeByQt(error))
        return error;
    using Ctor = void (*)(QSslError *, QSslError::SslError, const QSslCertificate &);
    return constructQts<QSslError, Ctor>("_ZN9QSslErrorC1ENS_8SslErrorERK15QSslCertificate",
                                         error.error(), QtOwnSsl::qts(error.certificate()));
}

QSslError::QSslError()
    : d(new QSslErrorPrivate)
{
}

QSslError::QSslError(SslError error)
    : d(new QSslErrorPrivate)
{
    d->error = error;
}

QSslError::QSslError(SslError error, const QSslCertificate &certificate)
    : d(new QSslErrorPrivate)
{
    d->error = error;
    d->certificate = QtOwnSsl::ours(certificate);
}

QSslError QSslErrorPrivate::fromEngine(const qsslrs::PeerErrorView &view, const QList<QSslCertificate> &chain)
{
    QSslError made(QSslError::SslError(view.code), chain.value(view.cert_index));
    if (view.stage == qsslrs::PeerErrorStage::Pin) {
        // QSslError holds exactly its d-pointer (the compatibility contract), so the error is
        // pointer-interconvertible with it: the one way in without a member Qt's header lacks.
        (*reinterpret_cast<std::unique_ptr<QSslErrorPrivate> *>(&made))->text =
                QCoreApplication::translate("QSslSocket", "The peer's certificate chain matches none of the pinned public keys");
    }
    return made;
}

QSslError::QSslError(const QSslError &other)
{
    if (madeByQt(other))
        QtOwnSsl::copyConstructQts(this, other);
    else
        d.reset(new QSslErrorPrivate(*other.d));
}

QSslError::~QSslError()
{
    if (madeByQt(*this))
        QtOwnSsl::destroyQts(*this);
}

QSslError &QSslError::operator=(const QSslError &other)
{
    if (QtOwnSsl::assignedAcross(*this, other))
        return *this;
    // A moved-from error has no d; give it one again.
    if (!d)
        d.reset(new QSslErrorPrivate(*other.d));
    else
        *d = *other.d;
    return *this;
}

// Through the getters, so that either side may be Qt's.
bool QSslError::operator==(const QSslError &other) const
{
    return error() == other.error() && certificate() == other.certificate();
}

QSslError::SslError QSslError::error() const
{
    if (madeByQt(*this))
        return call<&QSslError::error>(this);
    return d->error;
}

// Texts and translation context ("QSslSocket") are Qt's, so existing translations apply.
QString QSslError::errorString() const
{
    if (madeByQt(*this))
        return call<&QSslError::errorString>(this);
    if (!d->text.isEmpty())
        return d->text;
    const char *text = nullptr;
    switch (d->error) {
    case NoError: text = "No error"; break;
    case UnableToGetIssuerCertificate:
        text = "The issuer certificate could not be found"; break;
    case UnableToDecryptCertificateSignature:
        text = "The certificate signature could not be decrypted"; break;
    case UnableToDecodeIssuerPublicKey:
        text = "The public key in the certificate could not be read"; break;
    case CertificateSignatureFailed:
        text = "The signature of the certificate is invalid"; break;
    case CertificateNotYetValid: text = "The certificate is not yet valid"; break;
    case CertificateExpired: text = "The certificate has expired"; break;
    case InvalidNotBeforeField:
        text = "The certificate's notBefore field contains an invalid time"; break;
    case InvalidNotAfterField:
        text = "The certificate's notAfter field contains an invalid time"; break;
    case SelfSignedCertificate:
        text = "The certificate is self-signed, and untrusted"; break;
    case SelfSignedCertificateInChain:
        text = "The root certificate of the certificate chain is self-signed, and untrusted"; break;
    case UnableToGetLocalIssuerCertificate:
        text = "The issuer certificate of a locally looked up certificate could not be found";
        break;
    case UnableToVerifyFirstCertificate: text = "No certificates could be verified"; break;
    case InvalidCaCertificate: text = "One of the CA certificates is invalid"; break;
    case PathLengthExceeded:
        text = "The basicConstraints path length parameter has been exceeded"; break;
    case InvalidPurpose:
        text = "The supplied certificate is unsuitable for this purpose"; break;
    case CertificateUntrusted:
        text = "The root CA certificate is not trusted for this purpose"; break;
    case CertificateRejected:
        text = "The root CA certificate is marked to reject the specified purpose"; break;
    case SubjectIssuerMismatch:
        text = "The current candidate issuer certificate was rejected because its subject name "
               "did not match the issuer name of the current certificate";
        break;
    case AuthorityIssuerSerialNumberMismatch:
        text = "The current candidate issuer certificate was rejected because its issuer name "
               "and serial number was present and did not match the authority key identifier "
               "of the current certificate";
        break;
    case NoPeerCertificate: text = "The peer did not present any certificate"; break;
    case HostNameMismatch:
        text = "The host name did not match any of the valid hosts for this certificate"; break;
    case NoSslSupport:
        // Qt returns an empty string here.
        return QString();
    case CertificateBlacklisted: text = "The peer certificate is blacklisted"; break;
    case OcspNoResponseFound: text = "No OCSP status response found"; break;
    case OcspMalformedRequest: text = "The OCSP status request had invalid syntax"; break;
    case OcspMalformedResponse:
        text = "OCSP response contains an unexpected number of SingleResponse structures"; break;
    case OcspInternalError:
        text = "OCSP responder reached an inconsistent internal state"; break;
    case OcspTryLater:
        text = "OCSP responder was unable to return a status for the requested certificate";
        break;
    case OcspSigRequred:
        text = "The server requires the client to sign the OCSP request in order to construct "
               "a response";
        break;
    case OcspUnauthorized:
        text = "The client is not authorized to request OCSP status from this server"; break;
    case OcspResponseCannotBeTrusted: text = "OCSP responder's identity cannot be verified"; break;
    case OcspResponseCertIdUnknown:
        text = "The identity of a certificate in an OCSP response cannot be established"; break;
    case OcspResponseExpired: text = "The certificate status response has expired"; break;
    case OcspStatusUnknown: text = "The certificate's status is unknown"; break;
    // CertificateRevoked and CertificateStatusUnknown have no text of their own in Qt.
    default: text = "Unknown error"; break;
    }
    return QCoreApplication::translate("QSslSocket", text);
}

QSslCertificate QSslError::certificate() const
{
    if (madeByQt(*this))
        return call<&QSslError::certificate>(this);
    return d->certificate;
}

size_t qHash(const QSslError &key, size_t seed) noexcept
{
    QtPrivate::QHashCombine hash;
    seed = hash(seed, key.error());
    seed = hash(seed, key.certificate());
    return seed;
}

#ifndef QT_NO_DEBUG_STREAM
QDebug operator<<(QDebug debug, const QSslError &error)
{
    debug << error.errorString();
    return debug;
}

QDebug operator<<(QDebug debug, const QSslError::SslError &error)
{
    return print(std::move(debug), error);
}

QDebug print(QDebug debug, QSslError::SslError error)
{
    debug << QSslError(error).errorString();
    return debug;
}
#endif

QT_END_NAMESPACE
