"""Notices sent down the tree (通知/文件) and information items sent up it (信息报送)."""

from .items import InfoItem, ItemPhoto, ItemStatus
from .notices import (
    Audience,
    Notice,
    NoticeFile,
    NoticeStatus,
    Receipt,
    Reminder,
)

__all__ = [
    "Audience",
    "InfoItem",
    "ItemPhoto",
    "ItemStatus",
    "Notice",
    "NoticeFile",
    "NoticeStatus",
    "Receipt",
    "Reminder",
]
