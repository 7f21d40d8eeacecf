# cmake -DSOURCE_DIR=... -DDEST_DIR=... -DPLUGIN_NAME=... -P QmlModuleLayout.cmake
# Copies cxx-qt's qmldir and plugin.qmltypes next to the plugin, naming the plugin's real file.
file(READ ${SOURCE_DIR}/qmldir qmldir)
string(REGEX REPLACE "\n(optional )?plugin [^\n]*" "\n\\1plugin ${PLUGIN_NAME}" qmldir "${qmldir}")
# The module is a plugin on disk, not in resources.
string(REGEX REPLACE "\nprefer [^\n]*" "" qmldir "${qmldir}")
file(WRITE ${DEST_DIR}/qmldir "${qmldir}")
file(COPY ${SOURCE_DIR}/plugin.qmltypes DESTINATION ${DEST_DIR})
