"""Removing stored files only once the database agrees.

A row and its file must not part: deleting the file inside a transaction that is then rolled
back keeps the row and loses the file. Every removal of a stored file therefore goes through
``delete_on_commit``, which deletes it after the surrounding transaction commits (at once
when there is none) and forgets it when the transaction rolls back.
"""

import logging
from functools import partial

from django.core.files.storage import Storage, default_storage
from django.db import transaction
from django.db.models.fields.files import FieldFile

logger = logging.getLogger(__name__)


def _delete(storage: Storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:  # a file already gone, or storage out of reach: the row is gone anyway
        logger.warning("Could not delete the stored file %s", name, exc_info=True)


def delete_on_commit(file: FieldFile | str | None, storage: Storage | None = None) -> None:
    """Delete ``file`` (a model's FieldFile, or a name in ``storage`` — by default the default
    storage) when the current transaction commits."""
    if isinstance(file, FieldFile):
        name, storage = file.name, storage or file.storage
    else:
        name, storage = file, storage or default_storage
    if not name:
        return
    transaction.on_commit(partial(_delete, storage, name), robust=True)
