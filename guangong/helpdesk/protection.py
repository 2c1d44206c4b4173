"""What keeps the public help desk usable: rate limits and a bot challenge.

Rate limits count in the Django cache (Redis when ``REDIS_URL`` is set, so that every worker
process shares the counters; the local-memory cache otherwise, enough for the embedded
single-process install). A counter is one key per client and fixed window, created with
``cache.add`` and raised with ``cache.incr``: both are atomic, so a burst of simultaneous
requests cannot slip past the limit.

The bot challenge needs no outside service. The form carries a signed token (``django.core
.signing``, keyed by ``SECRET_KEY``) holding a random nonce and the time the form was made. From
the nonce and a key only the server knows come two small numbers; the form asks their sum in
Chinese words (“七加五等于几？”). A submission is refused when the token is missing, forged or
expired, when it comes back sooner than a person could fill the form in, when the answer is
wrong, when the hidden honeypot field is filled, or when the token was used before. A token
serves once whatever the outcome: every post of the form spends it, even one refused for a
wrong answer or for a mistake in another field, and the form comes back with a new question.
"""

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache

SALT = "guangong.helpdesk.challenge"
CHINESE_DIGITS = "零一二三四五六七八九十"


# --- Rate limits ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Limit:
    """``count`` events per ``seconds`` for one client of one kind (``scope``)."""

    scope: str
    count: int
    seconds: int


def limit(scope: str) -> Limit:
    """The configured limit of ``scope`` (see settings.HELPDESK_LIMITS)."""
    count, seconds = settings.HELPDESK_LIMITS[scope]
    return Limit(scope, int(count), int(seconds))


def _key(scope: str, ident: str, window: int) -> str:
    digest = hashlib.sha256(ident.encode("utf-8")).hexdigest()[:32]
    return f"helpdesk:rl:{scope}:{digest}:{window}"


def hit(scope: str, ident: str) -> bool:
    """Count one event for ``ident``; False once the limit of the window is exceeded."""
    rule = limit(scope)
    if rule.count <= 0:
        return True
    window = int(time.time() // rule.seconds)
    key = _key(scope, ident or "-", window)
    cache.add(key, 0, timeout=rule.seconds + 5)
    try:
        value = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=rule.seconds + 5)
        value = 1
    return value <= rule.count


# --- Bot challenge --------------------------------------------------------------------------


class ChallengeError(Exception):
    """The submission does not pass the challenge; ``reason`` says why (for tests and logs)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _numbers(nonce: str) -> tuple[int, int]:
    key = hashlib.sha256((settings.SECRET_KEY + SALT).encode()).digest()
    digest = hmac.new(key, nonce.encode("ascii"), hashlib.sha256).digest()
    return 1 + digest[0] % 9, 1 + digest[1] % 9


def chinese_number(n: int) -> str:
    """1–99 in Chinese words: 七, 十二, 二十, 十八."""
    if n <= 10:
        return CHINESE_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CHINESE_DIGITS[tens]
    return f"{head}十{CHINESE_DIGITS[ones] if ones else ''}"


def issue(issued_at: float | None = None) -> str:
    """A new signed challenge token. ``issued_at`` (seconds since the epoch) is for tests."""
    payload = {"n": secrets.token_hex(8), "t": int(issued_at if issued_at else time.time())}
    return signing.dumps(payload, salt=SALT, compress=False)


def _payload(token: str) -> dict:
    try:
        data = signing.loads(token or "", salt=SALT)
    except signing.BadSignature as exc:
        raise ChallengeError("forged") from exc
    if not isinstance(data, dict) or not isinstance(data.get("n"), str):
        raise ChallengeError("forged")
    return data


def question(token: str) -> str:
    """The question the token asks, in Chinese words: “七加五等于几？”."""
    a, b = _numbers(_payload(token)["n"])
    return f"{chinese_number(a)}加{chinese_number(b)}等于几？"


def answer(token: str) -> int:
    """The expected answer (the tests answer with it, as a person reading the page would)."""
    a, b = _numbers(_payload(token)["n"])
    return a + b


def _as_int(text: str) -> int | None:
    text = (text or "").strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if text.isascii() and text.isdigit():
        return int(text)
    for n in range(0, 19):
        if text == chinese_number(n):
            return n
    return None


def burn(token: str) -> bool:
    """Mark a token used; False if it was used before (or is not one of ours)."""
    try:
        data = _payload(token)
    except ChallengeError:
        return False
    used_for = settings.HELPDESK_FORM_MAX_AGE + 60
    return bool(cache.add(f"helpdesk:used:{data['n']}", 1, timeout=used_for))


def verify(token: str, reply: str, honeypot: str, now: float | None = None) -> None:
    """Raise ``ChallengeError`` unless the submission passes.

    The token is spent first, whatever the outcome: a wrong answer cannot be followed by
    another guess with the same token (the form comes back with a fresh question).
    """
    if not token:
        raise ChallengeError("missing")
    data = _payload(token)
    if not burn(token):
        raise ChallengeError("reused")
    if honeypot:
        raise ChallengeError("honeypot")
    now = now if now is not None else time.time()
    age = now - int(data.get("t", 0))
    if age < settings.HELPDESK_MIN_FILL_SECONDS:
        raise ChallengeError("too_fast")
    if age > settings.HELPDESK_FORM_MAX_AGE:
        raise ChallengeError("expired")
    if _as_int(reply) != answer(token):
        raise ChallengeError("wrong_answer")
