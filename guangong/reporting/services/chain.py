"""Who reports to whom: the reporters of a form, the collector of each, and what it awaits."""

from guangong.core.scope import ancestor_paths, subtree_q
from guangong.orgs.models import Organization

from ..models import Report, ReportForm, ReportStatus


def reporters(form: ReportForm):
    """Organisations that must file ``form``: its kinds, in the owner's subtree, not the owner."""
    return (
        Organization.objects.filter(
            subtree_q("path", form.owner.path), kind__in=form.reporting_kinds
        )
        .exclude(pk=form.owner_id)
        .order_by("path")
    )


def is_reporter(form: ReportForm, org: Organization) -> bool:
    return (
        org.pk != form.owner_id
        and org.path.startswith(form.owner.path)
        and org.kind in form.reporting_kinds
    )


def _above(form: ReportForm, org: Organization) -> list[str]:
    return ancestor_paths(org.path, include_self=False, top=form.owner.path)


def collector_of(form: ReportForm, org: Organization) -> Organization:
    """The organisation that receives ``org``'s report."""
    above = {o.path: o for o in Organization.objects.filter(path__in=_above(form, org))}
    return _collector_among(form, org, above)


def _collector_among(form: ReportForm, org: Organization, above: dict) -> Organization:
    """``collector_of`` given the organisations above ``org`` by path (missing ones skipped)."""
    for path in reversed(_above(form, org)):
        candidate = above.get(path)
        if candidate is not None and (
            candidate.pk == form.owner_id or is_reporter(form, candidate)
        ):
            return candidate
    return form.owner


def collects(user, report: Report) -> bool:
    """The ``approve`` rule of a report: the user belongs to the organisation that collects it
    (a superuser without an organisation approves anywhere)."""
    if user.is_superuser and user.organization is None:
        return True
    collector = collector_of(report.form, report.organization)
    return user.organization_id is not None and user.organization_id == collector.pk


def collected_by(user, reports) -> list[Report]:
    """``collects`` over many reports at once (with their form, its owner and organisation
    loaded): those the user collects, with one query for the organisations between the user's
    and theirs (a collector further up cannot be the user's organisation)."""
    reports = list(reports)
    if user.is_superuser and user.organization is None:
        return reports
    if user.organization is None or not reports:
        return []
    top = user.organization.path
    paths = {p for r in reports for p in _above(r.form, r.organization) if p.startswith(top)}
    above = {o.path: o for o in Organization.objects.filter(path__in=paths)} if paths else {}
    return [
        r
        for r in reports
        if _collector_among(r.form, r.organization, above).pk == user.organization_id
    ]


#: The rule over many rows, for lists that must not ask once a row (``home.todo``).
collects.many = collected_by


def reporting_children(form: ReportForm, org: Organization) -> list[Organization]:
    """The reporters whose reports ``org`` collects."""
    below = [o for o in reporters(form).filter(subtree_q("path", org.path)) if o.pk != org.pk]
    paths = {o.path for o in below}
    result = []
    for o in below:
        between = any(
            o.path.startswith(p) and p != o.path for p in paths
        )  # another reporter sits between org and o
        if not between:
            result.append(o)
    return result


def missing_children(report: Report) -> list[Organization]:
    """Reporting children whose report for the period is neither approved nor 未报."""
    children = reporting_children(report.form, report.organization)
    done = set(
        Report.objects.filter(
            form=report.form,
            period_start=report.period_start,
            organization__in=[c.pk for c in children],
            status__in=(ReportStatus.APPROVED, ReportStatus.NOT_REPORTED),
        ).values_list("organization_id", flat=True)
    )
    return [c for c in children if c.pk not in done]


def form_locked(form: ReportForm) -> bool:
    """Reports beyond a draft have been filed: sections, items and rules stay as they are."""
    return form.reports.exclude(status=ReportStatus.DRAFT).exists()
