#!/usr/bin/env bash
# The README's second command: every test suite — the engine's (cargo test) and the Qt ones
# (ctest: QtTest suites, their relinked builds, the ABI and interop checks) and the vendored
# OpenSSL build (skipped with QSSLRS_SKIP_VENDORED=1). Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export PATH="$HOME/.cargo/bin:$PATH"

echo "== cargo test"
CARGO_TARGET_DIR=build/cargo cargo test --release --locked --workspace --exclude qsslrs-bridge
echo "== ctest"
(cd build && QT_QPA_PLATFORM=offscreen ctest --output-on-failure -j2 --timeout 600)
if [ "${QSSLRS_SKIP_VENDORED:-0}" != 1 ]; then
    echo "== vendored OpenSSL build"
    scripts/check-vendored.sh
fi
