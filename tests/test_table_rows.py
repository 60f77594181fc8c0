"""A list's rows are written out by ``{% table_rows %}`` (core/templatetags/liantong.py); on real list pages of
every strand they are, character for character, what the template loop they replace gives."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse

pytestmark = pytest.mark.django_db

# the loop core/_table.html held before, rendered by Django's template engine: the reference
_LOOP = Template(
    "{% for obj, cells in rows %}\n"
    "    <tr>{% for cell, col in cells %}<td data-label=\"{{ col.title }}\">"
    "{{ cell }}{% if forloop.first and obj.is_demo %} <span class=\"badge badge-demo\" title=\"虚构的演示数据\">演示</span>"
    "{% endif %}</td>{% endfor %}</tr>\n  {% endfor %}")
TAG = Template("{% load liantong %}{% table_rows rows columns %}")


def loop(context) -> str:
    """The reference: the template loop, each cell beside its column."""
    rows = [(obj, list(zip(cells, context["columns"]))) for obj, cells in context["rows"]]
    return _LOOP.render(Context({"rows": rows}))
LISTS = ["orgs:member_list", "orgs:enterprise_list", "services:order_list", "resources:visit_list",
         "matching:listing_list", "innovation:challenge_list", "people:activity_list", "insights:project_list"]


@pytest.mark.parametrize("persona", ["zone_staff", "firm_a"])
def test_the_rows_of_every_strand_s_list_are_written_as_the_template_loop_wrote_them(persona, personas, client_for):
    client = client_for(personas[persona])
    compared, lists = 0, 0
    for name in LISTS:
        response = client.get(reverse(name))
        if response.status_code == 404:  # a list this persona may not open (the zone's investment projects)
            continue
        rows, columns = response.context["rows"], response.context["columns"]
        context = {"rows": rows, "columns": columns}
        assert TAG.render(Context(context)) == loop(context), name
        compared, lists = compared + len(rows), lists + 1
    assert lists >= 6 and compared >= 6 * 5


def test_a_demo_row_is_badged_once_and_every_cell_escaped():
    class Row:
        is_demo = True

    class Column:
        def __init__(self, title):
            self.title = title

    context = {"rows": [(Row(), ["<b>甲</b>", 1234567, None]), (object(), ["乙", 2.5, ""])],
               "columns": [Column("名称"), Column('"数"'), Column("空")]}
    html = TAG.render(Context(context))
    assert html == loop(context)
    assert html.count("badge-demo") == 1 and "&lt;b&gt;甲&lt;/b&gt;" in html and 'data-label="&quot;数&quot;"' in html
