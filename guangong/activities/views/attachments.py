"""Photos and documents of an activity: upload, download, delete.

Files are never served from a public media URL: a download is a view that first finds the
activity among those the user sees (404 otherwise). Uploads and deletions are for the owner's
side and go through ``services`` (checked by content, audited).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from guangong.core.forms import apply_validation_error
from guangong.core.resources import policy_for, resource_for
from guangong.core.views import VerbRequiredMixin

from .. import attachments, services
from ..forms import AttachmentForm
from ..models import Activity, ActivityAttachment
from .pages import ActivityDetailView


def _attachment_of(user, pk: int, attachment_pk: int, *, editing: bool) -> ActivityAttachment:
    activity = policy_for(Activity).get(user, pk, "write" if editing else "read")
    try:
        return activity.attachments.get(pk=attachment_pk)
    except ActivityAttachment.DoesNotExist as exc:
        raise Http404 from exc


class AttachmentUploadView(VerbRequiredMixin, View):
    verb = "edit"
    http_method_names = ["post"]

    def post(self, request, pk):
        activity = policy_for(Activity).get(request.user, pk, "write")
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                attachment = services.add_attachment(
                    request.user, activity, form.cleaned_data["file"]
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
                if not form.has_error("file"):
                    form.add_error("file", exc)
            else:
                messages.success(request, _("Attached %(name)s.") % {"name": attachment.name})
                return HttpResponseRedirect(activity.get_absolute_url())
        # Show the detail page again with the refused upload's message on the form.
        resource = resource_for(Activity)
        view = ActivityDetailView(request=request, kwargs={"pk": pk}, args=(), resource=resource)
        view.object = view.get_object()
        ctx = view.get_context_data(object=view.object, attachment_form=form)
        return render(request, view.template_name, ctx, status=400)


class AttachmentDownloadView(VerbRequiredMixin, View):
    """The file, to anyone who sees the activity; photos inline (thumbnails), documents as
    downloads."""

    def get(self, request, pk, attachment_pk):
        attachment = _attachment_of(request.user, pk, attachment_pk, editing=False)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404 from exc
        is_photo = attachment.kind == ActivityAttachment.Kind.PHOTO
        response = FileResponse(
            handle,
            as_attachment=not is_photo,
            filename=attachment.name,
            content_type=attachments.content_type_of(attachment.file.name)
            or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, max-age=3600"
        return response


class AttachmentDeleteView(VerbRequiredMixin, View):
    verb = "edit"

    def get(self, request, pk, attachment_pk):
        attachment = _attachment_of(request.user, pk, attachment_pk, editing=True)
        return render(
            request,
            "activities/attachment_confirm_delete.html",
            {"object": attachment, "activity": attachment.activity},
        )

    def post(self, request, pk, attachment_pk):
        attachment = _attachment_of(request.user, pk, attachment_pk, editing=True)
        services.delete_attachment(request.user, attachment)
        messages.success(request, _("Deleted %(object)s.") % {"object": attachment.name})
        return HttpResponseRedirect(attachment.activity.get_absolute_url())
