// qssl-rs QML module: makes the QML SslSocket a server hands out. Not API.
// SPDX-License-Identifier: MIT OR Apache-2.0
#pragma once

#include <QtCore/qstring.h>

class SslServer;
class SslSocket;

namespace qsslrs_qml {
// A new SslSocket owned by `server` (a QObject child).
SslSocket *newServerSideSocket(SslServer &server);
// qmlWarning() about the object, with its QML location.
void warnFromSocket(const SslSocket &socket, const QString &message);
void warnFromServer(const SslServer &server, const QString &message);
} // namespace qsslrs_qml
