# Installs the build into a fresh prefix, builds the consumer project against it and runs it.
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix}
    RESULT_VARIABLE result OUTPUT_QUIET)
if(result)
    message(FATAL_ERROR "cmake --install failed")
endif()
if(NOT WITH_QML)
    set(WITH_QML OFF)
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/build -G Ninja
        -DCMAKE_PREFIX_PATH=${prefix} -DWITH_QML=${WITH_QML}
    RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(result)
    message(FATAL_ERROR "configuring the consumer failed:\n${out}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build
    RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(result)
    message(FATAL_ERROR "building the consumer failed:\n${out}")
endif()
execute_process(COMMAND ${WORK_DIR}/build/consumer ${prefix}
    RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
message(STATUS "${out}")
if(result)
    message(FATAL_ERROR "the consumer failed")
endif()

# The QML module, when the build has it: linked in, and as the plugin Qt's tools find.
if(WITH_QML)
    execute_process(COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen ${WORK_DIR}/build/qml_consumer
        RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
    message(STATUS "${out}")
    if(result)
        message(FATAL_ERROR "the QSslRs::Qml consumer failed")
    endif()

    set(module ${prefix}/lib/qt6/qml/QSslRs)
    foreach(file qmldir plugin.qmltypes libqsslrsqmlplugin.so)
        if(NOT EXISTS ${module}/${file})
            message(FATAL_ERROR "the QML module lacks ${file} in ${module}")
        endif()
    endforeach()
    # The installed plugin, loaded by the stock qmltestrunner, runs the QML tests.
    execute_process(COMMAND ${CMAKE_COMMAND} -E env QT_QPA_PLATFORM=offscreen
            ${QMLTESTRUNNER} -import ${prefix}/lib/qt6/qml -input ${QML_TESTS_DIR}
        RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE out)
    if(result)
        message(FATAL_ERROR "the installed QML module failed its tests:\n${out}")
    endif()
    message(STATUS "installed QML module: tests passed")
endif()
# The pkg-config file, for projects without CMake.
find_program(PKG_CONFIG pkg-config)
if(PKG_CONFIG)
    execute_process(COMMAND ${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${prefix}/lib/pkgconfig
            ${PKG_CONFIG} --cflags --libs QSslRs
        RESULT_VARIABLE result OUTPUT_VARIABLE flags ERROR_VARIABLE flags)
    if(result OR NOT flags MATCHES "-lQSslRs")
        message(FATAL_ERROR "pkg-config QSslRs: ${flags}")
    endif()
    message(STATUS "pkg-config QSslRs: ${flags}")
endif()
