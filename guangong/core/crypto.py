"""Authenticated encryption of sensitive fields, and a blind index to find them again.

A sensitive value (an ID number, say) is stored as a token::

    v1:<kid>:<base64url(nonce (12 bytes) + AES-256-GCM ciphertext and tag)>

``kid`` names the key that encrypted it and is bound to the ciphertext as associated data, so a
token cannot be relabelled to another key. The keys are not derived from ``SECRET_KEY``:

- ``FIELD_ENCRYPTION_KEYS``: comma-separated ``kid:key`` entries, each key 32 random bytes in
  base64url. The first entry encrypts; the others only decrypt, which is how keys are rotated
  (``guangong rotate_field_keys``).
- ``FIELD_HASH_KEY``: 32 random bytes in base64url, the HMAC-SHA256 key of ``blind_index()``, so
  that an exact value can be looked up without decrypting every row.

Without the variables (development and tests), fixed development keys are derived from a constant
in this file: they protect nothing, and production refuses to start with them. See docs/keys.md.

This module touches neither the database nor translations, so that the settings can import it to
check the keys at start-up.
"""

import base64
import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from django.db import models

VERSION = "v1"
KEY_SIZE = 32  # AES-256
NONCE_SIZE = 12  # the GCM standard nonce; random nonces are safe far beyond our volumes
TAG_SIZE = 16
# Key ids are lower case so that a token prefix means the same on SQLite (whose LIKE ignores
# case) as on PostgreSQL; the rotation command filters by prefix.
KEY_ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
_BASE64URL_RE = re.compile(r"[A-Za-z0-9_-]+={0,2}")

DEVELOPMENT_KEY_ID = "dev"
# Public on purpose: development keys come from here, never from SECRET_KEY or the machine.
_DEVELOPMENT_SEED = b"guangong development field keys: public, never for real data"


class DecryptionError(ValueError):
    """A token is malformed, was altered, or names a key that is not configured.

    The message names the key id at most, never the token or the plaintext.
    """


# --- Keys -----------------------------------------------------------------------------------


def generate_key() -> str:
    """A new random 32-byte key in base64url (``FIELD_ENCRYPTION_KEYS``, ``FIELD_HASH_KEY``)."""
    return _b64encode(secrets.token_bytes(KEY_SIZE))


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    """Strict base64url, padding optional. Raises ``ValueError``."""
    if not _BASE64URL_RE.fullmatch(text):
        raise ValueError("not base64url")
    text = text.rstrip("=")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _development_key(purpose: str) -> bytes:
    return hmac.new(_DEVELOPMENT_SEED, purpose.encode(), hashlib.sha256).digest()


DEVELOPMENT_ENCRYPTION_KEY = _development_key("field-encryption")
DEVELOPMENT_HASH_KEY = _development_key("blind-index")


def development_key_entry() -> str:
    """The ``kid:key`` entry of the development key, to rotate data written with it away."""
    return f"{DEVELOPMENT_KEY_ID}:{_b64encode(DEVELOPMENT_ENCRYPTION_KEY)}"


def _as_text(raw: str | Sequence[str] | None) -> str:
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw
    return ",".join(raw)


def parse_encryption_keys(raw: str | Sequence[str] | None) -> dict[str, bytes]:
    """``kid → key`` in the order given (the first is the current key).

    Empty means the development key. Raises ``ImproperlyConfigured`` naming the faulty entry by
    its position and key id, never showing key material.
    """
    text = _as_text(raw).strip()
    if not text:
        return {DEVELOPMENT_KEY_ID: DEVELOPMENT_ENCRYPTION_KEY}
    keys: dict[str, bytes] = {}
    for position, entry in enumerate(text.split(","), start=1):
        entry = entry.strip()
        kid, sep, encoded = entry.partition(":")
        kid, encoded = kid.strip(), encoded.strip()
        where = f"FIELD_ENCRYPTION_KEYS entry {position}"
        if not sep or not KEY_ID_RE.fullmatch(kid):
            raise ImproperlyConfigured(
                f"{where} must be 'kid:key' with a key id of lower-case letters, digits, '-' "
                "or '_' (at most 32 characters)."
            )
        if kid in keys:
            raise ImproperlyConfigured(f"{where}: the key id {kid!r} appears twice.")
        keys[kid] = _decode_key(encoded, f"{where} ({kid!r})")
        if kid == DEVELOPMENT_KEY_ID and keys[kid] != DEVELOPMENT_ENCRYPTION_KEY:
            # "dev" always means the development key (development_key_entry()), never another.
            raise ImproperlyConfigured(f"{where}: the key id {kid!r} is reserved.")
    return keys


