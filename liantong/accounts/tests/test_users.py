"""The users pages of a zone's administrators: scoped to the zone, no escalation, every write audited.

Personas: ``zone_staff`` (zj_zone) and ``by_zone`` hold ``zone_admin`` beside ``zone_staff`` (镇江's and
白银's administrators); ``firm_a`` is a firm's contact (no users pages); ``admin`` is a superuser.
"""

import io

import pytest
from openpyxl import load_workbook

from liantong.accounts import services
from liantong.accounts.models import Role, UnitKind, User
from liantong.core.models import AuditLog

PASSWORD = "Start-2026!x"


@pytest.fixture
def roles(db):
    return {r.code: r for r in Role.objects.all()}


def _new_firm_user(personas, roles, username="zj_new_firm"):
    firm = personas["firm_a"]
    return services.create_user(actor=None, username=username, password=PASSWORD, unit_kind=UnitKind.ENTERPRISE,
                                roles=[roles["enterprise"]], zone=firm.zone, enterprise=firm.enterprise,
                                display_name="新联络员")


def _zone_users(zone):
    """The users a zone admin manages, counted here from the test data's own terms."""
    return User.objects.filter(zone=zone, is_staff=False, is_superuser=False).exclude(roles__code="platform_admin")


def test_a_zone_admin_lists_exactly_the_users_of_their_zone(personas, client_for):
    zone = personas["zone_staff"].zone
    resp = client_for(personas["zone_staff"]).get("/accounts/users/?page=1")
    assert resp.status_code == 200
    expected = _zone_users(zone).count()
    assert resp.context["page"].paginator.count == expected > 5
    names = {obj.username for obj, _ in resp.context["rows"]}
    assert "by_zone" not in names and "admin" not in names
    assert all(obj.zone_id == zone.pk for obj, _ in resp.context["rows"])


def test_another_zones_user_is_not_there_for_a_zone_admin(personas, client_for):
    c = client_for(personas["zone_staff"])
    other = personas["by_zone"]
    for url in (f"/accounts/users/{other.pk}/", f"/accounts/users/{other.pk}/edit/",
                f"/accounts/users/{other.pk}/password/"):
        assert c.get(url).status_code == 404
    assert c.post(f"/accounts/users/{other.pk}/active/", {"active": "0"}).status_code == 404
    assert c.post(f"/accounts/users/{other.pk}/password/",
                  {"password1": PASSWORD, "password2": PASSWORD}).status_code == 404
    other.refresh_from_db()
    assert other.is_active and not other.check_password(PASSWORD)
    with pytest.raises(services.OutOfScope):
        services.reset_password(other, PASSWORD, actor=personas["zone_staff"])


def test_a_superuser_is_not_managed_by_a_zone_admin_even_in_the_zone(personas, client_for):
    admin = personas["admin"]
    admin.zone = personas["zone_staff"].zone
    admin.save()
    assert client_for(personas["zone_staff"]).get(f"/accounts/users/{admin.pk}/").status_code == 404
    with pytest.raises(services.OutOfScope):
        services.set_active(admin, False, actor=personas["zone_staff"])


def test_users_pages_are_not_there_for_a_firm(personas, client_for):
    c = client_for(personas["firm_a"])
    assert c.get("/accounts/users/").status_code == 404
    assert c.get(f"/accounts/users/{personas['firm_b'].pk}/").status_code == 404
    assert c.get("/accounts/users/new/").status_code == 404


def test_a_zone_admin_creates_a_firm_user_who_can_log_in_and_it_is_audited(personas, client_for, client):
    admin = personas["zone_staff"]
    firm = personas["firm_a"].enterprise
    enterprise_role = Role.objects.get(code="enterprise")
    resp = client_for(admin).post("/accounts/users/new/", {
        "username": "zj_created", "display_name": "新建联络员", "phone": "13800001111",
        "unit_kind": UnitKind.ENTERPRISE, "enterprise": firm.pk, "roles": [enterprise_role.pk],
        "password1": PASSWORD, "password2": PASSWORD})
    assert resp.status_code == 302, resp.context["form"].errors
    user = User.objects.get(username="zj_created")
    assert user.zone_id == admin.zone_id and user.enterprise_id == firm.pk
    assert [r.code for r in user.roles.all()] == ["enterprise"]
    row = AuditLog.objects.get(object_type="accounts.user", object_id=str(user.pk), action="create")
    assert row.actor == admin and row.changes["new"]["roles"] == [enterprise_role.name]
    assert "password" not in row.changes["new"]
    assert client.post("/accounts/login/", {"username": "zj_created", "password": PASSWORD}).status_code == 302


