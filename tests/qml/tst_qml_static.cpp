// The QML tests again, with the QSslRs module linked into the test runner (QSslRs::Qml) instead
// of loaded as a plugin. This runner also offers what QML alone cannot make: `closingServerPort`,
// a TCP server that drops every connection in the middle of its TLS handshake.
#include <QtNetwork/qtcpserver.h>
#include <QtNetwork/qtcpsocket.h>
#include <QtQml/qqmlcontext.h>
#include <QtQml/qqmlengine.h>
#include <QtQuickTest/quicktest.h>

class Setup : public QObject
{
    Q_OBJECT
public slots:
    void qmlEngineAvailable(QQmlEngine *engine)
    {
        engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
        closingServer.listen(QHostAddress::LocalHost, 0);
        // The ClientHello comes in; the connection goes before any answer.
        connect(&closingServer, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = closingServer.nextPendingConnection()) {
                connect(socket, &QIODevice::readyRead, socket, [socket] {
                    socket->readAll();
                    socket->disconnectFromHost();
                });
                connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
        engine->rootContext()->setContextProperty(QStringLiteral("closingServerPort"), closingServer.serverPort());
    }

private:
    QTcpServer closingServer;
};

QUICK_TEST_MAIN_WITH_SETUP(qml_static, Setup)

#include "tst_qml_static.moc"
