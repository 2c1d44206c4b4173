"""Bulk writes of elders and young people, for imports of tens of thousands of rows.

``services.save_person`` costs about ten queries per person (scope, duplicates, dictionary
items, save, many-to-many, audit). An import has already checked every row against lookups
fetched once (``people.importers``), so here the rows are written in batches: the people with
``bulk_create`` (ciphertext, blind index, mask, birth date and sex from the ID number, pinyin
search key), their many-to-many rows through the ``through`` models, and one audit row per
person with ``audit.services.record_many`` — the same fields ``record`` would write. The caller
holds the transaction (``transaction.atomic``), so a failure keeps nothing.

``delete_batch`` undoes an import the same way: refused while a person of the batch has
mentorships, leads a team or has records merged into it; otherwise one delete audit row per
person, then the deletes in batches.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from guangong.audit.services import Action, _jsonable, record_many
from guangong.core import crypto, idnumber
from guangong.core.pinyin import search_key
from guangong.core.services import require, require_in_scope

from .import_common import chunks
from .models import Elder, Mentorship, Person, Team

#: Rows per INSERT (and per look-up query): well under SQLite's limit on query parameters.
BATCH = 1000

Progress = Callable[[int, int], None]


def id_fields(value: str, hash_: str | None = None) -> dict:
    """What a person stores for a valid, normalised ID number: ciphertext, hash, mask, birth
    date and sex (read directly from the number: it has been validated already)."""
    if not value:
        return {"id_number_enc": "", "id_number_hash": "", "id_number_masked": ""}
    return {
        "id_number_enc": crypto.encrypt(value),
        "id_number_hash": hash_ or crypto.blind_index(value),
        "id_number_masked": idnumber.mask(value),
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


def _require_scope(actor, people: Sequence[Person]) -> None:
    require(actor, "edit")
    checked = set()
    for person in people:
        org = person.organization
        if org.pk not in checked:
            require_in_scope(actor, org.path)
            checked.add(org.pk)


def create_people(
    actor,
    people: list[Person],
    *,
    id_numbers: Sequence[str],
    hashes: Sequence[str] | None = None,
    m2m: dict[str, Sequence[Sequence[int]]] | None = None,
    import_batch: str = "",
    progress: Progress | None = None,
) -> list[Person]:
    """Save new people (all of one model, already validated) in batches; returns them with pks.

    ``id_numbers``: the clear, normalised, valid numbers aligned with ``people`` ("" for none);
    ``hashes``: their blind indexes when already computed. ``m2m``: {field: [item pks per
    person]}. Each person's ``organization`` must be set (an instance): scope is checked once
    per organisation, and the audit rows take its path.
    """
    if not people:
        return []
    model = type(people[0])
    _require_scope(actor, people)
    now_names = {}
    for index, person in enumerate(people):
        fields = id_fields(id_numbers[index], hashes[index] if hashes else None)
        for name, value in fields.items():
            if name in ("birth_date", "sex"):
                if not getattr(person, name):
                    setattr(person, name, value)
            else:
                setattr(person, name, value)
        key = person.name
        cached = now_names.get(key)
        if cached is None:
            cached = now_names[key] = search_key(key)
        person.search_text = cached
        if import_batch:
            person.import_batch = import_batch
    total = len(people)
    with transaction.atomic():
        done = 0
        for chunk in chunks(people, BATCH):
            model.objects.bulk_create(chunk, batch_size=BATCH)
            done += len(chunk)
            if progress is not None:
                progress(done, total)
        for name, values in (m2m or {}).items():
            through = model._meta.get_field(name).remote_field.through
            source = f"{model._meta.model_name}_id"
            target = f"{model._meta.get_field(name).related_model._meta.model_name}_id"
            links = [
                through(**{source: person.pk, target: item})
                for person, items in zip(people, values, strict=True)
                for item in items
            ]
            through.objects.bulk_create(links, batch_size=BATCH * 2)
        snap = snapshotter(model)
        afters = []
        for index, person in enumerate(people):
            after = snap(person)
            for name, values in (m2m or {}).items():
                after[name] = sorted(values[index])
            afters.append(after)
        record_many(
            actor,
            Action.CREATE,
            people,
            afters=afters,
            parents=[person.organization for person in people],
        )
    return people


def delete_blockers(model: type[Person], pks: Sequence[int]) -> list[str]:
    """Why people of a batch cannot be deleted, one line per person (empty: they can)."""
    reasons: dict[int, list[str]] = {}
    checks = [
        (Mentorship, f"{model._meta.model_name}_id", _("has mentorship records")),
        (model, "merged_into_id", _("has records merged into it")),
    ]
    if model is Elder:
        checks.append((Team, "leader_id", _("leads a team")))
    for other, column, reason in checks:
        for chunk in chunks(pks, BATCH):
            found = other.objects.filter(**{f"{column}__in": chunk})
            for pk in set(found.values_list(column, flat=True)):
                reasons.setdefault(pk, []).append(str(reason))
    if not reasons:
        return []
    names = dict(model.objects.filter(pk__in=list(reasons)[:1000]).values_list("pk", "name"))
    return [
        _("%(object)s: %(what)s") % {"object": names.get(pk, pk), "what": "、".join(why)}
        for pk, why in sorted(reasons.items())
    ]


def delete_batch(
    actor, model: type[Person], batch_id: str, progress: Progress | None = None
) -> int:
    """Delete the people an import created, in one transaction; returns the count.

    Refused (``ValidationError``) when the batch is gone, partly outside the actor's scope, or
    one of its people has gained mentorships, team leadership or merged records.
    """
    require(actor, "edit")
    with transaction.atomic():
        batch = model.objects.filter(import_batch=batch_id)
        people = list(batch.select_related("organization").order_by("pk"))
        if not people:
            raise ValidationError(_("Nothing to undo: the records of this import are gone."))
        editable = batch.editable_by(actor).count()
        if editable != len(people):
            raise ValidationError(
                _("Some records of this import are outside your scope; you cannot undo it.")
            )
        pks = [person.pk for person in people]
        blockers = delete_blockers(model, pks)
        if blockers:
            shown = "；".join(blockers[:10])
            if len(blockers) > 10:
                shown += " " + _("(and %(n)d more)") % {"n": len(blockers) - 10}
            raise ValidationError(
                _(
                    "This import cannot be undone: records were added to what it created "
                    "since. Remove them first: %(what)s"
                )
                % {"what": shown}
            )
        snap = snapshotter(model)
        befores = [snap(person) for person in people]
        record_many(
            actor,
            Action.DELETE,
            people,
            befores=befores,
            parents=[person.organization for person in people],
        )
        total, done = len(pks), 0
        for chunk in chunks(pks, BATCH):
            model.objects.filter(pk__in=chunk).delete()
            done += len(chunk)
            if progress is not None:
                progress(done, total)
    return total
