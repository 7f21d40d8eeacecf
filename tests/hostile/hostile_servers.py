#!/usr/bin/env python3
"""Hostile servers against sslclient (QSslSocket in the client role).

Each case is a fake server that misbehaves at one step: before its first flight (silence, a close,
a reset, garbage, storms of alerts or empty records), in its flight (cut, changed, duplicated,
followed by a close, a reset or silence), after the handshake (records with a bad MAC, oversized,
of an unknown type, replayed, a storm of one-byte records, a close without close_notify);
`openssl s_server` adds a storm of TLS 1.3 KeyUpdates. sslclient (with --timeout) must end by
itself every time, exit 1 with a reason for every failure ("sslclient: ..." on stderr, never
"Unknown error"), exit 0 where the session was good, and never crash.

    hostile_servers.py SSLCLIENT CERTS_DIR [ONLY]    (ONLY: a regular expression on case names)
"""

import os
import random
import re
import socket
import subprocess
import sys
import threading
import time

import peers

CLIENT_TIMEOUT_MS = 1500
BOUND_S = 10  # how long sslclient may take, whatever the server does


class FakeServer:
    """One connection, handled by `behaviour(conn, certs)` on a thread of its own."""

    def __init__(self, behaviour, certs):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.behaviour = behaviour
        self.certs = certs
        self.error = None
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        self.listener.settimeout(BOUND_S)
        try:
            conn, _ = self.listener.accept()
        except OSError as error:
            self.error = error
            return
        conn.settimeout(BOUND_S)
        try:
            self.behaviour(conn, self.certs)
        except (ConnectionResetError, BrokenPipeError, socket.timeout):
            pass  # the client gave up first: what the client printed is what counts
        except Exception as error:
            self.error = error
        finally:
            conn.close()
            self.listener.close()


def read_hello(conn):
    data = b""
    while len(data) < 5 or len(data) < 5 + int.from_bytes(data[3:5], "big"):
        chunk = conn.recv(65536)
        if not chunk:
            raise ConnectionResetError("the client left before its ClientHello")
        data += chunk
    return data


def wait_for_close(conn):
    """Waits (bounded) until the client closes: a fake server that stays silent."""
    conn.settimeout(BOUND_S)
    try:
        while conn.recv(65536):
            pass
    except OSError:
        pass


def server_tls(certs, tls12):
    return peers.MemoryTls(peers.server_context(certs, tls12), True)


def first_flight(conn, certs, tls12):
    tls = server_tls(certs, tls12)
    return tls, tls.step(read_hello(conn))


def established(conn, certs, tls12):
    """A complete handshake; returns the server side, with its tickets sent."""
    tls, flight = first_flight(conn, certs, tls12)
    conn.sendall(flight)
    while not tls.done:
        data = conn.recv(65536)
        if not data:
            raise ConnectionResetError("the client left during the handshake")
        conn.sendall(tls.step(data))
    return tls


def cases_before_flight():
    def silent(conn, certs):
        read_hello(conn)
        wait_for_close(conn)

    def close_at_once(conn, certs):
        read_hello(conn)

    def reset_at_once(conn, certs):
        read_hello(conn)
        peers.reset(conn)

    def close_before_hello(conn, certs):
        pass

    def http_reply(conn, certs):
        read_hello(conn)
        conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")

    def random_bytes(conn, certs):
        read_hello(conn)
        conn.sendall(random.Random(1).randbytes(4000))

    def garbage_handshake_record(conn, certs):
        read_hello(conn)
        conn.sendall(peers.record(peers.HANDSHAKE, random.Random(2).randbytes(300)))

    def oversized_record(conn, certs):
        read_hello(conn)
        conn.sendall(bytes([peers.HANDSHAKE, 3, 3, 0xFF, 0xFF]) + bytes(65535))

    def sslv2_version(conn, certs):
        read_hello(conn)
        conn.sendall(peers.record(peers.HANDSHAKE, bytes(16), 0x0200))

    def fatal_alert(conn, certs):
        read_hello(conn)
        conn.sendall(peers.record(peers.ALERT, bytes([2, 40])))  # handshake_failure

    def warning_alert_storm(conn, certs):
        read_hello(conn)
        conn.sendall(peers.record(peers.ALERT, bytes([1, 90])) * 1000)  # user_canceled
        wait_for_close(conn)

    def empty_record_storm(conn, certs):
        read_hello(conn)
        conn.sendall(peers.record(peers.HANDSHAKE, b"") * 1000)
        wait_for_close(conn)

    def hello_request(conn, certs):
        read_hello(conn)
        conn.sendall(peers.record(peers.HANDSHAKE, bytes(4)))
        wait_for_close(conn)

    return [(case.__name__, case, "fail") for case in
            (silent, close_at_once, reset_at_once, close_before_hello, http_reply, random_bytes,
             garbage_handshake_record, oversized_record, sslv2_version, fatal_alert, warning_alert_storm,
             empty_record_storm, hello_request)]


