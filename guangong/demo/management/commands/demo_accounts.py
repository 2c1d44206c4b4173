"""``guangong demo_accounts``: the demo accounts and their password, as a table."""

import unicodedata

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from guangong.demo.accounts import DEMO_PASSWORD, demo_users


def width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int) -> str:
    return text + " " * (columns - width(text))


def table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [max(width(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    lines = ["  ".join(pad(c, w) for c, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


class Command(BaseCommand):
    help = "List the demo accounts with their password, role and organisation."

    def handle(self, *args, **options):
        users = demo_users()
        if not users:
            self.stdout.write(
                _("There are no demo accounts. Load them with: guangong demo --scale small")
            )
            return
        headers = [_("Username"), _("Password"), _("Role"), _("Organisation")]
        rows = [
            [
                u.username,
                DEMO_PASSWORD,
                str(u.get_role_display()),
                u.organization.name if u.organization else "—",
            ]
            for u in users
        ]
        self.stdout.write(_("Demo accounts (password %(password)s):") % {"password": DEMO_PASSWORD})
        self.stdout.write(table(headers, rows))
