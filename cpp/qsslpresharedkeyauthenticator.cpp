// qssl-rs: QSslPreSharedKeyAuthenticator.
// SPDX-License-Identifier: MIT OR Apache-2.0

#include "qsslpresharedkeyauthenticator_p.h"

QT_BEGIN_NAMESPACE

QT_IMPL_METATYPE_EXTERN(QSslPreSharedKeyAuthenticator)
QT_IMPL_METATYPE_EXTERN_TAGGED(QSslPreSharedKeyAuthenticator *, QSslPreSharedKeyAuthenticator_ptr)

QSslPreSharedKeyAuthenticator::QSslPreSharedKeyAuthenticator()
    : d(new QSslPreSharedKeyAuthenticatorPrivate)
{
}

QSslPreSharedKeyAuthenticator::~QSslPreSharedKeyAuthenticator() = default;

QSslPreSharedKeyAuthenticator::QSslPreSharedKeyAuthenticator(
        const QSslPreSharedKeyAuthenticator &authenticator) = default;

QSslPreSharedKeyAuthenticator &QSslPreSharedKeyAuthenticator::operator=(
        const QSslPreSharedKeyAuthenticator &authenticator) = default;

QByteArray QSslPreSharedKeyAuthenticator::identityHint() const
{
    return d->identityHint;
}

// Qt stores the identity as given; the socket truncates to maximumIdentityLength() when used.
void QSslPreSharedKeyAuthenticator::setIdentity(const QByteArray &identity)
{
    d->identity = identity;
}

QByteArray QSslPreSharedKeyAuthenticator::identity() const
{
    return d->identity;
}

int QSslPreSharedKeyAuthenticator::maximumIdentityLength() const
{
    return d->maximumIdentityLength;
}

void QSslPreSharedKeyAuthenticator::setPreSharedKey(const QByteArray &preSharedKey)
{
    d->preSharedKey = preSharedKey;
}

QByteArray QSslPreSharedKeyAuthenticator::preSharedKey() const
{
    return d->preSharedKey;
}

int QSslPreSharedKeyAuthenticator::maximumPreSharedKeyLength() const
{
    return d->maximumPreSharedKeyLength;
}

bool QSslPreSharedKeyAuthenticator::isEqual(const QSslPreSharedKeyAuthenticator &other) const
{
    return d == other.d
        || (d->identityHint == other.d->identityHint
            && d->identity == other.d->identity
            && d->maximumIdentityLength == other.d->maximumIdentityLength
            && d->preSharedKey == other.d->preSharedKey
            && d->maximumPreSharedKeyLength == other.d->maximumPreSharedKeyLength);
}

QT_END_NAMESPACE
