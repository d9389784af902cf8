#!/usr/bin/env python3
"""Tiny SMTP sink for tests/realclient/servers.sh.

Dovecot's submission service relays to this after authenticating a client;
it only has to answer.  Accepts everything, stores nothing, and logs each
command line (DATA content is counted, not logged).

usage: smtp-sink.py PORT LOGFILE PIDFILE
"""
import socketserver
import sys
import time
import os


class Handler(socketserver.StreamRequestHandler):
    timeout = 120

    def log(self, msg):
        self.server.logf.write("%s %s:%d %s\n" % (
            time.strftime("%Y-%m-%dT%H:%M:%S"), self.client_address[0],
            self.client_address[1], msg))
        self.server.logf.flush()

    def reply(self, line):
        self.wfile.write((line + "\r\n").encode())
        self.wfile.flush()

    def handle(self):
        self.log("connect")
        self.reply("220 sink.localhost ESMTP test sink")
        while True:
            raw = self.rfile.readline(65536)
            if not raw:
                break
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            self.log("C: " + line)
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "LHLO"):
                self.wfile.write(b"250-sink.localhost\r\n250-8BITMIME\r\n"
                                 b"250-PIPELINING\r\n250 SIZE 10240000\r\n")
                self.wfile.flush()
            elif verb == "HELO":
                self.reply("250 sink.localhost")
            elif verb == "DATA":
                self.reply("354 go ahead")
                n = 0
                while True:
                    d = self.rfile.readline(65536)
                    if not d or d in (b".\r\n", b".\n"):
                        break
                    n += len(d)
                self.log("DATA %d bytes" % n)
                self.reply("250 2.0.0 queued (discarded)")
            elif verb == "QUIT":
                self.reply("221 2.0.0 bye")
                break
            elif verb in ("MAIL", "RCPT", "RSET", "NOOP", "XCLIENT", "VRFY"):
                self.reply("250 2.0.0 ok")
            else:
                self.reply("502 5.5.2 not implemented")
        self.log("disconnect")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    port, logfile, pidfile = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    with open(pidfile, "w") as f:
        f.write("%d\n" % os.getpid())
    srv = Server(("127.0.0.1", port), Handler)
    srv.logf = open(logfile, "a")
    srv.logf.write("listening on 127.0.0.1:%d\n" % port)
    srv.logf.flush()
    srv.serve_forever()


if __name__ == "__main__":
    main()
