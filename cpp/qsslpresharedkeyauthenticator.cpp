// qssl-rs: QSslPreSharedKeyAuthenticator.
// SPDX-License-Identifier: MIT OR Apache-2.0

#include "qsslpresharedkeyauthenticator_p.h"

#include <algorithm>
#include <iterator>

#include "qtlsbackend_p.h"

QT_BEGIN_NAMESPACE

QT_IMPL_METATYPE_EXTERN(QSslPreSharedKeyAuthenticator)
QT_IMPL_METATYPE_EXTERN_TAGGED(QSslPreSharedKeyAuthenticator *, QSslPreSharedKeyAuthenticator_ptr)

using QtOwnSsl::call;
using QtOwnSsl::madeByQt;

QSslPreSharedKeyAuthenticator QtOwnSsl::Convert<QSslPreSharedKeyAuthenticator>::ours(
        const QSslPreSharedKeyAuthenticator &authenticator)
{
    if (!madeByQt(authenticator))
        return authenticator;
    QSslPreSharedKeyAuthenticator result;
    QSslPreSharedKeyAuthenticatorPrivate &d = *QTlsBackend::d(result);
    d.identityHint = call<&QSslPreSharedKeyAuthenticator::identityHint>(&authenticator);
    d.identity = call<&QSslPreSharedKeyAuthenticator::identity>(&authenticator);
    d.maximumIdentityLength =
            call<&QSslPreSharedKeyAuthenticator::maximumIdentityLength>(&authenticator);
    d.preSharedKey = call<&QSslPreSharedKeyAuthenticator::preSharedKey>(&authenticator);
    d.maximumPreSharedKeyLength =
            call<&QSslPreSharedKeyAuthenticator::maximumPreSharedKeyLength>(&authenticator);
    return result;
}

// What the app may set: identity and key. The hint and the limits come from a handshake and Qt
// has no setters for them.
QSslPreSharedKeyAuthenticator QtOwnSsl::Convert<QSslPreSharedKeyAuthenticator>::qts(
        const QSslPreSharedKeyAuthenticator &authenticator)
{
    if (madeByQt(authenticator))
        return authenticator;
    auto result = constructQts<QSslPreSharedKeyAuthenticator,
                               void (*)(QSslPreSharedKeyAuthenticator *)>(
            "_ZN29QSslPreSharedKeyAuthenticatorC1Ev");
    result.setIdentity(authenticator.identity());
    result.setPreSharedKey(authenticator.preSharedKey());
    return result;
}

QSslPreSharedKeyAuthenticator::QSslPreSharedKeyAuthenticator()
    : d(new QSslPreSharedKeyAuthenticatorPrivate)
{
}

QSslPreSharedKeyAuthenticator::~QSslPreSharedKeyAuthenticator()
{
    if (madeByQt(*this))
        QtOwnSsl::destroyQts(*this);
}

QSslPreSharedKeyAuthenticator::QSslPreSharedKeyAuthenticator(
        const QSslPreSharedKeyAuthenticator &authenticator)
{
    if (madeByQt(authenticator))
        QtOwnSsl::copyConstructQts(this, authenticator);
    else
        d = authenticator.d;
}

// Assigning ours to the authenticator a Qt signal handed out (Qt reads it afterwards) gives it
// our identity and key; its hint and limits stay those of Qt's handshake.
QSslPreSharedKeyAuthenticator &QSslPreSharedKeyAuthenticator::operator=(
        const QSslPreSharedKeyAuthenticator &authenticator)
{
    if (madeByQt(*this) && !madeByQt(authenticator)) {
        setIdentity(authenticator.identity());
        setPreSharedKey(authenticator.preSharedKey());
    } else if (!QtOwnSsl::assignedAcross(*this, authenticator)) {
        d = authenticator.d;
    }
    return *this;
}

QByteArray QSslPreSharedKeyAuthenticator::identityHint() const
{
    if (madeByQt(*this))
        return call<&QSslPreSharedKeyAuthenticator::identityHint>(this);
    return d->identityHint;
}

