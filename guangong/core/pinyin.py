"""Pinyin search keys, so that typing "ylz" or "yili" finds 伊犁州."""

from functools import lru_cache

from pypinyin import lazy_pinyin


@lru_cache(maxsize=20000)
def search_key(*texts: str) -> str:
    """Lower-case initials and full pinyin of each text, space separated, for icontains search."""
    parts: list[str] = []
    for text in texts:
        if not text:
            continue
        syllables = lazy_pinyin(text, errors="ignore")
        # Style.FIRST_LETTER is the first letter of each Style.NORMAL syllable: one call.
        initials = "".join(syllable[:1] for syllable in syllables)
        full = "".join(syllables)
        parts.extend(p.lower() for p in (initials, full) if p)
    return " ".join(dict.fromkeys(parts))[:500]
