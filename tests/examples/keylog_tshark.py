#!/usr/bin/env python3
"""SSLKEYLOGFILE read by Wireshark: sslclient talks to sslechoserver through a relay that records
both directions; the recording becomes a pcap file (synthetic IPv4/TCP headers, port 443), and
`tshark -o tls.keylog_file:…` must decrypt the line both ways (TLS 1.3) with the client's key
log. Skips (exit 77) when tshark is not installed.

    keylog_tshark.py SSLECHOSERVER SSLCLIENT CERTS_DIR
"""

import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading

MESSAGE = b"decrypted by tshark with the qssl-rs key log"


def relay(listener, server_port, recording):
    """One connection from the listener to the server; every chunk recorded with its direction."""
    client, _ = listener.accept()
    upstream = socket.create_connection(("127.0.0.1", server_port))
    lock = threading.Lock()

    def pump(source, sink, direction):
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                data = b""
            if not data:
                try:
                    sink.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                return
            with lock:
                recording.append((direction, data))
            sink.sendall(data)

    threads = [threading.Thread(target=pump, args=(client, upstream, 0)),
               threading.Thread(target=pump, args=(upstream, client, 1))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    client.close()
    upstream.close()


def pcap(recording, path):
    """A pcap (LINKTYPE_RAW: IPv4) of one TCP connection 10.0.0.1:50000 -> 10.0.0.2:443."""
    addresses = (bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    ports = (50000, 443)
    seq = [1000, 5000]
    packets = []

    def segment(direction, flags, payload=b""):
        source, destination = direction, 1 - direction
        tcp = struct.pack("!HHIIBBHHH", ports[source], ports[destination], seq[source], seq[destination],
                          5 << 4, flags, 65535, 0, 0)
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + len(payload), 0, 0, 64, 6, 0,
                         addresses[source], addresses[destination])
        packets.append(ip + tcp + payload)
        seq[source] += len(payload) + (1 if flags & 0x02 else 0)  # a SYN counts one

    syn, ack, psh = 0x02, 0x10, 0x08
    segment(0, syn)
    segment(1, syn | ack)
    segment(0, ack)
    for direction, data in recording:
        for start in range(0, len(data), 1400):
            segment(direction, psh | ack, data[start : start + 1400])
    with open(path, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 101))
        for index, packet in enumerate(packets):
            out.write(struct.pack("<IIII", 1_700_000_000, index, len(packet), len(packet)))
            out.write(packet)


def decrypted(tshark, capture, keylog):
    """The application data tshark decrypts (its "Decrypted TLS" hex dumps), as bytes."""
    result = subprocess.run([tshark, "-r", capture, "-o", f"tls.keylog_file:{keylog}", "-x"],
                            capture_output=True, text=True, timeout=60)
    data = bytearray()
    in_block = False
    for line in result.stdout.splitlines():
        if line.startswith("Decrypted TLS"):
            in_block = True
        elif not line.strip():
            in_block = False
        elif in_block:
            # "0000  64 65 63 ...   dec": the offset, up to 16 bytes, then their text
            data += bytes.fromhex("".join(line[6:].split("   ")[0].split()))
    return bytes(data)


def run(server_bin, client_bin, certs, work):
    keylog = os.path.join(work, "keys.log")
    environment = dict(os.environ, SSLKEYLOGFILE=keylog)
    server = subprocess.Popen([server_bin, "--cert", os.path.join(certs, "server.pem"),
                               "--key", os.path.join(certs, "server.key")],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                              env=dict(os.environ, SSLKEYLOGFILE=""))
    try:
        server_port = int(server.stdout.readline().rsplit(":", 1)[1])
        listener = socket.create_server(("127.0.0.1", 0))
        recording = []
        relaying = threading.Thread(target=relay, args=(listener, server_port, recording))
        relaying.start()
        client = subprocess.run([client_bin, f"127.0.0.1:{listener.getsockname()[1]}", "--cafile",
                                 os.path.join(certs, "ca.pem"), "--servername", "localhost"],
                                input=MESSAGE + b"\n", capture_output=True, timeout=30, env=environment)
        relaying.join(30)
    finally:
        server.kill()
        server.wait()
    if client.returncode != 0 or MESSAGE not in client.stdout:
        return f"the echo failed: {client.stderr!r}"
    capture = os.path.join(work, "session.pcap")
    pcap(recording, capture)
    tshark = shutil.which("tshark")
    plain = decrypted(tshark, capture, keylog)
    if plain.count(MESSAGE) != 2:
        return f"tshark decrypted {plain!r}"
    # And without the key log, nothing: the capture itself holds no plaintext.
    empty = os.path.join(work, "empty.log")
    open(empty, "w").close()
    if MESSAGE in decrypted(tshark, capture, empty):
        return "tshark read the line without the key log"
    return None


def main():
    server_bin, client_bin, certs = sys.argv[1:4]
    if not shutil.which("tshark"):
        print("SKIP: tshark is not installed (apt-get install tshark)")
        return 77
    with tempfile.TemporaryDirectory() as work:
        failure = run(server_bin, client_bin, certs, work)
    if failure:
        print(f"FAIL: TLS 1.3: {failure}")
        return 1
    print("PASS: tshark decrypted both directions of a TLS 1.3 session with the client's key log")
    return 0


if __name__ == "__main__":
    sys.exit(main())
