// qssl-rs: QSslCertificate, on the engine's certificate (parsed as Qt's OpenSSL backend does).
// SPDX-License-Identifier: MIT OR Apache-2.0
#include <QtNetwork/qsslcertificate.h>

#include <QtCore/qcryptographichash.h>
#include <QtCore/qdebug.h>
#include <QtCore/qdir.h>
#include <QtCore/qendian.h>
#include <QtCore/qdiriterator.h>
#include <QtCore/qfile.h>
#include <QtCore/qfileinfo.h>
#include <QtCore/qhashfunctions.h>
#include <QtCore/qiodevice.h>
#include <QtCore/qregularexpression.h>
#include <QtNetwork/qhostaddress.h>
#include <QtNetwork/qsslconfiguration.h>
#include <QtNetwork/qsslerror.h>
#include <QtNetwork/qsslkey.h>

#include "qsslcertificate_p.h"
#include "qsslkey_p.h"
#include "qsslrsconvert_p.h"
#include "qtlsbackend_p.h"
#include "qtownssl_p.h"

QT_IMPL_METATYPE_EXTERN(QSslCertificate)

QT_BEGIN_NAMESPACE

using QtOwnSsl::call;
using QtOwnSsl::madeByQt;

namespace {

using qsslrs::bytes;
using qsslrs::toByteArray;
using qsslrs::toQString;

QMultiMap<QByteArray, QString> nameMap(const rust::Vec<qsslrs::NameEntryView> &entries)
{
    QMultiMap<QByteArray, QString> map;
    for (const auto &entry : entries)
        map.insert(toByteArray(entry.attribute), toQString(entry.value));
    return map;
}

QDateTime dateTime(const qsslrs::DateView &date)
{
    if (!date.valid)
        return {};
    return QDateTime(QDate(date.year, date.month, date.day),
                     QTime(date.hour, date.minute, date.second), Qt::UTC);
}

QVariant scalar(const qsslrs::ExtEntryView &entry)
{
    switch (entry.kind) {
    case qsslrs::ExtValueKind::Text:
        return toQString(entry.data);
    case qsslrs::ExtValueKind::Bytes:
        return toByteArray(entry.data);
    case qsslrs::ExtValueKind::Bool:
        return entry.number != 0;
    case qsslrs::ExtValueKind::Int:
        return qlonglong(entry.number);
    default:
        return {};
    }
}

} // namespace

QSslCertificateExtension QSslCertificatePrivate::extensionFromView(const qsslrs::ExtensionView &view)
{
    QSslCertificateExtension result;
    QSslCertificateExtensionPrivate *d = result.d.data();
    d->oid = toQString(view.oid);
    d->name = toQString(view.name);
    d->critical = view.critical;
    d->supported = view.supported;
    switch (view.kind) {
    case qsslrs::ExtValueKind::Map: {
        QVariantMap map;
        for (const auto &entry : view.entries)
            map.insert(toQString(entry.key), scalar(entry));
        d->value = map;
        break;
    }
    case qsslrs::ExtValueKind::List: {
        QVariantList list;
        for (const auto &entry : view.entries)
            list << scalar(entry);
        d->value = list;
        break;
    }
    case qsslrs::ExtValueKind::Text:
        d->value = toQString(view.data);
        break;
    case qsslrs::ExtValueKind::Bytes:
        d->value = toByteArray(view.data);
        break;
    default:
        break;
    }
    return result;
}

