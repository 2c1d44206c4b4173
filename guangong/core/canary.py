"""Proof that the configured field keys are the ones the stored data was written with.

Wrong keys (a typo, the keys of another installation, an old entry dropped too early) let the
settings load — they are well-formed — but every reveal, export and ID-number look-up would then
fail or miss. So the first ``migrate`` writes a *canary*: a known text encrypted with the current
``FIELD_ENCRYPTION_KEYS`` and its blind index under ``FIELD_HASH_KEY`` (``core.KeyCanary``).
At start-up (``guangong.wsgi``, ``guangong serve``, ``check --deploy``) Guangong decrypts it
and recomputes the index, and refuses to start if either does not match, naming docs/keys.md.

``rotate_field_keys`` re-encrypts the canary like any registered column; after a change of
``FIELD_HASH_KEY`` (and the recomputation of the indexes) ``check_field_keys --reset`` writes it
again. Before ``migrate`` (no table) or with no canary yet there is nothing to check.
"""

import logging

from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from . import crypto
from .models import KeyCanary

log = logging.getLogger(__name__)

CANARY_TEXT = "Guangong field key check"
DOCS = "docs/keys.md"


class FieldKeysMismatch(ImproperlyConfigured):
    """The configured field keys are not those of the stored data."""


def _tables(using: str) -> set[str]:
    connection = connections[using]
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def _stored_values_decrypt(using: str, tables: set[str]) -> bool:
    """One stored token of each registered column decrypts with the current keys."""
    for model, field_name in crypto.registered_fields():
        if model is KeyCanary or model._meta.db_table not in tables:
            continue
        token = (
            model._base_manager.using(using)
            .filter(**{f"{field_name}__startswith": f"{crypto.VERSION}:"})
            .values_list(field_name, flat=True)
            .first()
        )
        if token is None:
            continue
        try:
            crypto.decrypt(token)
        except crypto.DecryptionError:
            return False
    return True


def write(using: str = DEFAULT_DB_ALIAS) -> KeyCanary:
    """Replace the canary with one made with the current keys."""
    KeyCanary.objects.using(using).all().delete()
    return KeyCanary.objects.using(using).create(
        token=crypto.encrypt(CANARY_TEXT), index=crypto.blind_index(CANARY_TEXT)
    )


def ensure(using: str = DEFAULT_DB_ALIAS) -> KeyCanary | None:
    """Write the canary if there is none (after ``migrate``); ``None`` if nothing was written.

    An installation that already holds encrypted values gets a canary only if its current keys
    decrypt them: a canary must never bless the wrong keys.
    """
    tables = _tables(using)
    if KeyCanary._meta.db_table not in tables or KeyCanary.objects.using(using).exists():
        return None
    if not _stored_values_decrypt(using, tables):
        log.error(
            "The field keys do not decrypt the stored values; no key check was written. "
            "Start with the keys the data was written with (see %s).",
            DOCS,
        )
        return None
    return write(using)


def problems(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """What is wrong with the configured keys; ``[]`` if they fit or there is nothing to check.

    The messages name key ids at most, never key material. Database errors propagate.
    """
    if KeyCanary._meta.db_table not in _tables(using):
        return []
    row = KeyCanary.objects.using(using).order_by("pk").first()
    if row is None:
        return []
    found = []
    try:
        plain = crypto.decrypt(row.token)
    except crypto.DecryptionError:
        try:
            kid = crypto.key_id_of(row.token)
        except crypto.DecryptionError:
            kid = "?"
        found.append(
            "FIELD_ENCRYPTION_KEYS does not decrypt the key check stored in the database "
            f"(written with key {kid!r}): these are not the keys the data was written with."
        )
    else:
        if plain != CANARY_TEXT:
            found.append("The key check stored in the database holds an unexpected value.")
    if crypto.blind_index(CANARY_TEXT) != row.index:
        found.append("FIELD_HASH_KEY is not the key the stored look-up indexes were computed with.")
    return found


def verify(using: str = DEFAULT_DB_ALIAS) -> None:
    """Raise ``FieldKeysMismatch`` if the configured keys do not fit the stored data."""
    found = problems(using)
    if found:
        raise FieldKeysMismatch(
            "Refusing to start: "
            + " ".join(found)
            + f" Start with the keys the data was written with; see {DOCS}."
        )


def verify_at_startup() -> None:
    """``verify`` for a starting server process.

    A database that cannot be reached does not stop the start (``/readyz`` reports it, the pages
    answer 503 until it is back); wrong keys do. The connection is closed afterwards, so that no
    connection is shared with forked worker processes.
    """
    try:
        verify()
    except FieldKeysMismatch:
        raise
    except DatabaseError:
        log.warning("The field keys could not be checked: the database cannot be reached.")
    finally:
        connections.close_all()


@checks.register("field_keys", deploy=True)
def check_field_keys(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    """``check --deploy``: the field keys decrypt the stored canary."""
    try:
        found = problems()
    except DatabaseError:
        return [
            checks.Warning(
                "The field keys could not be checked: the database cannot be reached.",
                id="guangong.W001",
            )
        ]
    return [checks.Error(message, hint=f"See {DOCS}.", id="guangong.E001") for message in found]


def after_migrate(sender, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """``post_migrate`` receiver: the first migration writes the canary."""
    ensure(using)
