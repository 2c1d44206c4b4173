"""Bulk writes of elders and young people, for imports of tens of thousands of rows.

``services.save_person`` costs about ten queries per person (scope, duplicates, dictionary
items, save, many-to-many, audit). An import has already checked every row against lookups
fetched once (``people.importers``), so ``create_rows`` writes them as prepared tuples
(``core.bulkinsert``: executemany on SQLite, COPY on PostgreSQL; no model instances): the
people (ciphertext, blind index, mask, birth date and sex from the ID number, pinyin search key,
each computed once per row), their many-to-many rows through the ``through`` tables, and one
audit row per person with ``audit.services.record_rows`` — the same fields ``record`` would
write. The new keys are read back by the import batch id. The caller holds the transaction
(an action, run in the import's ``batch``), so a failure keeps nothing. Undoing an import
is ``people.bulk_delete``.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable, Sequence

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from guangong.audit.services import Action, _jsonable, record_rows
from guangong.core import bulkinsert, crypto, idnumber
from guangong.core.actions import action, nothing_changed
from guangong.core.pinyin import search_key
from guangong.core.resources import policy_for
from guangong.core.scope import OutOfScope

from .models import Person

#: Rows per INSERT (and per look-up query): well under SQLite's limit on query parameters.
BATCH = 1000

Progress = Callable[[int, int], None]
#: Types an audit snapshot keeps as they are.
PLAIN = frozenset({str, int, bool, type(None)})


def id_fields(value: str, hash_: str | None = None) -> dict:
    """What a person stores for a valid, normalised ID number: ciphertext, hash, mask, birth
    date and sex (read directly from the number: it has been validated already)."""
    if not value:
        return {"id_number_enc": "", "id_number_hash": "", "id_number_masked": ""}
    return {
        "id_number_enc": crypto.encrypt(value),
        "id_number_hash": hash_ or crypto.blind_index(value),
        "id_number_masked": idnumber.mask(value),
        **id_facts(value),
    }


def id_facts(value: str) -> dict:
    """Birth date and sex of a valid, normalised ID number (read directly from the number)."""
    return {
        "birth_date": datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14])),
        "sex": "M" if int(value[16]) % 2 else "F",
    }


def snapshotter(model: type[models.Model]) -> Callable[[models.Model], dict]:
    """``audit.services.snapshot`` with the field look-ups done once for the model."""
    masked = getattr(model, "audit_masked_fields", {})
    plan = []
    for name in model.audit_fields:
        field = model._meta.get_field(name)
        plan.append((name, field.attname, masked.get(name)))

    def snap(instance) -> dict:
        data = {}
        for name, attname, mask in plan:
            value = getattr(instance, attname)
            if mask is not None and value:
                value = mask(value)
            data[name] = _jsonable(value)
        return data

    return snap


def require_writable(actor, model: type[Person], orgs=()) -> None:
    """The actor may change ``model``'s records (403 otherwise), at each of ``orgs`` (404)."""
    policy = policy_for(model)
    if not policy.may(actor, "write"):
        raise PermissionDenied(_("You do not have permission to do this."))
    for org in orgs:
        if not policy.allows_path(actor, "write", org.path):
            raise OutOfScope()


