// qssl-rs: QSslKey's private data. Not API.
// SPDX-License-Identifier: MIT OR Apache-2.0
#ifndef QSSLRS_QSSLKEY_P_H
#define QSSLRS_QSSLKEY_P_H

#include <QtCore/qshareddata.h>
#include <QtNetwork/qsslkey.h>

#include "qsslrs-bridge/src/certificate.rs.h"
#include "qtownssl_p.h"
#include "rust/cxx.h"

QT_BEGIN_NAMESPACE

// The name is fixed by the public header (QExplicitlySharedDataPointer<QSslKeyPrivate>).
class QSslKeyPrivate : public QtOwnSsl::Marked, public QSharedData
{
public:
    QSslKeyPrivate() : key(qsslrs::engine_key_new()) {}
    explicit QSslKeyPrivate(rust::Box<qsslrs::Key> k) : key(std::move(k)) {}

    static QSslKey fromEngine(rust::Box<qsslrs::Key> key);

    rust::Box<qsslrs::Key> key;
};

QT_END_NAMESPACE

#endif
