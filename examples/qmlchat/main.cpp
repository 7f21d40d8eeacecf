// qmlchat: opens main.qml, a QML client of sslechoserver on the QSslRs module.
//   qmlchat [--host H] [--port N] [--ca FILE] [--smoke]
// The module is looked up in the build tree's layout (QSSLRS_QML_IMPORT_DIR) and in
// QML_IMPORT_PATH. --smoke sends one line, exits 0 once it comes back and 1 on an error.
#include <QtGui/qguiapplication.h>
#include <QtQml/qqmlapplicationengine.h>

int main(int argc, char **argv)
{
    QGuiApplication app(argc, argv);
    QQmlApplicationEngine engine;
    engine.addImportPath(QStringLiteral(QSSLRS_QML_IMPORT_DIR));
    QObject::connect(&engine, &QQmlEngine::exit, &app, &QCoreApplication::exit, Qt::QueuedConnection);
    engine.load(QUrl(QStringLiteral("qrc:/qmlchat/main.qml")));
    if (engine.rootObjects().isEmpty())
        return 1;
    return app.exec();
}
