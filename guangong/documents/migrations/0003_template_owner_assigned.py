"""Templates belong to an organisation and serve only its subtree.

Until now an uploaded template served every organisation. Each existing template becomes owned
by the organisation of the administrator who uploaded it: an administrator's replacement keeps
serving their own subtree, and stops reaching organisations outside it (a county's template no
longer changes the city's or a sibling county's documents). A template whose uploader is gone
(or had no organisation, such as a superuser) goes to the root of the tree, whose subtree it
served anyway. With no organisation at all no document could have been generated from a
template, and such rows are removed. Of several active templates of one kind that now share an
owner, the newest stays active.
"""

from django.db import migrations


def assign_owners(apps, schema_editor):
    Template = apps.get_model("documents", "DocumentTemplate")
    Organization = apps.get_model("orgs", "Organization")
    root = Organization.objects.filter(depth=1).order_by("path").first()
    for template in Template.objects.select_related("uploaded_by").order_by("created_at", "pk"):
        owner_id = getattr(template.uploaded_by, "organization_id", None) or (
            root.pk if root is not None else None
        )
        if owner_id is None:
            template.delete()
            continue
        template.owner_id = owner_id
        template.save(update_fields=["owner"])
    seen = set()
    for template in Template.objects.filter(active=True).order_by("-created_at", "-pk"):
        key = (template.owner_id, template.kind)
        if key in seen:
            template.active = False
            template.save(update_fields=["active"])
        seen.add(key)


class Migration(migrations.Migration):
    """Data only: PostgreSQL does not alter a table with pending constraint checks in the
    same transaction, so the schema changes around it are migrations of their own."""

    dependencies = [
        ("documents", "0002_template_owner"),
    ]

    operations = [
        migrations.RunPython(assign_owners, migrations.RunPython.noop),
    ]
