"""Forms of accounts: login, API tokens, and the zone administrators' user forms.

The user forms offer only what their user may set: the zone only to platform administrators, units
and party organisations of the actor's zone, the roles the actor may grant. They save through
``accounts.services`` (``save(actor=…)``), whose refusals come back as Chinese form errors.
"""

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from liantong.core.forms import bootstrap
from liantong.core.models import Zone
from liantong.core.services import ServiceError

from . import services
from .models import ApiToken, Role, UnitKind, User


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。连续失败 5 次将锁定 15 分钟。",
        "inactive": "该账号已停用。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"
        for f in self.fields.values():
            f.widget.attrs["class"] = "form-control"


class TokenForm(forms.Form):
    name = forms.CharField(label="名称", max_length=60, help_text="用途，例如“数据同步脚本”")
    days = forms.IntegerField(label="有效天数", min_value=1, max_value=365, initial=ApiToken.DEFAULT_DAYS)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        bootstrap(self)

    def save(self, *, actor):
        return services.issue_token(self.user, actor=actor, name=self.cleaned_data["name"],
                                    days=self.cleaned_data["days"])


def _password_errors_on_password1(call):
    """Run a service call; a refusal of the password (``field="password"``) lands on ``password1``."""
    try:
        return call()
    except ServiceError as exc:
        if exc.field == "password":
            exc.field = "password1"
        raise


class PasswordField(forms.CharField):
    widget = forms.PasswordInput(render_value=False)


class UserForm(forms.Form):
    """Create a user (``instance`` None) or edit one: name, phone, unit, party organisation, roles."""

    username = forms.CharField(label="用户名", max_length=150)
    display_name = forms.CharField(label="姓名", max_length=50)
    phone = forms.RegexField(label="手机号码", regex=r"^1\d{10}$", required=False,
                             error_messages={"invalid": "请输入 11 位手机号码"})
    unit_kind = forms.ChoiceField(label="单位类型", choices=UnitKind.choices)
    zone = forms.ModelChoiceField(label="园区", queryset=Zone.objects.none(), required=False)
    chain = forms.ModelChoiceField(label="产业链", queryset=None, required=False)
    department = forms.ModelChoiceField(label="职能部门", queryset=None, required=False)
    enterprise = forms.ModelChoiceField(label="企业", queryset=None, required=False)
    institution = forms.ModelChoiceField(label="高校/院所", queryset=None, required=False)
    party_org = forms.ModelChoiceField(label="所在/分管党组织", queryset=None, required=False)
    roles = forms.ModelMultipleChoiceField(label="角色", queryset=Role.objects.none(),
                                           widget=forms.CheckboxSelectMultiple)
    password1 = PasswordField(label="初始密码")
    password2 = PasswordField(label="确认密码")

    def __init__(self, *args, instance: User | None = None, user=None, **kwargs):
        self.instance = instance
        self.user = user
        if instance is not None:
            kwargs.setdefault("initial", {
                "username": instance.username, "display_name": instance.display_name, "phone": instance.phone,
                "unit_kind": instance.unit_kind, "zone": instance.zone_id, "chain": instance.chain_id,
                "department": instance.department_id, "enterprise": instance.enterprise_id,
                "institution": instance.institution_id, "party_org": instance.party_org_id,
                "roles": [r.pk for r in instance.roles.all()]})
        super().__init__(*args, **kwargs)
        platform = services.is_platform(user)
        kinds = UnitKind.choices if platform else [c for c in UnitKind.choices if c[0] != UnitKind.PLATFORM]
        self.fields["unit_kind"].choices = kinds
        if platform:
            self.fields["zone"].queryset = Zone.objects.visible_to(user, for_write=True)
        else:
            del self.fields["zone"]
        for name in (*services.UNIT_FIELDS, "party_org"):
            model = User._meta.get_field(name).related_model
            if platform:
                qs = model.objects.visible_to(user)
            else:
                qs = model.objects.filter(zone_id=user.zone_id).unscoped(
                    "a zone's user administrator places a user in any unit and party org of the zone, whatever "
                    "the administrator's own data scope (the rule services._check_unit applies)")
            self.fields[name].queryset = qs.order_by("name")
        self.fields["roles"].queryset = Role.objects.filter(pk__in=[r.pk for r in services.grantable_roles(user)])
        if instance is not None:
            del self.fields["username"], self.fields["password1"], self.fields["password2"]
            if instance.pk == getattr(user, "pk", None) and not platform:
                # one's own unit is not for oneself to change
                for name in ("unit_kind", *services.UNIT_FIELDS):
                    del self.fields[name]
        bootstrap(self)

    def clean(self):
        data = super().clean()
        if "password1" in self.fields and data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        kind = data.get("unit_kind")
        needed = services.UNIT_FIELD.get(kind)
        if needed and needed in self.fields and not data.get(needed):
            self.add_error(needed, f"单位类型为“{UnitKind(kind).label}”时须选择{self.fields[needed].label}")
        if kind and kind != UnitKind.PLATFORM and "zone" in self.fields and not data.get("zone"):
            self.add_error("zone", "请选择园区")
        return data

    def save(self, *, actor) -> User:
        d = self.cleaned_data
        fields = {k: d[k] for k in ("display_name", "phone", "unit_kind", "zone", "party_org",
                                    *services.UNIT_FIELDS) if k in self.fields}
        if self.instance is None:
            return _password_errors_on_password1(lambda: services.create_user(
                actor=actor, username=d["username"], password=d["password1"], roles=list(d["roles"]), **fields))
        return services.update_user(self.instance, actor=actor, roles=list(d["roles"]), **fields)


class ResetPasswordForm(forms.Form):
    password1 = PasswordField(label="新密码")
    password2 = PasswordField(label="确认新密码")

    def __init__(self, *args, instance: User, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance, self.user = instance, user
        bootstrap(self)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致")
        return data

    def save(self, *, actor) -> User:
        return _password_errors_on_password1(
            lambda: services.reset_password(self.instance, self.cleaned_data["password1"], actor=actor))
