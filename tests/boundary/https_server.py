#!/usr/bin/env python3
# SPDX-License-Identifier: MIT OR Apache-2.0
"""HTTPS server for the boundary tests: answers every GET on 127.0.0.1 with BODY.

    https_server.py CERT KEY [CLIENT_CA]

With CLIENT_CA, clients must present a certificate it issued, and the body names them.

Binds port 0 and prints "port N" once listening. Exits when stdin closes (its driver went
away) or after ten minutes at most, so it can never outlive a test run.
"""
import contextlib
import http.server
import socketserver
import ssl
import sys
import threading

LIFETIME_SECONDS = 600
BODY = "boundary body"


def main():
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[1], sys.argv[2])
    if len(sys.argv) > 3:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(sys.argv[3])

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            content = BODY
            client = self.connection.getpeercert()
            if client:
                names = [value for rdn in client["subject"] for key, value in rdn if key == "commonName"]
                content += " for " + "/".join(names)
            content = content.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, *args):
            pass

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True

        # The handshake runs in the connection's own thread: a client that stalls or rejects
        # the certificate must not hold up the accept loop.
        def finish_request(self, request, client_address):
            request.settimeout(10)  # also ends idle keep-alive connections
            try:
                tls = context.wrap_socket(request, server_side=True)
            except OSError:
                return  # the client refused our certificate: expected in the untrusted scenarios
            with contextlib.suppress(OSError), tls:  # OSError: the client went away mid-request
                self.RequestHandlerClass(tls, client_address, self)

    server = Server(("127.0.0.1", 0), Handler)
    print(f"port {server.server_address[1]}", flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # Ends when the driver closes our stdin (or dies), or after LIFETIME_SECONDS.
    watcher = threading.Thread(target=sys.stdin.read, daemon=True)
    watcher.start()
    watcher.join(LIFETIME_SECONDS)


if __name__ == "__main__":
    main()