def parse_hash_key(raw: str | None) -> bytes:
    """The blind-index key; empty means the development key."""
    text = (raw or "").strip()
    if not text:
        return DEVELOPMENT_HASH_KEY
    return _decode_key(text, "FIELD_HASH_KEY")


def _decode_key(encoded: str, where: str) -> bytes:
    try:
        key = _b64decode(encoded)
    except ValueError:
        key = b""
    if len(key) != KEY_SIZE:
        raise ImproperlyConfigured(
            f"{where} must be {KEY_SIZE} random bytes in base64url "
            "(generate one with `guangong rotate_field_keys --generate`)."
        )
    return key


def check_key_settings(
    encryption_keys: str | Sequence[str] | None, hash_key: str | None, *, production: bool
) -> None:
    """Refuse malformed keys always, and missing or development keys in production.

    Called by the settings at start-up; raises ``ImproperlyConfigured``.
    """
    keys = parse_encryption_keys(encryption_keys)
    hashing = parse_hash_key(hash_key)
    if hashing in keys.values():
        raise ImproperlyConfigured("FIELD_HASH_KEY must not be one of the encryption keys.")
    if not production:
        return
    if not _as_text(encryption_keys).strip():
        raise ImproperlyConfigured(
            "Refusing to start: set FIELD_ENCRYPTION_KEYS (see docs/keys.md)."
        )
    if not (hash_key or "").strip():
        raise ImproperlyConfigured("Refusing to start: set FIELD_HASH_KEY (see docs/keys.md).")
    if DEVELOPMENT_ENCRYPTION_KEY in keys.values() or hashing == DEVELOPMENT_HASH_KEY:
        raise ImproperlyConfigured(
            "Refusing to start: a development key is configured; generate real keys "
            "(see docs/keys.md)."
        )


@dataclass(frozen=True, slots=True)
class _Keyring:
    current: str
    prefix: str  # "v1:<current kid>:"
    aad: bytes
    cipher: AESGCM
    ciphers: dict[str, AESGCM]
    hasher: "hmac.HMAC"


@lru_cache(maxsize=8)
def _load(encryption_keys: str, hash_key: str) -> _Keyring:
    keys = parse_encryption_keys(encryption_keys)
    ciphers = {kid: AESGCM(key) for kid, key in keys.items()}
    current = next(iter(keys))
    return _Keyring(
        current=current,
        prefix=f"{VERSION}:{current}:",
        aad=current.encode("ascii"),
        cipher=ciphers[current],
        ciphers=ciphers,
        hasher=hmac.new(parse_hash_key(hash_key), digestmod=hashlib.sha256),
    )


def _keyring() -> _Keyring:
    # Keyed by the settings' values, so override_settings takes effect without a reset.
    return _load(
        _as_text(settings.FIELD_ENCRYPTION_KEYS),
        settings.FIELD_HASH_KEY or "",
    )


def reset_cache() -> None:
    """Forget the prepared ciphers (the next call reads the settings again)."""
    _load.cache_clear()


def current_key_id() -> str:
    """The key id new values are encrypted with (the first of ``FIELD_ENCRYPTION_KEYS``)."""
    return _keyring().current


# --- Tokens ---------------------------------------------------------------------------------


def encrypt(plaintext: str) -> str:
    """Encrypt with the current key: ``"v1:<kid>:<base64url>"``. ``""`` stays ``""``."""
    return encrypt_many((plaintext,))[0]


