#!/usr/bin/env python3
"""tests/tools/fake_mail_server.py: misbehaving IMAP servers on 127.0.0.1 for t_probe.sh.

    fake_mail_server.py MODE PORTFILE

Listens on a free loopback port, writes it to PORTFILE, and serves every
connection in MODE until killed:
  hang       greets ("* OK"), then never answers
  midline    sends half a greeting line, then nothing
  garbage    sends binary junk lines instead of a greeting
  endless    sends a greeting line that never ends (bytes without a newline)
  close      greets, then closes the connection at the first command
  silent     accepts and says nothing at all
  inject     a STARTTLS server that sends extra bytes right after its STARTTLS reply
"""
import os
import socket
import sys
import threading
import time


def serve(conn, mode):
    try:
        if mode == "hang":
            conn.sendall(b"* OK fake IMAP ready\r\n")
            time.sleep(3600)
        elif mode == "midline":
            conn.sendall(b"* OK fake IMAP rea")
            time.sleep(3600)
        elif mode == "garbage":
            for _ in range(3):
                conn.sendall(bytes(range(0, 256)) + b"\r\n")
            time.sleep(3600)
        elif mode == "endless":
            conn.sendall(b"* OK ")
            chunk = b"A" * 4096
            deadline = time.time() + 60
            while time.time() < deadline:
                conn.sendall(chunk)
        elif mode == "close":
            conn.sendall(b"* OK fake IMAP ready\r\n")
            conn.recv(1024)
        elif mode == "silent":
            time.sleep(3600)
        elif mode == "inject":
            conn.sendall(b"* OK fake IMAP ready\r\n")
            buf = b""
            while True:
                data = conn.recv(1024)
                if not data:
                    break
                buf += data
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    tag = line.split(b" ", 1)[0]
                    cmd = line.split(b" ")[1].strip().upper() if b" " in line else b""
                    if cmd == b"CAPABILITY":
                        conn.sendall(b"* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN\r\n"
                                     + tag + b" OK done\r\n")
                    elif cmd == b"STARTTLS":
                        conn.sendall(tag + b" OK begin TLS\r\n* injected\r\n")
                        time.sleep(3600)
                    else:
                        conn.sendall(tag + b" BAD what\r\n")
    except OSError:
        pass
    finally:
        conn.close()


def main():
    mode, portfile = sys.argv[1], sys.argv[2]
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    tmp = portfile + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % s.getsockname()[1])
    os.rename(tmp, portfile)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=serve, args=(conn, mode), daemon=True).start()


if __name__ == "__main__":
    main()
