#!/usr/bin/env bash
# The README's second command: every test suite — the engine's (cargo test) and the Qt ones
# (ctest: QtTest suites, their relinked builds, the ABI, interop and boundary checks, the QML
# tests, the examples, hostile peers and a soak), the QtTest suites, the examples and the hostile
# suites again under ASan+UBSan with leak checks, a fuzz smoke run of every
# cargo-fuzz target, and the vendored OpenSSL build (skipped with QSSLRS_SKIP_VENDORED=1).
# Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export PATH="$HOME/.cargo/bin:$PATH"

echo "== cargo test"
# The QML crate is built (with its Qt setup) and tested by CMake: tests/qml.
CARGO_TARGET_DIR=build/cargo cargo test --release --locked --workspace --exclude qsslrs-bridge --exclude qsslrs_qml \
    --exclude qsslrs-fuzz
echo "== ctest"
(cd build && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j2 --timeout 600)
echo "== sanitizer run: every QtTest suite (relinked ones too), the relinked boundary, the examples, the hostile peers and the soak, under ASan+UBSan with leak checks"
cmake -S . -B build-asan -G Ninja -DQSSLRS_SANITIZE_ADDRESS=ON -DQSSLRS_BUILD_EXAMPLES=ON \
      -DQSSLRS_BUILD_BENCH=OFF -DQSSLRS_BUILD_QML=OFF -DQSSLRS_CARGO_TARGET_DIR="$PWD/build/cargo" >/dev/null
cmake --build build-asan
asan_tests='make_test_certs|tst_.*|boundary_qnam|boundary_websocket|examples_echo|examples_keylog|examples_keylog_tshark|hostile_.*|soak'
(cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    QT_QPA_PLATFORM=offscreen ctest --output-on-failure --timeout 600 -R "^($asan_tests)\$")
echo "== fuzz smoke: every target for 20 s (scripts/fuzz.sh)"
scripts/fuzz.sh 20
if [ "${QSSLRS_SKIP_VENDORED:-0}" != 1 ]; then
    echo "== vendored OpenSSL build"
    scripts/check-vendored.sh
fi
