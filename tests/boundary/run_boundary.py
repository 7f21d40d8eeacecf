#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""Driver of the boundary tests: one client program, built against Qt alone and relinked with
libQSslRs, runs against the same local TLS servers; the two traces must be identical.

    run_boundary.py qnam      --certs DIR --work DIR --qt BIN --relinked BIN --openssl OPENSSL
    run_boundary.py websocket --certs DIR --work DIR --qt BIN --relinked BIN --server WSS_SERVER
    run_boundary.py skip REASON     exits 77, which ctest reports as skipped

Servers listen on 127.0.0.1 with ports chosen by the system; they are stopped on the way out
and also die with this process (stdin closed, parent-death signal). Every wait is bounded.
"""
import argparse
import contextlib
import ctypes
import difflib
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SKIP = 77
SERVER_START_SECONDS = 15
CLIENT_SECONDS = 90  # inside, a client bounds each of its connections to 10 s
STOP_SECONDS = 5
PSK_HEX, PSK_IDENTITY = "1a2b3c4d5e6f", "Client_identity"  # what qnam_client answers with
PSK_BODY = b"psk body\n"
# The TLS servers each client talks to, in the order of its port arguments: name, certificate
# and key of the test PKI, and whether clients must present a certificate issued by ca.pem.
TLS_SERVERS = (("selfsigned", "selfsigned", False), ("server", "server", False),
               ("wronghost", "wronghost", False), ("clientauth", "server", True))


def die_with_parent():
    """Runs in the child: the kernel sends it SIGTERM when the driver ends, however it ends."""
    with contextlib.suppress(OSError, AttributeError):
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Servers:
    """The servers of one test; each one's output goes to WORK/NAME.log."""

    def __init__(self, work, certs):
        self.work = work
        self.certs = certs
        self.running = []

    def start(self, name, command, port_pattern, cwd=None):
        log = self.work / f"{name}.log"
        with open(log, "wb") as out:
            process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.PIPE, stdout=out,
                                       stderr=subprocess.STDOUT, preexec_fn=die_with_parent)
        self.running.append((name, process))
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            match = re.search(port_pattern, log.read_text(errors="replace"), re.MULTILINE)
            if match:
                return int(match.group(1))
            if process.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError(f"server {name} did not start ({' '.join(map(str, command))}):\n"
                           + log.read_text(errors="replace"))

    def start_each(self, prefix, program, port_pattern):
        """Starts PROGRAM CERT KEY [CLIENT_CA] for each of TLS_SERVERS; returns their ports."""
        certs = self.certs
        return [self.start(f"{prefix}-{name}",
                           [*program, certs / f"{cert}.pem", certs / f"{cert}.key",
                            *([certs / "ca.pem"] if client_auth else [])],
                           port_pattern)
                for name, cert, client_auth in TLS_SERVERS]

    def stop(self):
        for _, process in self.running:
            with contextlib.suppress(OSError):
                process.stdin.close()  # our servers exit when their stdin closes
            if process.poll() is None:
                process.terminate()
        for _, process in self.running:
            try:
                process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(STOP_SECONDS)
        self.running.clear()


def status(returncode):
    if returncode is None:
        return f"did not finish within {CLIENT_SECONDS} s (killed)"
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = "unknown signal"
        return f"killed by {name} ({-returncode})"
    return f"exit code {returncode}"


def run_client(binary, arguments, work, label, environment):
    """Runs one build; returns (returncode or None on timeout, stdout lines, stderr path)."""
    out_path, err_path = work / f"{label}.txt", work / f"{label}.stderr"
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        try:
            returncode = subprocess.run([binary, *arguments], stdout=out, stderr=err, env=environment,
                                        stdin=subprocess.DEVNULL, timeout=CLIENT_SECONDS).returncode
        except subprocess.TimeoutExpired:
            returncode = None
    return returncode, out_path.read_text(errors="replace").splitlines(), err_path


def tail(path, count=40):
    lines = path.read_text(errors="replace").splitlines()
    return "\n".join(lines[-count:]) if lines else "(empty)"


def scenario_of(lines, index):
    """The "== name" heading the line at index belongs to."""
    for line in reversed(lines[:index + 1]):
        if line.startswith("== "):
            return line[3:]
    return "(before the first scenario)"


