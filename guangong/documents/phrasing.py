"""Numbers and comparisons the way work summaries write them.

A summary says “受教育青年职工6200余人次”, not “6213人次”; “同比增长50%”; “8个园区、19个国有企业”.
These functions turn exact figures into that register. They are Chinese by nature (the genre
exists only in Chinese), so they return Chinese text whatever the interface language.
"""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal


def approx(n: int | Decimal) -> str:
    """6213 → “6200余”, 834 → “830余”, 830 → “830”, 65 → “65”, 62130 → “6.2万余”.

    Below 100 a number is exact. Up to 10,000 it keeps its two leading digits (three for
    hundreds), the rest becomes 余. From 10,000 it is said in 万 with one decimal.
    """
    value = Decimal(n)
    if value < 0:
        return "-" + approx(-value)
    whole = int(value.to_integral_value(ROUND_DOWN))
    if whole < 100:
        exact = value == whole
        return str(whole) if exact else f"{whole}余"
    if whole < 10000:
        step = 10 if whole < 1000 else 100
        kept = whole // step * step
        return f"{kept}余" if kept != value else str(kept)
    wan = (Decimal(whole) / 10000).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    text = f"{wan.normalize():f}" if wan == wan.to_integral_value() else f"{wan:f}"
    return f"{text}万余" if wan * 10000 != value else f"{text}万"


def money(amount: Decimal | int) -> str:
    """Yuan as summaries write them: “3.6万元”, “8500元”, “120.5万元”."""
    value = Decimal(amount)
    if value >= 10000:
        wan = (value / 10000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize()
        return f"{wan:f}万元"
    return f"{value.quantize(Decimal('1'), rounding=ROUND_HALF_UP)}元"


def change(now: int | Decimal, before: int | Decimal | None) -> str:
    """“同比增长50%”, “同比下降12.5%”, “与上年同期持平”; "" when there is nothing to compare."""
    if before in (None, 0):
        return ""
    now, before = Decimal(now), Decimal(before)
    if now == before:
        return "与上年同期持平"
    pct = ((now - before) * 100 / before).copy_abs().quantize(Decimal("0.1"), ROUND_HALF_UP)
    text = f"{pct.normalize():f}"
    return f"同比增长{text}%" if now > before else f"同比下降{text}%"


def share(part: int, whole: int) -> str:
    """“占62.5%”."""
    if not whole:
        return ""
    pct = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{pct.normalize():f}%"


def series(items: list[tuple[int, str]], unit: str = "个") -> str:
    """[(8, "园区"), (19, "国有企业")] → “8个园区、19个国有企业”."""
    return "、".join(f"{n}{unit}{label}" for n, label in items if n)
