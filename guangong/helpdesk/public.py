"""The public pages of the help desk (no account): the request form, the confirmation with the
tracking code, the status look-up, and the search of committees for the form.

Everything a requester typed is shown back through the template's autoescaping only. Every
page answers in Chinese; a client over a rate limit gets a 429 page saying so.
"""

import datetime
import logging
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from guangong.core import context
from guangong.core.forms import apply_validation_error
from guangong.core.validators import normalize_phone

from . import answers, protection, services
from .forms import AnswerForm, HelpRequestForm, StatusForm
from .models import HelpRequest, normalize_code

log = logging.getLogger(__name__)

MAX_PLACES = 20
SESSION_CODE = "helpdesk_code"
#: The request a visitor found with its code and phone: they may answer on it for an hour.
SESSION_FOUND = "helpdesk_found"
ANSWER_SECONDS = 3600


def client(request) -> str:
    return context.current().ip or request.META.get("REMOTE_ADDR") or "-"


def too_many(request, what: str = "") -> HttpResponse:
    response = render(request, "helpdesk/too_many.html", {"what": what}, status=429)
    response["Retry-After"] = "600"
    return response


def body_too_large(request) -> bool:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > settings.HELPDESK_MAX_BODY


def search_places(q: str):
    """Established committees matching a name, a short name or pinyin initials (20 at most)."""
    q = (q or "").strip()[:30]
    if not q:
        return []
    key = q.lower()
    return list(
        services.public_places()
        .filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(search_text__contains=key))
        .only("pk", "name")
        .order_by("depth", "path")[:MAX_PLACES]
    )


@method_decorator([csrf_protect, never_cache], name="dispatch")
class RequestFormView(View):
    template_name = "helpdesk/public_form.html"

    def places_for(self, form: HelpRequestForm, q: str):
        places = search_places(q)
        chosen = form.data.get("organization") if form.is_bound else None
        if chosen and str(chosen).isdigit() and all(str(p.pk) != chosen for p in places):
            places = list(services.public_places().filter(pk=chosen).only("pk", "name")) + places
        return places

    def render_form(self, request, form, status=200):
        q = request.GET.get("q", "") if not form.is_bound else form.data.get("q", "")
        form.set_places(self.places_for(form, q))
        form.new_challenge()
        ctx = {"form": form, "q": q, "max_description": 2000}
        return render(request, self.template_name, ctx, status=status)

    def get(self, request):
        return self.render_form(request, HelpRequestForm())

    def post(self, request):
        if body_too_large(request):
            return render(request, "helpdesk/too_large.html", status=413)
        ip = client(request)
        if not protection.hit("attempt_ip", ip):
            return too_many(request)
        form = HelpRequestForm(request.POST)
        if not form.is_valid():
            return self.render_form(request, form, status=400)
        data = form.cleaned_data
        if not protection.hit("submit_ip", ip):
            return too_many(request)
        if not protection.hit("submit_phone", services.phone_key(data["phone"])):
            return too_many(request, "phone")
        try:
            req = services.submit(
                None,
                kind=data["kind"],
                organization=data["organization"],
                description=data["description"],
                phone=data["phone"],
                requester_name=data["requester_name"],
                relation=data["relation"],
                youth_age=data["youth_age"],
                consent=data["consent"],
                sms_consent=data.get("sms_consent", False),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render_form(request, form, status=400)
        # The code is shown once, on the next page; it is not put in the URL.
        request.session[SESSION_CODE] = req.code
        return redirect("help:done")


@method_decorator(never_cache, name="dispatch")
class DoneView(View):
    def get(self, request):
        code = request.session.pop(SESSION_CODE, None)
        if not code:
            return redirect("help:form")
        ctx = {"code": code, "reply_hours": settings.HELPDESK_REPLY_HOURS}
        return render(request, "helpdesk/public_done.html", ctx)


@method_decorator(never_cache, name="dispatch")
class PlacesView(View):
    """<option>s of the committees matching ``q`` (htmx fills the form's select with them)."""

    def get(self, request):
        if not protection.hit("places_ip", client(request)):
            return too_many(request)
        places = search_places(request.GET.get("q", ""))
        return render(request, "helpdesk/place_options.html", {"places": places})


@method_decorator([csrf_protect, never_cache], name="dispatch")
class StatusView(View):
    """The status and the public replies of a request, for its tracking code and phone."""

    template_name = "helpdesk/public_status.html"

    def get(self, request):
        return render(request, self.template_name, {"form": StatusForm()})

    def post(self, request):
        if body_too_large(request):
            return render(request, "helpdesk/too_large.html", status=413)
        if "answer" in request.POST:
            return self.answer(request)
        form = StatusForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        code = normalize_code(form.cleaned_data["code"])
        ip = client(request)
        # Limits by client, so that a stranger's wrong guesses do not lock the owner out; the
        # per-code limit is only a much higher backstop against a guess from many addresses.
        if not protection.hit("lookup_ip", ip):
            return too_many(request)
        if not protection.hit("lookup_ip_code", f"{ip}|{code}"):
            return too_many(request)
        if not protection.hit("lookup_code", code):
            return too_many(request)
        req = services.find_by_code(code, normalize_phone(form.cleaned_data["phone"]))
        if req is not None:
            request.session[SESSION_FOUND] = [req.pk, time.time()]
        return self.result(request, form, req, status=200 if req else 404)

    def result(self, request, form, req, status=200, **more):
        ctx = {"form": form, "searched": True, "found": req, **more}
        if req is not None:
            ctx["replies"] = req.replies.filter(public=True).order_by("created_at", "pk")
            answered = any(not r.from_requester for r in ctx["replies"])
            hours = datetime.timedelta(hours=settings.HELPDESK_REPLY_HOURS)
            ctx["expected"] = None if answered or req.is_final else req.created_at + hours
            ctx["answer_form"] = more.get("answer_form") or AnswerForm()
        return render(request, self.template_name, ctx, status=status)

    def answer(self, request):
        """The requester's answer, on the request they looked up in this session."""
        found = request.session.get(SESSION_FOUND) or [None, 0]
        req = None
        if found[0] and time.time() - found[1] < ANSWER_SECONDS:
            req = HelpRequest.objects.filter(pk=found[0]).first()
        if req is None:
            return redirect("help:status")
        if not protection.hit("attempt_ip", client(request)):
            return too_many(request)
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                answers.answer_back(None, req, form.cleaned_data["text"])
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                req.refresh_from_db()
                return self.result(request, StatusForm(), req, answered_now=True)
        return self.result(request, StatusForm(), req, status=400, answer_form=form)