def test_the_create_form_shows_its_errors_in_chinese(personas, client_for):
    resp = client_for(personas["zone_staff"]).post("/accounts/users/new/", {
        "username": "", "display_name": "x", "unit_kind": UnitKind.ENTERPRISE, "roles": [],
        "password1": "weak", "password2": "other"})
    assert resp.status_code == 400
    errors = resp.context["form"].errors
    assert errors["username"] == ["这个字段是必填项。"]
    assert errors["roles"] == ["这个字段是必填项。"]
    assert errors["password2"] == ["两次输入的密码不一致"]
    assert "企业" in errors["enterprise"][0]
    assert "两次输入的密码不一致" in resp.content.decode()


def test_a_weak_password_is_refused_by_the_service_in_chinese(personas, client_for, roles):
    resp = client_for(personas["zone_staff"]).post("/accounts/users/new/", {
        "username": "zj_weak", "display_name": "弱密码", "unit_kind": UnitKind.ENTERPRISE,
        "enterprise": personas["firm_a"].enterprise_id, "roles": [roles["enterprise"].pk],
        "password1": "alllowercase1", "password2": "alllowercase1"})
    assert resp.status_code == 400
    assert "至少" in resp.context["form"].errors["password1"][0]
    assert not User.objects.filter(username="zj_weak").exists()


def test_a_zone_admin_cannot_grant_platform_admin_nor_a_firm_of_another_zone(personas, client_for, roles):
    c = client_for(personas["zone_staff"])
    far_firm = personas["by_zone"].zone.enterprise_set.first()
    resp = c.post("/accounts/users/new/", {
        "username": "zj_sneaky", "display_name": "越权", "unit_kind": UnitKind.ENTERPRISE,
        "enterprise": far_firm.pk, "roles": [roles["platform_admin"].pk, roles["enterprise"].pk],
        "password1": PASSWORD, "password2": PASSWORD})
    assert resp.status_code == 400
    errors = resp.context["form"].errors
    assert "选择一个有效的选项" in errors["enterprise"][0]
    assert "不是可用的选项" in errors["roles"][0] or "有效" in errors["roles"][0]
    assert not User.objects.filter(username="zj_sneaky").exists()
    with pytest.raises(services.Forbidden):
        services.create_user(actor=personas["zone_staff"], username="zj_sneaky", password=PASSWORD,
                             unit_kind=UnitKind.ZONE, roles=[roles["platform_admin"]])
    with pytest.raises(services.Forbidden):
        services.create_user(actor=personas["zone_staff"], username="zj_sneaky", password=PASSWORD,
                             unit_kind=UnitKind.PLATFORM, roles=[roles["zone_staff"]])
    assert not User.objects.filter(username="zj_sneaky").exists()


def test_a_role_with_admin_powers_the_actor_lacks_is_not_grantable(personas, roles):
    power = Role.objects.create(code="dict_editor", name="字典编辑", data_scope="level", permissions=["core.dicts"])
    wide = Role.objects.create(code="zone_wide", name="全部数据", data_scope="all", permissions=["orgs.view_party"])
    actor = personas["zone_staff"]
    assert not services.can_grant(actor, power) and not services.can_grant(actor, wide)
    assert services.can_grant(actor, roles["enterprise"]) and services.can_grant(actor, roles["zone_staff"])
    target = _new_firm_user(personas, roles)
    with pytest.raises(services.Forbidden) as exc:
        services.update_user(target, actor=actor, roles=[roles["enterprise"], power])
    assert "字典编辑" in exc.value.message
    assert set(target.roles.all()) == {roles["enterprise"]}
    assert not services.can_grant(personas["firm_a"], roles["zone_staff"])  # no accounts.users, smaller scope


def test_a_zone_admin_cannot_edit_themselves_into_more(personas, client_for, roles):
    me = personas["zone_staff"]
    before = set(me.roles.all())
    with pytest.raises(services.Forbidden):
        services.update_user(me, actor=me, roles=[*before, roles["enterprise"]])
    with pytest.raises(services.Forbidden):
        services.set_active(me, False, actor=me)
    resp = client_for(me).post(f"/accounts/users/{me.pk}/edit/", {
        "display_name": "我", "roles": [r.pk for r in before] + [roles["enterprise"].pk]})
    assert resp.status_code == 400
    assert "不能为自己增加角色" in resp.content.decode()
    assert "unit_kind" not in resp.context["form"].fields
    me.refresh_from_db()
    assert set(me.roles.all()) == before


