"""Every list exports what it shows (issue 7, mechanism 2): for each persona and each list page it may open,
``?export=xlsx`` under a filter holds exactly as many rows as the page counts under that filter.

The lists come from the URL configuration (every ``ObjectListView``), the filter values from the choices
the page itself offers the persona; a filter is picked that leaves some rows when one does — a few rows
rather than thousands where a filter offers that (exporting and reading back 白银's 5,333 members costs
more than the rest of a persona's lists together, and proves no more than 20 members do).
"""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from liantong.core.tests.test_list_params import LIST_VIEWS, _filters

PERSONAS = ["admin", "zone_staff", "chain_staff", "dept_staff", "firm_a", "uni", "by_zone"]


def _count(resp) -> int | None:
    paginator = resp.context["page"].paginator
    return None if paginator.capped else paginator.count


FEW = 100  # rows enough to compare an export with its page


def _filtered(client, url, cls, user):
    """(params, count): the first filter value the page offers that leaves at most ``FEW`` rows, else the
    one that leaves the fewest rows, else no filter."""
    best = None
    for f in _filters(cls):
        try:
            options = f.options(user)
        except Exception:  # noqa: BLE001 — a choices function that needs more than the user: not offered
            continue
        for value, _label in options[:4]:
            resp = client.get(url, {f.name: value})
            count = _count(resp) if resp.status_code == 200 else None
            if count and count <= FEW:
                return {f.name: value}, count
            if count and (best is None or count < best[1]):
                best = {f.name: value}, count
    if best:
        return best
    resp = client.get(url)
    return {}, _count(resp)


def _rows(content: bytes) -> int:
    ws = load_workbook(io.BytesIO(content), read_only=True).active
    return sum(1 for row in ws.iter_rows(min_row=2, values_only=True) if any(v not in (None, "") for v in row))


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_list_exports_as_many_rows_as_it_counts(personas, client_for, persona):
    user = personas[persona]
    client = client_for(user)
    checked, with_rows = [], []
    for name, cls in LIST_VIEWS:
        url = reverse(name)
        if client.get(url).status_code != 200:
            continue
        params, count = _filtered(client, url, cls, user)
        if count is None:  # over the cap: the page no longer knows the exact figure
            continue
        resp = client.get(url, {**params, "export": "xlsx"})
        assert resp.status_code == 200, (name, params, resp.status_code)
        assert resp["Content-Type"].startswith("application/vnd.openxmlformats"), name
        assert _rows(resp.content) == count, (name, params, count)
        checked.append(name)
        if count:
            with_rows.append(name)
    assert checked, f"{persona} opened no list"
    if persona in ("admin", "zone_staff"):
        # the comparison is not empty against empty: most lists had rows under their filter
        assert len(with_rows) >= len(checked) // 2, (checked, with_rows)


def test_a_list_without_an_import_spec_exports_its_columns(personas, client_for):
    """The 9 lists with no Excel import still export: their columns' titles, then the rows as shown."""
    from liantong.orgs.models import Chain

    client = client_for(personas["zone_staff"])
    resp = client.get(reverse("orgs:chain_list"), {"export": "xlsx"})
    ws = load_workbook(io.BytesIO(resp.content), read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:2] == ("产业链", "园区")
    names = {r[0] for r in rows[1:]}
    zone = personas["zone_staff"].zone
    assert names == set(Chain.objects.filter(zone=zone).values_list("name", flat=True))


FORMULA = '=HYPERLINK("http://evil.example/","点此")'


def _plant_formulas(model) -> int:
    """Write a formula into every free-text field of every row (SQL, as a user's typing would end up) and
    return how many text fields got it."""
    from django.db import models

    constrained = {name for group in model._meta.unique_together for name in group}
    constrained |= {name for c in model._meta.constraints for name in getattr(c, "fields", ())}
    fields = [f.name for f in model._meta.concrete_fields
              if isinstance(f, models.CharField | models.TextField) and not f.choices and not f.unique
              and f.name not in constrained and (f.max_length or 10**6) >= len(FORMULA)
              and not f.name.endswith(("_hash", "_encrypted", "_masked", "search_text", "password", "key", "digest"))]
    if fields:
        model._base_manager.update(**{name: FORMULA for name in fields})
    return len(fields)


def _formula_cells(content: bytes) -> tuple[int, int]:
    """(formula cells, cells holding the planted text as text)."""
    ws = load_workbook(io.BytesIO(content)).active
    formulas = texts = 0
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                formulas += 1
            elif cell.value == FORMULA:
                texts += 1
    return formulas, texts


def test_no_export_holds_a_formula_a_user_typed(personas, client_for):
    """Every list's export (the import spec's columns or the page's), for the admin who sees every row,
    after every free-text field of every listed model was set to ``=HYPERLINK(...)``: the text comes out as
    text, never as a live formula."""
    client = client_for(personas["admin"])
    planted = {}
    for _name, cls in LIST_VIEWS:
        model = cls.listing.model if cls.listing is not None else cls.model
        if model not in planted:
            planted[model] = _plant_formulas(model)
    checked = with_text = 0
    for name, _cls in LIST_VIEWS:
        resp = client.get(reverse(name), {"export": "xlsx"})
        if resp.status_code != 200:
            continue
        formulas, texts = _formula_cells(resp.content)
        assert formulas == 0, name
        checked += 1
        with_text += bool(texts)
    assert checked >= 26
    assert with_text >= checked // 2, (checked, with_text)  # the planted text did reach most exports


def test_the_cli_export_writes_a_formula_as_text(db, tmp_path):
    from django.core.management import call_command

    from liantong.orgs.models import Enterprise

    Enterprise.objects.filter(pk=Enterprise.objects.order_by("pk").first().pk).update(name=FORMULA)
    out = tmp_path / "firms.xlsx"
    call_command("export_data", "enterprises", str(out))
    formulas, texts = _formula_cells(out.read_bytes())
    assert (formulas, texts) == (0, 1)
