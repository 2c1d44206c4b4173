"""Drawing values for the demo: weighted choices and date arithmetic, from a seeded generator."""

import datetime
import random


def choose(rng: random.Random, pairs) -> str:
    labels, weights = zip(*pairs, strict=True)
    return rng.choices(labels, weights=weights)[0]


def choose_int(rng: random.Random, pairs) -> int:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def years_after(day: datetime.date, years: int) -> datetime.date:
    return years_before(day, -years)
