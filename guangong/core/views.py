"""The generic views every app's pages are built from.

An app's view names its model, filterset, table and form; scoping (404 outside the subtree),
verbs, export, the organisation tree beside the list and the audited service calls come from
here.
"""

import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from guangong.audit.services import Action, record

from .actions import batch
from .export import Field, start_background_export, stream_rows, xlsx_response
from .forms import apply_validation_error, quoted_name
from .ids import parse_ids
from .resources import policy_for
from .scope import has_verb, requested_org
from .xlsx_stream import write_xlsx


class VerbRequiredMixin:
    """Refuse (403) a logged-in user whose role lacks the view's verb."""

    verb = "view"

    def permitted(self, user) -> bool:
        return has_verb(user, self.verb)

    def dispatch(self, request, *args, **kwargs):
        if not self.permitted(request.user):
            raise PermissionDenied(_("You do not have permission to do this."))
        return super().dispatch(request, *args, **kwargs)


class ScopedMixin(VerbRequiredMixin):
    model = None

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user)


class ChoicesView(ScopedMixin, TemplateView):
    """<option>s for a picker: the rows in scope that match ``q`` (``found``: 20, in
    ``ordering``), and the rows whose ids are sent under ``keep``'s name (``kept``, at most
    ``keep_limit``: a multiple select keeps its choice while the user searches); ``kept_ordered``
    sorts those too."""

    ordering = ("pk",)
    keep_limit = 200
    kept_ordered = True

    def choices_queryset(self):
        return self.get_queryset()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        qs = self.choices_queryset()
        keep_name = self.request.GET.get("keep", "")
        kept = []
        if keep_name:
            ids = parse_ids(self.request.GET.getlist(keep_name), limit=self.keep_limit)
            kept_qs = qs.filter(pk__in=ids)
            kept = list(kept_qs.order_by(*self.ordering) if self.kept_ordered else kept_qs)
        q = self.request.GET.get("q", "")
        found = qs.search(q).exclude(pk__in=[row.pk for row in kept]).order_by(*self.ordering)
        ctx.update(kept=kept, found=found[:20])
        return ctx


class ObjectListView(ScopedMixin, SingleTableMixin, FilterView):
    """List with the organisation tree, a filter form, a sortable table and .xlsx export."""

    template_name = "core/object_list.html"
    #: Rows per page. Only the table paginates: ListView's own pagination would COUNT again.
    per_page = 25
    paginate_by = None
    export_name = None
    #: Show the organisation tree beside the list (RuoYi's department tree).
    show_tree = True
    #: Extra template shown above the table (e.g. action buttons).
    actions_template = None
    #: Offer a print view (``?print=1``: the filtered rows on A4, up to ``print_rows``).
    printable = False
    print_rows = 500

    @property
    def printing(self) -> bool:
        return self.printable and self.request.GET.get("print") == "1"

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def get_table_pagination(self, table):
        return {"per_page": self.print_rows if self.printing else self.per_page}

    def get_table_kwargs(self):
        return {"request": self.request}

    def export_rows(self, queryset):
        """Headers and rows for the spreadsheet: by default, the table's columns as values."""
        table = self.get_table_class()(queryset, request=self.request)
        exclude = getattr(table.Meta, "export_exclude", ()) if hasattr(table, "Meta") else ()
        values = iter(table.as_values(exclude_columns=exclude))
        headers = next(values)
        return headers, values

    def export_fields(self) -> list[Field] | None:
        """The export's columns read straight from the database (``export.Field``), for lists
        that run to tens of thousands of rows; None: the table's values (``export_rows``).
        They must read exactly as the table's: the tests compare both."""
        return None

    def export_title(self) -> str:
        return str(self.export_name or self.model._meta.verbose_name_plural)

    def export_queryset(self):
        """The filtered, scoped rows to export; None if the filters are invalid."""
        filterset = self.get_filterset(self.get_filterset_class())
        if filterset.is_bound and not filterset.is_valid():
            return None
        return filterset.qs

    def write_export(self, queryset, target, on_rows=None) -> int:
        """Write the .xlsx of ``queryset`` to the binary file ``target``; returns its rows."""
        fields = self.export_fields()
        if fields is None:
            headers, rows = self.export_rows(queryset)
        else:
            headers = [str(field.header) for field in fields]
            rows = stream_rows(queryset.prefetch_related(None), fields)
        return write_xlsx(target, self.export_title(), headers, rows, on_rows=on_rows)

    def audit_export(self, count: int) -> None:
        record(
            self.request.user,
            Action.EXPORT,
            None,
            org_path=self.request.user.scope_path or "",
            message=_("%(name)s: %(n)d rows, filters %(filters)s")
            % {"name": self.export_title(), "n": count, "filters": self.request.GET.urlencode()},
        )

    def export(self):
        queryset = self.export_queryset()
        if queryset is None:
            messages.error(self.request, _("Correct the filters before exporting."))
            return HttpResponseRedirect(self.request.path)
        if queryset.count() > settings.EXPORT_SYNC_MAX_ROWS:
            # Too long for a web request: a background job writes the file (jobs.exports).
            job = start_background_export(self.request, self.export_title())
            return HttpResponseRedirect(job.get_absolute_url())
        buffer = io.BytesIO()
        count = self.write_export(queryset, buffer)
        self.audit_export(count)
        return xlsx_response(self.export_title(), buffer.getvalue())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["model_meta"] = self.model._meta
        ctx["show_tree"] = self.show_tree
        ctx["actions_template"] = self.actions_template
        query = self.request.GET.copy()
        query.pop("page", None)
        query["export"] = "xlsx"
        ctx["export_query"] = query.urlencode()
        if self.printable:
            query.pop("export")
            query["print"] = "1"
            ctx["print_query"] = query.urlencode()
            ctx["printing"] = self.printing
        if self.printing:
            from django.apps import apps

            organizations = apps.get_model("orgs", "Organization")._default_manager
            ctx["print_org"] = requested_org(self.request, organizations)
            ctx["print_filters"] = [
                (field.label, field.value())
                for field in ctx["filter"].form.visible_fields()
                if field.value() not in (None, "")
            ]
        ctx["can_edit"] = policy_for(self.model).may(self.request.user, "write")
        return ctx


