// Writes what the public API shows for every certificate, key and PKCS#12 bundle of the
// differential corpus, one "id<TAB>JSON" line each. Built once against the system's QtNetwork and
// once against qssl-rs; the two outputs must be identical (see known-differences.txt).
#include <QtCore/QBuffer>
#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QMetaEnum>
#include <QtNetwork/QPasswordDigestor>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslCertificateExtension>
#include <QtNetwork/QSslDiffieHellmanParameters>
#include <QtNetwork/QSslEllipticCurve>
#include <QtNetwork/QSslError>
#include <QtNetwork/QSslKey>

#include <cstdio>

namespace {

template <typename T>
QString debugText(const T &value)
{
    QString text;
    QDebug(&text).nospace() << value;
    return text;
}

QJsonValue variantJson(const QVariant &value)
{
    // Keep the QVariant's type visible: QString and QByteArray must not look alike.
    QJsonObject object{{QStringLiteral("type"), QString::fromLatin1(value.typeName())}};
    switch (value.typeId()) {
    case QMetaType::QVariantMap: {
        QJsonObject map;
        const QVariantMap m = value.toMap();
        for (auto it = m.begin(); it != m.end(); ++it)
            map.insert(it.key(), variantJson(it.value()));
        object.insert(QStringLiteral("value"), map);
        break;
    }
    case QMetaType::QVariantList: {
        QJsonArray list;
        for (const QVariant &v : value.toList())
            list << variantJson(v);
        object.insert(QStringLiteral("value"), list);
        break;
    }
    case QMetaType::QByteArray:
        object.insert(QStringLiteral("value"), QString::fromLatin1(value.toByteArray().toBase64()));
        break;
    default:
        object.insert(QStringLiteral("value"), value.toString());
        break;
    }
    return object;
}

QJsonArray strings(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

QJsonArray bytesList(const QList<QByteArray> &list)
{
    QJsonArray array;
    for (const QByteArray &b : list)
        array << QString::fromUtf8(b);
    return array;
}

QString b64(const QByteArray &data)
{
    return QString::fromLatin1(data.toBase64());
}

QJsonObject keyJson(const QSslKey &key)
{
    QJsonObject o;
    o.insert(QStringLiteral("isNull"), key.isNull());
    o.insert(QStringLiteral("type"), int(key.type()));
    o.insert(QStringLiteral("algorithm"), int(key.algorithm()));
    o.insert(QStringLiteral("length"), key.length());
    o.insert(QStringLiteral("toPem"), QString::fromLatin1(key.toPem()));
    o.insert(QStringLiteral("toDer"), b64(key.toDer()));
    o.insert(QStringLiteral("toDerWithPass"), b64(key.toDer("pw")));
    o.insert(QStringLiteral("handleIsNull"), key.handle() == nullptr);
    o.insert(QStringLiteral("debug"), debugText(key));
    o.insert(QStringLiteral("equalsSelfCopy"), key == QSslKey(key));
    // Encrypted output is random (salt/IV): compare what decrypting it gives back.
    const QByteArray encrypted = key.toPem("pw");
    o.insert(QStringLiteral("encryptedHeader"), QString::fromLatin1(encrypted.left(encrypted.indexOf('\n'))));
    if (!encrypted.isEmpty() && key.type() == QSsl::PrivateKey) {
        const QSslKey back(encrypted, key.algorithm(), QSsl::Pem, key.type(), "pw");
        o.insert(QStringLiteral("encryptedRoundTrip"), back == key);
    }
    return o;
}

QJsonObject certJson(const QSslCertificate &cert)
{
    QJsonObject o;
    o.insert(QStringLiteral("isNull"), cert.isNull());
    o.insert(QStringLiteral("version"), QString::fromLatin1(cert.version()));
    o.insert(QStringLiteral("serialNumber"), QString::fromLatin1(cert.serialNumber()));
    const QMetaEnum algorithms = QMetaEnum::fromType<QCryptographicHash::Algorithm>();
    QJsonObject digests;
    for (int i = 0; i < algorithms.keyCount(); ++i) {
        const auto a = QCryptographicHash::Algorithm(algorithms.value(i));
        digests.insert(QString::fromLatin1(algorithms.key(i)), QString::fromLatin1(cert.digest(a).toHex()));
    }
    o.insert(QStringLiteral("digest"), digests);
    QJsonObject subject, issuer;
    for (int i = QSslCertificate::Organization; i <= QSslCertificate::EmailAddress; ++i) {
        const auto info = QSslCertificate::SubjectInfo(i);
        subject.insert(debugText(info), strings(cert.subjectInfo(info)));
        issuer.insert(debugText(info), strings(cert.issuerInfo(info)));
    }
    for (const QByteArray &attr : cert.subjectInfoAttributes())
        subject.insert(QStringLiteral("attr:") + QString::fromUtf8(attr), strings(cert.subjectInfo(attr)));
    for (const QByteArray &attr : cert.issuerInfoAttributes())
        issuer.insert(QStringLiteral("attr:") + QString::fromUtf8(attr), strings(cert.issuerInfo(attr)));
    subject.insert(QStringLiteral("byLongName"), strings(cert.subjectInfo("commonName")));
    o.insert(QStringLiteral("subjectInfo"), subject);
    o.insert(QStringLiteral("issuerInfo"), issuer);
    o.insert(QStringLiteral("subjectInfoAttributes"), bytesList(cert.subjectInfoAttributes()));
    o.insert(QStringLiteral("issuerInfoAttributes"), bytesList(cert.issuerInfoAttributes()));
    o.insert(QStringLiteral("subjectDisplayName"), cert.subjectDisplayName());
    o.insert(QStringLiteral("issuerDisplayName"), cert.issuerDisplayName());
    QJsonArray sans;
    const auto alt = cert.subjectAlternativeNames();
    for (auto it = alt.begin(); it != alt.end(); ++it)
        sans << QJsonArray{int(it.key()), it.value()};
    o.insert(QStringLiteral("subjectAlternativeNames"), sans);
    o.insert(QStringLiteral("effectiveDate"), cert.effectiveDate().toString(Qt::ISODate) + QString::number(cert.effectiveDate().timeSpec()));
    o.insert(QStringLiteral("expiryDate"), cert.expiryDate().toString(Qt::ISODate) + QString::number(cert.expiryDate().timeSpec()));
    o.insert(QStringLiteral("isSelfSigned"), cert.isSelfSigned());
    o.insert(QStringLiteral("isBlacklisted"), cert.isBlacklisted());
    o.insert(QStringLiteral("publicKey"), keyJson(cert.publicKey()));
    QJsonArray extensions;
    for (const QSslCertificateExtension &e : cert.extensions()) {
        extensions << QJsonObject{{QStringLiteral("oid"), e.oid()},
                                  {QStringLiteral("name"), e.name()},
                                  {QStringLiteral("critical"), e.isCritical()},
                                  {QStringLiteral("supported"), e.isSupported()},
                                  {QStringLiteral("value"), variantJson(e.value())}};
    }
    o.insert(QStringLiteral("extensions"), extensions);
    o.insert(QStringLiteral("toPem"), QString::fromLatin1(cert.toPem()));
    o.insert(QStringLiteral("toDer"), b64(cert.toDer()));
    o.insert(QStringLiteral("toText"), cert.toText());
    o.insert(QStringLiteral("handleIsNull"), cert.handle() == nullptr);
    // Seed 0: qHashBits mixes a per-process random value into any other seed.
    o.insert(QStringLiteral("qHash"), QString::number(qHash(cert)));
    o.insert(QStringLiteral("debug"), debugText(cert));
    o.insert(QStringLiteral("equalsReparsed"), cert == QSslCertificate(cert.toDer(), QSsl::Der));
    return o;
}

QJsonArray certList(const QList<QSslCertificate> &certs)
{
    QJsonArray array;
    for (const QSslCertificate &c : certs)
        array << certJson(c);
    return array;
}

void writeLine(const QString &id, const QJsonObject &object)
{
    std::fputs(id.toUtf8().constData(), stdout);
    std::fputc('\t', stdout);
    std::fputs(QJsonDocument(object).toJson(QJsonDocument::Compact).constData(), stdout);
    std::fputc('\n', stdout);
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList lines(const QString &path)
{
    return QString::fromUtf8(readAll(path)).split(u'\n', Qt::SkipEmptyParts);
}

QSsl::KeyAlgorithm algorithmFrom(const QString &name)
{
    if (name == u"rsa") return QSsl::Rsa;
    if (name == u"dsa") return QSsl::Dsa;
    if (name == u"ec") return QSsl::Ec;
    return QSsl::Dh;
}

QByteArray passFrom(const QString &pass)
{
    return pass == u"-" ? QByteArray() : pass.toUtf8();
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
        return 2;
    }
    QDir dir(QFileInfo(QString::fromLocal8Bit(argv[1])).absoluteFilePath());
    QDir::setCurrent(dir.absolutePath());

    const QStringList certFiles = dir.entryList({QStringLiteral("*.pem"), QStringLiteral("*.der")},
                                                QDir::Files, QDir::Name);
    for (const QString &file : certFiles) {
        const QSsl::EncodingFormat format = file.endsWith(u".der") ? QSsl::Der : QSsl::Pem;
        const QByteArray data = readAll(file);
        QBuffer buffer;
        buffer.setData(data);
        buffer.open(QIODevice::ReadOnly);
        writeLine(QStringLiteral("cert:") + file,
             {{QStringLiteral("single"), certJson(QSslCertificate(data, format))},
              {QStringLiteral("fromDevice"), QSslCertificate::fromDevice(&buffer, format).size()},
              {QStringLiteral("fromData"), certList(QSslCertificate::fromData(data, format))}});
    }

    const struct { const char *pattern; QSslCertificate::PatternSyntax syntax; } patterns[] = {
        {"serial-*.pem", QSslCertificate::PatternSyntax::Wildcard},
        {"ca/new/*.pem", QSslCertificate::PatternSyntax::Wildcard},
        {"ca/new/.*\\.pem", QSslCertificate::PatternSyntax::RegularExpression},
        {"rsa[0-9]+\\.pem", QSslCertificate::PatternSyntax::RegularExpression},
        {"leaf.pem", QSslCertificate::PatternSyntax::FixedString},
        {"ca", QSslCertificate::PatternSyntax::FixedString},
        {"missing.pem", QSslCertificate::PatternSyntax::FixedString},
    };
    for (const auto &p : patterns) {
        QStringList subjects;
        for (const QSslCertificate &c : QSslCertificate::fromPath(QString::fromLatin1(p.pattern), QSsl::Pem, p.syntax))
            subjects << c.subjectDisplayName() + QLatin1Char('/') + QString::fromLatin1(c.serialNumber());
        subjects.sort();
        writeLine(QStringLiteral("fromPath:") + QString::fromLatin1(p.pattern), {{QStringLiteral("certs"), strings(subjects)}});
    }

    for (const QString &line : lines(QStringLiteral("keys.txt"))) {
        const QStringList f = line.split(u' ');
        if (f.size() != 5)
            continue;
        QFile device(f[0]);
        device.open(QIODevice::ReadOnly);
        const QSsl::EncodingFormat format = f[2] == u"der" ? QSsl::Der : QSsl::Pem;
        const QSsl::KeyType type = f[3] == u"public" ? QSsl::PublicKey : QSsl::PrivateKey;
        const QSslKey key(&device, algorithmFrom(f[1]), format, type, passFrom(f[4]));
        writeLine(QStringLiteral("key:") + line, keyJson(key));
    }

    for (const QString &line : lines(QStringLiteral("p12.txt"))) {
        const QStringList f = line.split(u' ');
        QFile device(f.value(0));
        device.open(QIODevice::ReadOnly);
        QSslKey key;
        QSslCertificate cert;
        QList<QSslCertificate> cas;
        const bool ok = QSslCertificate::importPkcs12(&device, &key, &cert, &cas, passFrom(f.value(1)));
        writeLine(QStringLiteral("p12:") + line, {{QStringLiteral("ok"), ok},
                                              {QStringLiteral("key"), keyJson(key)},
                                              {QStringLiteral("cert"), certJson(cert)},
                                              {QStringLiteral("cas"), certList(cas)}});
    }

    const QList<QSslCertificate> chain = QSslCertificate::fromPath(QStringLiteral("chain.pem"));
    for (const QString &host : {QString(), QStringLiteral("leaf.example"), QStringLiteral("127.0.0.1"), QStringLiteral("other.example")}) {
        QJsonArray errors;
        for (const QSslError &e : QSslCertificate::verify(chain, host))
            errors << QJsonArray{int(e.error()), e.errorString(), e.certificate().subjectDisplayName()};
        writeLine(QStringLiteral("verify:") + host, {{QStringLiteral("errors"), errors}});
    }

    for (const QString &file : {QStringLiteral("dh.pem"), QStringLiteral("dsa.param"), QStringLiteral("rsa-trad.pem")}) {
        const auto dh = QSslDiffieHellmanParameters::fromEncoded(readAll(file));
        writeLine(QStringLiteral("dh:") + file, {{QStringLiteral("valid"), dh.isValid()},
                                            {QStringLiteral("empty"), dh.isEmpty()},
                                            {QStringLiteral("error"), int(dh.error())},
                                            {QStringLiteral("debug"), debugText(dh)}});
    }
    return 0;
}
