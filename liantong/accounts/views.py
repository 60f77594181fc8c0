"""Pages of accounts: login, one's profile and API tokens, and the zone administrators' users pages.

Every write goes through ``accounts.services``, which authorises it and writes the audit row. A user
outside the actor's reach answers 404 (``services.get_user_for``).
"""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from liantong.core.services import ServiceError
from liantong.core.views_generic import ObjectEditView, ObjectListView

from . import excel, services, tables
from .forms import LoginForm, ResetPasswordForm, TokenForm, UserForm
from .models import ApiToken, User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@login_required
def profile(request):
    form = PasswordChangeForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = services.change_password(request.user, form.cleaned_data["new_password1"], actor=request.user)
        update_session_auth_hash(request, user)
        messages.success(request, "密码已修改；您的 API 令牌已全部吊销")
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {
        "form": form, "title": "个人中心", "perms_tokens": request.user.has_perm_code(services.TOKENS_PERM)})


def _save(form, actor):
    """``form.save(actor=…)``; a service's refusal becomes the form's error (on its field when the form
    has it). Returns the saved object, or None."""
    try:
        return form.save(actor=actor)
    except ServiceError as exc:
        field = {"password": "password1"}.get(exc.field, exc.field)
        form.add_error(field if field in form.fields else None, exc.message)
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or "无权执行此操作")
    return None


# --- API tokens ---------------------------------------------------------------------------------

class TokenList(ObjectListView):
    """One's API tokens (a zone administrator also sees those of the zone's users), and a form to
    create one: its key is shown once."""

    model = ApiToken
    perm = services.TOKENS_PERM
    title = "API 令牌"
    columns = tables.TOKEN_COLUMNS
    search_fields = ["name", "user__username"]
    select_related = ["user"]
    template_name = "accounts/token_list.html"

    def base_queryset(self):
        return services.tokens_visible_to(self.request.user)

    def extra_context(self):
        return {"form": getattr(self, "form", None) or TokenForm(user=self.request.user),
                "new_key": getattr(self, "new_key", None)}

    def post(self, request):
        self.form = TokenForm(request.POST, user=request.user)
        if self.form.is_valid():
            saved = _save(self.form, request.user)
            if saved is not None:
                tok, self.new_key = saved
                messages.success(request, f"已生成令牌“{tok.name}”，有效至 {tok.expires_at:%Y-%m-%d}")
                self.form = TokenForm(user=request.user)
                return self.get(request)
        resp = self.get(request)
        resp.status_code = 400
        return resp


@login_required
@require_POST
def token_revoke(request, pk):
    tok = services.tokens_visible_to(request.user).filter(pk=pk).select_related("user").first()
    if tok is None:
        raise Http404("未找到该令牌，或您无权访问")
    try:
        services.revoke_token(tok, actor=request.user)
    except services.OutOfScope:
        raise Http404("未找到该令牌，或您无权访问") from None
    messages.success(request, f"令牌“{tok.name}”已吊销")
    if request.headers.get("HX-Request"):
        resp = HttpResponse(status=204)
        resp["HX-Refresh"] = "true"
        return resp
    return redirect("accounts:token_list")


# --- users (zone administrators) ----------------------------------------------------------------

class UserList(ObjectListView):
    model = User
    perm = services.USERS_PERM
    title = "用户管理"
    columns = tables.USER_COLUMNS
    filters = tables.USER_FILTERS
    search_fields = ["username", "display_name"]
    select_related = ["zone", "chain", "department", "enterprise", "institution"]
    ordering = "username"
    create_url = "accounts:user_create"
    excel_spec = excel.USERS

    def base_queryset(self):
        return services.manageable_users(self.request.user).prefetch_related("roles")


def _require_users_perm(request) -> None:
    if not request.user.has_perm_code(services.USERS_PERM):
        raise Http404("未找到该页面，或您无权访问")


@login_required
def user_detail(request, pk):
    _require_users_perm(request)
    target = services.get_user_for(request.user, pk)
    tokens = services.tokens_visible_to(request.user).filter(user=target)
    return render(request, "accounts/user_detail.html", {
        "object": target, "title": f"用户：{target.username}", "unit": tables.unit_name(target),
        "roles": target.roles.all(), "tokens": tokens, "is_self": target.pk == request.user.pk,
        "reset_form": ResetPasswordForm(instance=target, user=request.user)})


class UserEdit(ObjectEditView):
    """Create a user (no ``pk``) or edit one's name, phone, unit and roles (``UserForm`` → the services)."""

    model = User
    form_class = UserForm
    perm = services.USERS_PERM
    success_url_name = "accounts:user_detail"

    @classmethod
    def may_create(cls, user) -> bool:
        return cls._has_perms(user, cls.perm)

    @classmethod
    def may_edit(cls, user, obj) -> bool:
        return cls._has_perms(user, cls.perm) and services.can_manage(user, obj)

    def get_object(self, pk):
        if pk is None:
            return None
        return services.get_user_for(self.request.user, pk)

    def post(self, request, pk=None):
        try:
            return super().post(request, pk)
        except services.OutOfScope:
            raise Http404("未找到该用户，或您无权访问") from None


@login_required
def user_reset_password(request, pk):
    _require_users_perm(request)
    target = services.get_user_for(request.user, pk)
    form = ResetPasswordForm(request.POST if request.method == "POST" else None, instance=target,
                             user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid() and _save(form, request.user) is not None:
            messages.success(request, f"已重置 {target.username} 的密码；其 API 令牌已全部吊销")
            return redirect("accounts:user_detail", pk=target.pk)
        status = 400
    return render(request, "core/object_form.html",
                  {"form": form, "object": target, "title": f"重置密码：{target.username}"}, status=status)


@login_required
@require_POST
def user_set_active(request, pk):
    _require_users_perm(request)
    target = services.get_user_for(request.user, pk)
    active = request.POST.get("active") == "1"
    try:
        services.set_active(target, active, actor=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已{'启用' if active else '停用'} {target.username}")
    return redirect("accounts:user_detail", pk=target.pk)
