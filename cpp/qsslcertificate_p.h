// qssl-rs: QSslCertificate's private data. Not API.
// SPDX-License-Identifier: MIT OR Apache-2.0
#ifndef QSSLRS_QSSLCERTIFICATE_P_H
#define QSSLRS_QSSLCERTIFICATE_P_H

#include <optional>

#include <QtCore/qdatetime.h>
#include <QtCore/qmap.h>
#include <QtCore/qshareddata.h>
#include <QtNetwork/qsslcertificate.h>
#include <QtNetwork/qsslcertificateextension.h>

#include "qsslrs-bridge/src/certificate.rs.h"
#include "qtownssl_p.h"
#include "rust/cxx.h"

QT_BEGIN_NAMESPACE

// The name is fixed by the public header. Fields are filled once, at construction, as Qt does.
class QSslCertificatePrivate : public QtOwnSsl::Marked, public QSharedData
{
public:
    static QSslCertificate fromEngine(rust::Box<qsslrs::Certificate> cert);
    // Drains an engine list into certificates.
    static QList<QSslCertificate> fromEngine(qsslrs::CertificateList &list);
    static const qsslrs::Certificate *engine(const QSslCertificate &certificate);
    static QSslCertificateExtension extensionFromView(const qsslrs::ExtensionView &view);
    // QSslCertificateExtension befriends only this class.
    static QSslCertificateExtensionPrivate *data(QSslCertificateExtension &extension)
    { return extension.d.data(); }

    std::optional<rust::Box<qsslrs::Certificate>> cert;
    QByteArray versionString;
    QByteArray serialNumberString;
    QMultiMap<QByteArray, QString> subjectInfo;
    QMultiMap<QByteArray, QString> issuerInfo;
    QDateTime notValidBefore;
    QDateTime notValidAfter;
    QList<QSslCertificateExtension> extensions;
};

class QSslCertificateExtensionPrivate : public QtOwnSsl::Marked, public QSharedData
{
public:
    QString oid;
    QString name;
    QVariant value;
    bool critical = false;
    bool supported = false;
};

QT_END_NAMESPACE

#endif
