#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build and test qssl-rs, then configures and
# builds it into ./build. Safe to run again: it installs and rebuilds only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(qt6-base-dev qt6-base-dev-tools qt6-declarative-dev qt6-websockets-dev libssl-dev openssl cmake
          ninja-build pkg-config g++ python3 python3-cryptography binutils make perl
          qt6-declarative-dev-tools qml6-module-qttest qml6-module-qtquick qml6-module-qtqml
          qml6-module-qtqml-models qml6-module-qtqml-workerscript qml6-module-qtquick-window
          tshark)  # tshark: Wireshark's reader checks the key log (tests/examples/keylog_tshark.py)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if ((${#missing[@]})); then
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    echo "Installing: ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if ! command -v cargo >/dev/null && [ -x "$HOME/.cargo/bin/cargo" ]; then
    export PATH="$HOME/.cargo/bin:$PATH"
fi
command -v cargo >/dev/null || { echo "cargo not found: install a Rust toolchain (rustup) first" >&2; exit 1; }

cmake -S . -B build -G Ninja ${QSSLRS_CMAKE_ARGS:-} >/dev/null
cmake --build build
