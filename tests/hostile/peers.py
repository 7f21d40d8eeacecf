"""What the hostile-peer and soak suites share: TLS records taken apart, handshakes driven by
Python's ssl through memory BIOs (so that every byte on the wire can be cut, changed or
replaced), the example server started and watched, and a time bound on everything."""

import os
import re
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import threading
import time

HANDSHAKE, ALERT, CHANGE_CIPHER_SPEC, APPLICATION_DATA = 0x16, 0x15, 0x14, 0x17
LINGER_RESET = struct.pack("ii", 1, 0)  # close() then sends a TCP reset


def record(content_type, body, version=0x0303):
    return struct.pack("!BHH", content_type, version, len(body)) + body


def split_records(data):
    """The whole records at the start of data, as byte strings (header included)."""
    records = []
    while len(data) >= 5:
        length = struct.unpack("!H", data[3:5])[0]
        if len(data) < 5 + length:
            break
        records.append(data[: 5 + length])
        data = data[5 + length :]
    return records


def flip(data, index):
    return data[:index] + bytes([data[index] ^ 0x5A]) + data[index + 1 :]


def reset(sock):
    """Closes with a TCP reset instead of a FIN."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER_RESET)
    sock.close()


def recv_some(sock, deadline):
    """The next bytes from sock, b'' at its end (or a reset), None when the deadline passes."""
    sock.settimeout(max(0.01, deadline - time.monotonic()))
    try:
        return sock.recv(65536)
    except (socket.timeout, BlockingIOError):
        return None
    except (ConnectionResetError, BrokenPipeError):
        return b""


class MemoryTls:
    """One side of a TLS connection whose bytes go through our hands, not a socket."""

    def __init__(self, context, server_side, server_hostname=None):
        self.incoming = ssl.MemoryBIO()
        self.outgoing = ssl.MemoryBIO()
        self.tls = context.wrap_bio(self.incoming, self.outgoing, server_side=server_side,
                                    server_hostname=server_hostname)
        self.done = False

    def step(self, received=b""):
        """Feeds received bytes, advances the handshake; returns the bytes to send."""
        if received:
            self.incoming.write(received)
        if not self.done:
            try:
                self.tls.do_handshake()
                self.done = True
            except ssl.SSLWantReadError:
                pass
        return self.outgoing.read()

    def seal(self, data):
        self.tls.write(data)
        return self.outgoing.read()

    def open(self, received=b""):
        """Plaintext from received bytes (b'' when a whole record has not arrived yet)."""
        if received:
            self.incoming.write(received)
        chunks = []
        while True:
            try:
                chunks.append(self.tls.read(65536))
            except (ssl.SSLWantReadError, ssl.SSLZeroReturnError):
                return b"".join(chunks)


def client_context(certs, tls12=False):
    context = ssl.create_default_context(cafile=os.path.join(certs, "ca.pem"))
    if tls12:
        context.maximum_version = ssl.TLSVersion.TLSv1_2
    return context


def server_context(certs, tls12=False):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.path.join(certs, "server.pem"), os.path.join(certs, "server.key"))
    if tls12:
        context.maximum_version = ssl.TLSVersion.TLSv1_2
    return context


def rss_kib(pid):
    """Resident and peak resident memory of a process, in KiB."""
    with open(f"/proc/{pid}/status") as status:
        fields = dict(line.split(":", 1) for line in status if ":" in line)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def collect_lines(stream):
    """A list that a daemon thread fills with the lines of `stream` as they come, and the thread."""
    lines = []

    def read():
        for line in stream:
            lines.append(line.rstrip("\n"))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return lines, reader


def verdict(failures, limit=50):
    """Prints the failures (or PASS); the exit status."""
    if failures:
        print("FAIL:\n  " + "\n  ".join(failures[:limit]))
        return 1
    print("PASS")
    return 0


class EchoServer:
    """sslechoserver on 127.0.0.1 and any free port; stderr (one line per dropped client) is kept."""

    def __init__(self, binary, certs, *options):
        self.process = subprocess.Popen(
            [binary, "--cert", os.path.join(certs, "server.pem"), "--key", os.path.join(certs, "server.key"),
             "--address", "127.0.0.1", "--port", "0", *options],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        match = re.match(r"listening on 127\.0\.0\.1:(\d+)", line)
        if not match:
            self.process.kill()
            sys.exit(f"FAIL: sslechoserver did not start: {line!r} {self.process.stderr.read()!r}")
        self.port = int(match.group(1))
        self.lines, self.reader = collect_lines(self.process.stderr)

    def connect(self):
        return socket.create_connection(("127.0.0.1", self.port), timeout=10)

    def alive(self):
        return self.process.poll() is None

    def stop(self):
        """Ends the server; returns its exit status (negative: a signal, e.g. a crash)."""
        status = self.process.poll()
        if status is None:
            self.process.terminate()
            status = self.process.wait(10)
            if status == -15:  # our own SIGTERM
                status = 0
        self.reader.join(5)
        return status


class OpensslCli:
    """`openssl s_server` or `s_client`, driven line by line on its stdin: its "K"/"k" commands
    send TLS 1.3 KeyUpdates (with and without update_requested), which Python's ssl cannot."""

    def __init__(self, *arguments):
        openssl = shutil.which("openssl")
        if not openssl:
            sys.exit("FAIL: the openssl command is missing")
        self.process = subprocess.Popen([openssl, *arguments], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, bufsize=1)
        self.lines, self.reader = collect_lines(self.process.stdout)

    def wait_for(self, pattern, timeout_s=10):
        """The first output line matching pattern (a regular expression); fails after timeout_s."""
        until = time.monotonic() + timeout_s
        while time.monotonic() < until:
            for line in list(self.lines):
                match = re.search(pattern, line)
                if match:
                    return match
            if self.process.poll() is not None and not self.reader.is_alive():
                break
            time.sleep(0.02)
        raise AssertionError(f"openssl never printed {pattern!r}: {self.lines[-10:]}")

    def send_line(self, text):
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()

    def key_update_storm(self, count):
        """count KeyUpdates, every other one asking the peer for its own; one stdin read each."""
        for index in range(count):
            self.send_line("K" if index % 2 == 0 else "k")
            time.sleep(0.01)

    def stop(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(10)
        self.reader.join(5)


def echo_session(port, certs, payload, tls12=False, chunk=16384, deadline_s=30):
    """A well-behaved client: sends payload in chunks, reads each echo back; returns the echo."""
    context = client_context(certs, tls12)
    with socket.create_connection(("127.0.0.1", port), timeout=deadline_s) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            echoed = bytearray()
            for start in range(0, len(payload), chunk):
                piece = payload[start : start + chunk]
                tls.sendall(piece)
                want = len(echoed) + len(piece)
                while len(echoed) < want:
                    data = tls.recv(65536)
                    if not data:
                        return bytes(echoed)
                    echoed += data
            return bytes(echoed)


def run_cases(cases, workers):
    """Runs (name, callable) pairs on `workers` threads; returns {name: exception or None}."""
    results = {}
    pending = list(cases)
    lock = threading.Lock()

    def work():
        while True:
            with lock:
                if not pending:
                    return
                name, case = pending.pop(0)
            try:
                case()
                outcome = None
            except Exception as error:  # reported with its case, the run goes on
                outcome = error
            with lock:
                results[name] = outcome

    threads = [threading.Thread(target=work, daemon=True) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
