"""Populations in the API (``/api/populations/``)."""

from rest_framework import serializers

from guangong.core.api import ScopedPrimaryKeyRelatedField
from guangong.orgs.models import Organization

from .models import Population


class PopulationSerializer(serializers.ModelSerializer):
    organization = ScopedPrimaryKeyRelatedField(queryset=Organization.objects.all())

    class Meta:
        model = Population
        fields = ["id", "organization", "year", "kind", "count", "source"]
