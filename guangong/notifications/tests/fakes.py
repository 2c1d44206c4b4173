"""A local SMTP server (aiosmtpd) and a fake SMS provider on 127.0.0.1, as fixtures."""

import json
import socket
import threading
import urllib.parse
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

# --- A local SMTP server ------------------------------------------------------------------


class Inbox:
    def __init__(self):
        self.mails = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.mails.append(
            (envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"


@pytest.fixture
def smtp(settings):
    handler = Inbox()
    with socket.socket() as probe:  # a free port on the loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield handler
    controller.stop()


# --- A fake SMS provider ------------------------------------------------------------------


class FakeProvider(BaseHTTPRequestHandler):
    answers: list = []
    seen: list = []

    def do_GET(self):  # noqa: N802 - http.server's name
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
        type(self).seen.append(query)
        status, body = type(self).answers.pop(0) if type(self).answers else (200, {"Code": "OK"})
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def provider(settings):
    FakeProvider.answers, FakeProvider.seen = [], []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeProvider)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "guangong.notifications.sms.AliyunBackend"
    settings.SMS_ENDPOINT = f"http://127.0.0.1:{server.server_address[1]}/"
    settings.SMS_ACCESS_KEY_ID, settings.SMS_ACCESS_KEY_SECRET = "testid", "testsecret"
    settings.SMS_SIGN_NAME = "关工委"
    settings.SMS_TEMPLATE_NOTICE, settings.SMS_TEMPLATE_CODE = "SMS_100", "SMS_200"
    yield FakeProvider
    server.shutdown()
    server.server_close()
