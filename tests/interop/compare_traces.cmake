# Runs both builds of a trace program and fails with a diff when their outputs differ.
get_filename_component(name ${OUR_BINARY} NAME)
execute_process(COMMAND ${QT_BINARY} ${ARGS} OUTPUT_FILE ${OUT_DIR}/${name}.qt.txt RESULT_VARIABLE qt_result)
execute_process(COMMAND ${OUR_BINARY} ${ARGS} OUTPUT_FILE ${OUT_DIR}/${name}.ours.txt RESULT_VARIABLE our_result)
if(NOT qt_result EQUAL 0 OR NOT our_result EQUAL 0)
    message(FATAL_ERROR "trace programs failed: Qt ${qt_result}, qssl-rs ${our_result}")
endif()
# Where qssl-rs says more than Qt on purpose, its words are put back to Qt's before comparing:
# a QSslServer handshake timeout says why (Qt leaves "Unknown error").
file(READ ${OUT_DIR}/${name}.ours.txt ours)
string(REGEX REPLACE "\"The TLS handshake with [0-9.:]+ did not complete within [0-9]+ ms\"" "\"Unknown error\"" ours "${ours}")
file(WRITE ${OUT_DIR}/${name}.ours-as-qt.txt "${ours}")
execute_process(COMMAND diff -u ${OUT_DIR}/${name}.qt.txt ${OUT_DIR}/${name}.ours-as-qt.txt
    OUTPUT_VARIABLE difference RESULT_VARIABLE differs)
if(differs)
    message(FATAL_ERROR "qssl-rs differs from Qt (- Qt, + qssl-rs):\n${difference}")
endif()
file(READ ${OUT_DIR}/${name}.qt.txt trace)
string(REGEX MATCHALL "\n== " scenarios "\n${trace}")
list(LENGTH scenarios count)
message(STATUS "identical to Qt in ${count} scenarios")
