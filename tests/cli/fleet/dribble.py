#!/usr/bin/env python3
"""dribble.py PORT CA N: opens N TLS connections to 127.0.0.1:PORT
(checking the server against the CA certificate file CA) that send one
byte of an HTTP request every 0.2 s and never finish it: faster than any
idle timeout, so only a limit on the whole request cuts them. Prints
"open" once all are connected and "cut K" each time the server closes
one; exits 0 when all are cut, 1 when some still stand after 60 s (a
bound against hanging, not a timing assertion)."""
import socket
import ssl
import sys
import time

port, ca, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
ctx = ssl.create_default_context(cafile=ca)
ctx.minimum_version = ssl.TLSVersion.TLSv1_3
request = b"GET /v1/hosts HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Slow: a\r\n" * 10000
socks = []
for _ in range(n):
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)),
                        server_hostname="127.0.0.1")
    s.settimeout(0.05)
    socks.append([s, 0])
print("open", flush=True)
cut = 0
deadline = time.monotonic() + 60
while socks and time.monotonic() < deadline:
    for entry in list(socks):
        s, i = entry
        try:
            s.send(request[i:i + 1])
            entry[1] += 1
            if s.recv(1) == b"":
                raise ConnectionResetError
        except (socket.timeout, ssl.SSLWantReadError):
            continue
        except OSError:
            s.close()
            socks.remove(entry)
            cut += 1
            print("cut", cut, flush=True)
    time.sleep(0.2)
sys.exit(0 if not socks else 1)
