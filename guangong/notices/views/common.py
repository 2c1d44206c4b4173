"""What the notices' and the items' pages share."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from guangong.core.resource_views import ResourceDeleteView, ResourceFormView

from .. import attachments


class RuledObjectMixin:
    """A page that changes a row: 404 out of scope, 403 when the row's state refuses (the
    policy's rule: an issued notice, a decided item)."""

    def get_object(self):
        obj = super().get_object()
        if obj.pk and not self.resource.policy.allows(self.request.user, "write", obj):
            raise PermissionDenied(_("This can no longer be changed."))
        return obj


class RuledFormView(RuledObjectMixin, ResourceFormView):
    pass


class RuledDeleteView(RuledObjectMixin, ResourceDeleteView):
    pass


def file_response(row) -> FileResponse:
    """A stored attachment: photos inline, documents as downloads."""
    try:
        handle = row.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=row.kind != row.Kind.PHOTO,
        filename=row.name,
        content_type=attachments.content_type_of(row.file.name) or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
