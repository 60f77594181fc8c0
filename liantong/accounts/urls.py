from django.contrib.auth import views as auth_views
from django.urls import path

from . import otp, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    path("otp/setup/", otp.setup, name="otp_setup"),
    path("otp/verify/", otp.verify, name="otp_verify"),
    path("otp/codes/", otp.regenerate_codes, name="otp_codes"),
    path("users/<int:pk>/otp-reset/", otp.admin_reset, name="user_otp_reset"),
    path("tokens/", views.TokenList.as_view(), name="token_list"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("users/", views.UserList.as_view(), name="user_list"),
    path("users/new/", views.UserEdit.as_view(), name="user_create"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", views.UserEdit.as_view(), name="user_edit"),
    path("users/<int:pk>/password/", views.user_reset_password, name="user_password"),
    path("users/<int:pk>/active/", views.user_set_active, name="user_active"),
]
