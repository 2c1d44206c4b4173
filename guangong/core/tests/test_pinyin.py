"""Pinyin search keys: initials and full pinyin, as pypinyin spells them."""

import pytest
from pypinyin import Style, lazy_pinyin

from guangong.core.pinyin import search_key


@pytest.mark.parametrize(
    "text",
    ["伊犁哈萨克自治州", "王建国", "单雄信", "曾国藩", "吕秀英", "长春", "重庆"]
    + ["Ahmed 阿合买提", "A组"],
)
def test_the_key_holds_initials_and_full_pinyin(text):
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore"))
    full = "".join(lazy_pinyin(text, errors="ignore"))
    assert search_key(text) == " ".join(dict.fromkeys([initials.lower(), full.lower()]))


def test_several_texts_and_no_text():
    assert search_key("伊犁州", "") == "ylz yilizhou"
    assert search_key("伊宁市", "伊宁") == "yns yiningshi yn yining"
    assert search_key("ABC") == ""
