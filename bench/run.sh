#!/usr/bin/env bash
# bench/run.sh [--rounds N] [--build-dir DIR] [--out DIR] [--no-chart] [--callgrind] [-- TLSBENCH-ARGS...]
#
# Builds tlsbench_qt (Qt's own QSslSocket) and tlsbench_qsslrs (qssl-rs) if needed, makes test
# certificates in a temporary directory, runs the two programs alternately (Qt, qssl-rs, Qt, ...;
# --rounds N of each, default 3, every one with --repeats 1) and prints the table of the medians
#     scenario | Qt 6.4 | qssl-rs | unit | ratio | target | met
# (bench/chart.py), also written to OUT/results.md, with the chart of the ratios in OUT/results.png
# (OUT: --out DIR, default bench/). The chart needs matplotlib: run as root, run.sh installs
# Debian's python3-matplotlib; otherwise (or with --no-chart) there is no chart.
# Everything stays on 127.0.0.1; both programs stop by themselves (watchdog). With tlsbench's
# defaults (--mib 512 --handshakes 1000 --serial-handshakes 200 --roundtrips 50000 --conns 500,
# sized so that the whole run stays under 5 minutes on a 2-core machine) it takes 2 to 3 minutes.
# TLSBENCH-ARGS go to both programs (see bench/tlsbench.cpp for the scenarios), e.g.
#     bench/run.sh -- --only upload_chacha20,roundtrip,roundtrip_tcp --mib 32
#
# --build-dir DIR: the build tree to use (default build/, or $QSSLRS_BENCH_BUILD_DIR); configured
# if it has no CMakeCache.txt yet.
# --callgrind (needs valgrind): also counts the instructions per handshake (and per round trip)
# under valgrind --tool=callgrind, only inside the measured loop (set-up and warm-up excluded): a
# repeatable number, unlike the wall-clock rates. Adds a minute or two.
#
# Not part of ctest: benchmarks are never timed unit tests.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
build_dir=${QSSLRS_BENCH_BUILD_DIR:-$repo/build}
out_dir=$here
rounds=3
callgrind=0
chart=1
bench_args=()
while [ $# -gt 0 ]; do
    case $1 in
        --rounds) rounds=$2; shift ;;
        --build-dir) build_dir=$2; shift ;;
        --out) out_dir=$2; shift ;;
        --no-chart) chart=0 ;;
        --callgrind) callgrind=1 ;;
        --) shift; bench_args=("$@"); break ;;
        -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
        *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
case $rounds in
    ''|*[!0-9]*|0) echo "run.sh: --rounds needs a positive number" >&2; exit 2 ;;
esac
mkdir -p "$out_dir"
out_dir=$(cd "$out_dir" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/qsslrs-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The table needs python3; the chart matplotlib, looked for (and installed) before measuring.
if ! command -v python3 >/dev/null; then
    echo "run.sh: python3 is needed for the table (bench/chart.py)" >&2
    exit 1
fi
matplotlib_python() {
    local py
    for py in python3 /usr/bin/python3; do
        if command -v "$py" >/dev/null && "$py" -c 'import matplotlib' 2>/dev/null; then
            command -v "$py"
            return
        fi
    done
}
chart_python=
if [ $chart = 1 ]; then
    chart_python=$(matplotlib_python)
    if [ -z "$chart_python" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "run.sh: installing python3-matplotlib (apt-get) for the chart" >&2
        export DEBIAN_FRONTEND=noninteractive
        { apt-get install -y python3-matplotlib \
            || { apt-get update && apt-get install -y python3-matplotlib; }; } >"$work/apt.log" 2>&1 \
            || { tail -5 "$work/apt.log" >&2; echo "run.sh: apt-get install python3-matplotlib failed" >&2; }
        chart_python=$(matplotlib_python)
    fi
    if [ -z "$chart_python" ]; then
        echo "run.sh: no chart: python3 -c 'import matplotlib' fails (install python3-matplotlib, or run" \
             "as root to let run.sh do it); the table is made all the same" >&2
    fi
fi

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
"$repo/tests/certs/make-certs.sh" "$work/certs" >"$work/certs.log" 2>&1 \
    || { cat "$work/certs.log" >&2; exit 1; }

# run NAME BINARY: result lines to $work/NAME.out, diagnostics to NAME.err. A program that failed
# some scenarios (exit status 4) has reported the others, and the table says which failed; one
# that gave up (any other status) makes the whole run fail, after the table.
gave_up=0
run() {
    local name=$1 bin=$2 rc=0
    "$bin" --certs "$work/certs" --repeats 1 "${bench_args[@]}" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
    if [ $rc = 4 ]; then
        echo "run.sh: $name: some scenarios failed:" >&2
        grep '^# failed' "$work/$name.out" >&2 || true
    elif [ $rc != 0 ]; then
        echo "run.sh: $name gave up (exit status $rc); the end of its output:" >&2
        tail -15 "$work/$name.err" >&2
        gave_up=1
    fi
}

start=$SECONDS
for round in $(seq "$rounds"); do
    echo "run.sh: round $round of $rounds" >&2
    run "qt.$round" "$bin_qt"
    run "rs.$round" "$bin_rs"
done
seconds=$((SECONDS - start))

qt_outs=() rs_outs=()
for round in $(seq "$rounds"); do
    qt_outs+=("$work/qt.$round.out")
    rs_outs+=("$work/rs.$round.out")
done
grep -h '^# QSslSocket from' "$work/qt.1.err" "$work/rs.1.err" || true
python3 "$here/chart.py" --qt "${qt_outs[@]}" --rs "${rs_outs[@]}" --md "$out_dir/results.md"
echo "(wall-clock benchmarks: $seconds s for $rounds round(s); table in $out_dir/results.md)"
if [ -n "$chart_python" ]; then
    if "$chart_python" "$here/chart.py" --qt "${qt_outs[@]}" --rs "${rs_outs[@]}" --png "$out_dir/results.png" \
            >/dev/null 2>"$work/chart.err"; then
        echo "(chart in $out_dir/results.png)"
    else
        echo "run.sh: the chart failed:" >&2
        cat "$work/chart.err" >&2
    fi
fi

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
exit $gave_up
