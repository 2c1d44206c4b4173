"""A case field that does not decrypt (its key is not configured) is a Chinese error with the
request id, on the page and in the API, and leaves no trace of a reveal that did not happen."""

import pytest
from django.test import override_settings

from guangong.care.models import Access
from guangong.core import crypto

OTHER_KEYS = f"other:{crypto.generate_key()}"


@pytest.fixture
def unreadable(case):
    """The case's address encrypted with a key the server no longer has."""
    with override_settings(FIELD_ENCRYPTION_KEYS=OTHER_KEYS):
        case.address_enc = crypto.encrypt("伊宁市某街道")
    case.save(update_fields=["address_enc"])
    return case


def test_a_reveal_that_does_not_decrypt_is_a_chinese_500(unreadable, client_for, a_care):
    client = client_for(a_care)
    client.raise_request_exception = False

    response = client.post(
        f"/care/{unreadable.pk}/reveal/", {"field": "address", "reason": "上门走访"}
    )

    assert response.status_code == 500
    body = response.content.decode()
    assert "此信息无法解密：服务器的加密密钥与所存数据不符" in body
    assert response["X-Request-ID"] in body
    assert not Access.objects.filter(kind="reveal").exists()  # rolled back with the reveal


def test_an_api_reveal_that_does_not_decrypt_is_a_chinese_json_500(unreadable, api_for, a_care):
    api = api_for(a_care)
    api.raise_request_exception = False

    response = api.post(
        f"/api/cases/{unreadable.pk}/reveal/",
        {"field": "address", "reason": "评估"},
        format="json",
    )

    assert response.status_code == 500
    assert response.json() == {
        "detail": "此信息无法解密：服务器的加密密钥与所存数据不符。请把请求ID告知系统管理员。",
        "request_id": response["X-Request-ID"],
    }
