// qssl-rs: the one place where Qt's byte and string types meet cxx's. Not API.
// SPDX-License-Identifier: MIT OR Apache-2.0
#ifndef QSSLRS_CONVERT_P_H
#define QSSLRS_CONVERT_P_H

#include <QtCore/qbytearray.h>
#include <QtCore/qstring.h>

#include "rust/cxx.h"

namespace qsslrs {

// A view for the engine: no copy.
inline rust::Slice<const uint8_t> bytes(const char *data, qint64 len)
{
    return {reinterpret_cast<const uint8_t *>(data), size_t(len)};
}

inline rust::Slice<const uint8_t> bytes(const QByteArray &data)
{
    return bytes(data.constData(), data.size());
}

inline QByteArray toByteArray(rust::Slice<const uint8_t> data)
{
    return QByteArray(reinterpret_cast<const char *>(data.data()), qsizetype(data.size()));
}

inline QByteArray toByteArray(const rust::Vec<uint8_t> &data)
{
    return QByteArray(reinterpret_cast<const char *>(data.data()), qsizetype(data.size()));
}

inline QString toQString(const rust::String &text)
{
    return QString::fromUtf8(text.data(), qsizetype(text.size()));
}

inline QString toQString(const rust::Vec<uint8_t> &utf8)
{
    return QString::fromUtf8(reinterpret_cast<const char *>(utf8.data()), qsizetype(utf8.size()));
}

} // namespace qsslrs

#endif
