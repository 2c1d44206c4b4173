from urllib.parse import urlencode

from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from guangong.audit.services import Action, record
from guangong.core.export import build_xlsx, xlsx_response
from guangong.core.ids import parse_id
from guangong.core.links import own_page, view_class
from guangong.core.masking import shown_phone
from guangong.core.resource_views import (
    ResourceDeleteView,
    ResourceDetailView,
    ResourceFormView,
    ResourceListView,
)
from guangong.core.resources import policy_for
from guangong.core.scope import subtree_q
from guangong.core.views import ScopedMixin
from guangong.orggroups.selection import GroupChoiceForm, link_query
from guangong.stats.coverage import by_group, coverage

from . import services
from .forms import MoveForm, OrganizationForm
from .models import Organization, PositionRole, Status


def scope_roots(user):
    """The top of what a user sees: their organisation, or the roots for a superuser."""
    if user.organization_id:
        return Organization.objects.filter(pk=user.organization_id)
    if user.is_superuser:
        return Organization.objects.get_root_nodes()
    return Organization.objects.none()


class OrganizationListView(ResourceListView):
    actions_template = "orgs/list_actions.html"

    def get_queryset(self):
        return super().get_queryset().order_by("path")


class OrganizationDetailView(ResourceDetailView):
    template_name = "orgs/organization_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        org = self.object
        user = self.request.user
        scope = user.scope_path or ""
        ctx["crumbs"] = [a for a in org.ancestors_and_self() if a.path.startswith(scope)]
        ctx["children"] = Organization.objects.get_children(org).order_by("path")[:200]
        role_order = Case(
            *[When(role=r, then=Value(i)) for i, r in enumerate(PositionRole.values)],
            output_field=IntegerField(),
        )
        positions = list(org.positions.annotate(o=role_order).order_by("o", "name"))
        for position in positions:
            position.shown_phone = shown_phone(user, position.phone)
        ctx["positions"] = positions
        ctx["contact_phone"] = shown_phone(user, org.contact_phone, public=org.phone_public)
        ctx["can_edit"] = self.resource.policy.may(user, "write")
        ctx["is_scope_root"] = org.path == scope
        return ctx


class OrganizationCreateView(ResourceFormView):
    success_message = gettext_lazy("Created %(object)s.")

    def get_parent(self):
        parent_id = self.request.GET.get("parent") or self.request.POST.get("parent")
        if not parent_id:
            if self.request.user.is_superuser and not self.request.user.organization_id:
                return None
            parent_id = self.request.user.organization_id
        return policy_for(Organization).get(self.request.user, parent_id)

    def get_form(self, data=None):
        self.parent = self.get_parent()
        self.object = Organization()
        return OrganizationForm(data, parent=self.parent, user=self.request.user)

    def perform(self, form):
        return services.create_organization(self.request.user, self.parent, **form.service_fields())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        parent = self.parent
        ctx["title"] = _("New organisation")
        ctx["subtitle"] = _("Under %(parent)s") % {"parent": parent} if parent else ""
        ctx["cancel_url"] = (
            parent.get_absolute_url() if parent else reverse("orgs:organization_list")
        )
        return ctx


class OrganizationEditView(ResourceFormView):
    def get_form(self, data=None):
        self.object = self.get_object()
        return OrganizationForm(
            data,
            instance=self.object,
            parent=Organization.objects.get_parent(self.object),
            user=self.request.user,
        )

    def perform(self, form):
        return services.update_organization(self.request.user, self.object, **form.service_fields())