def encrypt_many(plaintexts: Iterable[str]) -> list[str]:
    """``encrypt`` of many values, with the key read once (for imports)."""
    ring = _keyring()
    seal, prefix, aad = ring.cipher.encrypt, ring.prefix, ring.aad
    out = []
    for plaintext in plaintexts:
        if not isinstance(plaintext, str):
            raise TypeError("encrypt() takes a str")
        if plaintext == "":
            out.append("")
            continue
        nonce = os.urandom(NONCE_SIZE)
        out.append(prefix + _b64encode(nonce + seal(nonce, plaintext.encode("utf-8"), aad)))
    return out


def _split(token: str) -> tuple[str, str]:
    if not isinstance(token, str):
        raise DecryptionError("A token is a str.")
    version, _, rest = token.partition(":")
    kid, sep, payload = rest.partition(":")
    if version != VERSION or not sep or not KEY_ID_RE.fullmatch(kid):
        raise DecryptionError(f"Not a {VERSION} encryption token.")
    return kid, payload


def key_id_of(token: str) -> str:
    """The id of the key a token was encrypted with (``""`` for ``""``)."""
    if token == "":
        return ""
    return _split(token)[0]


def decrypt(token: str) -> str:
    """The plaintext of a token. ``""`` stays ``""``.

    Raises ``DecryptionError`` if the token is malformed or was altered, or its key is not in
    ``FIELD_ENCRYPTION_KEYS``.
    """
    if token == "":
        return ""
    kid, payload = _split(token)
    cipher = _keyring().ciphers.get(kid)
    if cipher is None:
        raise DecryptionError(f"The key {kid!r} is not configured in FIELD_ENCRYPTION_KEYS.")
    try:
        data = _b64decode(payload)
    except ValueError:
        raise DecryptionError("The token is not valid base64url.") from None
    if len(data) < NONCE_SIZE + TAG_SIZE:
        raise DecryptionError("The token is too short.")
    try:
        plain = cipher.decrypt(data[:NONCE_SIZE], data[NONCE_SIZE:], kid.encode("ascii"))
    except InvalidTag:
        raise DecryptionError(
            f"The token does not authenticate under key {kid!r}: altered or corrupted."
        ) from None
    return plain.decode("utf-8")


def needs_rotation(token: str) -> bool:
    """True if a (non-empty) token was not encrypted with the current key."""
    return token != "" and key_id_of(token) != current_key_id()


def reencrypt(token: str) -> str:
    """The same plaintext under the current key; a token already under it is returned as is."""
    if not needs_rotation(token):
        return token
    return encrypt(decrypt(token))


# --- Blind index ----------------------------------------------------------------------------


def blind_index(value: str) -> str:
    """HMAC-SHA256 of ``value`` under ``FIELD_HASH_KEY``: 64 hex digits. ``""`` stays ``""``.

    Deterministic, so equal values give equal indexes: store it beside the token and look the
    value up by it. The caller normalises first (``idnumber.normalize``), or the same ID number
    typed two ways gives two indexes.
    """
    return blind_indexes((value,))[0]


def blind_indexes(values: Iterable[str]) -> list[str]:
    """``blind_index`` of many values, with the key read once (for imports)."""
    hasher = _keyring().hasher
    out = []
    for value in values:
        if not isinstance(value, str):
            raise TypeError("blind_index() takes a str")
        if value == "":
            out.append("")
            continue
        mac = hasher.copy()
        mac.update(value.encode("utf-8"))
        out.append(mac.hexdigest())
    return out


# --- Registry of encrypted columns ----------------------------------------------------------

_registry: list[tuple[type["models.Model"], str]] = []


def register(model: type["models.Model"], field_name: str) -> None:
    """Declare ``model.field_name`` a text column holding tokens, for ``rotate_field_keys``.

    Call it in the model's module, after the class::

        crypto.register(Elder, "id_number_enc")
    """
    field = model._meta.get_field(field_name)  # FieldDoesNotExist for a typo, at import time
    entry = (model, field.name)
    if entry not in _registry:
        _registry.append(entry)


def registered_fields() -> tuple[tuple[type["models.Model"], str], ...]:
    """Every registered ``(model, field name)``, in registration order."""
    return tuple(_registry)