namespace {

QByteArray subjectInfoAttribute(QSslCertificate::SubjectInfo info)
{
    switch (info) {
    case QSslCertificate::Organization: return QByteArrayLiteral("O");
    case QSslCertificate::CommonName: return QByteArrayLiteral("CN");
    case QSslCertificate::LocalityName: return QByteArrayLiteral("L");
    case QSslCertificate::OrganizationalUnitName: return QByteArrayLiteral("OU");
    case QSslCertificate::CountryName: return QByteArrayLiteral("C");
    case QSslCertificate::StateOrProvinceName: return QByteArrayLiteral("ST");
    case QSslCertificate::DistinguishedNameQualifier: return QByteArrayLiteral("dnQualifier");
    case QSslCertificate::SerialNumber: return QByteArrayLiteral("serialNumber");
    case QSslCertificate::EmailAddress: return QByteArrayLiteral("emailAddress");
    }
    return {};
}

QList<QSslCertificate> certificatesFrom(const QByteArray &data, QSsl::EncodingFormat format,
                                        int max)
{
    auto list = format == QSsl::Pem ? qsslrs::engine_certificates_from_pem(bytes(data), max)
                                    : qsslrs::engine_certificates_from_der(bytes(data), max);
    return QSslCertificatePrivate::fromEngine(*list);
}

QSslCertificate firstCertificate(const QByteArray &data, QSsl::EncodingFormat format)
{
    if (data.isEmpty())
        return {};
    const auto certs = certificatesFrom(data, format, 1);
    return certs.isEmpty() ? QSslCertificate() : certs.first();
}

QList<QSslCertificate> readFile(const QString &path, QSsl::EncodingFormat format)
{
    QFile file(path);
    QIODevice::OpenMode mode = QIODevice::ReadOnly;
    if (format == QSsl::Pem)
        mode |= QIODevice::Text;
    if (!file.open(mode))
        return {};
    return QSslCertificate::fromData(file.readAll(), format);
}

} // namespace

QSslCertificate QSslCertificatePrivate::fromEngine(rust::Box<qsslrs::Certificate> cert)
{
    QSslCertificate result;
    QSslCertificatePrivate *d = QTlsBackend::d(result).data();
    d->versionString = QByteArray::number(qlonglong(cert->version()));
    d->serialNumberString = toByteArray(cert->serial_number());
    d->subjectInfo = nameMap(cert->subject());
    d->issuerInfo = nameMap(cert->issuer());
    d->notValidBefore = dateTime(cert->not_before());
    d->notValidAfter = dateTime(cert->not_after());
    for (const auto &view : cert->extensions())
        d->extensions << extensionFromView(view);
    d->cert = std::move(cert);
    return result;
}

QList<QSslCertificate> QSslCertificatePrivate::fromEngine(qsslrs::CertificateList &list)
{
    QList<QSslCertificate> certs;
    while (!list.is_empty())
        certs << fromEngine(list.take_first());
    return certs;
}

const qsslrs::Certificate *QSslCertificatePrivate::engine(const QSslCertificate &certificate)
{
    Q_ASSERT(!madeByQt(certificate)); // every private of ours holds our objects only
    const auto *d = QTlsBackend::d(certificate).data();
    return d && d->cert ? &**d->cert : nullptr;
}

QSslCertificate::QSslCertificate(QIODevice *device, QSsl::EncodingFormat format)
    : d(new QSslCertificatePrivate)
{
    if (device)
        *this = firstCertificate(device->readAll(), format);
}

QSslCertificate::QSslCertificate(const QByteArray &data, QSsl::EncodingFormat format)
    : d(new QSslCertificatePrivate)
{
    if (!data.isEmpty())
        *this = firstCertificate(data, format);
}

QSslCertificate QtOwnSsl::Convert<QSslCertificate>::ours(const QSslCertificate &certificate)
{
    if (!madeByQt(certificate))
        return certificate;
    return QSslCertificate(call<&QSslCertificate::toDer>(&certificate), QSsl::Der);
}

QSslCertificate QtOwnSsl::Convert<QSslCertificate>::qts(const QSslCertificate &certificate)
{
    if (madeByQt(certificate))
        return certificate;
    using Ctor = void (*)(QSslCertificate *, const QByteArray &, QSsl::EncodingFormat);
    return constructQts<QSslCertificate, Ctor>(
            "_ZN15QSslCertificateC1ERK10QByteArrayN4QSsl14EncodingFormatE", certificate.toDer(),
            QSsl::Der);
}