class OrganizationMoveView(ResourceFormView):
    template_name = "orgs/organization_move.html"
    success_message = gettext_lazy("Moved %(object)s.")

    def get_form(self, data=None):
        self.object = self.get_object()
        return MoveForm(data, user=self.request.user, org=self.object)

    def perform(self, form):
        return services.move_organization(
            self.request.user, self.object, form.cleaned_data["parent"]
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("Move %(object)s") % {"object": self.object}
        ctx["object"] = self.object
        ctx["cancel_url"] = self.object.get_absolute_url()
        return ctx


class OrganizationDeleteView(ResourceDeleteView):
    def get_success_url(self, obj):
        parent = Organization.objects.get_parent(obj)
        if parent is not None and parent.path.startswith(self.request.user.scope_path or ""):
            return parent.get_absolute_url()
        return reverse("orgs:organization_list")


class TreeChildrenView(ScopedMixin, TemplateView):
    """One level of the organisation tree, loaded by htmx when a node opens."""

    model = Organization
    template_name = "orgs/tree_children.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        node_id = self.request.GET.get("node")
        if node_id:
            node = policy_for(Organization).get(user, node_id)
            nodes = Organization.objects.get_children(node).order_by("path")
        else:
            nodes = scope_roots(user)
        # The tree's links lead to the page it is shown beside, and only to a page of ours that
        # shows the tree: never to a path someone wrote into the address.
        base = own_page(self.request.GET.get("base", ""), accept=shows_tree)
        selected = parse_id(self.request.GET.get("org"))
        ctx.update(
            {
                "nodes": nodes[:500],
                "base": base or reverse("orgs:organization_list"),
                "selected": str(selected) if selected else "",
            }
        )
        return ctx


def shows_tree(match) -> bool:
    return bool(getattr(view_class(match), "show_tree", False))


class OrgChoicesView(ScopedMixin, TemplateView):
    """<option>s for the organisation picker: search within scope, 20 at a time."""

    model = Organization
    template_name = "orgs/org_choices.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        q = self.request.GET.get("q", "")
        exclude = parse_id(self.request.GET.get("exclude_subtree"))
        qs = self.get_queryset().search(q).order_by("depth", "path")
        if exclude:
            excluded = self.get_queryset().filter(pk=exclude).only("path").first()
            if excluded is not None:
                qs = qs.exclude(subtree_q("path", excluded.path))
        ctx["choices"] = qs[:20]
        return ctx


class CoverageView(ScopedMixin, TemplateView):
    model = Organization
    template_name = "orgs/coverage.html"
    show_tree = True  # the organisation tree beside it links back here

    def get_root(self):
        org_id = self.request.GET.get("org")
        user = self.request.user
        if org_id:
            return policy_for(Organization).get(user, org_id)
        root = scope_roots(user).first()
        if root is None:
            raise Http404
        return root

    def get(self, request, *args, **kwargs):
        root = self.get_root()
        choice = GroupChoiceForm(request.GET, user=request.user)
        if choice.is_bound and not choice.is_valid():
            ctx = self.get_context_data(
                cov=None,
                statuses=Status.choices,
                root=root,
                choice=choice,
                choice_hidden=[("org", root.pk)],
            )
            return self.render_to_response(ctx, status=400)
        group, group_set = choice.chosen()
        cov = coverage(root, group=group)
        if group is not None:  # the organisations below with none in the group say nothing
            cov.children = [(kid, row) for kid, row in cov.children if row.total]
        breakdown = by_group(root, group_set, group) if group_set is not None else None
        if request.GET.get("export") == "xlsx":
            return self.export(cov, breakdown)
        # Each count opens the organisation list filtered the same way.
        base = {"org": root.pk, **link_query(group)}
        for line in breakdown.lines if breakdown else ():
            line.query = urlencode({"org": root.pk, **link_query(group, line.slot)})
        ctx = self.get_context_data(
            cov=cov,
            statuses=Status.choices,
            root=root,
            choice=choice,
            group=group,
            breakdown=breakdown,
            list_url=reverse("orgs:organization_list"),
            list_query=urlencode(base),
            group_query=urlencode(link_query(group)),
            page_query=urlencode({"org": root.pk, **choice.query()}),
            choice_query=urlencode(choice.query()),
            choice_hidden=[("org", root.pk)],
        )
        return self.render_to_response(ctx)

    def export(self, cov, breakdown=None):
        tail = [_("Total"), _("Established in total"), _("Share established")]
        headers = [_("Kind"), *Status.labels, *tail]

        def line(label, row):
            share = f"{row.share:.1%}" if row.share is not None else ""
            return [label, *row.cells(), row.total, row.established, share]

        rows = []
        if cov.group is not None:
            rows.append([_("Organisation group"), str(cov.group)])
            rows.append([])
        rows.extend(line(str(r.label), r) for r in cov.rows)
        rows.append(line(_("Total"), cov.total))
        rows.append([])
        rows.append([_("Organisation below"), *Status.labels, *tail])
        rows.extend(line(child.name, row) for child, row in cov.children)
        rows.append([])
        rows.append([_("Leadership members"), cov.positions_total])
        rows.extend([label, n] for label, n in cov.positions_by_role)
        if breakdown is not None:
            rows.append([])
            rows.append(
                [
                    breakdown.group_set.name,
                    _("Organisations in the group"),
                    _("Share of the denominator"),
                    _("Denominator"),
                    _("Established in total"),
                    _("Share established"),
                ]
            )
            for g in breakdown.lines:
                rows.append(
                    [
                        g.slot.label,
                        g.organizations,
                        f"{g.share}%" if g.share is not None else "",
                        g.denominator_label,
                        g.established,
                        f"{g.established_share}%" if g.established_share is not None else "",
                    ]
                )
        name = _("Coverage of %(org)s") % {"org": cov.root.name}
        record(self.request.user, Action.EXPORT, cov.root, message=str(name))
        return xlsx_response(name, build_xlsx(_("Coverage"), headers, rows))


class PositionListView(ResourceListView):
    """The leadership rosters (领导班子) of the user's subtree, with the .xlsx export."""

    export_name = gettext_lazy("Leadership rosters")

    def get_queryset(self):
        return super().get_queryset().order_by("organization__path", "role", "name")
