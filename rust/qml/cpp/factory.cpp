// SPDX-License-Identifier: MIT OR Apache-2.0
#include "factory.h"

#include "qsslrs_qml/src/qml.cxxqt.h"

#include <QtQml/qqmlinfo.h>

namespace qsslrs_qml {

SslSocket *newServerSideSocket(SslServer &server)
{
    return new SslSocket(&server);
}

void warnFromSocket(const SslSocket &socket, const QString &message)
{
    qmlWarning(&socket) << message;
}

void warnFromServer(const SslServer &server, const QString &message)
{
    qmlWarning(&server) << message;
}

} // namespace qsslrs_qml
