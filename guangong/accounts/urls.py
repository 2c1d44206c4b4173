from django.urls import path

from guangong.core import resource_views

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.UserPasswordView.as_view(), name="password"),
    path("me/", views.ProfileView.as_view(), name="profile"),
    path("tokens/<int:pk>/revoke/", views.TokenRevokeView.as_view(), name="token_revoke"),
    # The account list, the new account form, an account's page and its password page
    # (``accounts.resources``).
    *resource_views.urls("accounts"),
]
