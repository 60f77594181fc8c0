"""The choices of a form are the rows its user may pick, read when the page renders them and again when the
form validates — after the form was built. ``ScopedModelForm`` narrows each to the user's scope plus the
edited row's current value; a form whose role reaches wider (a zone's user administrator, a dispatcher)
narrows it to what that role needs and says why (``.unscoped(reason)``). Either way the read guard records
nothing, and a row outside the choices is refused."""

from liantong.accounts.forms import UserForm
from liantong.accounts.tables import USER_FILTERS
from liantong.core import guarantees
from liantong.core.models import Zone
from liantong.orgs.forms import CultivationForm
from liantong.orgs.models import Cultivation, Department, Enterprise, PartyOrg
from liantong.services.forms import DispatchForm
from liantong.services.models import ServiceRequest


def _choices(form, name) -> set[int]:
    with guarantees.watch_reads() as reads:
        pks = {c[0].value for c in form.fields[name].choices if c[0] != ""}
    assert reads == [], reads
    return pks


def test_an_edit_form_offers_the_rows_in_scope_and_the_current_value_and_refuses_another(personas):
    user = personas["firm_a"]
    mine = PartyOrg.objects.visible_to(user, for_write=True)
    others = PartyOrg.objects.exclude(pk__in=mine.values("pk")).order_by("pk")
    current, outside = others[0], others[1]
    row = Cultivation.objects.visible_to(user, for_write=True).order_by("pk").first()
    row.party_org = current  # as if someone above had moved it: its value stays the row's own
    form = CultivationForm(instance=row, user=user)
    assert _choices(form, "party_org") == set(mine.values_list("pk", flat=True)) | {current.pk}

    data = {"person_name": row.person_name, "party_org": outside.pk, "track": row.track, "post": row.post,
            "mentor_name": row.mentor_name, "started_on": row.started_on}
    with guarantees.watch_reads() as reads:
        refused = CultivationForm(data, instance=row, user=user)
        assert not refused.is_valid()
    assert "party_org" in refused.errors and reads == []


def test_a_zone_user_administrator_is_offered_the_units_of_the_zone_and_nothing_of_another(personas):
    user = personas["zone_staff"]
    form = UserForm(user=user)
    zone = user.zone_id
    assert _choices(form, "enterprise") == set(Enterprise.objects.filter(zone_id=zone).values_list("pk", flat=True))
    assert _choices(form, "party_org") == set(PartyOrg.objects.filter(zone_id=zone).values_list("pk", flat=True))
    elsewhere = Enterprise.objects.exclude(zone_id=zone).order_by("pk").first()
    bound = UserForm({"username": "zz_new", "display_name": "新用户", "unit_kind": "enterprise",
                      "enterprise": elsewhere.pk, "password1": "x", "password2": "x"}, user=user)
    with guarantees.watch_reads() as reads:
        assert not bound.is_valid()
    assert "enterprise" in bound.errors and reads == []


def test_the_dispatch_form_offers_every_department_of_the_orders_zone_and_no_other(personas):
    order = ServiceRequest.objects.order_by("pk").first()
    form = DispatchForm(zone_id=order.zone_id)
    zone_depts = set(Department.objects.filter(zone_id=order.zone_id).values_list("pk", flat=True))
    assert zone_depts and _choices(form, "lead") == zone_depts == _choices(form, "assists")
    elsewhere = Department.objects.exclude(zone_id=order.zone_id).order_by("pk").first()
    bound = DispatchForm({"lead": elsewhere.pk}, zone_id=order.zone_id)
    with guarantees.watch_reads() as reads:
        assert not bound.is_valid()
    assert "lead" in bound.errors and reads == []


def test_the_user_list_offers_a_platform_admin_every_zone_filter_and_a_zone_administrator_none(personas):
    zone_filter = next(f for f in USER_FILTERS if f.name == "zone")
    with guarantees.watch_reads() as reads:
        offered = {pk for pk, _ in zone_filter.options(personas["admin"])}
    assert offered == set(Zone.objects.values_list("pk", flat=True)) and reads == []
    assert zone_filter.options(personas["zone_staff"]) == []
