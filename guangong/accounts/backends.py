"""Sign-in by username and password (Django's model backend), loading a signed-in user's
organisation with the user: every request asks for the organisation's path (the data scope), so
it comes in the same query instead of a second one."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("organization")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
