"""参加记录 from Excel on the shared import machinery: 10,000 rows with some unknown members are refused row by
row in Chinese and nothing is written; the corrected file imports; importing it again changes nothing."""

import datetime
import io

import pytest
from openpyxl import Workbook

from liantong.core.excel import import_workbook
from liantong.orgs.demo import People
from liantong.orgs.models import OrgKind, PartyOrg
from liantong.people import services
from liantong.people.excel import ATTENDANCE
from liantong.people.models import Activity, ActivityKind, Attendance

ROWS = 10_000


def workbook(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append([c.title for c in ATTENDANCE.columns])
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


@pytest.fixture
def rows(db):
    """10,000 (activity, member) pairs: every member of the ship chain at as many activities as it takes."""
    committee = PartyOrg.objects.get(kind=OrgKind.CHAIN_COMMITTEE, chain__name="高技术船舶海工装备")
    members = [(m.name, str(m.id_number)) for m in services.Member.objects.filter(
        party_org__path__startswith=committee.path).order_by("id")]
    out, k = [], 0
    while len(out) < ROWS:
        day = datetime.date(2026, 1, 1) + datetime.timedelta(days=k)
        act = services.save_activity(actor=None, zone=committee.zone, title=f"导入测试学习会{k + 1}",
                                     kind=ActivityKind.TRAINING, lead_org=committee, held_on=day)
        out += [(act.title, day, name, number, None) for name, number in members][: ROWS - len(out)]
        k += 1
    return out


def test_ten_thousand_attendees_with_unknown_members_import_nothing_then_the_corrected_file_imports_once(
        rows, personas):
    actor = personas["chain_staff"]
    strangers = People(seed=4242, region="321191")
    bad_rows = {17, 4_321, 9_998}  # 0-based positions in the data; the sheet's row number is one more + header
    broken = [(t, d, "陌生人", strangers.id_number(), c) if i in bad_rows else (t, d, n, num, c)
              for i, (t, d, n, num, c) in enumerate(rows)]
    activities = Activity.objects.filter(title__startswith="导入测试学习会")
    before = Attendance.objects.filter(activity__in=activities).count()

    result = import_workbook(ATTENDANCE, workbook(broken), actor=actor)
    assert not result.ok
    assert result.error_lines() == [f"第{i + 2}行 公民身份号码: 未找到该党员：不是组织单位的党员，或尚未登记"
                                    for i in sorted(bad_rows)]
    assert result.created == 0
    assert Attendance.objects.filter(activity__in=activities).count() == before == 0

    result = import_workbook(ATTENDANCE, workbook(rows), actor=actor)
    assert result.ok, result.error_lines()[:5]
    assert (result.rows, result.created) == (ROWS, ROWS)
    assert Attendance.objects.filter(activity__in=activities, checked_in_at__isnull=False).count() == ROWS
    assert sum(services.person_times(a) for a in activities) == ROWS

    again = import_workbook(ATTENDANCE, workbook(rows), actor=actor)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, ROWS)
    assert Attendance.objects.filter(activity__in=activities).count() == ROWS


def test_a_wrong_name_and_an_activity_the_importer_cannot_manage_are_reported_by_row(db, personas):
    committee = PartyOrg.objects.get(kind=OrgKind.CHAIN_COMMITTEE, chain__name="高技术船舶海工装备")
    act = services.save_activity(actor=None, zone=committee.zone, title="姓名核对", kind=ActivityKind.TRAINING,
                                 lead_org=committee, held_on=datetime.date(2026, 2, 2))
    member = services.Member.objects.filter(party_org__path__startswith=committee.path).order_by("id").first()
    data = [(act.title, act.held_on, "张冠李戴", str(member.id_number), None),
            ("没有这个活动", act.held_on, member.name, str(member.id_number), None)]
    result = import_workbook(ATTENDANCE, workbook(data), actor=personas["firm_b"])
    assert result.error_lines() == ["第2行 活动名称: 未找到该日期的活动，或您无权管理",
                                    "第3行 活动名称: 未找到该日期的活动，或您无权管理"]
    result = import_workbook(ATTENDANCE, workbook(data[:1]), actor=personas["chain_staff"])
    assert result.error_lines() == [f"第2行 姓名: 与登记的姓名（{member.name}）不一致"]
    assert not Attendance.objects.filter(activity=act).exists()


def test_the_import_page_reports_rows_in_chinese_with_a_400(db, personas, client_for):
    committee = PartyOrg.objects.get(kind=OrgKind.CHAIN_COMMITTEE, chain__name="高技术船舶海工装备")
    act = services.save_activity(actor=None, zone=committee.zone, title="页面导入", kind=ActivityKind.TRAINING,
                                 lead_org=committee, held_on=datetime.date(2026, 2, 3))
    stranger = People(seed=99, region="321191").id_number()
    upload = workbook([(act.title, act.held_on, "某人", stranger, None)])
    upload.name = "参加记录.xlsx"
    r = client_for(personas["chain_staff"]).post("/people/attendance/import/", {"file": upload})
    assert r.status_code == 400
    assert "第2行" in r.content.decode() and "未找到该党员" in r.content.decode()
