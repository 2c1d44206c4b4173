"""Pinyin search keys, so that typing "ylz" or "yili" finds 伊犁州."""

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=20000)
def search_key(*texts: str) -> str:
    """Lower-case initials and full pinyin of each text, space separated, for icontains search."""
    parts: list[str] = []
    for text in texts:
        if not text:
            continue
        initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore"))
        full = "".join(lazy_pinyin(text, errors="ignore"))
        parts.extend(p.lower() for p in (initials, full) if p)
    return " ".join(dict.fromkeys(parts))[:500]
