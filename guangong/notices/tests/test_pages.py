"""Every page of notices and information items answers in Chinese, without English left."""

import re

import pytest

from guangong.notices.models import Audience, Receipt

from .conftest import make_item, make_notice

pytestmark = pytest.mark.django_db

#: Latin words a Chinese page may show (file formats, the language switch).
ALLOWED = {"Excel", "xlsx", "JPEG", "PNG", "WebP", "PDF", "pdf", "Word", "docx", "API", "English"}


def english_words(html: str) -> set[str]:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    text = re.sub(r"&\w+;", " ", text)
    return {w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in ALLOWED}


def test_pages_have_no_english(tree, city_admin, a_admin, kinds, client_for):
    notice, _r = make_notice(city_admin, tree.city, audience=Audience.CHILDREN)
    receipt = Receipt.objects.get(notice=notice, organization=tree.county_a)
    item = make_item(city_admin, tree.township)
    pages = {
        city_admin: [
            "/notices/",
            "/notices/new/",
            notice.get_absolute_url(),
            f"/notices/{notice.pk}/receipts/",
            receipt.get_absolute_url(),
            "/notices/items/",
            "/notices/items/new/",
            "/notices/items/stats/",
            item.get_absolute_url(),
        ],
        a_admin: [notice.get_absolute_url(), f"/notices/receipts/{receipt.pk}/edit/", "/todo/"],
    }
    left = {}
    for user, urls in pages.items():
        client = client_for(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            words = english_words(response.content.decode())
            if words:
                left[url] = sorted(words)
    assert left == {}