void QSslPreSharedKeyAuthenticator::setIdentity(const QByteArray &identity)
{
    if (madeByQt(*this))
        return call<&QSslPreSharedKeyAuthenticator::setIdentity>(this, identity);
    d->identity = identity;
}

QByteArray QSslPreSharedKeyAuthenticator::identity() const
{
    if (madeByQt(*this))
        return call<&QSslPreSharedKeyAuthenticator::identity>(this);
    return d->identity;
}

int QSslPreSharedKeyAuthenticator::maximumIdentityLength() const
{
    if (madeByQt(*this))
        return call<&QSslPreSharedKeyAuthenticator::maximumIdentityLength>(this);
    return d->maximumIdentityLength;
}

void QSslPreSharedKeyAuthenticator::setPreSharedKey(const QByteArray &preSharedKey)
{
    if (madeByQt(*this))
        return call<&QSslPreSharedKeyAuthenticator::setPreSharedKey>(this, preSharedKey);
    d->preSharedKey = preSharedKey;
}

QByteArray QSslPreSharedKeyAuthenticator::preSharedKey() const
{
    if (madeByQt(*this))
        return call<&QSslPreSharedKeyAuthenticator::preSharedKey>(this);
    return d->preSharedKey;
}

int QSslPreSharedKeyAuthenticator::maximumPreSharedKeyLength() const
{
    if (madeByQt(*this))
        return call<&QSslPreSharedKeyAuthenticator::maximumPreSharedKeyLength>(this);
    return d->maximumPreSharedKeyLength;
}

// Through the getters, so that either side may be Qt's.
bool QSslPreSharedKeyAuthenticator::isEqual(const QSslPreSharedKeyAuthenticator &other) const
{
    return d == other.d
        || (identityHint() == other.identityHint()
            && identity() == other.identity()
            && maximumIdentityLength() == other.maximumIdentityLength()
            && preSharedKey() == other.preSharedKey()
            && maximumPreSharedKeyLength() == other.maximumPreSharedKeyLength());
}

namespace {
void append(rust::Vec<uint8_t> &to, const QByteArray &bytes)
{
    to.reserve(size_t(bytes.size()));
    std::copy(bytes.cbegin(), bytes.cend(), std::back_inserter(to));
}
} // namespace

QSslPreSharedKeyAuthenticator QSslPreSharedKeyAuthenticatorPrivate::forClient(rust::Slice<const uint8_t> hint,
                                                                             size_t maxIdentityLength,
                                                                             size_t maxKeyLength)
{
    QSslPreSharedKeyAuthenticator authenticator;
    QSslPreSharedKeyAuthenticatorPrivate &fields = *QTlsBackend::d(authenticator);
    fields.identityHint = QByteArray(reinterpret_cast<const char *>(hint.data()), qsizetype(hint.size()));
    fields.maximumIdentityLength = int(maxIdentityLength) - 1;
    fields.maximumPreSharedKeyLength = int(maxKeyLength);
    return authenticator;
}

QSslPreSharedKeyAuthenticator QSslPreSharedKeyAuthenticatorPrivate::forServer(rust::Slice<const uint8_t> identity,
                                                                             const QByteArray &hint,
                                                                             size_t maxKeyLength)
{
    QSslPreSharedKeyAuthenticator authenticator;
    QSslPreSharedKeyAuthenticatorPrivate &fields = *QTlsBackend::d(authenticator);
    fields.identity = QByteArray(reinterpret_cast<const char *>(identity.data()), qsizetype(identity.size()));
    fields.identityHint = hint;
    fields.maximumIdentityLength = 0;
    fields.maximumPreSharedKeyLength = int(maxKeyLength);
    return authenticator;
}

void QSslPreSharedKeyAuthenticatorPrivate::answer(const QSslPreSharedKeyAuthenticator &authenticator,
                                                  rust::Vec<uint8_t> *identity, rust::Vec<uint8_t> &key)
{
    append(key, authenticator.preSharedKey().left(authenticator.maximumPreSharedKeyLength()));
    if (identity)
        append(*identity, authenticator.identity().left(authenticator.maximumIdentityLength()));
}

QT_END_NAMESPACE
