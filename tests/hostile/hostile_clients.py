#!/usr/bin/env python3
"""Hostile clients against sslechoserver (QSslServer + QSslSocket in the server role).

Each case misbehaves at one step: before the handshake (silence, half a record, garbage, storms),
in the middle of it (the ClientHello or the client's second flight cut, changed, replaced,
followed by a close or a reset), after it (records with a bad MAC, oversized, replayed or of an
unknown type, a storm of one-byte records, silence, half-closed connections, a client that never
reads its echo); `openssl s_client` adds a storm of TLS 1.3 KeyUpdates. Good clients run among
them. The server must drop every bad client by itself (handshake timeout, idle timeout or an
error it reports with a reason), serve every good one, never say "Unknown error", hold back a
client that does not read, and still be running at the end.

    hostile_clients.py SSLECHOSERVER CERTS_DIR [ONLY]    (ONLY: a regular expression on case names)
"""

import hashlib
import os
import random
import re
import socket
import sys
import time

import peers

HANDSHAKE_TIMEOUT_MS = 1000
IDLE_TIMEOUT_MS = 2000
BOUND_S = 8  # how long the server may take to drop a bad client, whatever it did
GOOD_CLIENTS = 16


class Case:
    """One connection: its port (to find the server's report of it) and what the client saw."""

    def __init__(self, server, certs):
        self.server = server
        self.certs = certs
        self.sock = server.connect()
        self.port = self.sock.getsockname()[1]
        self.deadline = time.monotonic() + BOUND_S

    def send(self, data):
        try:
            self.sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may drop us before everything went: that is one good outcome

    def expect_dropped(self):
        """Reads until the server closes the connection; fails if it does not within the bound."""
        while True:
            data = peers.recv_some(self.sock, self.deadline)
            if data == b"":
                self.sock.close()
                return
            if data is None:
                self.sock.close()
                raise AssertionError(f"still open after {BOUND_S} s")

    def expect_report(self, words):
        """The server reported this connection with the given words (it may take a moment)."""
        address = f"127.0.0.1:{self.port}"
        until = time.monotonic() + 3
        while time.monotonic() < until:
            if any(address in line and words in line for line in self.server.lines):
                return
            time.sleep(0.05)
        raise AssertionError(f"no report with {words!r} for {address}")

    def tls(self, tls12=False):
        return peers.MemoryTls(peers.client_context(self.certs, tls12), False, "localhost")

    def server_flight(self, client):
        """Sends the ClientHello, reads until the client has the server's whole flight; returns
        what the client would send next (its second flight)."""
        self.send(client.step())
        while True:
            data = peers.recv_some(self.sock, self.deadline)
            if not data:
                raise AssertionError("the server closed or stalled during a good handshake")
            answer = client.step(data)
            if client.done or answer:
                return answer

    def handshake(self, tls12=False):
        client = self.tls(tls12)
        self.send(self.server_flight(client))
        while not client.done:  # TLS 1.2: the server's Finished is still to come
            data = peers.recv_some(self.sock, self.deadline)
            if not data:
                raise AssertionError("the server closed or stalled during a good handshake")
            self.send(client.step(data))
        return client


