"""Print new field keys, or re-encrypt stored values under the current key.

``guangong rotate_field_keys --generate`` prints a new ``FIELD_ENCRYPTION_KEYS`` entry and a new
``FIELD_HASH_KEY``; it needs no database.

``guangong rotate_field_keys`` goes through every column registered with
``crypto.register(model, field)`` and re-encrypts each token whose key is not the current one
(the first entry of ``FIELD_ENCRYPTION_KEYS``). It works in batches, each in its own transaction
with its rows locked, so that an edit made meanwhile is neither lost nor overwritten; it can be
stopped and run again, and a second run changes nothing. One audit record sums the run up (the
plaintext does not change, so there is nothing to record per row). See docs/keys.md.
"""

from dataclasses import dataclass, field

from django.core.management.base import BaseCommand, CommandError
from django.db import models, router, transaction
from django.utils import timezone

from guangong.audit.models import Action
from guangong.audit.services import record
from guangong.core import crypto

BATCH_SIZE = 1000


@dataclass
class Rotation:
    """What ``rotate_field`` did to one column."""

    label: str
    rotated: int = 0
    failed: list = field(default_factory=list)  # primary keys of tokens that did not decrypt
    not_tokens: int = 0  # non-empty values that are not tokens at all: left alone, reported


def rotate_field(
    model: type[models.Model], field_name: str, *, batch_size: int = BATCH_SIZE
) -> Rotation:
    """Re-encrypt under the current key every token of ``model.field_name`` that is not."""
    attname = model._meta.get_field(field_name).attname
    result = Rotation(label=f"{model._meta.label_lower}.{field_name}")
    current = f"{crypto.VERSION}:{crypto.current_key_id()}:"
    manager = model._base_manager  # every row, whatever the default manager filters
    using = router.db_for_write(model)
    tokens = manager.using(using).filter(**{f"{field_name}__startswith": f"{crypto.VERSION}:"})
    candidates = tokens.exclude(**{f"{field_name}__startswith": current}).order_by("pk")
    last_pk = None
    while True:
        with transaction.atomic(using=using):
            batch = candidates if last_pk is None else candidates.filter(pk__gt=last_pk)
            rows = list(batch.select_for_update().only("pk", field_name)[:batch_size])
            if not rows:
                break
            changed = []
            for row in rows:
                try:
                    setattr(row, attname, crypto.reencrypt(getattr(row, attname)))
                except crypto.DecryptionError:
                    result.failed.append(row.pk)
                    continue
                changed.append(row)
            manager.using(using).bulk_update(changed, [field_name])
            result.rotated += len(changed)
            last_pk = rows[-1].pk
    result.not_tokens = (
        manager.using(using)
        .exclude(**{f"{field_name}__startswith": f"{crypto.VERSION}:"})
        .exclude(**{f"{field_name}__isnull": True})
        .exclude(**{field_name: ""})
        .count()
    )
    return result


class Command(BaseCommand):
    help = (
        "Re-encrypt every registered encrypted field under the current key of "
        "FIELD_ENCRYPTION_KEYS, or with --generate print new keys. See docs/keys.md."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--generate",
            action="store_true",
            help="Print a new FIELD_ENCRYPTION_KEYS entry and FIELD_HASH_KEY; change nothing.",
        )
        parser.add_argument(
            "--kid",
            help="Key id of the generated key (lower-case letters, digits, - and _); "
            "default k<today's date>.",
        )
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, **options):
        if options["generate"]:
            kid = options["kid"]
            self.generate(f"k{timezone.localdate():%Y%m%d}" if kid is None else kid)
            return
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        self.rotate(options["batch_size"])

    def generate(self, kid: str) -> None:
        if not crypto.KEY_ID_RE.fullmatch(kid) or kid == crypto.DEVELOPMENT_KEY_ID:
            raise CommandError(
                f"{kid!r} cannot be a key id: use lower-case letters, digits, '-' and '_' "
                "(at most 32 characters), and not 'dev'."
            )
        self.stderr.write(
            "# A new installation sets both lines. To rotate, put the new kid:key first in\n"
            "# FIELD_ENCRYPTION_KEYS, keep the old entries after it, and leave FIELD_HASH_KEY\n"
            "# alone: changing it means recomputing every blind index (docs/keys.md)."
        )
        self.stdout.write(f"FIELD_ENCRYPTION_KEYS={kid}:{crypto.generate_key()}")
        self.stdout.write(f"FIELD_HASH_KEY={crypto.generate_key()}")

    def rotate(self, batch_size: int) -> None:
        fields = crypto.registered_fields()
        current = crypto.current_key_id()
        if not fields:
            self.stdout.write("No encrypted fields are registered: nothing to do.")
            return
        self.stdout.write(f"Re-encrypting under key {current!r}.")
        results = []
        for model, field_name in fields:
            result = rotate_field(model, field_name, batch_size=batch_size)
            results.append(result)
            self.stdout.write(f"{result.label}: {result.rotated} re-encrypted")
            if result.failed:
                shown = ", ".join(str(pk) for pk in result.failed[:20])
                more = " …" if len(result.failed) > 20 else ""
                self.stderr.write(
                    self.style.ERROR(
                        f"{result.label}: {len(result.failed)} could not be decrypted "
                        f"(unknown key or altered): ids {shown}{more}"
                    )
                )
            if result.not_tokens:
                self.stderr.write(
                    self.style.WARNING(
                        f"{result.label}: {result.not_tokens} values are not encrypted tokens; "
                        "left as they are."
                    )
                )
        rotated = sum(r.rotated for r in results)
        failed = sum(len(r.failed) for r in results)
        summary = "; ".join(f"{r.label} {r.rotated}" for r in results)
        with transaction.atomic():
            record(
                None,
                Action.UPDATE,
                None,
                message=(
                    f"Field keys rotated to {current}: {rotated} values re-encrypted ({summary}); "
                    f"{failed} could not be decrypted."
                ),
            )
        if failed:
            raise CommandError(
                f"{failed} values could not be decrypted: add their key back to "
                "FIELD_ENCRYPTION_KEYS and run the command again."
            )
        self.stdout.write(self.style.SUCCESS(f"Done: {rotated} values re-encrypted."))