def test_a_role_change_is_audited_old_to_new(personas, client_for, roles):
    target = _new_firm_user(personas, roles)
    admin = personas["zone_staff"]
    resp = client_for(admin).post(f"/accounts/users/{target.pk}/edit/", {
        "display_name": "改名了", "unit_kind": UnitKind.ENTERPRISE, "enterprise": target.enterprise_id,
        "roles": [roles["enterprise"].pk, roles["institution"].pk]})
    assert resp.status_code == 302, resp.context["form"].errors
    row = AuditLog.objects.filter(object_type="accounts.user", object_id=str(target.pk), action="update").latest("pk")
    assert row.actor == admin
    assert row.changes["roles"] == [[roles["enterprise"].name], sorted([roles["enterprise"].name,
                                                                        roles["institution"].name])]
    assert row.changes["display_name"] == ["新联络员", "改名了"]
    assert "角色：" in row.changes_text and "→" in row.changes_text


def test_deactivating_stops_the_login_and_reactivating_restores_it(personas, client_for, client, roles):
    target = _new_firm_user(personas, roles)
    admin = client_for(personas["zone_staff"])
    assert admin.post(f"/accounts/users/{target.pk}/active/", {"active": "0"}).status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    assert client.post("/accounts/login/", {"username": target.username, "password": PASSWORD}).status_code == 200
    assert admin.post(f"/accounts/users/{target.pk}/active/", {"active": "1"}).status_code == 302
    rows = AuditLog.objects.filter(object_type="accounts.user", object_id=str(target.pk), action="update")
    assert [r.changes["is_active"] for r in rows.order_by("pk")] == [[True, False], [False, True]]
    assert client.post("/accounts/login/", {"username": target.username, "password": PASSWORD}).status_code == 302


def test_a_password_reset_is_audited_without_the_password(personas, client_for, roles):
    target = _new_firm_user(personas, roles)
    new = "Other-2026!pw"
    resp = client_for(personas["zone_staff"]).post(f"/accounts/users/{target.pk}/password/",
                                                   {"password1": new, "password2": new})
    assert resp.status_code == 302
    target.refresh_from_db()
    assert target.check_password(new)
    row = AuditLog.objects.filter(object_type="accounts.user", object_id=str(target.pk), action="update").latest("pk")
    assert new not in str(row.changes) and "password" in row.changes


@pytest.mark.parametrize("query", ["", "unit_kind=enterprise", "active=true", "q=zj_f"])
def test_the_export_has_the_rows_of_the_list(personas, client_for, query):
    c = client_for(personas["zone_staff"])
    listed = c.get(f"/accounts/users/?{query}").context["page"].paginator.count
    resp = c.get(f"/accounts/users/?{query}&export=xlsx")
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.content)).active
    assert ws.max_row - 1 == listed > 0
    usernames = {row[0] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert "by_zone" not in usernames
    assert AuditLog.objects.filter(action="export", actor=personas["zone_staff"]).exists()


def test_the_filters_narrow_the_list_by_role_unit_kind_and_state(personas, client_for, roles):
    target = _new_firm_user(personas, roles)
    services.set_active(target, False, actor=None)
    zone = personas["zone_staff"].zone
    c = client_for(personas["zone_staff"])

    def count(q):
        return c.get(f"/accounts/users/?{q}").context["page"].paginator.count

    assert count(f"role={roles['dept_staff'].pk}") == _zone_users(zone).filter(roles=roles["dept_staff"]).count() > 0
    assert count("unit_kind=department") == _zone_users(zone).filter(unit_kind="department").count()
    assert count("active=false") == _zone_users(zone).filter(is_active=False).count() >= 1
    assert count("q=zj_new_firm") == 1
    assert c.get("/accounts/users/?role=notanumber").status_code == 400


def test_the_menu_shows_system_pages_only_to_those_who_may_open_them(personas, client_for):
    zone_page = client_for(personas["zone_staff"]).get("/").content.decode()
    assert "用户管理" in zone_page and "数据字典" in zone_page and "API 令牌" in zone_page
    firm_page = client_for(personas["firm_a"]).get("/").content.decode()
    assert "用户管理" not in firm_page and "数据字典" not in firm_page and "API 令牌" in firm_page


def test_the_service_refuses_a_plain_caller(personas, roles):
    target = _new_firm_user(personas, roles)
    with pytest.raises(services.OutOfScope):
        services.update_user(target, actor=personas["firm_a"], display_name="x")
    with pytest.raises(services.Forbidden):
        services.create_user(actor=personas["firm_a"], username="x1", password=PASSWORD,
                             unit_kind=UnitKind.ENTERPRISE, roles=[roles["enterprise"]])


@pytest.mark.parametrize("path", ["/accounts/users/new/", "/accounts/users/{pk}/password/"])
def test_an_empty_post_shows_required_errors_in_chinese(personas, client_for, roles, path):
    target = _new_firm_user(personas, roles)
    resp = client_for(personas["zone_staff"]).post(path.format(pk=target.pk), {})
    assert resp.status_code == 400
    assert resp.context["form"].errors and "这个字段是必填项。" in resp.content.decode()
