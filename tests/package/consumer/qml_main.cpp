// Uses the installed QSslRs QML module linked in (QSslRs::Qml): `import QSslRs` must give an
// SslSocket whose status is Closed.
#include <QtCore/qcoreapplication.h>
#include <QtQml/qqmlcomponent.h>
#include <QtQml/qqmlengine.h>

#include <cstdio>
#include <memory>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QQmlEngine engine;
    engine.addImportPath(QStringLiteral("qrc:/qt/qml"));
    QQmlComponent component(&engine);
    component.setData("import QSslRs\nSslSocket { host: \"localhost\" }", QUrl());
    const std::unique_ptr<QObject> socket(component.create());
    if (!socket) {
        std::fprintf(stderr, "%s\n", qPrintable(component.errorString()));
        return 1;
    }
    const bool closed = socket->property("status").toInt() == 0 && socket->property("host") == QStringLiteral("localhost");
    std::printf("QSslRs::Qml: SslSocket %s\n", closed ? "created" : "in an unexpected state");
    return closed ? 0 : 1;
}
