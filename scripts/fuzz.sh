#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS]: builds the cargo-fuzz targets (nightly, AddressSanitizer) and runs
# each for SECONDS (default 30) from the seed corpora fuzz/make-corpus.sh makes; fails on the
# first crash, leak or timeout, whose input cargo-fuzz keeps in fuzz/artifacts/TARGET/.
# A long campaign on one target: scripts/fuzz.sh 3600, or
#   cargo +nightly fuzz run --target-dir build/fuzz TARGET build/fuzz-corpus/TARGET
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
export PATH="$HOME/.cargo/bin:$PATH"
command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz
corpus=build/fuzz-corpus
fuzz/make-corpus.sh "$corpus"
targets=(certificate key pkcs12 dhparams tls_client tls_server dtls ocsp)
cargo +nightly fuzz build --target-dir build/fuzz
for target in "${targets[@]}"; do
    log=$(mktemp)
    if ! cargo +nightly fuzz run --target-dir build/fuzz "$target" "$corpus/$target" -- \
            -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 -print_final_stats=1 >"$log" 2>&1; then
        tail -40 "$log"
        echo "fuzz: $target failed" >&2
        exit 1
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    edges=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
    echo "fuzz: $target: $runs executions, $edges"
    rm -f "$log"
done