def compare(args, arguments):
    """Runs both builds against the running servers and reports; returns the exit code."""
    environment = dict(os.environ)
    environment.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(dir=args.work) as empty:
        # No system roots for either build: only the CAs the program sets are trusted.
        environment["SSL_CERT_DIR"] = empty
        qt_code, qt_lines, qt_err = run_client(args.qt, arguments, args.work, "qt", environment)
        our_code, our_lines, our_err = run_client(args.relinked, arguments, args.work, "relinked", environment)

    if qt_code != 0 or qt_lines[-1:] != ["== done"]:
        print(f"FAIL: the build against Qt alone did not complete ({status(qt_code)}): the test or its "
              f"environment is broken, not qssl-rs.\n--- its stdout:\n" + "\n".join(qt_lines[-20:])
              + f"\n--- its stderr:\n{tail(qt_err)}")
        return 1
    scenarios = sum(line.startswith("== ") for line in qt_lines) - 1
    if our_code == 0 and our_lines == qt_lines:
        print(f"identical to Qt in {scenarios} scenarios ({len(qt_lines)} lines)")
        return 0

    print(f"FAIL: the relinked build ({args.relinked.name}) {status(our_code)}; "
          f"the build against Qt alone exit code 0.")
    if our_lines == qt_lines:
        print("The traces are identical: only the exit status differs.")
    else:
        first = next((i for i, (a, b) in enumerate(zip(qt_lines, our_lines)) if a != b),
                     min(len(qt_lines), len(our_lines)))
        ends = " (where the relinked trace ends)" if first == len(our_lines) else ""
        print(f"First difference at line {first + 1}, in scenario \"{scenario_of(qt_lines, first)}\"{ends}.")
        print("Unified diff (- Qt alone, + relinked with qssl-rs):")
        sys.stdout.writelines(line + "\n" for line in difflib.unified_diff(
            qt_lines, our_lines, "Qt alone", "relinked with qssl-rs", lineterm=""))
    print(f"--- stderr of the relinked build (last lines of {our_err}):\n{tail(our_err)}")
    print(f"Traces: {args.work / 'qt.txt'} and {args.work / 'relinked.txt'}")
    return 1


def qnam(args, servers):
    www = args.work / "www"
    www.mkdir(exist_ok=True)
    # s_server -HTTP sends the file as the whole response: its own header says where the body ends.
    (www / "psk.txt").write_bytes(b"HTTP/1.0 200 ok\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                                  b"Connection: close\r\n\r\n%s" % (len(PSK_BODY), PSK_BODY))
    ports = servers.start_each("https", [sys.executable, HERE / "https_server.py"], r"^port (\d+)$")
    # Python's ssl module has no PSK: openssl s_server serves the pre-shared-key scenario.
    ports.append(servers.start(
        "psk",
        [args.openssl, "s_server", "-accept", "127.0.0.1:0", "-HTTP", "-nocert", "-tls1_2",
         "-cipher", "PSK-AES128-CBC-SHA256", "-psk", PSK_HEX, "-psk_hint", "boundary hint",
         "-psk_identity", PSK_IDENTITY],
        r"^ACCEPT 127\.0\.0\.1:(\d+)$", cwd=www))
    return compare(args, [str(args.certs), *map(str, ports)])


def websocket(args, servers):
    ports = servers.start_each("wss", [args.server], r"^port (\d+)$")
    return compare(args, [str(args.certs), *map(str, ports)])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="test", required=True)
    def path(text):
        return Path(text).resolve()

    for name in ("qnam", "websocket"):
        test = sub.add_parser(name)
        test.add_argument("--certs", type=path, required=True)
        test.add_argument("--work", type=path, required=True)
        test.add_argument("--qt", type=path, required=True)
        test.add_argument("--relinked", type=path, required=True)
        if name == "qnam":
            test.add_argument("--openssl", required=True)
        else:
            test.add_argument("--server", type=path, required=True)
    sub.add_parser("skip").add_argument("reason")
    args = parser.parse_args()

    if args.test == "skip":
        print(f"SKIP: {args.reason}")
        return SKIP
    args.work.mkdir(parents=True, exist_ok=True)
    for stale in args.work.glob("*.txt"):
        stale.unlink()
    servers = Servers(args.work, args.certs)
    try:
        return (qnam if args.test == "qnam" else websocket)(args, servers)
    except (OSError, RuntimeError) as error:
        print(f"FAIL: {error}")
        return 1
    finally:
        servers.stop()


if __name__ == "__main__":
    sys.exit(main())
