"""``{% member_units_of activity as units %}``: the member units the user sees among an
activity's co-organisers (for the activity's page)."""

from django import template

from ..models import MemberUnit

register = template.Library()


@register.simple_tag(takes_context=True)
def member_units_of(context, activity):
    request = context.get("request")
    user = getattr(request, "user", None)
    return MemberUnit.objects.visible_to(user).filter(activities=activity).order_by("name")