QSslCertificate::QSslCertificate(const QSslCertificate &other)
{
    if (madeByQt(other))
        QtOwnSsl::copyConstructQts(this, other);
    else
        d = other.d;
}

QSslCertificate::~QSslCertificate()
{
    if (madeByQt(*this))
        QtOwnSsl::destroyQts(*this);
}

QSslCertificate &QSslCertificate::operator=(const QSslCertificate &other)
{
    if (!QtOwnSsl::assignedAcross(*this, other))
        d = other.d;
    return *this;
}

bool QSslCertificate::operator==(const QSslCertificate &other) const
{
    if (madeByQt(*this) && madeByQt(other))
        return call<&QSslCertificate::operator==>(this, other);
    if (madeByQt(*this) || madeByQt(other))
        return toDer() == other.toDer();
    if (d == other.d)
        return true;
    const auto *mine = QSslCertificatePrivate::engine(*this);
    const auto *theirs = QSslCertificatePrivate::engine(other);
    if (!mine && !theirs)
        return true;
    return mine && theirs && mine->equals(*theirs);
}

bool QSslCertificate::isNull() const
{
    if (madeByQt(*this))
        return call<&QSslCertificate::isNull>(this);
    return !QSslCertificatePrivate::engine(*this);
}

bool QSslCertificate::isBlacklisted() const
{
    if (madeByQt(*this))
        return call<&QSslCertificate::isBlacklisted>(this);
    const auto *cert = QSslCertificatePrivate::engine(*this);
    return cert && cert->is_blacklisted();
}

bool QSslCertificate::isSelfSigned() const
{
    if (madeByQt(*this))
        return call<&QSslCertificate::isSelfSigned>(this);
    const auto *cert = QSslCertificatePrivate::engine(*this);
    return cert && cert->is_self_signed();
}

void QSslCertificate::clear()
{
    if (madeByQt(*this))
        return call<&QSslCertificate::clear>(this);
    if (!isNull())
        d = new QSslCertificatePrivate;
}

QByteArray QSslCertificate::version() const
{
    if (madeByQt(*this))
        return call<&QSslCertificate::version>(this);
    return d ? d->versionString : QByteArray();
}

QByteArray QSslCertificate::serialNumber() const
{
    if (madeByQt(*this))
        return call<&QSslCertificate::serialNumber>(this);
    return d ? d->serialNumberString : QByteArray();
}

QByteArray QSslCertificate::digest(QCryptographicHash::Algorithm algorithm) const
{
    if (madeByQt(*this))
        return call<&QSslCertificate::digest>(this, algorithm);
    return QCryptographicHash::hash(toDer(), algorithm);
}

QStringList QSslCertificate::issuerInfo(SubjectInfo info) const
{
    if (madeByQt(*this))
        return call<qOverload<SubjectInfo>(&QSslCertificate::issuerInfo)>(this, info);
    return issuerInfo(subjectInfoAttribute(info));
}

QStringList QSslCertificate::issuerInfo(const QByteArray &attribute) const
{
    if (madeByQt(*this))
        return call<qOverload<const QByteArray &>(&QSslCertificate::issuerInfo)>(this, attribute);
    return d ? d->issuerInfo.values(attribute) : QStringList();
}

QStringList QSslCertificate::subjectInfo(SubjectInfo info) const
{
    if (madeByQt(*this))
        return call<qOverload<SubjectInfo>(&QSslCertificate::subjectInfo)>(this, info);
    return subjectInfo(subjectInfoAttribute(info));
}

QStringList QSslCertificate::subjectInfo(const QByteArray &attribute) const
{
    if (madeByQt(*this))
        return call<qOverload<const QByteArray &>(&QSslCertificate::subjectInfo)>(this, attribute);
    return d ? d->subjectInfo.values(attribute) : QStringList();
}

