import datetime

import pytest

from liantong.core.excel import CellError, parse_date
from liantong.core.identifiers import (
    id_check_char,
    id_error,
    mask_id,
    mask_phone,
    uscc_check_char,
    uscc_error,
)


def test_a_real_credit_code_passes_and_a_changed_check_character_fails():
    # 91350100M000100Y43 is the GB 32100 standard's worked example
    assert uscc_error("91350100M000100Y43") is None
    assert uscc_error("91350100M000100Y44") == "统一社会信用代码校验位错误"
    assert uscc_check_char("91350100M000100Y4") == "3"


@pytest.mark.parametrize("code, message", [
    ("9135010", "统一社会信用代码应为18位"),
    ("91350100M000100YI3", "统一社会信用代码含非法字符“I”"),
])
def test_malformed_credit_codes_are_named(code, message):
    assert uscc_error(code) == message


def test_id_numbers_check_digit_and_birth_date():
    assert id_check_char("11010519491231002") == "X"  # GB 11643's example
    assert id_error("11010519491231002X") is None
    assert id_error("110105194912310021") == "公民身份号码校验位错误"
    assert id_error("110105194902300021") == "公民身份号码中的出生日期无效"
    assert id_error("1101051949123100") == "公民身份号码应为18位（末位可为X）"


def test_masks_keep_only_the_ends():
    assert mask_id("11010519491231002X") == "1" + "*" * 16 + "X"
    assert mask_id("short") == "****"
    assert mask_phone("13812345678") == "138****5678"


@pytest.mark.parametrize("raw, expected", [
    ("2020-01-31", datetime.date(2020, 1, 31)),
    ("2020/1/3", datetime.date(2020, 1, 3)),
    ("2020.01.03", datetime.date(2020, 1, 3)),
    ("2020年1月3日", datetime.date(2020, 1, 3)),
    ("２０２０－０１－０３", datetime.date(2020, 1, 3)),
    ("20200103", datetime.date(2020, 1, 3)),
    (43831, datetime.date(2020, 1, 1)),  # an Excel serial number
    (datetime.datetime(2020, 1, 3, 8, 0), datetime.date(2020, 1, 3)),
])
def test_the_usual_date_spellings_are_read(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["2020-02-30", "明天", "2020-13-01"])
def test_impossible_dates_are_refused(raw):
    with pytest.raises(CellError):
        parse_date(raw)


def test_an_admin_relabelled_dictionary_item_shows_in_forms_tables_and_excel(personas, client_for):
    import io

    from openpyxl import load_workbook

    from liantong.core import dicts
    from liantong.core.models import DictItem

    item = DictItem.objects.get(dict_type__code="member_status", value="probationary")
    c = client_for(personas["admin"])
    resp = c.post(f"/system/dicts/items/{item.pk}/", {"label": "预备期党员", "colour": "info", "sort": 1,
                                                     "active": "on"})
    assert resp.status_code == 302
    assert dicts.label("member_status", "probationary") == "预备期党员"
    zc = client_for(personas["zone_staff"])
    assert "预备期党员" in zc.get("/orgs/member/new/").content.decode()
    assert "预备期党员" in zc.get("/orgs/member/?status=probationary").content.decode()
    ws = load_workbook(io.BytesIO(zc.get("/orgs/member/?status=probationary&export=xlsx").content)).active
    assert {row[4] for row in ws.iter_rows(min_row=2, values_only=True)} == {"预备期党员"}
