#!/usr/bin/env python3
"""static_server.py ROOT PORTFILE: serves ROOT on 127.0.0.1 at a free port
(the kernel picks it), writes the port to PORTFILE once listening, and runs
until killed. For the browser suite (tests/t_browser.sh); requests are not
logged."""
import functools
import http.server
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        # A browser that stops reading (a navigation away) is no error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def main():
    root, portfile = sys.argv[1], sys.argv[2]
    handler = functools.partial(Handler, directory=root)
    server = Server(("127.0.0.1", 0), handler)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    import os
    os.replace(portfile + ".tmp", portfile)
    server.serve_forever()


if __name__ == "__main__":
    main()
