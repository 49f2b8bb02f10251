#!/usr/bin/env python3
"""A tiny HTTP server for the CLI tests (python3 standard library only).

It binds 127.0.0.1 on a free port, writes the port to --port-file, serves
the routes of --routes (a JSON file) and appends every request it saw to
--log as one JSON object a line.  It stops by itself after --max-seconds.

Routes: {"/path?query": RESPONSE or [RESPONSE, ...], "/path": ...}.  A
request matches "path?query" first, then "path".  With a list, the n-th
request to a route gets the n-th response (the last one repeats).
RESPONSE fields, all optional:
  status     200
  headers    {"Name": "value"}         ("{base}" becomes http://127.0.0.1:PORT)
  body       text                      ("{base}" replaced too)
  json       any JSON value, sent as application/json
  body_file  path of a file to send
  type       Content-Type (default: by json/body)
  delay      seconds to wait before answering (a hang past --timeout)
  cut        send only this many bytes of the body, then close
  gzip       true: Content-Encoding gzip
"""
import argparse
import gzip
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

LOCK = threading.Lock()
COUNTS = {}


def make_handler(routes, log_path, base):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):
            pass

        def handle_any(self):
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length > 0 else b""
            entry = {
                "method": self.command,
                "path": parts.path,
                "query": parts.query,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body.decode("utf-8", "replace"),
            }
            with LOCK:
                with open(log_path, "a", encoding="utf-8") as f:
                    f.write(json.dumps(entry) + "\n")
            key = parts.path + ("?" + parts.query if parts.query else "")
            spec = routes.get(key)
            if spec is None:
                key = parts.path
                spec = routes.get(key)
            if spec is None:
                self.answer({"status": 404, "body": "no route " + self.path})
                return
            if isinstance(spec, list):
                with LOCK:
                    n = COUNTS.get(key, 0)
                    COUNTS[key] = n + 1
                spec = spec[min(n, len(spec) - 1)]
            self.answer(spec)

        def answer(self, spec):
            if spec.get("delay"):
                time.sleep(float(spec["delay"]))
            ctype = spec.get("type")
            if "json" in spec:
                data = json.dumps(spec["json"]).replace("{base}", base).encode()
                ctype = ctype or "application/json"
            elif "body_file" in spec:
                with open(spec["body_file"], "rb") as f:
                    data = f.read()
            else:
                data = spec.get("body", "").replace("{base}", base).encode()
            headers = {k: v.replace("{base}", base)
                       for k, v in spec.get("headers", {}).items()}
            if ctype and "Content-Type" not in headers:
                headers["Content-Type"] = ctype
            if spec.get("gzip"):
                data = gzip.compress(data)
                headers["Content-Encoding"] = "gzip"
            self.send_response(int(spec.get("status", 200)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            cut = spec.get("cut")
            if cut is not None:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command == "HEAD":
                return
            if cut is not None:
                self.wfile.write(data[:int(cut)])
                self.wfile.flush()
                self.close_connection = True
                return
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any
        do_HEAD = handle_any

    return Handler


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--routes", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--max-seconds", type=float, default=120)
    args = ap.parse_args()
    with open(args.routes, encoding="utf-8") as f:
        routes = json.load(f)
    class Server(ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass  # a client that hung up early (timeouts, cut bodies)

    server = Server(("127.0.0.1", 0), None)
    server.daemon_threads = True
    port = server.server_address[1]
    base = "http://127.0.0.1:%d" % port
    server.RequestHandlerClass = make_handler(routes, args.log, base)
    open(args.log, "a").close()
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.rename(tmp, args.port_file)
    timer = threading.Timer(args.max_seconds, server.shutdown)
    timer.daemon = True
    timer.start()
    try:
        server.serve_forever(poll_interval=0.1)
    except KeyboardInterrupt:
        pass
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
