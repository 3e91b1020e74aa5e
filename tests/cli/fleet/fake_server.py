#!/usr/bin/env python3
"""A fake fleet server for the client's tests: TLS 1.3 through Python's ssl
module (OpenSSL, which sends session tickets after the handshake, as an
nginx or any OpenSSL front end would), answering as MODE says.

usage: fake_server.py MODE CERT KEY CA PORTFILE
  ok     answers a heartbeat, no job (204), on one kept connection
  drip   answers a status line, then one header line a second, forever
  id     answers a heartbeat, then a job whose id is 1.5
  nonce  answers a heartbeat, then a job whose nonce holds newlines
Each request's first line goes to stderr.
It listens on a free loopback port and writes the port to PORTFILE."""
import json
import os
import socket
import ssl
import sys
import threading
import time

mode, cert, key, ca, portfile = sys.argv[1:6]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.minimum_version = ssl.TLSVersion.TLSv1_3
ctx.load_cert_chain(cert, key)
ctx.load_verify_locations(ca)
ctx.verify_mode = ssl.CERT_REQUIRED
ctx.num_tickets = 2

HEARTBEAT = b'{"schema":"hwledger.fleet.heartbeat/1","host":"gpu-1","registered":false}'


def answer(status, body=b""):
    head = "HTTP/1.1 %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
    return (head % (status, len(body))).encode() + body


def serve(raw):
    try:
        s = ctx.wrap_socket(raw, server_side=True)
        while True:
            req = b""
            while b"\r\n\r\n" not in req:
                data = s.recv(4096)
                if not data:
                    return
                req += data
            line = req.split(b"\r\n", 1)[0]
            print(line.decode(errors="replace"), file=sys.stderr, flush=True)
            if mode == "drip":
                s.sendall(b"HTTP/1.1 200 OK\r\n")
                while True:
                    s.sendall(b"X-Wait: 1\r\n")
                    time.sleep(1)
            if b"/v1/heartbeat" in line:
                s.sendall(answer("200 OK", HEARTBEAT))
            elif b"/v1/jobs/next" in line and mode in ("id", "nonce"):
                job = {"schema": "hwledger.fleet.job/1", "id": 1, "kind": "probe",
                       "args": None, "nonce": "0" * 32, "deadline": 60}
                if mode == "id":
                    job["id"] = 1.5
                else:
                    job["nonce"] = "ab\n1\n" + "0" * 26
                s.sendall(answer("200 OK", json.dumps(job).encode()))
            else:
                s.sendall(answer("204 No Content"))
    except (OSError, ssl.SSLError):
        pass


listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(16)
with open(portfile + ".tmp", "w") as f:
    f.write("%d\n" % listener.getsockname()[1])
os.rename(portfile + ".tmp", portfile)
while True:
    conn, _ = listener.accept()
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
