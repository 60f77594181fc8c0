"""Attachments, milestones and progress, department resources, squads and visits, citations."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import override_settings

from liantong.core.services import ServiceError
from liantong.resources import services
from liantong.resources.models import (
    ActionProject,
    DepartmentResource,
    OrderCitation,
    ServiceSquad,
    ServiceVisit,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def squad(db):
    return ServiceSquad.objects.get(name="锂电池产业链帮办服务小分队")


def _visit(personas, squad, **kw):
    ent = squad.visits.first().enterprise
    args = dict(actor=personas["by_zone"], squad=squad, enterprise=ent, kind="policy",
                visited_on=datetime.date(2025, 12, 30), hours=2, participants=5, result="宣讲政策")
    args.update(kw)
    return services.record_visit(**args)


def test_a_visit_with_a_photo_is_recorded_with_its_attachment(personas, squad, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    v = _visit(personas, squad, photos=[SimpleUploadedFile("现场.png", PNG, content_type="image/png")])
    photo = v.photos.get()
    assert photo.size == len(PNG) and photo.is_image


@pytest.mark.parametrize("name,content,message", [
    ("病毒.exe", b"MZ" + b"\0" * 10, "不允许上传"),
    ("假图片.jpg", b"not an image at all", "不是 JPEG 图片"),
    ("空.pdf", b"", "为空"),
])
def test_bad_attachments_are_refused_and_nothing_is_written(personas, squad, name, content, message):
    before = ServiceVisit.objects.count()
    with pytest.raises(ServiceError, match=message):
        _visit(personas, squad, visited_on=datetime.date(2025, 12, 29),
               photos=[SimpleUploadedFile(name, content)])
    assert ServiceVisit.objects.count() == before


@override_settings(ATTACHMENT_MAX_BYTES=1024)
def test_an_attachment_over_the_size_limit_is_refused(personas, squad):
    with pytest.raises(ServiceError, match="超过上限"):
        _visit(personas, squad, photos=[SimpleUploadedFile("大.pdf", b"%PDF" + b"0" * 2048)])


@pytest.mark.parametrize("kw,message", [
    ({"kind": "dance"}, "服务类型"),
    ({"hours": 30}, "0 到 24"),
    ({"visited_on": datetime.date.today() + datetime.timedelta(days=3)}, "不能晚于今天"),
])
def test_bad_visit_input_is_refused_in_chinese(personas, squad, kw, message):
    with pytest.raises(ServiceError, match=message):
        _visit(personas, squad, **kw)


def test_a_zone_can_record_visits_only_for_its_own_squads(personas, squad):
    with pytest.raises(ServiceError, match="本级小分队"):
        _visit(personas, squad, actor=personas["zone_staff"])  # 镇江's staff, 白银's squad


def test_project_progress_is_counted_from_its_milestones(personas):
    p = ActionProject.objects.get(title="“红帆领航·链通高新”先锋行动")
    ms = list(p.milestones.all())
    done = sum(1 for m in ms if m.done_on)
    assert p.flagship and p.progress == round(100 * done / len(ms))
    last = next(m for m in ms if not m.done_on)
    services.save_milestone(actor=personas["zone_staff"], project=p, milestone=last, title=last.title,
                            due_on=last.due_on, done_on=datetime.date(2025, 12, 20))
    assert ActionProject.objects.get(pk=p.pk).progress == 100


def test_a_department_edits_its_own_resources_only(personas):
    mine = DepartmentResource.objects.get(title="船舶海工产业项目用地指标")
    other = DepartmentResource.objects.get(title="链上企业技改项目贷款贴息")
    dept = personas["dept_staff"]
    services.save_department_resource(actor=dept, resource=mine, department=mine.department, title=mine.title,
                                      kind=mine.kind, quota_amount=150, quota_unit="亩")
    assert DepartmentResource.objects.get(pk=mine.pk).quota == "150亩"
    with pytest.raises(ServiceError, match="本部门"):
        services.save_department_resource(actor=dept, resource=other, department=other.department,
                                          title=other.title, kind=other.kind)
    with pytest.raises(ServiceError, match="有效期止"):
        services.save_department_resource(actor=dept, department=mine.department, title="倒挂", kind="other",
                                          valid_from=datetime.date(2025, 5, 1), valid_until=datetime.date(2025, 1, 1))


def test_a_citation_needs_exactly_one_resource_or_project(personas, zj):
    from liantong.services.models import DONE_STATES, ServiceRequest

    order = ServiceRequest.objects.filter(zone=zj, state__in=DONE_STATES).first()
    res = DepartmentResource.objects.filter(zone=zj).first()
    proj = ActionProject.objects.filter(zone=zj).first()
    with pytest.raises(ServiceError, match="只能一个"):
        services.cite(actor=personas["zone_staff"], order=order, resource=res, project=proj)
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderCitation.objects.create(zone=zj, order=order)
    c = services.cite(actor=personas["zone_staff"], order=order, project=proj, note="联席会协调")
    assert services.cite(actor=personas["zone_staff"], order=order, project=proj) == c  # once per order


def test_a_firm_cannot_cite_and_other_zones_cannot_see_the_order(personas, zj):
    from liantong.services.models import DONE_STATES, ServiceRequest

    order = ServiceRequest.objects.filter(zone=zj, state__in=DONE_STATES).first()
    res = DepartmentResource.objects.filter(zone=zj).first()
    with pytest.raises(ServiceError, match="无权"):
        services.cite(actor=personas["firm_b"], order=order, resource=res)
    with pytest.raises(ServiceError):
        services.cite(actor=personas["by_zone"], order=order, resource=res)
