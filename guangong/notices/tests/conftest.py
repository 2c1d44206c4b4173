"""Fixtures and helpers of the notices tests (the scope walk's world uses the helpers too)."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from guangong.accounts.roles import Role
from guangong.accounts.tests.factories import UserFactory
from guangong.core import dates
from guangong.dicts.models import DictItem, DictKind
from guangong.notices.models import Audience, InfoItem, Notice, Receipt
from guangong.notices.services import items as item_services
from guangong.notices.services import notices as notice_services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (30, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


def info_kind(label: str = "工作动态") -> DictItem:
    item, _created = DictItem.objects.get_or_create(
        kind=DictKind.INFO_KIND, label=label, defaults={"order": 10}
    )
    return item


def draft(actor, org, **fields) -> Notice:
    values = {
        "organization": org,
        "prefix": "街道关字",
        "year": dates.today().year,
        "title": "关于做好暑期关爱工作的通知",
        "body": "各单位：\n请按要求做好暑期关爱工作。",
        "audience": Audience.SUBTREE,
        "feedback_required": True,
        "feedback_due": dates.today() + datetime.timedelta(days=30),
    }
    values.update(fields)
    co_issuers = values.pop("co_issuers", [])
    chosen = values.pop("chosen", [])
    return notice_services.save_notice(
        actor, Notice(**values), co_issuers=co_issuers, chosen=chosen
    )


def make_draft(actor, org, **fields) -> Notice:
    """A draft notice of ``org`` with a file."""
    notice = draft(actor, org, **fields)
    notice_services.add_file(actor, notice, SimpleUploadedFile("通知.pdf", PDF))
    return notice


def make_notice(actor, org, feedback: str = "", **fields) -> tuple[Notice, Receipt]:
    """An issued notice of ``org`` with a file; its first receipt (answered with
    ``feedback``)."""
    notice = make_draft(actor, org, **fields)
    notice_services.issue(actor, notice)
    notice.refresh_from_db()
    receipt = notice.receipts.order_by("pk").first()
    if feedback:
        notice_services.file_feedback(actor, receipt, feedback, {"开展活动场次": 3})
        receipt.refresh_from_db()
    return notice, receipt


def make_item(actor, org, photo: bytes | None = None, **fields) -> InfoItem:
    values = {
        "organization": org,
        "kind": info_kind(),
        "title": "街道开展五老宣讲进社区活动",
        "text": "近日，街道关工委组织五老宣讲团走进社区。\n听众三百余人。",
    }
    values.update(fields)
    item = item_services.save_item(actor, InfoItem(**values))
    if photo:
        item_services.add_photo(actor, item, SimpleUploadedFile("现场.jpg", photo))
    return item


@pytest.fixture
def t_admin(tree):
    return UserFactory(username="t_admin", organization=tree.township, role=Role.UNIT_ADMIN)


@pytest.fixture
def e_admin(tree):
    return UserFactory(username="e_admin", organization=tree.enterprise, role=Role.UNIT_ADMIN)


@pytest.fixture
def kinds(db):
    return {label: info_kind(label) for label in ("工作动态", "经验做法", "五老典型")}
