from django.contrib.auth import get_user_model
from django.urls import path

from guangong.core import resource_views
from guangong.core.resources import resource_for

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.UserPasswordView.as_view(), name="password"),
    path("me/", views.ProfileView.as_view(), name="profile"),
    path("tokens/<int:pk>/revoke/", views.TokenRevokeView.as_view(), name="token_revoke"),
    path(
        "users/<int:pk>/",
        views.UserFormView.as_view(resource=resource_for(get_user_model())),
        name="user_edit",
    ),
    path("users/<int:pk>/password/", views.UserPasswordView.as_view(), name="user_password"),
    # The account list and the new account form (``accounts.resources``).
    *resource_views.urls("accounts"),
]
