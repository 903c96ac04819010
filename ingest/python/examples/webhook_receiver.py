"""A webhook receiver that checks every delivery's signature: the README's example, run by
WebhooksServiceTest.

    python3 webhook_receiver.py PORT SECRET [COUNT]

Answers 204 to a genuine delivery (and prints "verified <event id> <type>"), 401 to anything
else; stops after COUNT genuine deliveries (default: never).
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

from cytostream_hook import SIGNATURE_HEADER, verify_webhook

port, secret = int(sys.argv[1]), sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else None
received = []


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if not verify_webhook(secret, self.headers.get(SIGNATURE_HEADER), body):
            self.send_response(401)
            self.end_headers()
            return
        event = json.loads(body)
        print("verified", event["id"], event["type"], flush=True)
        received.append(event)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", port), Handler)
print("listening on", server.server_address[1], flush=True)
while count is None or len(received) < count:
    server.handle_request()
