"""Factories for organisations and leadership positions.

``OrganizationFactory(parent=...)`` hangs the new node under ``parent`` through treebeard
(``objects.add_child``), or makes a root when no parent is given, so paths, depth and numchild are
always those the application would write.
"""

import factory

from guangong.orgs import rollup
from guangong.orgs.models import Kind, Organization, Position, PositionRole, PositionSource, Status


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    # Zero-padded so that no generated name is a substring of another.
    name = factory.Sequence(lambda n: f"测试单位{n:05d}号")
    kind = Kind.AGENCY
    status = Status.NONE
    parent = None

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        instance = model_class(**kwargs)
        if parent is None:
            node = model_class.objects.add_root(instance=instance)
        else:
            parent.refresh_from_db()
            node = model_class.objects.add_child(parent, instance=instance)
            parent.refresh_from_db()
        rollup.added(node)  # as create_organization does
        return node

    @classmethod
    def _build(cls, model_class, *args, parent=None, **kwargs):
        return model_class(**kwargs)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"委员{n:05d}号")
    role = PositionRole.MEMBER
    source = PositionSource.ELDER
