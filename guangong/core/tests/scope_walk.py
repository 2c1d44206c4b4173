"""The scope walk's map of every URL: what each URL pattern is, and which row of the walk's
world each of its arguments names.

``routes()`` walks ``django.urls.get_resolver()`` (nested includes, the API router's routes
included) and gives every pattern a ``Route``. The test (``test_scope_walk``) asks each one,
as each persona, what the policies (``core.policy``) say it must answer. A pattern is placed

- by its arguments: none (a page, or an API endpoint without an id), or ids the world has a row
  for (``<app>:<model>_<page>``: the model from the URL name through the registry and
  ``apps.get_model``; a router route: its viewset's model);
- or in ``EXCEPTIONS`` below, with the reason.

A pattern that is neither fails the walk: add it to the world (``build_world``) or declare it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from guangong.core.resources import resource_for

#: Patterns the walk does not request, and why. Keyed by URL name.
EXCEPTIONS = {
    # Public: no account, no scope (each has its own tests).
    "accounts:login": "the login page (accounts/tests/test_login.py)",
    "accounts:logout": "logging out ends the persona's session",
    "help:form": "the public help form (helpdesk/tests/test_public.py)",
    "help:done": "the public help form's receipt",
    "help:places": "the public list of committees taking requests",
    "help:status": "a requester's own status, by code and phone",
    "sms_reset:ask": "忘记密码 by SMS, before login (notifications/tests/test_reset.py)",
    "sms_reset:code": "忘记密码 by SMS: the code and the new password (same tests)",
    "api-token": "obtaining a token by password (accounts/tests/test_security.py)",
    "set_language": "the language switch",
    "javascript-catalog": "the translation catalogue for scripts",
    "schema": "the API schema (no records)",
    "swagger-ui": "the API documentation page (no records)",
    # Files that exist only once a worker has written them, for the user who asked; each is
    # tested where it is made.
    "care:export_download": "an encrypted export, for who asked (care/tests/test_exports.py)",
    "jobs:job_file": "a job's stored file, for its uploader (jobs/tests/test_security.py)",
    "documents:template_download": "the shipped template of a kind (no records)",
}

#: Routes whose ``pk`` names a row of another model than the URL name says (the parent the
#: new row goes under, or the row an action works on).
PK_MODEL = {
    "activities:attachment_add": "activities.Activity",
    "activities:attachment_download": "activities.Activity",
    "activities:attachment_delete": "activities.Activity",
    "care:follow_up_add": "care.Case",
    "care:attachment_add": "care.Case",
    "care:attachment_download": "care.Attachment",
    "helpdesk:request_*": "helpdesk.HelpRequest",
    "people:mentorship_visit_add": "people.Mentorship",
    "reporting:approve": "reporting.Report",
    "reporting:return": "reporting.Report",
    "reporting:unlock": "reporting.Report",
    "reporting:collect": "reporting.ReportForm",
    "reporting:collect_export": "reporting.ReportForm",
    "reporting:not_reported": "reporting.ReportForm",
    "reporting:approve_batch": "reporting.ReportForm",
    "reporting:form_*": "reporting.ReportForm",
    "reporting:section_*": "reporting.FormSection",
    "reporting:item_*": "reporting.FormItem",
    "reporting:rule_*": "reporting.FormRule",
    "accounts:token_revoke": "accounts.ApiToken",
    "accounts:user_password": "accounts.User",
    "documents:generate": "documents.Bulletin",
    "documents:generated_download": "documents.GeneratedDocument",
    "documents:template_*": "documents.DocumentTemplate",
    "documents:summary_*": "documents.WorkSummary",
    "jobs:import_*": "jobs.Job",
    "notices:notice_file": "notices.Notice",
    "notices:item_*": "notices.InfoItem",
    "orggroups:group_*": "orggroups.OrgGroup",
}

#: Arguments other than ``pk``: the model of the row they name, or a fixed value.
ARGUMENTS = {
    "attachment_pk": "activities.ActivityAttachment",
    "organization_pk": "orgs.Organization",
    "form": "reporting.ReportForm",
    "file_pk": "notices.NoticeFile",
    "photo_pk": "notices.ItemPhoto",
    "meeting_pk": "meetings.Meeting",
    "decision_pk": "meetings.Decision",
    "minutes_file_pk": "meetings.MeetingAttachment",
    "report_pk": "meetings.ProgressReport",
    "plan_pk": "workplans.WorkPlan",
    "progress_pk": "workplans.TaskProgress",
}
VALUES = {
    ("documents:generate", "kind"): "bulletin",
    ("documents:generate", "fmt"): "docx",
    ("reporting:file", "start"): "start",  # the world's report period (``World.values``)
}

#: Models without an organisation of their own: their scope is that of the row a lookup
#: reaches (whose policy decides).
SCOPE_THROUGH = {
    "accounts.ApiToken": "user",
    "care.Attachment": "case",
    "activities.ActivityAttachment": "activity",
    "reporting.FormSection": "form",
    "reporting.FormItem": "section__form",
    "reporting.FormRule": "form",
    "documents.GeneratedDocument": "bulletin",
    "notices.NoticeFile": "notice",
    "notices.ItemPhoto": "item",
    "meetings.MeetingAttachment": "meeting",
    "meetings.ProgressReport": "item",
    "workplans.TaskProgress": "task",
}

#: The operation a page or action asks for, by the last word(s) of its name; anything else
#: reads.
OPERATIONS = {
    "write": (
        "edit",
        "delete",
        "move",
        "add",
        "transition",
        "consent",
        "issue",
        "end",
        "reply",
        "refer",
        "close",
        "take",
        "convert",
        "cancel",
        "retry",
        "confirm",
        "undo",
        "restore",
        "revoke",
        "password",
        "up",
        "down",
        "follow_ups",
        "add_visit",
        "submit",
        "partial_update",
        "update",
        "destroy",
    ),
    "reveal": ("reveal", "reveal_phone"),
    "approve": (
        "approve",
        "return",
        "return_report",
        "unlock",
        "not_reported",
        "accept",
        "return_item",
        "forward",
        "approve_batch",
    ),
    "remind": ("remind",),
}

#: Pages that show a row (GET answers 200 to whoever may do their operation; a delete may be
#: a button without a page of its own).
PAGE_WORDS = ("detail", "edit", "preview", "collect")


@dataclass(frozen=True)
class Route:
    pattern: str  # the full route, for messages
    name: str  # "<namespace>:<name>" for pages, the router's name for the API
    params: tuple[str, ...]
    viewset: type | None = None
    actions: dict | None = None

    @property
    def api(self) -> bool:
        return self.pattern.startswith("api/")

    @property
    def app(self) -> str:
        if self.viewset is not None:
            return self.viewset_model._meta.app_label
        return self.name.split(":", 1)[0] if ":" in self.name else "api"

    @property
    def viewset_model(self):
        """The viewset's model: its ``model``, its queryset's or its serializer's."""
        model = getattr(self.viewset, "model", None)
        if model is None and self.viewset.queryset is not None:
            model = self.viewset.queryset.model
        return model or self.viewset.serializer_class.Meta.model

    @property
    def word(self) -> str:
        """What the route does: the page (``detail``) or the viewset's action."""
        if self.actions:
            if "get" in self.actions:
                return self.actions["get"]
            return next(iter(self.actions.values()))
        local = self.name.split(":", 1)[-1]
        return local


