from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render

from . import services
from .forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def profile(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.change_password(request.user, form.cleaned_data["new_password1"], actor=request.user)
        update_session_auth_hash(request, user)
        messages.success(request, "密码已修改")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form, "title": "个人中心"})
