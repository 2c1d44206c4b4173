"""Plausible ranges of activities (合理范围): per activity type and organisation kind."""

import django.core.validators
import django.db.models.deletion
from decimal import Decimal
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0001_squashed_0002_covering_index"),
        ("dicts", "0001_squashed_0004_care_items"),
    ]

    operations = [
        migrations.CreateModel(
            name="ActivityRange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "org_kind",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("province", "Province"),
                            ("city", "City / prefecture"),
                            ("county", "County / district"),
                            ("township", "Township / subdistrict"),
                            ("village", "Village / community"),
                            ("agency", "Government agency"),
                            ("soe", "State-owned enterprise"),
                            ("private", "Private enterprise"),
                            ("park", "Industrial park"),
                            ("chamber", "Chamber of commerce"),
                            ("school", "School"),
                            ("social", "Social organisation"),
                            ("joint", "Joint committee"),
                        ],
                        help_text="Leave empty for every kind without a range of its own.",
                        max_length=12,
                        verbose_name="organisation kind",
                    ),
                ),
                (
                    "max_participants",
                    models.PositiveIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(1000000),
                        ],
                        verbose_name="most participants (person-times)",
                    ),
                ),
                (
                    "max_hours",
                    models.DecimalField(
                        decimal_places=1,
                        max_digits=3,
                        validators=[
                            django.core.validators.MinValueValidator(Decimal("0.5")),
                            django.core.validators.MaxValueValidator(Decimal("24")),
                        ],
                        verbose_name="most service hours of an elder a day",
                    ),
                ),
                (
                    "computed",
                    models.BooleanField(
                        default=False, editable=False, verbose_name="computed from the ledger"
                    ),
                ),
                (
                    "type",
                    models.ForeignKey(
                        limit_choices_to={"kind": "activity_type"},
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="dicts.dictitem",
                        verbose_name="activity type",
                    ),
                ),
            ],
            options={
                "verbose_name": "plausible range",
                "verbose_name_plural": "plausible ranges",
                "ordering": ["type__order", "type_id", "org_kind"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("type", "org_kind"), name="activity_range_unique"
                    )
                ],
            },
        ),
    ]
