#!/usr/bin/python3
"""receiver.py PORTFILE CAPTURE [FAIL_FIRST] - a webhook receiver on 127.0.0.1 for tests.

FAIL_FIRST = -1 answers every request 200 with a DingTalk refusal body ({"errcode": 310000}),
-2 with a Feishu one ({"code": 19021}).

Writes the port it listens on to PORTFILE (atomically), appends one JSON line per request to
CAPTURE (path, content type, status answered, body), answers 500 to the first FAIL_FIRST
requests and 200 after. Exits when its parent process goes away or after 300 s.
"""
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

portfile, capture = sys.argv[1], sys.argv[2]
fail_first = int(sys.argv[3]) if len(sys.argv) > 3 else 0
count = 0
parent = os.getppid()


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        global count
        n = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(n).decode("utf-8", "replace")
        count += 1
        status = 500 if count <= fail_first else 200
        reply = b"fail\n" if status == 500 else b"ok\n"
        if fail_first == -1:
            reply = b'{"errcode":310000,"errmsg":"keywords not in content"}'
        if fail_first == -2:
            reply = (b'{"code":19021,"data":{},"msg":"sign match fail or timestamp is not '
                     b'within one hour from current time"}')
        with open(capture, "a", encoding="utf-8") as f:
            f.write(json.dumps({"path": self.path, "ct": self.headers.get("Content-Type"),
                                "ua": self.headers.get("User-Agent"),
                                "status": status, "body": body}) + "\n")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


def watchdog():
    start = time.time()
    while time.time() - start < 300 and os.getppid() == parent:
        time.sleep(0.2)
    os._exit(0)


srv = HTTPServer(("127.0.0.1", 0), Handler)
tmp = portfile + ".tmp"
with open(tmp, "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(tmp, portfile)
threading.Thread(target=watchdog, daemon=True).start()
srv.serve_forever()
