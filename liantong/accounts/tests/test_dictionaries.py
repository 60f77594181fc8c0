"""The dictionaries page: platform administrators edit items through an audited service; zone
administrators read them; ``{% dict_badge %}`` shows the edit at once."""

import pytest
from django.template import Context, Template

from liantong.core import dicts
from liantong.core.models import AuditLog, DictItem
from liantong.core.services import Forbidden


def _item():
    return DictItem.objects.select_related("dict_type").filter(dict_type__code="satisfaction", value="3").get()


def _badge(code, value):
    return Template("{% load liantong %}{% dict_badge code value %}").render(Context({"code": code, "value": value}))


def test_a_platform_admin_relabels_an_item_and_the_badge_follows(personas, client_for):
    item = _item()
    old = item.label
    resp = client_for(personas["admin"]).post(f"/system/dicts/items/{item.pk}/", {
        "label": "很满意", "colour": "primary", "sort": "7", "active": "on"})
    assert resp.status_code == 302
    item.refresh_from_db()
    assert (item.label, item.colour, item.sort, item.active) == ("很满意", "primary", 7, True)
    row = AuditLog.objects.filter(object_type="core.dictitem", object_id=str(item.pk)).latest("pk")
    assert row.actor == personas["admin"] and row.changes["label"] == [old, "很满意"]
    assert _badge("satisfaction", "3") == '<span class="badge text-bg-primary">很满意</span>'


def test_a_platform_admin_deactivates_an_item_and_forms_stop_offering_it(personas, client_for):
    item = _item()
    client_for(personas["admin"]).post(f"/system/dicts/items/{item.pk}/", {
        "label": item.label, "colour": item.colour, "sort": str(item.sort)})
    assert "3" not in [v for v, _ in dicts.choices("satisfaction")]
    assert _badge("satisfaction", "3")  # an existing row still shows its label


def test_a_zone_admin_reads_the_dictionaries_but_cannot_change_them(personas, client_for):
    item = _item()
    c = client_for(personas["zone_staff"])
    page = c.get("/system/dicts/")
    assert page.status_code == 200
    html = page.content.decode()
    assert item.label in html and "dicts/items/" not in html and "只有平台管理员可以修改" in html
    assert c.post(f"/system/dicts/items/{item.pk}/", {"label": "改了", "colour": "primary", "sort": "1"}).status_code == 404
    with pytest.raises(Forbidden):
        dicts.save_item(item, actor=personas["zone_staff"], label="改了", colour="primary", sort=1, active=True)
    item.refresh_from_db()
    assert item.label != "改了"


def test_the_dictionaries_are_not_there_for_a_firm(personas, client_for):
    assert client_for(personas["firm_a"]).get("/system/dicts/").status_code == 404


@pytest.mark.parametrize(("data", "message"), [
    ({"label": "", "colour": "primary", "sort": "1"}, "标签不能为空"),
    ({"label": "x", "colour": "purple", "sort": "1"}, "颜色须从列表中选择"),
    ({"label": "x", "colour": "primary", "sort": "abc"}, "排序须为整数"),
    ({"label": "x", "colour": "primary", "sort": "99999999999999999999"}, "排序须为 0 到 9999 之间的整数"),
])
def test_a_bad_edit_is_refused_in_chinese_and_changes_nothing(personas, client_for, data, message):
    item = _item()
    before = (item.label, item.colour, item.sort)
    resp = client_for(personas["admin"]).post(f"/system/dicts/items/{item.pk}/", data, follow=True)
    assert message in resp.content.decode()
    item.refresh_from_db()
    assert (item.label, item.colour, item.sort) == before


def test_a_platform_admin_adds_an_item_once(personas, client_for):
    dt = _item().dict_type
    c = client_for(personas["admin"])
    data = {"dict_type": dt.pk, "value": "4", "label": "非常满意", "colour": "success", "sort": "0", "active": "on"}
    c.post("/system/dicts/items/0/", data)
    assert dicts.label("satisfaction", "4") == "非常满意"
    resp = c.post("/system/dicts/items/0/", data, follow=True)
    assert "该字典已有键值“4”" in resp.content.decode()
    assert c.post("/system/dicts/items/0/", dict(data, dict_type="9" * 30)).status_code == 404