def cases_in_flight():
    named = []
    for version, tls12 in (("tls13", False), ("tls12", True)):
        def with_flight(action, tls12=tls12):
            def run(conn, certs):
                tls, flight = first_flight(conn, certs, tls12)
                action(conn, flight)
            return run

        def cut_then_close(cut):
            def action(conn, flight):
                conn.sendall(flight[: cut(flight)])
            return action

        def cut_then_silence(conn, flight):
            conn.sendall(flight[: len(flight) // 2])
            wait_for_close(conn)

        def changed(offset):
            def action(conn, flight):
                conn.sendall(peers.flip(flight, offset(flight)))
                wait_for_close(conn)
            return action

        def whole_then_reset(conn, flight):
            conn.sendall(flight)
            time.sleep(0.05)
            peers.reset(conn)

        def whole_then_close(conn, flight):
            conn.sendall(flight)

        def whole_then_silence(conn, flight):
            conn.sendall(flight)
            wait_for_close(conn)

        def twice(conn, flight):
            conn.sendall(flight + flight)
            wait_for_close(conn)

        def ccs_storm(conn, flight):
            hello = peers.split_records(flight)[0]
            conn.sendall(hello + peers.record(peers.CHANGE_CIPHER_SPEC, b"\x01") * 1000 + flight[len(hello):])
            wait_for_close(conn)

        def server_hello_only(conn, flight):
            conn.sendall(peers.split_records(flight)[0])
            wait_for_close(conn)

        actions = [("cut_1_then_close", cut_then_close(lambda f: 1)),
                   ("cut_5_then_close", cut_then_close(lambda f: 5)),
                   ("cut_after_server_hello_then_close", cut_then_close(lambda f: len(peers.split_records(f)[0]))),
                   ("cut_half_then_close", cut_then_close(lambda f: len(f) // 2)),
                   ("cut_all_but_1_then_close", cut_then_close(lambda f: len(f) - 1)),
                   ("cut_half_then_silence", cut_then_silence),
                   ("changed_server_random", changed(lambda f: 20)),
                   ("changed_middle", changed(lambda f: len(f) // 2)),
                   ("changed_last_byte", changed(lambda f: len(f) - 1)),
                   ("changed_second_record_length", changed(lambda f: len(peers.split_records(f)[0]) + 4)),
                   ("whole_then_reset", whole_then_reset),
                   ("whole_then_close", whole_then_close),
                   ("whole_then_silence", whole_then_silence),
                   ("twice", twice),
                   ("ccs_storm", ccs_storm),
                   ("server_hello_only", server_hello_only)]
        # A TLS 1.3 client is done once it has the server's whole flight: what the server does
        # next may end a good session.
        done_with_flight = ("whole_then_reset", "whole_then_close", "whole_then_silence")
        named += [(f"{version}_flight_{name}", with_flight(action),
                   "any" if not tls12 and name in done_with_flight else "fail") for name, action in actions]
    return named


def cases_after_handshake():
    named = []
    for version, tls12 in (("tls13", False), ("tls12", True)):
        def after(action, tls12=tls12):
            def run(conn, certs):
                tls = established(conn, certs, tls12)
                action(conn, tls)
            return run

        def bad_mac(conn, tls):
            conn.sendall(peers.record(peers.APPLICATION_DATA, random.Random(3).randbytes(64)))
            wait_for_close(conn)

        def oversized(conn, tls):
            conn.sendall(peers.record(peers.APPLICATION_DATA, bytes(18000)))
            wait_for_close(conn)

        def unknown_type(conn, tls):
            conn.sendall(peers.record(0x42, b"hello"))
            wait_for_close(conn)

        def plaintext_alert(conn, tls):
            conn.sendall(peers.record(peers.ALERT, bytes([2, 10])))
            wait_for_close(conn)

        def plaintext_handshake(conn, tls):
            conn.sendall(peers.record(peers.HANDSHAKE, bytes(4)))
            wait_for_close(conn)

        def replayed(conn, tls):
            conn.sendall(tls.seal(b"once\n") * 3)
            wait_for_close(conn)

        def record_storm(conn, tls):
            conn.sendall(b"".join(tls.seal(b"x") for _ in range(20000)) + tls.seal(b"\n"))
            wait_for_close(conn)

        def data_then_close(conn, tls):
            conn.sendall(tls.seal(b"goodbye without close_notify\n"))

        def data_then_reset(conn, tls):
            conn.sendall(tls.seal(b"goodbye with a reset\n"))
            time.sleep(0.1)
            peers.reset(conn)

        named += [(f"{version}_established_{action.__name__}", after(action), expect) for action, expect in
                  ((bad_mac, "fail"), (oversized, "fail"), (unknown_type, "fail"), (plaintext_alert, "fail"),
                   (plaintext_handshake, "fail"), (replayed, "fail"), (record_storm, "x" * 20000 + "\n"),
                   (data_then_close, "goodbye without close_notify\n"), (data_then_reset, "any"))]
    return named


def key_update_storm(client, certs):
    """openssl s_server sends 200 TLS 1.3 KeyUpdates after the handshake, every other one asking
    for ours, then a line: sslclient answers them all and prints the line."""
    server = peers.OpensslCli("s_server", "-cert", os.path.join(certs, "server.pem"),
                              "-key", os.path.join(certs, "server.key"), "-accept", "127.0.0.1:0", "-naccept", "1")
    try:
        port = int(server.wait_for(r"^ACCEPT .*:(\d+)$").group(1))
        sslclient = subprocess.Popen(
            [client, f"127.0.0.1:{port}", "--cafile", os.path.join(certs, "ca.pem"), "--servername", "localhost",
             "--timeout", str(CLIENT_TIMEOUT_MS)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        server.wait_for(r"^CIPHER is")
        server.key_update_storm(200)
        server.send_line("after the storm")
        time.sleep(0.5)
        try:
            out, err = sslclient.communicate("", timeout=BOUND_S)  # its stdin ends: it closes
        except subprocess.TimeoutExpired:
            sslclient.kill()
            raise AssertionError(f"sslclient still running after {BOUND_S} s")
        updates = sum(line == "SSL_do_handshake -> 1" for line in server.lines)
        if sslclient.returncode != 0 or "after the storm" not in out or updates < 100:
            raise AssertionError(f"exit {sslclient.returncode}, {updates} KeyUpdates, stderr {err.strip()!r}, "
                                 f"stdout ends {out[-60:]!r}")
        return [f"{updates} KeyUpdates answered"]
    finally:
        server.stop()


def run_case(client, certs, behaviour, expect):
    server = FakeServer(behaviour, certs)
    started = time.monotonic()
    try:
        result = subprocess.run(
            [client, f"127.0.0.1:{server.port}", "--cafile", os.path.join(certs, "ca.pem"),
             "--servername", "localhost", "--timeout", str(CLIENT_TIMEOUT_MS)],
            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=BOUND_S)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"sslclient still running after {BOUND_S} s")
    server.thread.join(BOUND_S)
    took = time.monotonic() - started
    reasons = [line for line in result.stderr.splitlines() if line.startswith("sslclient: ")]
    where = f"exit {result.returncode} after {took:.1f} s, stderr {result.stderr.strip()!r}"
    if result.returncode < 0:
        raise AssertionError(f"sslclient died of signal {-result.returncode}: {where}")
    if server.error:
        raise AssertionError(f"the fake server failed: {server.error!r}")
    if any("Unknown error" in line for line in reasons):
        raise AssertionError(f"a failure without a reason: {where}")
    if expect == "fail":
        if result.returncode != 1 or not reasons or not all(len(line) > len("sslclient: ") for line in reasons):
            raise AssertionError(f"expected a failure with a reason: {where}")
    elif expect == "any":
        if result.returncode not in (0, 1) or (result.returncode == 1 and not reasons):
            raise AssertionError(f"expected an end, with a reason if it failed: {where}")
    else:
        if result.returncode != 0 or not result.stdout.endswith(expect):
            raise AssertionError(f"expected success and {len(expect)} bytes of data: {where}, "
                                 f"stdout ends {result.stdout[-60:]!r}")
    return reasons


def main():
    client, certs = sys.argv[1:3]
    cases = cases_before_flight() + cases_in_flight() + cases_after_handshake()
    if len(sys.argv) > 3:
        cases = [case for case in cases if re.search(sys.argv[3], case[0])]
    started = time.monotonic()
    reasons = {}

    def checked(name, behaviour, expect):
        def run():
            reasons[name] = run_case(client, certs, behaviour, expect)
        return run

    def storm():
        reasons["tls13_key_update_storm"] = key_update_storm(client, certs)

    runs = [(name, checked(name, behaviour, expect)) for name, behaviour, expect in cases]
    if len(sys.argv) <= 3 or re.search(sys.argv[3], "tls13_key_update_storm"):
        cases.append(("tls13_key_update_storm", None, None))
        runs.append(("tls13_key_update_storm", storm))
    results = peers.run_cases(runs, workers=6)
    for name, _, _ in cases:
        print(f"  {name}: {' / '.join(reasons.get(name, [])) or 'no failure'}")
    failures = [f"{name}: {error}" for name, error in results.items() if error is not None]
    print(f"{len(cases)} hostile servers, {time.monotonic() - started:.1f} s")
    return peers.verdict(failures)


if __name__ == "__main__":
    sys.exit(main())
