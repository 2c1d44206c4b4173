"""The information items' pages: the list, an item with its decision buttons, the form, the
decisions, putting an adopted item into a bulletin, photos, and the statistics per unit."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from guangong.core.actions import batch
from guangong.core.forms import PeriodForm
from guangong.core.resource_views import ResourceDetailView, ResourceListView, ResourceMixin
from guangong.core.resources import policy_for
from guangong.core.views import VerbRequiredMixin
from guangong.orgs.models import Organization

from ..forms import BulletinChoiceForm, ReturnForm
from ..models import InfoItem, ItemPhoto
from ..services import items as services
from ..stats import adoption
from .common import RuledFormView, file_response


class ItemListView(ResourceListView):
    actions_template = "notices/item_list_actions.html"
    export_name = gettext_lazy("Information items")


class ItemDetailView(ResourceDetailView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, item = self.request.user, self.object
        policy = policy_for(InfoItem)
        bulletins = services.draft_bulletins(user)
        can_use = item.status == "accepted" and policy.allows(user, "use", item)
        ctx.update(
            photos=item.photos.all(),
            can_edit=policy.allows(user, "write", item),
            can_decide=policy.allows(user, "approve", item),
            can_forward=item.handler.depth > 1,
            return_form=ReturnForm(),
            bulletin_form=BulletinChoiceForm(bulletins=bulletins) if can_use else None,
            has_bulletins=can_use and bulletins.exists(),
        )
        return ctx


class ItemFormView(RuledFormView):
    template_name = "notices/object_form.html"

    def get_form(self, data=None):
        self.object = self.get_object()
        initial = {} if self.object.pk else self.get_initial()
        files = self.request.FILES if data is not None else None
        return self.resource.form(
            data, files, instance=self.object, user=self.request.user, initial=initial
        )

    def perform(self, form):
        item = super().perform(form)
        photo = form.cleaned_data.get("photo")
        if photo:
            services.add_photo(self.request.user, item, photo)
        return item


class ItemActionView(ResourceMixin, VerbRequiredMixin, View):
    http_method_names = ["post"]
    op = "approve"
    done = ""

    def post(self, request, pk):
        item = self.resource.policy.get(request.user, pk, self.op, self.resource.queryset())
        if not self.resource.policy.allows(request.user, self.op, item):
            raise PermissionDenied(_("This item has been decided on."))
        try:
            with batch(type(self).__name__):
                self.perform(item)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, self.done)
        return HttpResponseRedirect(item.get_absolute_url())


class AcceptView(ItemActionView):
    done = gettext_lazy("Item adopted.")

    def perform(self, item):
        services.accept(self.request.user, item)


class ReturnView(ItemActionView):
    done = gettext_lazy("Item returned to its sender.")

    def perform(self, item):
        form = ReturnForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        services.return_item(self.request.user, item, form.cleaned_data["reason"])


class ForwardView(ItemActionView):
    done = gettext_lazy("Item forwarded to the organisation above.")

    def perform(self, item):
        services.forward(self.request.user, item)


class ToBulletinView(ItemActionView):
    op = "use"

    def perform(self, item):
        bulletins = services.draft_bulletins(self.request.user)
        form = BulletinChoiceForm(self.request.POST, bulletins=bulletins)
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        bulletin = services.add_to_bulletin(self.request.user, item, form.cleaned_data["bulletin"])
        self.done = _("Added to %(bulletin)s.") % {"bulletin": bulletin}


class PhotoView(ResourceMixin, VerbRequiredMixin, View):
    def get(self, request, pk, photo_pk):
        item = self.resource.policy.get(request.user, pk, "read", self.resource.queryset())
        photo = ItemPhoto.objects.filter(item=item, pk=photo_pk).first()
        if photo is None:
            raise Http404
        return file_response(photo)


class StatsView(ResourceMixin, VerbRequiredMixin, TemplateView):
    """Items sent and adopted per unit in a period, with the adoption rate (采用率)."""

    template_name = "notices/item_stats.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        form = PeriodForm(self.request.GET or None)
        period = form.get_period()
        start, end = period.start, period.end
        org = None
        org_id = self.request.GET.get("org", "")
        if org_id:
            org = policy_for(Organization).get(user, org_id)
        rows = adoption(user, start, end, org)
        base = {"sent_from": start.isoformat(), "sent_to": end.isoformat()}
        from django.urls import reverse

        list_url = reverse("notices:item_list")
        for row in rows:
            row["sent_url"] = f"{list_url}?{urlencode({**base, 'sender': row['org'].pk})}"
            row["adopted_url"] = (
                f"{list_url}?{urlencode({**base, 'sender': row['org'].pk, 'adopted': 'true'})}"
            )
        total_sent = sum(r["sent"] for r in rows)
        total_adopted = sum(r["adopted"] for r in rows)
        ctx.update(
            form=form,
            rows=rows,
            start=start,
            end=end,
            total_sent=total_sent,
            total_adopted=total_adopted,
            total_rate=_rate(total_adopted, total_sent),
        )
        return ctx


def _rate(adopted: int, sent: int) -> str:
    return f"{adopted * 100 / sent:.1f}%" if sent else "—"
