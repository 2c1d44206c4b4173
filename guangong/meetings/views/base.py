"""What the meeting pages' actions share: POST one action on a row, then open its page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.views import View

from guangong.core.forms import apply_validation_error
from guangong.core.resource_views import ResourceMixin
from guangong.core.views import VerbRequiredMixin


def no_store(response):
    response["Cache-Control"] = "no-store"
    return response


class RowActionView(ResourceMixin, VerbRequiredMixin, View):
    """POST: the row (through the policy, for ``op``), the form, the action; a refusal is shown
    as messages on the row's page (the form's errors), and answers 400."""

    http_method_names = ["post"]
    form_class = None
    done_message = ""

    def get_row(self):
        return self.resource.policy.get(
            self.request.user, self.kwargs["pk"], self.op, self.resource.queryset()
        )

    def form_kwargs(self) -> dict:
        return {}

    def perform(self, row, form):
        raise NotImplementedError

    def success_url(self, row, result) -> str:
        return row.get_absolute_url()

    def post(self, request, pk):
        row = self.get_row()
        form = self.form_class(request.POST, request.FILES, **self.form_kwargs())
        if form.is_valid():
            try:
                result = self.perform(row, form)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, self.done_message)
                return HttpResponseRedirect(self.success_url(row, result))
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        response = HttpResponseRedirect(row.get_absolute_url())
        response.status_code = 303
        return response
