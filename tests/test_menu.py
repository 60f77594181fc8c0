"""The menu bar, written out by navigation.render_menu: each persona's page shows exactly its menu_for items, in
order, under their headings, the current one marked, every text escaped."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from liantong import navigation
from liantong.navigation import Group, Item, menu_for, render_menu

pytestmark = pytest.mark.django_db

LINK = re.compile(r'<a class="dropdown-item( active)?" href="([^"]+)"( aria-current="page")?>')


def _menu_html(html: str) -> str:
    return html[html.index('<ul class="navbar-nav me-auto">'):html.index('<ul class="navbar-nav">')]


@pytest.mark.parametrize("persona", ["admin", "zone_staff", "chain_staff", "dept_staff", "firm_a", "uni", "by_zone"])
def test_each_persona_s_menu_bar_holds_its_items_in_order_with_the_current_one_marked(persona, personas,
                                                                                      client_for):
    user = personas[persona]
    path = reverse("services:order_list")
    menu = menu_for(user, path)
    expected = [(it["url"], it["active"]) for g in menu for it in g["items"]]
    html = _menu_html(client_for(user).get(path).content.decode())
    shown = [(url, bool(active)) for active, url, _ in LINK.findall(html)]
    assert shown == expected
    assert [bool(a) for a, _, current in LINK.findall(html)] == [bool(c) for _, _, c in LINK.findall(html)]
    assert html.count('aria-current="page"') == sum(active for _, active in expected)
    headings = [it["heading"] for g in menu for it in g["items"] if it["heading"]]
    assert re.findall(r'<h2 class="dropdown-header">([^<]+)</h2>', html) == headings


def test_the_menu_escapes_what_it_writes_and_separates_its_sections():
    menu = [{"label": "<b>组</b>", "icon": 'x" onclick="y', "active": True, "items": [
        {"label": "甲&乙", "url": "/a/?q=1&p=2", "icon": "i", "active": True, "heading": "办理"},
        {"label": "丙", "url": "/b/", "icon": "i", "active": False, "heading": "统计"},
    ]}]
    html = render_menu(menu)
    assert "<b>" not in html and "&lt;b&gt;组&lt;/b&gt;" in html
    assert 'onclick="y' not in html and "甲&amp;乙" in html and 'href="/a/?q=1&amp;p=2"' in html
    assert html.count('<hr class="dropdown-divider">') == 1  # above the second heading, not the first
    assert html.count('aria-current="page"') == 1 and html.count('aria-current="true"') == 1


def test_an_item_whose_address_does_not_resolve_is_left_out(personas, monkeypatch):
    monkeypatch.setattr(navigation, "MENU", [Group("组", "x", [Item("有", "core:home"), Item("无", "no:such_page")])])
    items = [it["label"] for g in menu_for(personas["admin"]) for it in g["items"]]
    assert items == ["有"]