// Qt's choice: the first common name, else organization, else organizational unit.
static QString displayName(const QSslCertificate &cert, bool subject)
{
    for (auto info : {QSslCertificate::CommonName, QSslCertificate::Organization,
                      QSslCertificate::OrganizationalUnitName}) {
        const QStringList names = subject ? cert.subjectInfo(info) : cert.issuerInfo(info);
        if (!names.isEmpty())
            return names.first();
    }
    return {};
}

QString QSslCertificate::issuerDisplayName() const
{
    if (madeByQt(*this))
        return call<&QSslCertificate::issuerDisplayName>(this);
    return displayName(*this, false);
}

QString QSslCertificate::subjectDisplayName() const
{
    if (madeByQt(*this))
        return call<&QSslCertificate::subjectDisplayName>(this);
    return displayName(*this, true);
}

QList<QByteArray> QSslCertificate::subjectInfoAttributes() const
{
    if (madeByQt(*this))
        return call<&QSslCertificate::subjectInfoAttributes>(this);
    return d ? d->subjectInfo.uniqueKeys() : QList<QByteArray>();
}

QList<QByteArray> QSslCertificate::issuerInfoAttributes() const
{
    if (madeByQt(*this))
        return call<&QSslCertificate::issuerInfoAttributes>(this);
    return d ? d->issuerInfo.uniqueKeys() : QList<QByteArray>();
}

QMultiMap<QSsl::AlternativeNameEntryType, QString> QSslCertificate::subjectAlternativeNames() const
{
    if (madeByQt(*this))
        return call<&QSslCertificate::subjectAlternativeNames>(this);
    QMultiMap<QSsl::AlternativeNameEntryType, QString> result;
    const auto *cert = QSslCertificatePrivate::engine(*this);
    if (!cert)
        return result;
    for (const auto &name : cert->alt_names()) {
        const auto *data = reinterpret_cast<const char *>(name.data.data());
        const qsizetype size = qsizetype(name.data.size());
        switch (name.kind) {
        case qsslrs::AltNameKind::Dns:
            result.insert(QSsl::DnsEntry, QString::fromLatin1(data, size));
            break;
        case qsslrs::AltNameKind::Email:
            result.insert(QSsl::EmailEntry, QString::fromLatin1(data, size));
            break;
        case qsslrs::AltNameKind::Ip: {
            QHostAddress address;
            if (size == 4)
                address = QHostAddress(qFromBigEndian<quint32>(data));
            else if (size == 16)
                address = QHostAddress(reinterpret_cast<const quint8 *>(data));
            if (!address.isNull())
                result.insert(QSsl::IpAddressEntry, address.toString());
            break;
        }
        default:
            break;
        }
    }
    return result;
}

QDateTime QSslCertificate::effectiveDate() const
{
    if (madeByQt(*this))
        return call<&QSslCertificate::effectiveDate>(this);
    return d ? d->notValidBefore : QDateTime();
}

QDateTime QSslCertificate::expiryDate() const
{
    if (madeByQt(*this))
        return call<&QSslCertificate::expiryDate>(this);
    return d ? d->notValidAfter : QDateTime();
}

QSslKey QSslCertificate::publicKey() const
{
    if (madeByQt(*this))
        return call<&QSslCertificate::publicKey>(this);
    const auto *cert = QSslCertificatePrivate::engine(*this);
    return cert ? QSslKeyPrivate::fromEngine(cert->public_key()) : QSslKey();
}

QList<QSslCertificateExtension> QSslCertificate::extensions() const
{
    if (madeByQt(*this))
        return call<&QSslCertificate::extensions>(this);
    return d ? d->extensions : QList<QSslCertificateExtension>();
}

QByteArray QSslCertificate::toPem() const
{
    if (madeByQt(*this))
        return call<&QSslCertificate::toPem>(this);
    const auto *cert = QSslCertificatePrivate::engine(*this);
    return cert ? toByteArray(cert->to_pem()) : QByteArray();
}

