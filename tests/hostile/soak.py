#!/usr/bin/env python3
"""Soak: a few hundred checksummed connections through sslechoserver, many at once.

Every connection sends its own random payload (up to 256 KiB, a quarter of them on TLS 1.2) and
reads its echo back; the SHA-256 of every echo must match (zero bytes lost or changed), no
connection may fail, the server reports nothing, and its resident memory stays bounded: a high-
water mark under a fixed ceiling and no growth from the warmed-up state to the end (a leak of a
few KiB per connection would show).

    soak.py SSLECHOSERVER CERTS_DIR [--connections N] [--concurrency N] [--sanitized]
(--sanitized: a sanitizer build, whose allocator keeps freed memory; memory is reported, not bounded)
"""

import argparse
import hashlib
import random
import sys
import threading
import time

import peers

HIGH_WATER_CEILING_KIB = 64 * 1024  # above the server's resident size at the start
GROWTH_CEILING_KIB = 8 * 1024  # from the warmed-up state to the end


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("server")
    parser.add_argument("certs")
    parser.add_argument("--connections", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=40)
    parser.add_argument("--sanitized", action="store_true")
    args = parser.parse_args()

    server = peers.EchoServer(args.server, args.certs)
    start_kib, _ = peers.rss_kib(server.process.pid)
    samples = []
    sampling = threading.Event()

    def sample():
        while not sampling.wait(0.1):
            if server.alive():
                samples.append(peers.rss_kib(server.process.pid)[0])

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()

    done = []
    warm = {}
    lock = threading.Lock()

    def connection(index):
        def run():
            rng = random.Random(index)
            payload = rng.randbytes(rng.randint(1, 256 * 1024))
            echoed = peers.echo_session(server.port, args.certs, payload, tls12=index % 4 == 3,
                                        chunk=rng.choice((1000, 16384, 60000)))
            if hashlib.sha256(echoed).digest() != hashlib.sha256(payload).digest():
                raise AssertionError(f"echo differs: {len(echoed)} of {len(payload)} bytes came back")
            with lock:
                done.append(len(payload))
                if len(done) == args.connections // 4:
                    warm["kib"] = peers.rss_kib(server.process.pid)[0]
        return run

    started = time.monotonic()
    results = peers.run_cases([(f"connection {index}", connection(index)) for index in range(args.connections)],
                              workers=args.concurrency)
    took = time.monotonic() - started
    sampling.set()
    sampler.join()

    failures = [f"{name}: {error!r}" for name, error in results.items() if error is not None]
    if not server.alive():
        failures.append(f"the server died: status {server.process.returncode}")
        end_kib = high_kib = 0
    else:
        end_kib, _ = peers.rss_kib(server.process.pid)
        high_kib = max(samples + [end_kib])
    if server.stop() != 0:
        failures.append(f"the server exited with {server.process.returncode}")
    if server.lines:
        failures.append(f"the server reported good clients: {server.lines[:5]}")

    total = sum(done)
    print(f"{len(done)} of {args.connections} connections ({args.concurrency} at once) echoed "
          f"{total / 1048576:.1f} MiB intact in {took:.1f} s")
    print(f"server memory: {start_kib} KiB at the start, {warm.get('kib', 0)} KiB warmed up, "
          f"{end_kib} KiB at the end, high-water {high_kib} KiB")
    if not args.sanitized and end_kib:
        if high_kib - start_kib > HIGH_WATER_CEILING_KIB:
            failures.append(f"high-water {high_kib - start_kib} KiB above the start, over {HIGH_WATER_CEILING_KIB}")
        if end_kib - warm.get("kib", end_kib) > GROWTH_CEILING_KIB:
            failures.append(f"grew {end_kib - warm['kib']} KiB after warming up, over {GROWTH_CEILING_KIB}")
    return peers.verdict(failures, limit=20)


if __name__ == "__main__":
    sys.exit(main())
