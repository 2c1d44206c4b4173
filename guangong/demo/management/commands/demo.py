"""``guangong demo --scale small|city|province --seed N [--if-empty | --reset]``."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from guangong.demo.loader import (
    DemoError,
    activities_summary,
    has_data,
    load,
    people_summary,
)
from guangong.demo.profiles import PROFILES


class Command(BaseCommand):
    help = (
        "Load the demo region (新疆 → 伊犁州 → counties, townships, villages and units), its "
        "people, teams and mentorships, and the demo accounts. The same scale and seed always "
        "give the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=list(PROFILES),
            default="small",
            help=(
                "small: a few hundred organisations, ≈1,500 people; city: ≈5,000 and ≈70,000; "
                "province: ≈70,000 and ≈300,000."
            ),
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if any organisation exists.",
        )
        group.add_argument(
            "--reset",
            action="store_true",
            help="Delete the people, the demo accounts and all organisations first.",
        )

    def handle(self, *args, scale, seed, if_empty, reset, **options):
        if if_empty and has_data():
            self.stdout.write(_("Organisations already exist; the demo region was not loaded."))
            return
        try:
            result = load(scale, seed, reset=reset)
        except DemoError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Loaded the demo region (scale %(scale)s, seed %(seed)d): "
                    "%(n)s organisations, %(positions)s leadership positions, "
                    "%(users)d demo accounts in %(seconds).1f s."
                )
                % {
                    "scale": scale,
                    "seed": seed,
                    "n": f"{result.organizations:,}",
                    "positions": f"{result.positions:,}",
                    "users": len(result.users),
                    "seconds": result.seconds,
                }
                + " "
                + people_summary(
                    f"{result.elders:,}",
                    f"{result.youth:,}",
                    f"{result.teams:,}",
                    f"{result.mentorships:,}",
                )
                + " "
                + _("%(n)d care cases.") % {"n": result.cases}
                + " "
                + activities_summary(f"{result.activities:,}")
            )
        )