QByteArray QSslCertificate::toDer() const
{
    if (madeByQt(*this))
        return call<&QSslCertificate::toDer>(this);
    const auto *cert = QSslCertificatePrivate::engine(*this);
    return cert ? toByteArray(cert->to_der()) : QByteArray();
}

QString QSslCertificate::toText() const
{
    if (madeByQt(*this))
        return call<&QSslCertificate::toText>(this);
    const auto *cert = QSslCertificatePrivate::engine(*this);
    return cert ? QString::fromLatin1(toByteArray(cert->to_text())) : QString();
}

QList<QSslCertificate> QSslCertificate::fromPath(const QString &path, QSsl::EncodingFormat format,
                                                 PatternSyntax syntax)
{
    QString sourcePath = QDir::fromNativeSeparators(path);
    QString pathPrefix = sourcePath.left(sourcePath.lastIndexOf(u'/'));

    // Where the first pattern character is: the directory walk starts above it.
    qsizetype pos = -1;
    if (syntax == PatternSyntax::Wildcard)
        pos = pathPrefix.indexOf(QRegularExpression(QStringLiteral("[*?[]")));
    else if (syntax == PatternSyntax::RegularExpression)
        pos = sourcePath.indexOf(QRegularExpression(QStringLiteral("[\\$\\(\\)\\*\\+\\.\\?\\[\\]\\^\\{\\}\\|]")));

    if (pos != -1) {
        pathPrefix = pathPrefix.left(pos);
        const qsizetype slash = pathPrefix.lastIndexOf(u'/');
        pathPrefix = slash == -1 ? QString() : pathPrefix.left(slash);
    } else if (QFileInfo(sourcePath).isFile()) {
        return readFile(sourcePath, format);
    }

    // A relative pattern walks "." and matches paths without the "./".
    qsizetype startIndex = 0;
    if (pathPrefix.isEmpty()) {
        pathPrefix = QStringLiteral(".");
        startIndex = 2;
    }

    if (syntax == PatternSyntax::Wildcard)
        sourcePath = QRegularExpression::wildcardToRegularExpression(
                sourcePath, QRegularExpression::UnanchoredWildcardConversion);
    const QRegularExpression pattern(QRegularExpression::anchoredPattern(sourcePath));

    QList<QSslCertificate> certs;
    QDirIterator it(pathPrefix, QDir::Files,
                    QDirIterator::FollowSymlinks | QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString filePath = it.next().mid(startIndex);
        if (pattern.match(filePath).hasMatch())
            certs += readFile(filePath, format);
    }
    return certs;
}

QList<QSslCertificate> QSslCertificate::fromDevice(QIODevice *device, QSsl::EncodingFormat format)
{
    if (!device) {
        qWarning("QSslCertificate::fromDevice: cannot read from a null device");
        return {};
    }
    return fromData(device->readAll(), format);
}

QList<QSslCertificate> QSslCertificate::fromData(const QByteArray &data, QSsl::EncodingFormat format)
{
    return certificatesFrom(data, format, -1);
}

// Only a regular file (a FIFO would block, a directory has no certificates); resources work.
QList<QSslCertificate> QSslCertificate::fromFile(const QString &filePath, QSsl::EncodingFormat format)
{
    if (!QFileInfo(filePath).isFile())
        return {};
    return readFile(filePath, format);
}

