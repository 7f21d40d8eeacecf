# The QSslRs QML module (rust/qml, built with cxx-qt by cargo; no Corrosion): a dynamic QML plugin
# laid out in ${CMAKE_BINARY_DIR}/qml/QSslRs (as installed under lib/qt6/qml/QSslRs), where `qml`
# and `qmltestrunner` find it with QML_IMPORT_PATH (or -import).
find_package(Qt6 6.4 REQUIRED COMPONENTS Qml)
get_target_property(_qmake Qt6::qmake LOCATION)
# Where Qt's tools are (qmltestrunner), as qmake knows it (Debian's qmake is a wrapper elsewhere).
execute_process(COMMAND ${_qmake} -query QT_INSTALL_BINS OUTPUT_VARIABLE QSSLRS_QT_BINS
    OUTPUT_STRIP_TRAILING_WHITESPACE)
if(QSSLRS_BUILD_TESTS)
    find_program(QMLTESTRUNNER qmltestrunner HINTS ${QSSLRS_QT_BINS} REQUIRED)
endif()

set(QSSLRS_QML_EXPORT_DIR ${CMAKE_BINARY_DIR}/cxxqt)
set(QSSLRS_QML_ARCHIVE ${QSSLRS_CARGO_TARGET_DIR}/release/libqsslrs_qml.a)
set(QSSLRS_QML_MODULE_DIR ${QSSLRS_QML_EXPORT_DIR}/qml_modules/QSslRs)
set(QSSLRS_QML_OBJECTS
    ${QSSLRS_QML_EXPORT_DIR}/crates/qsslrs_qml/initializers.o
    ${QSSLRS_QML_MODULE_DIR}/plugin_init.o)
# Where the module is laid out for tests and tools, as it is installed.
set(QSSLRS_QML_IMPORT_DIR ${CMAKE_BINARY_DIR}/qml)

add_custom_target(qsslrs_qml_cargo
    COMMAND ${CMAKE_COMMAND} -E env
        CARGO_TARGET_DIR=${QSSLRS_CARGO_TARGET_DIR}
        QMAKE=${_qmake}
        CXX_QT_EXPORT_DIR=${QSSLRS_QML_EXPORT_DIR}
        CXX_QT_EXPORT_CRATE_qsslrs_qml=1
        CXX_QT_QT_MODULES=Qt6::Core,Qt6::Qml,Qt6::Network
        ${CARGO} build --release --locked -p qsslrs_qml
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
    BYPRODUCTS ${QSSLRS_QML_ARCHIVE} ${QSSLRS_QML_OBJECTS}
    COMMENT "Building the QSslRs QML module with cargo (cxx-qt)"
    USES_TERMINAL)
# Both cargo builds share one target directory: never at the same time.
add_dependencies(qsslrs_qml_cargo qsslrs_cargo)

set_source_files_properties(${QSSLRS_QML_OBJECTS} PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
# The generated qmldir names the plugin after the URI, which would give it our main library's
# file name: it is renamed.
add_library(QSslRsQmlPlugin MODULE ${QSSLRS_QML_OBJECTS})
add_dependencies(QSslRsQmlPlugin qsslrs_qml_cargo)
set_target_properties(QSslRsQmlPlugin PROPERTIES
    OUTPUT_NAME qsslrsqmlplugin
    LINKER_LANGUAGE CXX
    LIBRARY_OUTPUT_DIRECTORY ${QSSLRS_QML_IMPORT_DIR}/QSslRs
    BUILD_RPATH $<TARGET_FILE_DIR:QSslRs>
    INSTALL_RPATH "$ORIGIN/../../..")
# libQSslRs first: the plugin's QSslSocket and QSslServer are ours (compiled against Qt's headers,
# whose ABI ours keeps), bound before QtNetwork's.
target_link_libraries(QSslRsQmlPlugin PRIVATE
    -Wl,--no-as-needed QSslRs -Wl,--as-needed
    ${QSSLRS_QML_ARCHIVE} Qt6::Qml Qt6::Network Threads::Threads ${CMAKE_DL_LIBS})
# Only what Qt's plugin loader looks up leaves the plugin (cxx-qt's moc output is in the archive).
target_link_options(QSslRsQmlPlugin PRIVATE -Wl,--version-script=${CMAKE_CURRENT_LIST_DIR}/qmlplugin.map)
set_property(TARGET QSslRsQmlPlugin APPEND PROPERTY LINK_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/qmlplugin.map)
add_custom_command(TARGET QSslRsQmlPlugin POST_BUILD
    COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${QSSLRS_QML_MODULE_DIR} -DDEST_DIR=${QSSLRS_QML_IMPORT_DIR}/QSslRs
        -DPLUGIN_NAME=qsslrsqmlplugin -P ${CMAKE_CURRENT_LIST_DIR}/QmlModuleLayout.cmake
    VERBATIM)

install(TARGETS QSslRsQmlPlugin LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/qt6/qml/QSslRs)
install(FILES ${QSSLRS_QML_IMPORT_DIR}/QSslRs/qmldir ${QSSLRS_QML_IMPORT_DIR}/QSslRs/plugin.qmltypes
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/qt6/qml/QSslRs)

# The same module linked into an app (QSslRs::Qml): its types register themselves as the app
# starts, and `import QSslRs` finds the module at qrc:/qt/qml/QSslRs (Qt 6.4 does not search
# qrc:/qt/qml by default: QQmlEngine::addImportPath("qrc:/qt/qml")).
add_library(QSslRsQml INTERFACE)
add_library(QSslRs::Qml ALIAS QSslRsQml)
add_dependencies(QSslRsQml qsslrs_qml_cargo)
target_sources(QSslRsQml INTERFACE ${QSSLRS_QML_OBJECTS})
target_link_libraries(QSslRsQml INTERFACE
    QSslRs ${QSSLRS_QML_ARCHIVE} Qt6::Qml Qt6::Network Threads::Threads ${CMAKE_DL_LIBS})

# Installed, the linked-in variant is the archive and the two objects cxx-qt leaves, under
# lib/qsslrs, which QSslRsConfig.cmake turns into QSslRs::Qml.
install(FILES ${QSSLRS_QML_ARCHIVE} ${QSSLRS_QML_OBJECTS} DESTINATION ${CMAKE_INSTALL_LIBDIR}/qsslrs)