def _params(pattern) -> tuple[str, ...]:
    return tuple(pattern.regex.groupindex)


def routes() -> list[Route]:
    found = []

    def walk(patterns, prefix="", namespace="", params=()):
        for entry in patterns:
            text = prefix + str(entry.pattern)
            here = params + _params(entry.pattern)
            if isinstance(entry, URLResolver):
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, text, ns, here)
            elif isinstance(entry, URLPattern):
                callback = entry.callback
                found.append(
                    Route(
                        pattern=text,
                        name=f"{namespace}{entry.name}" if entry.name else "",
                        params=here,
                        viewset=getattr(callback, "cls", None)
                        if getattr(callback, "actions", None)
                        else None,
                        actions=getattr(callback, "actions", None),
                    )
                )

    walk(get_resolver().url_patterns)
    return found


def operation(route: Route) -> str:
    word = route.word
    for op, words in OPERATIONS.items():
        if any(word == w or word.endswith(f"_{w}") for w in words):
            return op
    return "read"


def shows_page(route: Route) -> bool:
    return not route.api and any(
        route.word == w or route.word.endswith(f"_{w}") for w in PAGE_WORDS
    )


def _declared(table: dict, name: str):
    if name in table:
        return table[name]
    for key, value in table.items():
        if key.endswith("*") and name.startswith(key[:-1]):
            return value
    return None


def pk_model(route: Route):
    """The model of the row a route's ``pk`` names (None: the walk cannot tell)."""
    if route.viewset is not None:
        return route.viewset_model
    declared = _declared(PK_MODEL, route.name)
    if declared:
        return apps.get_model(declared)
    app, _, local = route.name.partition(":")
    parts = local.split("_")
    for i in range(len(parts) - 1, 0, -1):
        try:
            model = apps.get_model(app, "".join(parts[:i]))
        except LookupError:
            continue
        if resource_for(model) is not None or _has_field(model, "organization"):
            return model
    return None


def _has_field(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def arg_model(route: Route, param: str):
    if param == "pk":
        return pk_model(route)
    declared = ARGUMENTS.get(param)
    return apps.get_model(declared) if declared else None


def scope_of(row):
    """The row whose policy decides who reaches ``row``."""
    lookup = SCOPE_THROUGH.get(row._meta.label)
    if lookup is None:
        return row
    for part in lookup.split("__"):
        row = getattr(row, part)
    return row


def missing_id(model):
    if model._meta.pk.get_internal_type() == "UUIDField":
        return uuid.uuid4()
    last = model._base_manager.order_by("-pk").values_list("pk", flat=True).first() or 0
    return last + 10_000


def is_format_twin(route: Route) -> bool:
    """A router's ``.json`` twin of a route: it answers what the route answers."""
    return "format" in route.params
