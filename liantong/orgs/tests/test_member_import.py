"""Member workbooks: messy input accepted, every problem named by row and column, all or nothing."""

import datetime
import io
import subprocess
import sys

import pytest
from openpyxl import Workbook

from liantong.core.excel import import_workbook, template_workbook
from liantong.core.identifiers import id_check_char
from liantong.core.models import AuditLog
from liantong.orgs.excel import MEMBER
from liantong.orgs.models import Member

HEADERS = ["姓名*", "性别*", "公民身份号码*", "所在党组织*", "人员类别*", "出生日期", "手机号码", "入党日期", "工作岗位",
           "是否技术骨干", "是否管理骨干"]
ORG = "镇江船厂设计所党支部"


def idn(first17: str) -> str:
    return first17 + id_check_char(first17)


GOOD_1 = idn("32119119880315123")  # male (odd 17th digit), born 1988-03-15
GOOD_2 = idn("32119119920704124")  # female
GOOD_3 = idn("32119119791111002")  # female


def workbook(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def bad_rows():
    bad_check = GOOD_1[:-1] + ("0" if GOOD_1[-1] != "0" else "1")
    return [
        ["测试甲", "男", bad_check, ORG, "正式党员", "", "13800000001", "2010-07-01", "工程师", "是", "否"],
        ["测试乙", "女", GOOD_2, "不存在的党支部", "预备党员", "", "", "2024-06-01", "", "", ""],
        ["测试丙", "女", GOOD_3, ORG, "正式党员", "", "", "2023-02-30", "", "否", "否"],
        ["测试丁", "女", GOOD_2, ORG, "预备党员", "", "", "", "", "", ""],
    ]


def good_rows():
    return [
        # messy but valid: full-width digits, stray spaces, an Excel date cell, 2010年7月1日 spelling
        ["测试甲 ", "男", " " + GOOD_1.translate(str.maketrans("0123456789", "０１２３４５６７８９")), ORG, "正式党员",
         datetime.datetime(1988, 3, 15), "138 0000 0001", "2010年7月1日", "工程师", "是", "否"],
        ["测试乙", "女", GOOD_2, ORG, "预备党员", "1992/07/04", "", "2024.6.1", "", "", ""],
        ["测试丙", "女", GOOD_3, ORG, "正式党员", "", "", "20030228", "", "否", "否"],
    ]


def test_a_bad_workbook_imports_nothing_and_names_each_row_and_column(personas):
    before = Member.objects.count()
    result = import_workbook(MEMBER, workbook(bad_rows()), actor=personas["firm_a"])
    lines = result.error_lines()
    assert not result.ok
    assert "第2行 公民身份号码: 公民身份号码校验位错误" in lines
    assert "第3行 所在党组织: 党组织“不存在的党支部”不存在或您无权管理" in lines
    assert "第4行 入党日期: 日期“2023-02-30”不存在" in lines
    assert "第5行 公民身份号码: 与第3行重复" in lines
    assert len(lines) == 4
    assert Member.objects.count() == before


def test_the_corrected_workbook_imports_and_importing_it_again_changes_nothing(personas):
    actor = personas["firm_a"]
    before = Member.objects.count()
    first = import_workbook(MEMBER, workbook(good_rows()), actor=actor)
    assert first.ok, first.error_lines()
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    assert Member.objects.count() == before + 3
    m = Member.objects.get(name="测试甲")
    assert m.gender == "male" and m.birth_date == datetime.date(1988, 3, 15)
    assert m.joined_on == datetime.date(2010, 7, 1) and m.is_tech_backbone
    assert m.id_masked == GOOD_1[:1] + "*" * 16 + GOOD_1[-1:] and m.phone_masked == "138****0001"
    assert GOOD_1 not in str(Member.objects.filter(pk=m.pk).values().first())  # never stored in clear
    audits = AuditLog.objects.count()
    again = import_workbook(MEMBER, workbook(good_rows()), actor=actor)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Member.objects.count() == before + 3
    assert AuditLog.objects.count() == audits + 1  # only the import itself is audited: no row changed


def test_a_member_of_another_firm_cannot_be_imported_over(personas):
    rows = good_rows()[:1]
    assert import_workbook(MEMBER, workbook(rows), actor=personas["firm_a"]).ok
    rows[0][3] = "镇江海帆船舶配件党支部"
    result = import_workbook(MEMBER, workbook(rows), actor=personas["firm_b"])
    assert result.error_lines() == ["第2行 公民身份号码: 该身份证号码不能在此新增，请发起组织关系转接"]


def test_gender_and_birth_date_must_agree_with_the_id_number(personas):
    rows = good_rows()[:1]
    rows[0][1] = "女"
    rows[0][5] = "1990-01-01"
    result = import_workbook(MEMBER, workbook(rows), actor=personas["firm_a"])
    assert set(result.error_lines()) == {"第2行 性别: 与公民身份号码不符", "第2行 出生日期: 与公民身份号码不符"}


def test_a_file_that_is_not_excel_or_lacks_a_required_column_is_refused(personas):
    result = import_workbook(MEMBER, io.BytesIO(b"not a workbook"), actor=personas["firm_a"])
    assert result.error_lines() == ["第1行 文件: 无法读取：请上传 .xlsx 格式的 Excel 文件"]
    wb = Workbook()
    wb.active.append(["姓名", "性别"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    lines = import_workbook(MEMBER, buf, actor=personas["firm_a"]).error_lines()
    assert "第1行 表头: 缺少必填列“公民身份号码”" in lines


def test_the_template_has_the_headers_in_order(db):
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(template_workbook(MEMBER))).active
    assert [c.value for c in ws[1]] == HEADERS


def test_the_import_page_shows_the_problems_as_a_table(personas, client_for):
    upload = workbook(bad_rows())
    upload.name = "members.xlsx"
    resp = client_for(personas["firm_a"]).post("/orgs/import/", {"kind": "members", "file": upload})
    body = resp.content.decode()
    assert resp.status_code == 200
    assert "未导入任何数据" in body and "公民身份号码校验位错误" in body and "第2行" in body


def test_the_cli_prints_each_problem_and_exits_1(personas, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook(bad_rows()).getvalue())
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_data", "members", str(path), "--user", "zj_firm", stdout=out)
    assert exit_info.value.code == 1
    assert "第2行 公民身份号码: 公民身份号码校验位错误" in out.getvalue()
    assert "未导入任何数据" in out.getvalue()


def test_the_console_script_maps_import_to_the_management_command():
    proc = subprocess.run([sys.executable, "-m", "liantong.cli", "import", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0 and "--dry-run" in proc.stdout


def test_a_large_workbook_writes_each_member_as_the_service_would_with_one_audit_row_each(personas):
    """The bulk path (``services.prepare_members`` / ``import_members``): the stored forms — keyed hash, masks,
    ciphertext, search tokens — equal those ``save_member`` writes for the same person, and every new member has
    its own audit row; a mix of new and registered numbers updates the registered ones."""
    from liantong.core import pii
    from liantong.orgs import services
    from liantong.orgs.gen import id_number

    actor = personas["firm_a"]
    numbers = [id_number(9_000_000 + i, "321191") for i in range(300)]
    rows = [[f"批量{i}", "男" if int(n[16]) % 2 else "女", n, ORG, "正式党员", "", f"139{i:08d}", "", "焊工", "", ""]
            for i, n in enumerate(numbers)]
    before, audits = Member.objects.count(), AuditLog.objects.filter(action="create", object_type="orgs.member")
    audits_before = audits.count()
    result = import_workbook(MEMBER, workbook(rows), actor=actor)
    assert result.ok and result.created == len(rows), result.error_lines()
    assert Member.objects.count() == before + len(rows)
    made = {m.id_hash: m for m in Member.objects.filter(name__startswith="批量")}
    assert set(made) == {pii.keyed_hash(n) for n in numbers}
    assert audits.count() == audits_before + len(rows)
    assert set(audits.values_list("object_id", flat=True)) >= {str(m.pk) for m in made.values()}
    one = made[pii.keyed_hash(numbers[7])]
    reference, _ = services.save_member(actor=actor, party_org=one.party_org, name="参照", id_number=GOOD_3,
                                        status="full", phone="13900000007", post="焊工")
    assert str(one.id_number) == numbers[7] and str(one.phone) == "13900000007"
    assert one.phone_masked == reference.phone_masked and len(one.id_masked) == len(reference.id_masked)
    assert one.search_text == one.build_search_text() and one.zone_id == one.party_org.zone_id
    # the audit chain verifies over the prepared rows, and the text index has the new members (on SQLite
    # filled in one statement, the insert trigger back in place afterwards)
    from django.db import connection

    from liantong.core import audit_chain, textsearch

    assert audit_chain.verify().ok
    assert set(Member.objects.filter(textsearch.match(Member, "批量7")).values_list("pk", flat=True)) >= {one.pk}
    if connection.vendor == "sqlite":
        with connection.cursor() as c:
            c.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'orgs_member_fts_ai'")
            assert c.fetchone()[0] == 1
    # again, with one new row: the 300 are unchanged, the new one created
    rows.append(["批量新", "女", GOOD_2, ORG, "预备党员", "", "", "", "", "", ""])
    again = import_workbook(MEMBER, workbook(rows), actor=actor)
    assert again.ok and (again.created, again.updated, again.unchanged) == (1, 0, 300)


def test_the_fast_field_check_never_passes_what_clean_fields_refuses(db):
    """``core.services.field_check`` vouches for a row only when ``clean_fields`` passes it (the import runs the
    real one on every row it cannot vouch for); expected outcomes come from Django itself."""
    from django.core.exceptions import ValidationError

    from liantong.core.services import field_check

    exclude = ["id", "party_org", "zone", "id_hash"]
    check = field_check(Member, exclude)
    good = dict(id=None, zone_id=1, party_org_id=1, name="王伟", gender="male", id_hash="h", id_encrypted="e",
                id_masked="1****X", birth_date=datetime.date(1990, 1, 1), phone_encrypted="", phone_masked="",
                status="full", joined_on=None, post="", is_tech_backbone=False, is_mgmt_backbone=True, is_demo=False,
                created_at=None, updated_at=None, search_text="")
    variants = [{}, {"name": ""}, {"name": "王" * 51}, {"name": "a\x00b"}, {"gender": "other"}, {"status": ""},
                {"birth_date": "1990-01-01"}, {"birth_date": datetime.datetime(1990, 1, 1)}, {"post": "岗" * 61},
                {"is_tech_backbone": None}, {"is_tech_backbone": 1}, {"id_masked": "x" * 19}, {"name": None}]
    for change in variants:
        values = dict(good, **change)
        try:
            Member(**values).clean_fields(exclude=exclude)
            passes = True
        except ValidationError:
            passes = False
        assert not check(values) or passes, change
    assert check(good)
