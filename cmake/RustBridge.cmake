# Builds the Rust bridge crate with cargo (no Corrosion) and wraps its staticlib in an
# IMPORTED target `qsslrs_bridge` that carries the cxx-generated headers.
find_program(CARGO cargo HINTS $ENV{HOME}/.cargo/bin REQUIRED)

# One target directory can serve several builds (the sanitizer build shares the main one's).
set(QSSLRS_CARGO_TARGET_DIR ${CMAKE_BINARY_DIR}/cargo CACHE PATH "cargo's target directory")
set(QSSLRS_BRIDGE_INCLUDE_DIR ${CMAKE_BINARY_DIR}/bridge-include)
set(QSSLRS_BRIDGE_ARCHIVE ${QSSLRS_CARGO_TARGET_DIR}/release/libqsslrs_bridge.a)
set(_cargo_features)
if(QSSLRS_VENDORED_OPENSSL)
    set(_cargo_features --features vendored)
endif()

# Always runs: cargo itself knows whether anything changed and returns in well under a second.
add_custom_target(qsslrs_cargo
    COMMAND ${CMAKE_COMMAND} -E env
        CARGO_TARGET_DIR=${QSSLRS_CARGO_TARGET_DIR}
        QSSLRS_BRIDGE_INCLUDE_DIR=${QSSLRS_BRIDGE_INCLUDE_DIR}
        ${CARGO} build --release --locked -p qsslrs-bridge ${_cargo_features}
    WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}
    BYPRODUCTS ${QSSLRS_BRIDGE_ARCHIVE}
    COMMENT "Building the Rust engine with cargo"
    USES_TERMINAL)

file(MAKE_DIRECTORY ${QSSLRS_BRIDGE_INCLUDE_DIR})
add_library(qsslrs_bridge STATIC IMPORTED GLOBAL)
set_target_properties(qsslrs_bridge PROPERTIES
    IMPORTED_LOCATION ${QSSLRS_BRIDGE_ARCHIVE}
    INTERFACE_INCLUDE_DIRECTORIES ${QSSLRS_BRIDGE_INCLUDE_DIR})
add_dependencies(qsslrs_bridge qsslrs_cargo)

# What the Rust staticlib needs from the system.
set(_bridge_libs Threads::Threads ${CMAKE_DL_LIBS})
find_package(Threads REQUIRED)
if(NOT QSSLRS_VENDORED_OPENSSL)
    find_package(OpenSSL 3 REQUIRED)
    list(APPEND _bridge_libs OpenSSL::SSL OpenSSL::Crypto)
endif()
set_property(TARGET qsslrs_bridge PROPERTY INTERFACE_LINK_LIBRARIES ${_bridge_libs})
