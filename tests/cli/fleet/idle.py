#!/usr/bin/env python3
"""idle.py PORT N READY: opens N TCP connections to 127.0.0.1:PORT and
sends nothing (its own limit on open files raised as far as it goes);
writes READY once they are all open, then waits until each is closed by
the server and prints "closed N"."""
import resource
import socket
import sys

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

port, n, ready = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(n)]
open(ready, "w").close()
closed = 0
for s in socks:
    try:
        while s.recv(4096):
            pass
    except OSError:
        pass
    s.close()
    closed += 1
print("closed", closed, flush=True)
