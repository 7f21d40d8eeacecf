#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""Runs relinked test binaries on a newer Qt than the one they were built against.

    newer_qt_runtime.py --series 6.11 --cache DIR --qt-dir DIR --library libQSslRs.so BINARY...

The newer Qt comes from PyPI's pyqt6-qt6 wheel (Qt's own libraries, nothing else): the newest
release of the series is downloaded into --cache once and reused from there, and its lib/ and
plugins/tls/ are unpacked into --qt-dir. Then
  - `ldd -r` (every relocation processed, as LD_BIND_NOW would) must resolve libQSslRs.so and
    each binary against the newer Qt. One exception, listed but not failed: Qt 6.10 changed the
    signature of QTest::Internal::formatTryTimeoutDebugMessage, which the QTRY_* macros of older
    QtTest headers call only to report a timeout (it concerns the test harness, not the app);
  - each binary runs with LD_LIBRARY_PATH on the newer Qt; the loader's own log (LD_DEBUG=libs)
    must show every Qt library coming from --qt-dir and libQSslRs from --library, and QtTest's
    "Config:" line must name the wheel's Qt version;
  - each binary must pass.
Exits 77 (the test's SKIP_RETURN_CODE) when the wheel is not cached and PyPI is unreachable.
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

SKIP = 77
WHEEL_PREFIX = "PyQt6/Qt6/"
UNPACKED = ("lib/", "plugins/tls/")
# Missing from QtTest >= 6.10 (new signature); the test binaries need it only on a QTRY_* timeout.
QTRY_TIMEOUT_MESSAGE = ("_ZN5QTest8Internal28formatTryTimeoutDebugMessage"
                        "E20QBasicUtf8StringViewILb0EEii")
# pip's words for "could not reach the index", as opposed to the index answering no.
OFFLINE_MARKERS = ("NewConnectionError", "ProxyError", "ConnectTimeoutError",
                   "Failed to establish a new connection", "Temporary failure in name resolution",
                   "Name or service not known", "Network is unreachable", "No route to host")


def wheel_version(path):
    # pyqt6_qt6-6.11.2-py3-none-manylinux_2_34_x86_64.whl (older ones: PyQt6_Qt6-6.8.2-...)
    return os.path.basename(path).split("-")[1]


def version_key(version):
    return tuple(int(part) for part in re.findall(r"\d+", version))


def cached_wheel(cache, series):
    wheels = [w for w in glob.glob(os.path.join(cache, "*.whl"))
              if os.path.basename(w).lower().startswith("pyqt6_qt6-" + series + ".")]
    return max(wheels, key=lambda w: version_key(wheel_version(w)), default=None)


def download(cache, series):
    os.makedirs(cache, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           "--disable-pip-version-check", "--progress-bar", "off", "--retries", "2",
           "--timeout", "30", "-d", cache, f"pyqt6-qt6=={series}.*"]
    print("$ " + " ".join(cmd), flush=True)
    proc = subprocess.run(cmd, capture_output=True, text=True)
    output = proc.stdout + proc.stderr
    if proc.returncode != 0:
        if any(marker in output for marker in OFFLINE_MARKERS):
            print(output)
            print(f"SKIPPED: cannot download pyqt6-qt6 {series}.* from PyPI (offline); "
                  f"nothing cached in {cache}")
            sys.exit(SKIP)
        print(output)
        sys.exit(f"FAIL: pip download of pyqt6-qt6 {series}.* failed (exit {proc.returncode})")
    wheel = cached_wheel(cache, series)
    if not wheel:
        print(output)
        sys.exit(f"FAIL: pip reported success but no pyqt6-qt6 {series} wheel is in {cache}")
    return wheel


def unpack(wheel, qt_dir):
    """Qt's lib/ and TLS plugins from the wheel into qt_dir, once per wheel."""
    stamp = os.path.join(qt_dir, ".wheel")
    if os.path.exists(stamp):
        with open(stamp) as f:
            if f.read() == os.path.basename(wheel):
                return
    # Unpacked beside the target and renamed into place: a reader never sees half a tree.
    staging = qt_dir + ".partial"
    shutil.rmtree(staging, ignore_errors=True)
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.infolist():
            relative = member.filename[len(WHEEL_PREFIX):]
            if (member.is_dir() or not member.filename.startswith(WHEEL_PREFIX)
                    or not relative.startswith(UNPACKED)):
                continue
            target = os.path.join(staging, relative)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with archive.open(member) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
    with open(os.path.join(staging, ".wheel"), "w") as f:
        f.write(os.path.basename(wheel))
    shutil.rmtree(qt_dir, ignore_errors=True)
    os.rename(staging, qt_dir)


def inside(path, directory):
    return os.path.commonpath([os.path.realpath(path), os.path.realpath(directory)]) == \
        os.path.realpath(directory)


def loader_path(qt_lib):
    return os.pathsep.join(p for p in (qt_lib, os.environ.get("LD_LIBRARY_PATH")) if p)


def unresolved(path, qt_lib):
    """(problems, tolerated, output) of `ldd -r path` against the newer Qt."""
    env = dict(os.environ, LD_LIBRARY_PATH=loader_path(qt_lib))
    proc = subprocess.run(["ldd", "-r", path], capture_output=True, text=True, env=env)
    output = proc.stdout + proc.stderr
    problems, tolerated = [], []
    for line in output.splitlines():
        m = re.search(r"undefined symbol: ([^\s,]+)", line)
        if m and m.group(1) == QTRY_TIMEOUT_MESSAGE:
            tolerated.append(m.group(1))
        elif m or "not found" in line:
            problems.append(line.strip())
    for qt in ("libQt6Core.so.6", "libQt6Network.so.6"):
        m = re.search(r"^\s*" + re.escape(qt) + r" => (\S+)", output, re.M)
        if not m or not inside(m.group(1), qt_lib):
            problems.append(f"{qt} resolves to {m.group(1) if m else 'nothing'}, not {qt_lib}")
    if proc.returncode != 0 and not problems and not tolerated:
        problems.append(f"ldd -r exited with {proc.returncode}")
    return problems, tolerated, output


def loaded_objects(log_prefix, pid):
    """The objects the loader initialised in process pid, from its LD_DEBUG=libs log."""
    path = f"{log_prefix}.{pid}"
    if not os.path.exists(path):
        return None
    with open(path, errors="replace") as f:
        return re.findall(r"calling init: (\S+)", f.read())


def run_binary(binary, library, qt_dir, version, workdir):
    """(problems, output, tolerated symbols) of one relinked binary on the newer Qt."""
    qt_lib = os.path.join(qt_dir, "lib")
    problems, tolerated, ldd_output = unresolved(binary, qt_lib)
    if problems:
        return problems, ldd_output, tolerated
    log_prefix = os.path.join(workdir, os.path.basename(binary) + ".ld")
    env = dict(os.environ,
               LD_LIBRARY_PATH=loader_path(qt_lib),
               QT_PLUGIN_PATH=os.path.join(qt_dir, "plugins"),
               QT_QPA_PLATFORM="offscreen",
               LD_DEBUG="libs",
               LD_DEBUG_OUTPUT=log_prefix)
    proc = subprocess.Popen([binary], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=env)
    try:
        output, _ = proc.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        proc.kill()
        output, _ = proc.communicate()
        return ["timed out after 300 s"], output, tolerated

    objects = loaded_objects(log_prefix, proc.pid)
    if objects is None:
        problems.append("no loader log (LD_DEBUG_OUTPUT ignored?): cannot tell which Qt ran")
    else:
        names = {os.path.basename(o): o for o in objects}
        for obj in objects:
            if os.path.basename(obj).startswith("libQt6") and not inside(obj, qt_dir):
                problems.append(f"loaded {obj}, not the newer Qt's")
        for qt in ("libQt6Core.so.6", "libQt6Network.so.6"):
            if qt not in names:
                problems.append(f"{qt} was never loaded")
        ours = [o for o in objects if os.path.basename(o).startswith("libQSslRs.so")]
        if not ours or not all(os.path.realpath(o) == os.path.realpath(library) for o in ours):
            problems.append(f"libQSslRs loaded from {ours or 'nowhere'}, not {library}")
    config = re.search(r"^Config: Using QtTest library (\S+), Qt (\S+)", output, re.M)
    if not config:
        problems.append("no QtTest 'Config:' line: the binary did not start testing")
    elif config.group(2) != version or config.group(1) != version:
        problems.append(f"QtTest reports QtTest {config.group(1)} and Qt {config.group(2)}, "
                        f"expected {version}")
    if proc.returncode != 0:
        failures = re.findall(r"^(FAIL!  : .*)$", output, re.M)
        problems.append(f"exit code {proc.returncode}" +
                        "".join(f"\n      {f}" for f in failures))
    return problems, output, tolerated


def demangle(names):
    tool = shutil.which("c++filt")
    if not tool:
        return names
    return subprocess.run([tool], input="\n".join(names) + "\n", capture_output=True,
                          text=True, check=True).stdout.splitlines()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--series", required=True, help="the Qt release series, e.g. 6.11")
    ap.add_argument("--cache", required=True, help="where the wheel is downloaded and kept")
    ap.add_argument("--qt-dir", required=True, help="where its lib/ and plugins/ are unpacked")
    ap.add_argument("--library", required=True, help="libQSslRs.so the binaries must load")
    ap.add_argument("binaries", nargs="+", help="relinked QtTest binaries")
    args = ap.parse_args()

    wheel = cached_wheel(args.cache, args.series) or download(args.cache, args.series)
    version = wheel_version(wheel)
    print(f"newer Qt: {version} ({os.path.basename(wheel)})", flush=True)
    unpack(wheel, args.qt_dir)
    qt_lib = os.path.join(args.qt_dir, "lib")

    problems, tolerated, output = unresolved(args.library, qt_lib)
    failed = bool(problems or tolerated)  # nothing is tolerated in the library itself
    if failed:
        print(output)
        print(f"FAIL  libQSslRs against Qt {version}:" +
              "".join(f"\n    {p}" for p in problems + tolerated))
    else:
        print(f"ok    libQSslRs resolves every symbol against Qt {version} (ldd -r)")

    with tempfile.TemporaryDirectory() as workdir:
        for binary in args.binaries:
            name = os.path.basename(binary)
            if not os.path.exists(binary):
                failed = True
                print(f"FAIL  {name}: not built ({binary})")
                continue
            problems, output, tolerated = run_binary(binary, args.library, args.qt_dir,
                                                     version, workdir)
            if tolerated:
                print(f"note  {name}: needs {', '.join(demangle(tolerated))}, which QtTest "
                      f"{version} no longer has; only a QTRY_* timeout would call it")
            if problems:
                failed = True
                print(f"----- {name} output -----\n{output.rstrip()}\n-----")
                print(f"FAIL  {name} on Qt {version}:" + "".join(f"\n    {p}" for p in problems))
            else:
                # the last: a suite may run itself in a child whose report comes first
                totals = re.findall(r"^Totals: (.*)$", output, re.M)
                print(f"ok    {name} on Qt {version}: {totals[-1] if totals else ''}")
            sys.stdout.flush()

    print(f"newer Qt runtime ({version}): " + ("FAILED" if failed else "passed"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
