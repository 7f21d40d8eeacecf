#!/usr/bin/env bash
# bench/run.sh [--callgrind] [--build-dir DIR] [-- TLSBENCH-ARGS...]
#
# Builds tlsbench_qt (Qt's own QSslSocket) and tlsbench_qsslrs (qssl-rs) if needed, makes test
# certificates in a temporary directory, runs both programs one after the other and prints
#     scenario | Qt 6.4 | qssl-rs | ratio (qssl-rs / Qt) | better
# Everything stays on 127.0.0.1; both programs stop by themselves (watchdog). The whole run takes
# a bit over a minute on a 2-core machine. TLSBENCH-ARGS go to both programs (see bench/tlsbench.cpp,
# e.g. -- --repeats 5 --only handshake13,roundtrip).
#
# --callgrind (needs valgrind): also counts the instructions per handshake (and per round trip)
# under valgrind --tool=callgrind, only inside the measured loop (set-up and warm-up excluded): a
# repeatable number, unlike the wall-clock rates. Adds a minute or two.
#
# Not part of ctest: benchmarks are never timed unit tests.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
build_dir=${QSSLRS_BENCH_BUILD_DIR:-$repo/build}
callgrind=0
bench_args=()
while [ $# -gt 0 ]; do
    case $1 in
        --callgrind) callgrind=1 ;;
        --build-dir) build_dir=$2; shift ;;
        --) shift; bench_args=("$@"); break ;;
        -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

work=$(mktemp -d "${TMPDIR:-/tmp}/qsslrs-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Build (a no-op when up to date).
if ! { [ -f "$build_dir/CMakeCache.txt" ] \
        || cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo; } >"$work/build.log" 2>&1 \
    || ! cmake --build "$build_dir" --target tlsbench_qt tlsbench_qsslrs >>"$work/build.log" 2>&1; then
    echo "run.sh: the build failed:" >&2
    cat "$work/build.log" >&2
    exit 1
fi
bin_qt=$build_dir/bench/tlsbench_qt
bin_rs=$build_dir/bench/tlsbench_qsslrs
"$repo/tests/certs/make-certs.sh" "$work/certs"

# run NAME BINARY ARGS...: stdout (the result lines) to $work/NAME.out, diagnostics to NAME.err.
run() {
    local name=$1; shift
    if ! "$@" >"$work/$name.out" 2>"$work/$name.err"; then
        echo "run.sh: $name failed:" >&2
        cat "$work/$name.err" >&2
        exit 1
    fi
}

start=$SECONDS
run qt "$bin_qt" --certs "$work/certs" "${bench_args[@]}"
run rs "$bin_rs" --certs "$work/certs" "${bench_args[@]}"

# The table. Rates (unit ".../s") are better higher, everything else lower.
print_table() {
    awk '
        FNR == NR { qt[$1] = $2; unit[$1] = $3; order[++n] = $1; next }
        { rs[$1] = $2 }
        END {
            printf "%-20s | %14s | %14s | %-13s | %7s | %s\n", "scenario", "Qt 6.4", "qssl-rs", "unit", "ratio", "better"
            printf "%-20s-+-%14s-+-%14s-+-%-13s-+-%7s-+-%s\n", "--------------------", "--------------", "--------------", "-------------", "-------", "-------"
            for (i = 1; i <= n; i++) {
                s = order[i]
                if (!(s in rs)) continue
                ratio = qt[s] > 0 ? rs[s] / qt[s] : 0
                higher = unit[s] ~ /\/s$/
                if (ratio > 0.97 && ratio < 1.03) better = "~ (within 3%)"
                else better = (higher ? rs[s] > qt[s] : rs[s] < qt[s]) ? "qssl-rs" : "Qt"
                printf "%-20s | %14.1f | %14.1f | %-13s | %7.2f | %s\n", s, qt[s], rs[s], unit[s], ratio, better
            }
        }' "$1" "$2"
}
echo "qssl-rs benchmark ($(nproc) cores; best of the repeats; ratio = qssl-rs / Qt)"
grep -h '^# QSslSocket from' "$work/qt.err" "$work/rs.err" || true
print_table "$work/qt.out" "$work/rs.out"
echo "(wall-clock benchmarks: $((SECONDS - start)) s)"

if [ $callgrind = 1 ]; then
    if ! command -v valgrind >/dev/null; then
        echo "run.sh: --callgrind: valgrind is not installed" >&2
        exit 1
    fi
    # Instructions counted only inside measuredLoop() (the measured part; set-up and warm-up
    # excluded). Qt and qssl-rs run in parallel: instruction counts do not depend on timing.
    measure() {   # NAME BINARY SCENARIO COUNT
        valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*measuredLoop*' \
            --callgrind-out-file="$work/$1.callgrind" "$2" --certs "$work/certs" --only "$3" \
            --repeats 1 --handshakes "$4" --serial-handshakes "$4" --roundtrips "$4" --watchdog 900 \
            >"$work/$1.cg.out" 2>"$work/$1.cg.err" \
            || { echo "run.sh: callgrind $1 failed:" >&2; cat "$work/$1.cg.err" >&2; return 1; }
        sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p' "$work/$1.cg.err" >"$work/$1.ir"
    }
    # scenario:count
    scenarios=(handshake13:20 handshake12:20 handshake13_serial:10 roundtrip:2000)
    for entry in "${scenarios[@]}"; do
        measure "qt-${entry%:*}" "$bin_qt" "${entry%:*}" "${entry#*:}" & qt_pid=$!
        measure "rs-${entry%:*}" "$bin_rs" "${entry%:*}" "${entry#*:}" & rs_pid=$!
        wait $qt_pid && wait $rs_pid
    done
    echo
    echo "callgrind: instructions per handshake / round trip (ratio = qssl-rs / Qt, lower is better)"
    printf "%-20s | %14s | %14s | %7s\n" "scenario" "Qt 6.4" "qssl-rs" "ratio"
    for entry in "${scenarios[@]}"; do
        name=${entry%:*}
        awk -v s="$name" -v qt="$(cat "$work/qt-$name.ir")" -v rs="$(cat "$work/rs-$name.ir")" -v n="${entry#*:}" \
            'BEGIN { printf "%-20s | %14d | %14d | %7.2f\n", s, qt / n, rs / n, rs / qt }'
    done
    echo "(with callgrind: $((SECONDS - start)) s in all)"
fi
