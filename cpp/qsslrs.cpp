// qssl-rs: the extension functions of <QSslRs> (qsslrs.h). Configuration settings are backend
// configuration keys that the engine reads; socket queries ask the socket's engine session.
// SPDX-License-Identifier: MIT OR Apache-2.0

#include <qsslrs.h>

#include "qsslcertificate_p.h"
#include "qsslrsconvert_p.h"
#include "qsslsocket_p.h"

#include <QtCore/qfile.h>

const char *qSslRsVersion() noexcept
{
    return QSSLRS_VERSION_STR;
}

namespace QSslRs {

using qsslrs::bytes;
using qsslrs::toByteArray;
using qsslrs::toQString;

namespace {

// The engine session of an encrypted socket of ours; null for Qt's own sockets and the others.
const qsslrs::Session *encryptedSession(const QSslSocket *socket)
{
    QSslSocketPrivate *d = socket ? QSslSocketPrivate::get(socket) : nullptr;
    if (!d || !socket->isEncrypted())
        return nullptr;
    return d->idleSession();
}

void setOrRemove(QSslConfiguration &configuration, const char *key, const QByteArray &value)
{
    QMap<QByteArray, QVariant> options = configuration.backendConfiguration();
    if (value.isEmpty())
        options.remove(key);
    else
        options.insert(key, value);
    configuration.setBackendConfiguration(options);
}

} // namespace

void setKeyLogFile(QSslConfiguration &configuration, const QString &path)
{
    setOrRemove(configuration, KeyLogFileOption, QFile::encodeName(path));
}

QString keyLogFile(const QSslConfiguration &configuration)
{
    return QFile::decodeName(configuration.backendConfiguration().value(KeyLogFileOption).toByteArray());
}

void setPublicKeyPins(QSslConfiguration &configuration, const QList<QByteArray> &sha256Digests)
{
    QByteArrayList pins;
    for (const QByteArray &digest : sha256Digests)
        pins.append(digest.toBase64());
    setOrRemove(configuration, PublicKeyPinsOption, pins.join(','));
}

QList<QByteArray> publicKeyPins(const QSslConfiguration &configuration)
{
    QList<QByteArray> digests;
    const QByteArray pins = configuration.backendConfiguration().value(PublicKeyPinsOption).toByteArray();
    for (const QByteArray &pin : pins.split(',')) {
        if (!pin.trimmed().isEmpty())
            digests.append(QByteArray::fromBase64(pin.trimmed()));
    }
    return digests;
}

QByteArray publicKeyPin(const QSslCertificate &certificate)
{
    if (certificate.isNull())
        return {};
    const QSslCertificate ours = QtOwnSsl::ours(certificate);
    const qsslrs::Certificate *engine = QSslCertificatePrivate::engine(ours);
    return engine ? toByteArray(engine->public_key_pin()) : QByteArray();
}

bool addServerNameCertificate(QSslConfiguration &configuration, const QString &serverName,
                              const QList<QSslCertificate> &certificateChain, const QSslKey &privateKey)
{
    const QByteArray keyPem = privateKey.toPem();
    if (serverName.trimmed().isEmpty() || certificateChain.isEmpty() || keyPem.isEmpty())
        return false;
    QByteArray entry = "-----BEGIN QSSLRS SERVER NAME-----\n" + serverName.trimmed().toUtf8()
            + "\n-----END QSSLRS SERVER NAME-----\n";
    for (const QSslCertificate &certificate : certificateChain)
        entry += certificate.toPem();
    entry += keyPem;
    const QByteArray entries = configuration.backendConfiguration().value(ServerNameCertificatesOption).toByteArray();
    setOrRemove(configuration, ServerNameCertificatesOption, entries + entry);
    return true;
}

void clearServerNameCertificates(QSslConfiguration &configuration)
{
    setOrRemove(configuration, ServerNameCertificatesOption, QByteArray());
}

QString negotiatedGroup(const QSslSocket *socket)
{
    const qsslrs::Session *session = encryptedSession(socket);
    return session ? toQString(session->negotiated_group()) : QString();
}

QByteArray exportKeyingMaterial(const QSslSocket *socket, const QByteArray &label, int length,
                                const QByteArray &context)
{
    const qsslrs::Session *session = encryptedSession(socket);
    if (!session || length <= 0)
        return {};
    return toByteArray(session->export_keying_material(bytes(label), bytes(context), !context.isNull(),
                                                       size_t(length)));
}

} // namespace QSslRs
