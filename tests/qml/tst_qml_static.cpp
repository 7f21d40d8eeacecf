// The QML tests again, with the QSslRs module linked into the test runner (QSslRs::Qml) instead
// of loaded as a plugin.
#include <QtQml/qqmlengine.h>
#include <QtQuickTest/quicktest.h>

class Setup : public QObject
{
    Q_OBJECT
public slots:
    void qmlEngineAvailable(QQmlEngine *engine) { engine->addImportPath(QStringLiteral("qrc:/qt/qml")); }
};

QUICK_TEST_MAIN_WITH_SETUP(qml_static, Setup)

#include "tst_qml_static.moc"
