"""Creating and editing elders and young people (teams and every delete: the generic resource
views); the organisation a new record starts in comes from ``?org=``."""

from guangong.core.resource_views import ResourceFormView

from .. import dupcheck
from ..services.persons import save_person


class PersonFormView(ResourceFormView):
    """The form takes the ID number and the same-name confirmation besides the fields."""

    def post(self, request, *args, **kwargs):
        # Answers about people outside the scope are audited even when the save is refused.
        with dupcheck.recording():
            return super().post(request, *args, **kwargs)

    def perform(self, form):
        return save_person(self.request.user, form.instance, **form.service_kwargs())

    def render_form(self, form, status=200):
        if form.has_error("name", "duplicate_name"):
            form.offer_same_name()
        return super().render_form(form, status=status)
