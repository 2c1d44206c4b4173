"""How a plan's numbers are written: 一、二、… for sections, 1. 2. … for tasks."""

DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (up to 99)."""
    if n < 10:
        return DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else DIGITS[tens]
    return f"{head}十{DIGITS[ones] if ones else ''}"


def numbered_heading(number: int, heading: str) -> str:
    return f"{chinese_number(number)}、{heading}"
