"""SMS through a pluggable backend (``SMS_BACKEND``).

- ``ConsoleBackend`` (the default): writes the text to the log, the phone masked; nothing is
  sent. For development and installations without an SMS contract.
- ``AliyunBackend``: Alibaba Cloud SMS (阿里云短信服务), the ``SendSms`` action of its RPC API
  (version 2017-05-25), signed with HMAC-SHA1 as the provider documents, over HTTPS with the
  standard library. Messages go through templates approved by the provider: one for notices
  (``SMS_TEMPLATE_NOTICE``, with the variable ``${title}``) and one for codes
  (``SMS_TEMPLATE_CODE``, with ``${code}``).

A backend's ``send(phone, *, text, template, params)`` returns the provider's id of the message
or raises ``SmsError`` with a reason a person can read.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
import uuid

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from guangong.core.validators import mask_phone

log = logging.getLogger(__name__)


class SmsError(Exception):
    """The provider refused or could not be reached."""


def backend():
    return import_string(settings.SMS_BACKEND)()


def describe(exc: Exception) -> str:
    """A failure as the delivery log shows it (never the phone number)."""
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if not isinstance(exc, SmsError) else text


class ConsoleBackend:
    def send(self, phone: str, *, text: str, template: str = "notice", params=None) -> str:
        log.warning("SMS to %s: %s", mask_phone(phone), text)
        return "console"


def percent_encode(value: str) -> str:
    """RFC 3986 encoding as the provider's signature wants it (space → %20, ~ kept)."""
    return urllib.parse.quote(str(value), safe="~")


def aliyun_signature(params: dict, secret: str, method: str = "GET") -> str:
    """The ``Signature`` of an Alibaba Cloud RPC request: HMAC-SHA1 over the method, ``/`` and
    the sorted, encoded query, keyed with the secret and ``&``, in base64."""
    query = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(query)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunBackend:
    """阿里云短信 SendSms."""

    def __init__(self):
        self.endpoint = settings.SMS_ENDPOINT or "https://dysmsapi.aliyuncs.com/"
        self.key_id = settings.SMS_ACCESS_KEY_ID
        self.secret = settings.SMS_ACCESS_KEY_SECRET
        self.sign_name = settings.SMS_SIGN_NAME
        self.templates = {
            "notice": settings.SMS_TEMPLATE_NOTICE,
            "code": settings.SMS_TEMPLATE_CODE,
        }
        if not (self.key_id and self.secret and self.sign_name):
            raise SmsError(
                "短信服务未配置：缺少 SMS_ACCESS_KEY_ID、SMS_ACCESS_KEY_SECRET 或 SMS_SIGN_NAME。"
            )

    def request_params(self, phone: str, template: str, params: dict) -> dict:
        code = self.templates.get(template)
        if not code:
            raise SmsError(f"短信模板未配置：{template}。")
        query = {
            "AccessKeyId": self.key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": phone,
            "RegionId": settings.SMS_REGION,
            "SignName": self.sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": code,
            "TemplateParam": json.dumps(params or {}, ensure_ascii=False),
            "Timestamp": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        query["Signature"] = aliyun_signature(query, self.secret)
        return query

    def send(self, phone: str, *, text: str = "", template: str = "notice", params=None) -> str:
        query = self.request_params(phone, template, params or {})
        url = f"{self.endpoint}?{urllib.parse.urlencode(query, quote_via=urllib.parse.quote)}"
        if not url.startswith(("https://", "http://")):
            raise SmsError("短信服务地址无效。")
        try:
            with urllib.request.urlopen(url, timeout=settings.SMS_TIMEOUT) as response:  # noqa: S310 - checked above
                body = response.read()
        except urllib.error.HTTPError as exc:
            body = exc.read()
            if not body:
                raise SmsError(f"短信服务返回 HTTP {exc.code}。") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"无法连接短信服务：{getattr(exc, 'reason', exc)}") from exc
        try:
            answer = json.loads(body)
        except ValueError as exc:
            raise SmsError("短信服务的回答无法识别。") from exc
        if answer.get("Code") != "OK":
            raise SmsError(
                f"短信服务拒绝发送：{answer.get('Code', '?')} {answer.get('Message', '')}".strip()
            )
        return str(answer.get("BizId", ""))