QList<QSslError> QSslCertificate::verify(const QList<QSslCertificate> &certificateChain,
                                         const QString &hostName)
{
    if (certificateChain.isEmpty() || certificateChain.first().isNull())
        return {QSslError(QSslError::UnspecifiedError)};
    const QList<QSslCertificate> ourChain = QtOwnSsl::ours(certificateChain);

    // Qt trusts the default configuration's CAs plus the system's, minus expired ones.
    QList<QSslCertificate> roots = QSslConfiguration::defaultConfiguration().caCertificates();
    roots += QSslConfiguration::systemCaCertificates();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    auto trusted = qsslrs::engine_certificate_list_new();
    for (const auto &root : std::as_const(roots)) {
        if (const auto *cert = QSslCertificatePrivate::engine(root); cert && root.expiryDate() >= now)
            trusted->push(*cert);
    }
    auto chain = qsslrs::engine_certificate_list_new();
    for (const auto &link : ourChain) {
        if (const auto *cert = QSslCertificatePrivate::engine(link))
            chain->push(*cert);
    }

    QList<QSslError> errors;
    const QByteArray host = hostName.toUtf8();
    for (const auto &error : qsslrs::engine_verify_chain(
                 *chain, *trusted, rust::Str(host.constData(), size_t(host.size())))) {
        const auto code = QSslError::SslError(error.code);
        errors << (error.index < 0 ? QSslError(code)
                                   : QSslError(code, certificateChain.value(error.index)));
    }
    return errors;
}

bool QSslCertificate::importPkcs12(QIODevice *device, QSslKey *key, QSslCertificate *certificate,
                                   QList<QSslCertificate> *caCertificates,
                                   const QByteArray &passPhrase)
{
    if (!device || !key || !certificate)
        return false;
    auto imported = qsslrs::engine_import_pkcs12(bytes(device->readAll()), bytes(passPhrase));
    if (!imported->ok())
        return false;
    *key = QSslKeyPrivate::fromEngine(imported->take_key());
    *certificate = QSslCertificatePrivate::fromEngine(imported->take_certificate());
    if (caCertificates)
        *caCertificates = QSslCertificatePrivate::fromEngine(*imported->take_ca_certificates());
    return true;
}

Qt::HANDLE QSslCertificate::handle() const
{
    if (madeByQt(*this))
        return call<&QSslCertificate::handle>(this);
    const auto *cert = QSslCertificatePrivate::engine(*this);
    return cert ? reinterpret_cast<Qt::HANDLE>(cert->handle()) : nullptr;
}

size_t qHash(const QSslCertificate &key, size_t seed) noexcept
{
    if (madeByQt(key)) {
        return QtOwnSsl::callRequired<static_cast<size_t (*)(const QSslCertificate &, size_t) noexcept>(
                &qHash)>(key, seed);
    }
    const auto *cert = QSslCertificatePrivate::engine(key);
    if (!cert)
        return seed;
    const auto sha1 = cert->sha1();
    return qHashBits(sha1.data(), sha1.size(), seed);
}

#ifndef QT_NO_DEBUG_STREAM
QDebug operator<<(QDebug debug, const QSslCertificate &certificate)
{
    QDebugStateSaver saver(debug);
    debug.resetFormat().nospace();
    debug << "QSslCertificate(" << certificate.version() << ", " << certificate.serialNumber()
          << ", " << certificate.digest().toBase64() << ", " << certificate.issuerDisplayName()
          << ", " << certificate.subjectDisplayName() << ", "
          << certificate.subjectAlternativeNames() << ", " << certificate.effectiveDate() << ", "
          << certificate.expiryDate() << ')';
    return debug;
}

QDebug operator<<(QDebug debug, QSslCertificate::SubjectInfo info)
{
    switch (info) {
    case QSslCertificate::Organization: debug << "Organization"; break;
    case QSslCertificate::CommonName: debug << "CommonName"; break;
    case QSslCertificate::CountryName: debug << "CountryName"; break;
    case QSslCertificate::LocalityName: debug << "LocalityName"; break;
    case QSslCertificate::OrganizationalUnitName: debug << "OrganizationalUnitName"; break;
    case QSslCertificate::StateOrProvinceName: debug << "StateOrProvinceName"; break;
    case QSslCertificate::DistinguishedNameQualifier: debug << "DistinguishedNameQualifier"; break;
    case QSslCertificate::SerialNumber: debug << "SerialNumber"; break;
    case QSslCertificate::EmailAddress: debug << "EmailAddress"; break;
    }
    return debug;
}
#endif

QT_END_NAMESPACE