class ObjectDetailView(ScopedMixin, DetailView):
    template_name_suffix = "_detail"

    def get_object(self, queryset=None):
        return policy_for(self.model).get(self.request.user, self.kwargs["pk"])


class ServiceFormView(VerbRequiredMixin, TemplateView):
    """A form whose valid data is handed to a service function.

    Subclasses implement ``get_form`` and ``perform(form)``; a ValidationError raised by the
    service (scope, tree rules, uniqueness races) lands on the form, and nothing is saved.
    """

    verb = "edit"
    template_name = "core/object_form.html"
    success_message = None

    def get_form(self, data=None):
        raise NotImplementedError

    def perform(self, form):
        raise NotImplementedError

    def get_success_url(self, obj) -> str:
        return obj.get_absolute_url()

    def get(self, request, *args, **kwargs):
        return self.render_form(self.get_form())

    def post(self, request, *args, **kwargs):
        return self.submit(self.get_form(request.POST))

    def submit(self, form):
        """Hand the valid form to the service and open the result; else show it again (400)."""
        request = self.request
        if form.is_valid():
            try:
                with batch(type(self).__name__):  # the request's change is one unit
                    obj = self.perform(form)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                if self.success_message:
                    messages.success(request, self.success_message % {"object": quoted_name(obj)})
                return HttpResponseRedirect(self.get_success_url(obj))
        return self.render_form(form, status=400)

    def render_form(self, form, status=200):
        ctx = self.get_context_data(form=form)
        return render(self.request, self.template_name, ctx, status=status)


class ServiceDeleteView(VerbRequiredMixin, View):
    """Confirm, then call the delete service; a refusal is shown as a message."""

    verb = "edit"
    model = None
    template_name = "core/object_confirm_delete.html"

    def get_object(self):
        return policy_for(self.model).get(self.request.user, self.kwargs["pk"])

    def delete(self, obj):
        raise NotImplementedError

    def get_success_url(self, obj) -> str:
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        return render(request, self.template_name, {"object": obj, "model_meta": obj._meta})

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        success_url = self.get_success_url(obj)
        try:
            self.delete(obj)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return HttpResponseRedirect(obj.get_absolute_url())
        messages.success(request, _("Deleted %(object)s.") % {"object": quoted_name(obj)})
        return HttpResponseRedirect(success_url)
