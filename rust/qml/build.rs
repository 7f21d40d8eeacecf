// Builds the QSslRs QML module with cxx-qt-build. CMake drives it (cmake/QmlModule.cmake): it sets
// cxx-qt's export variables and links the result against libQSslRs, whose QSslSocket and
// QSslServer the C++ helpers use through Qt's own headers (the ABI is Qt's).
use cxx_qt_build::{CxxQtBuilder, PluginType, QmlModule};

fn main() {
    let plugin_type = match std::env::var("QSSLRS_QML_PLUGIN").as_deref() {
        Ok("static") => PluginType::Static,
        _ => PluginType::Dynamic,
    };
    println!("cargo:rerun-if-env-changed=QSSLRS_QML_PLUGIN");
    CxxQtBuilder::new_qml_module(QmlModule::new("QSslRs").version(1, 0).plugin_type(plugin_type))
        .qt_module("Network")
        .files(["src/qml.rs"])
        .cpp_file("cpp/socketlink.h")
        .cpp_file("cpp/socketlink.cpp")
        .cpp_file("cpp/factory.cpp")
        .build();
}