@action("write")
def create_rows(
    actor,
    model: type[Person],
    rows: Sequence[dict],
    *,
    id_numbers: Sequence[str],
    hashes: Sequence[str] | None = None,
    m2m: dict[str, Sequence[Sequence[int]]] | None = None,
    import_batch: str,
    progress: Progress | None = None,
) -> list[int]:
    """Save new people of ``model`` (already validated) from dicts of field values; returns
    their primary keys, aligned with ``rows``.

    Each row holds model field values by attribute name (``organization_id``, ``name`` …) and
    ``organization``, an instance: scope is checked once per organisation and the audit rows
    take its path. ``id_numbers``: the clear, normalised, valid numbers aligned with ``rows``
    ("" for none); ``hashes``: their blind indexes when already computed. ``m2m``: {field:
    [item pks per person]}. Every person records ``import_batch``, by which the keys are read
    back. The values are prepared once per row (the row dicts are completed in place) and
    inserted with ``core.bulkinsert``.
    """
    if not rows:
        nothing_changed()
        return []
    if not import_batch:
        raise ValueError("create_rows() needs an import batch id")
    orgs = {row["organization"].pk: row["organization"] for row in rows}
    require_writable(actor, model, orgs.values())
    connection = bulkinsert.connection_for(model)
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    shared = {}
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            shared[field.attname] = now
        elif field.has_default():
            shared[field.attname] = field.get_default()
        elif field.null:
            shared[field.attname] = None
        else:
            shared[field.attname] = ""
    shared["import_batch"] = import_batch
    # Per row: what the rows give and what is computed here, read with one itemgetter (dates
    # adapted for the driver); every other column is the same for all rows, prepared once.
    computed = ("organization_id", "id_number_enc", "id_number_hash", "id_number_masked")
    keys = set(rows[0])
    varying = keys | {*computed, "search_text", "birth_date", "sex"}
    row_fields = [f for f in fields if f.attname in varying]
    fixed_fields = [f for f in fields if f.attname not in varying]
    getter = operator.itemgetter(*(f.attname for f in row_fields))
    adapted = [
        (index, adapt)
        for index, adapt in enumerate(bulkinsert.adapter(f, connection) for f in row_fields)
        if adapt is not bulkinsert.identity
    ]
    constants = tuple(bulkinsert.constant(f, shared[f.attname], connection) for f in fixed_fields)

    def prepared(values: dict) -> tuple:
        row = list(getter(values))
        for index, adapt in adapted:
            row[index] = adapt(row[index])
        return (*row, *constants)

    names: dict[str, str] = {}
    snap = snapshotter_of_values(model, shared)
    records: list[dict] = []
    blank = dict.fromkeys(computed[1:], "")
    tokens = crypto.encrypt_many(id_numbers)
    if not hashes:
        hashes = crypto.blind_indexes(id_numbers)
    for index, values in enumerate(rows):
        if values.keys() != keys:
            raise ValueError("every row must give the same fields")
        values["organization_id"] = values["organization"].pk
        number = id_numbers[index]
        if number:
            facts = id_facts(number)
            values["id_number_enc"] = tokens[index]
            values["id_number_hash"] = hashes[index] or crypto.blind_index(number)
            values["id_number_masked"] = idnumber.mask(number)
            values["birth_date"] = values.get("birth_date") or facts["birth_date"]
            values["sex"] = values.get("sex") or facts["sex"]
        else:
            values.update(blank)
            values.setdefault("birth_date", shared["birth_date"])
            values.setdefault("sex", shared["sex"])
        name = values["name"]
        key = names.get(name)
        if key is None:
            key = names[name] = search_key(name)
        values["search_text"] = key
        records.append(values)
    total = len(records)
    bulkinsert.insert_rows(
        model,
        [field.column for field in row_fields + fixed_fields],
        (prepared(values) for values in records),
        progress=(lambda done: progress(done, total)) if progress is not None else None,
    )
    batch_column = model._meta.get_field("import_batch").column
    pks = bulkinsert.ids_where(model, batch_column, import_batch)
    if len(pks) != total:
        raise RuntimeError("the import batch id is not unique")
    for name, values in (m2m or {}).items():
        field = model._meta.get_field(name)
        bulkinsert.insert_rows(
            field.remote_field.through,
            [field.m2m_column_name(), field.m2m_reverse_name()],
            ((pk, item) for pk, items in zip(pks, values, strict=True) for item in items),
        )

    def entries():
        for index, values in enumerate(records):
            after = snap(values)
            for name, items in (m2m or {}).items():
                after[name] = sorted(items[index])
            org = values["organization"]
            yield pks[index], values["name"], org, org.path, None, after

    record_rows(actor, Action.CREATE, model, entries())
    return pks


def snapshotter_of_values(model: type[models.Model], shared: dict) -> Callable[[dict], dict]:
    """``snapshotter`` for a dict of field values by attribute name (no instance); a field
    missing from the dict takes its value from ``shared``."""
    masked = getattr(model, "audit_masked_fields", {})
    plan = []
    for name in model.audit_fields:
        field = model._meta.get_field(name)
        plan.append((name, field.attname, masked.get(name)))

    def snap(values: dict) -> dict:
        data = {}
        for name, attname, mask in plan:
            value = values[attname] if attname in values else shared[attname]
            if mask is not None and value:
                value = mask(value)
            data[name] = value if value.__class__ in PLAIN else _jsonable(value)
        return data

    return snap