def cases_before_handshake():
    def idle(case):
        case.expect_dropped()
        case.expect_report(f"did not complete within {HANDSHAKE_TIMEOUT_MS} ms")

    def half_header(case):
        case.send(bytes([peers.HANDSHAKE, 3, 1]))
        idle(case)

    def half_hello(case):
        hello = case.tls().step()
        case.send(hello[: len(hello) // 2])
        idle(case)

    def slow_hello(case):
        hello = case.tls().step()
        for byte in hello[:40]:  # 1 byte each 50 ms: longer than the timeout
            case.send(bytes([byte]))
            time.sleep(0.05)
        idle(case)

    def http(case):
        # Not TLS: QSslServer closes it without a word (as Qt's does).
        case.send(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        case.expect_dropped()

    def garbage_handshake_record(case):
        rng = random.Random(case.port)
        case.send(bytes([peers.HANDSHAKE, 3, 3, 0, 200]) + rng.randbytes(200))
        case.expect_dropped()

    def random_after_0x16(case):
        rng = random.Random(case.port)
        case.send(bytes([peers.HANDSHAKE]) + rng.randbytes(4000))
        case.expect_dropped()

    def oversized_record(case):
        case.send(bytes([peers.HANDSHAKE, 3, 1, 0xFF, 0xFF]) + bytes(65535))
        case.expect_dropped()

    def hello_then_alert_storm(case):
        warning = peers.record(peers.ALERT, bytes([1, 90]), 0x0301)  # warning, user_canceled
        case.send(case.tls().step() + warning * 1000)
        case.expect_dropped()

    def empty_record_storm(case):
        case.send(peers.record(peers.HANDSHAKE, b"", 0x0301) * 1000)
        case.expect_dropped()

    def hello_then_close(case):
        case.send(case.tls().step())
        case.sock.shutdown(socket.SHUT_WR)
        case.expect_dropped()

    def hello_then_reset(case):
        case.send(case.tls().step())
        peers.reset(case.sock)

    def reset_at_once(case):
        peers.reset(case.sock)

    def hello_twice(case):
        hello = case.tls().step()
        case.send(hello + hello)
        case.expect_dropped()

    cases = [idle, half_header, half_hello, slow_hello, http, garbage_handshake_record, random_after_0x16,
             oversized_record, hello_then_alert_storm, empty_record_storm, hello_then_close, hello_then_reset,
             reset_at_once, hello_twice]
    named = [(case.__name__, case) for case in cases]

    def cut_hello(cut, then_close):
        def run(case):
            hello = case.tls().step()
            case.send(hello[: cut(len(hello))])
            if then_close:
                case.sock.shutdown(socket.SHUT_WR)
            case.expect_dropped()
        return run

    for name, cut in (("1", lambda n: 1), ("5", lambda n: 5), ("6", lambda n: 6), ("half", lambda n: n // 2),
                      ("all_but_1", lambda n: n - 1)):
        named.append((f"hello_cut_{name}_then_close", cut_hello(cut, True)))

    def changed_hello(offset):
        def run(case):
            hello = case.tls().step()
            case.send(peers.flip(hello, offset(len(hello))))
            case.expect_dropped()
        return run

    # Record length, handshake length, legacy version, session id length, cipher suites length,
    # an extension length, the last byte.
    for name, offset in (("record_length", lambda n: 3), ("handshake_length", lambda n: 7),
                         ("version", lambda n: 9), ("session_id_length", lambda n: 43),
                         ("cipher_suites_length", lambda n: 76), ("extension", lambda n: n // 2 + 3),
                         ("last_byte", lambda n: n - 1)):
        named.append((f"hello_changed_{name}", changed_hello(offset)))
    return named


def cases_in_handshake():
    named = []
    for version, tls12 in (("tls13", False), ("tls12", True)):
        def after_flight(action, tls12=tls12):
            def run(case):
                client = case.tls(tls12)
                second = case.server_flight(client)
                action(case, second)
            return run

        def close(case, second):
            case.sock.shutdown(socket.SHUT_WR)
            case.expect_dropped()

        def reset(case, second):
            peers.reset(case.sock)

        def silence(case, second):
            case.expect_dropped()
            case.expect_report(f"did not complete within {HANDSHAKE_TIMEOUT_MS} ms")

        def garbage(case, second):
            case.send(random.Random(case.port).randbytes(2000))
            case.expect_dropped()

        def half_flight(case, second):
            case.send(second[: len(second) // 2])
            case.sock.shutdown(socket.SHUT_WR)
            case.expect_dropped()

        def half_flight_then_silence(case, second):
            case.send(second[: len(second) // 2])
            silence(case, second)

        def changed_last_byte(case, second):
            case.send(peers.flip(second, len(second) - 1))
            case.expect_dropped()

        def changed_finished_header(case, second):
            last = peers.split_records(second)[-1]
            case.send(second[: len(second) - len(last)] + peers.flip(last, 4))
            case.expect_dropped()

        def ccs_storm(case, second):
            case.send(peers.record(peers.CHANGE_CIPHER_SPEC, b"\x01") * 1000 + second)
            case.expect_dropped()

        def plaintext_alert(case, second):
            case.send(peers.record(peers.ALERT, bytes([2, 40])))  # fatal handshake_failure
            case.expect_dropped()

        for action in (close, reset, silence, garbage, half_flight, half_flight_then_silence,
                       changed_last_byte, changed_finished_header, ccs_storm, plaintext_alert):
            named.append((f"{version}_second_flight_{action.__name__}", after_flight(action)))
    return named


def cases_after_handshake():
    named = []
    for version, tls12 in (("tls13", False), ("tls12", True)):
        def established(action, tls12=tls12):
            def run(case):
                client = case.handshake(tls12)
                action(case, client)
            return run

        def bad_mac(case, client):
            case.send(peers.record(peers.APPLICATION_DATA, random.Random(case.port).randbytes(64)))
            case.expect_dropped()
            case.expect_report("")

        def oversized(case, client):
            case.send(peers.record(peers.APPLICATION_DATA, bytes(18000)))
            case.expect_dropped()

        def unknown_type(case, client):
            case.send(peers.record(0x42, b"hello"))
            case.expect_dropped()

        def plaintext_handshake(case, client):
            case.send(peers.record(peers.HANDSHAKE, bytes([1, 0, 0, 0])))
            case.expect_dropped()

        def record_storm(case, client):
            # 20000 one-byte records, all echoed.
            sent = b"".join(client.seal(b"x") for _ in range(20000))
            case.send(sent)
            echoed = b""
            while len(echoed) < 20000:
                data = peers.recv_some(case.sock, case.deadline)
                if not data:
                    raise AssertionError(f"echo stopped after {len(echoed)} of 20000 bytes")
                echoed += client.open(data)
            assert echoed == b"x" * 20000, "the echo differs"
            case.sock.close()

        def replayed_records(case, client):
            # A record sent again (a replay): its sequence number no longer matches.
            record = client.seal(b"r" * 10000)
            case.send(record * 50)
            case.expect_dropped()

        def idle(case, client):
            case.expect_dropped()
            case.expect_report(f"idle for {IDLE_TIMEOUT_MS} ms")

        def half_close(case, client):
            # No close_notify, only a FIN: the server ends the connection too.
            case.send(client.seal(b"last words"))
            case.sock.shutdown(socket.SHUT_WR)
            case.expect_dropped()

        def reset_mid_record(case, client):
            record = client.seal(b"y" * 1000)
            case.send(record[: len(record) // 2])
            peers.reset(case.sock)

        def truncated_record_then_silence(case, client):
            record = client.seal(b"z" * 1000)
            case.send(record[: len(record) // 2])
            idle(case, client)

        for action in (bad_mac, oversized, unknown_type, plaintext_handshake, record_storm, replayed_records, idle, half_close,
                       reset_mid_record, truncated_record_then_silence):
            named.append((f"{version}_established_{action.__name__}", established(action)))

    def non_reader(case):
        # Sends without ever reading its echo: the server stops reading once 64 KiB wait for this
        # client, so TCP holds the client back (after filling the kernel's buffers, up to 32 MiB
        # each way here); then it is idle, and closed. A server without back-pressure would take
        # all 256 MiB in the 3 s.
        client = case.handshake()
        case.sock.setblocking(False)
        sent = 0
        pending = b""
        until = time.monotonic() + 3
        while time.monotonic() < until and sent < 256 * 1024 * 1024:
            pending = pending or client.seal(b"n" * 16000)
            try:
                written = case.sock.send(pending)
                sent += written
                pending = pending[written:]
            except BlockingIOError:
                time.sleep(0.01)
            except ConnectionResetError:
                break  # closed as idle while we still pushed
        assert sent < 80 * 1024 * 1024, f"the server took {sent} bytes from a client that reads nothing"
        case.deadline = time.monotonic() + BOUND_S
        case.expect_dropped()
        case.expect_report(f"idle for {IDLE_TIMEOUT_MS} ms")

    named.append(("non_reader", non_reader))
    return named


def key_update_storm(server, certs):
    """openssl s_client sends 200 TLS 1.3 KeyUpdates, every other one asking for the server's,
    then a line: the server answers them all and echoes the line."""
    client = peers.OpensslCli("s_client", "-connect", f"127.0.0.1:{server.port}", "-servername", "localhost",
                              "-CAfile", os.path.join(certs, "ca.pem"), "-verify_return_error")
    try:
        client.wait_for(r"Verify return code: 0 \(ok\)")
        client.key_update_storm(200)
        client.send_line("echo after the storm")
        client.wait_for(r"^echo after the storm$")
        updates = client.lines.count("KEYUPDATE")
        assert updates >= 100, f"only {updates} KeyUpdates sent"
    finally:
        client.stop()


def good_client(server, certs, index):
    def run():
        rng = random.Random(index)
        payload = rng.randbytes(rng.randint(1, 64 * 1024))
        echoed = peers.echo_session(server.port, certs, payload, tls12=index % 4 == 0)
        assert hashlib.sha256(echoed).digest() == hashlib.sha256(payload).digest(), "echo differs"
    return run


def main():
    binary, certs = sys.argv[1:3]
    server = peers.EchoServer(binary, certs, "--handshake-timeout", str(HANDSHAKE_TIMEOUT_MS),
                              "--idle-timeout", str(IDLE_TIMEOUT_MS))
    started = time.monotonic()
    rss_before, _ = peers.rss_kib(server.process.pid)

    ports = {}

    def as_case(name, action):
        def run():
            case = Case(server, certs)
            ports[case.port] = name
            action(case)
        return run

    hostile = cases_before_handshake() + cases_in_handshake() + cases_after_handshake()
    if len(sys.argv) > 3:
        hostile = [(name, action) for name, action in hostile if re.search(sys.argv[3], name)]
    cases = [(name, as_case(name, action)) for name, action in hostile]
    if len(sys.argv) <= 3 or re.search(sys.argv[3], "tls13_key_update_storm"):
        hostile.append(("tls13_key_update_storm", None))
        cases.append(("tls13_key_update_storm", lambda: key_update_storm(server, certs)))
    # Good clients go in between the hostile ones.
    step = max(1, len(cases) // GOOD_CLIENTS)
    for index in range(GOOD_CLIENTS):
        cases.insert(index * (step + 1), (f"good_client_{index}", good_client(server, certs, index)))
    results = peers.run_cases(cases, workers=12)

    failures = [f"{name}: {error!r}" for name, error in results.items() if error is not None]
    if not server.alive():
        failures.append(f"the server died: status {server.process.returncode}")
    else:
        try:
            good_client(server, certs, 1000)()
        except Exception as error:
            failures.append(f"a good client after all the hostile ones: {error!r}")
        rss_after, peak = peers.rss_kib(server.process.pid)
        print(f"server memory: {rss_before} KiB at the start, {rss_after} KiB at the end, peak {peak} KiB")
    unknown = [line for line in server.lines if "Unknown error" in line]
    if unknown:
        failures.append(f"reports without a reason: {unknown}")
    status = server.stop()
    if status != 0:
        failures.append(f"the server exited with {status}")

    for line in server.lines:
        print(f"  server: {line}")
    print("hostile clients by port: " + ", ".join(f"{port} {name}" for port, name in sorted(ports.items())))
    print(f"{len(hostile)} hostile clients, {GOOD_CLIENTS + 1} good ones, {len(server.lines)} server reports, "
          f"{time.monotonic() - started:.1f} s")
    return peers.verdict(failures)


if __name__ == "__main__":
    sys.exit(main())
