"""Bad input gets a clear Chinese error and nothing is written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liantong.core.models import Attachment
from liantong.core.services import ServiceError
from liantong.services import services
from liantong.services.models import ServiceRequest, TimelineEntry

from .helpers import user

pytestmark = pytest.mark.django_db


class FakeUpload:
    """Stands for an uploaded file of a given size without holding 50 MB in memory."""

    def __init__(self, name, size):
        self.name, self.size = name, size


def _counts():
    return ServiceRequest.objects.count(), TimelineEntry.objects.count(), Attachment.objects.count()


@pytest.mark.parametrize("kwargs, message", [
    ({"title": ""}, "诉求标题不能为空"),
    ({"title": "   "}, "诉求标题不能为空"),
    ({"category": "nonsense"}, "请选择有效的诉求类别"),
    ({"files": [FakeUpload("现场照片.jpg", 50 * 1024 * 1024)]}, "超过上限"),
    ({"files": [FakeUpload("setup.exe", 1000)]}, "不允许上传"),
    ({"urgency": "whenever"}, "请选择有效的紧急程度"),
])
def test_a_bad_order_is_refused_in_chinese_and_nothing_is_written(kwargs, message):
    before = _counts()
    args = {"title": "用地审批", "category": "land", **kwargs}
    with pytest.raises(ServiceError) as exc:
        services.place_order(actor=user("zj_firm"), **args)
    assert message in exc.value.message
    assert _counts() == before


def test_only_a_firm_user_can_place_an_order():
    with pytest.raises(ServiceError) as exc:
        services.place_order(actor=user("zj_zone"), title="代企业点单", category="land")
    assert "只有企业用户可以点单" in exc.value.message


def test_the_order_form_shows_the_attachment_error_and_saves_nothing(client_for):
    c = client_for(user("zj_firm"))
    before = _counts()
    bad = SimpleUploadedFile("virus.exe", b"MZ" + b"0" * 100)
    r = c.post("/services/orders/new/", {"category": "land", "title": "用地", "urgency": "normal",
                                         "attachments": [bad]})
    assert r.status_code == 400
    assert "不允许上传" in r.content.decode()
    assert _counts() == before


def test_the_order_form_refuses_an_empty_title(client_for):
    c = client_for(user("zj_firm"))
    before = _counts()
    r = c.post("/services/orders/new/", {"category": "land", "title": "", "urgency": "normal"})
    assert r.status_code == 400 and "诉求标题不能为空" in r.content.decode()
    assert _counts() == before


def test_the_order_form_stores_a_good_attachment(client_for, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    c = client_for(user("zj_firm"))
    good = SimpleUploadedFile("规划图.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    r = c.post("/services/orders/new/", {"category": "land", "title": "厂房用地规划", "urgency": "normal",
                                         "attachments": [good]})
    assert r.status_code == 302
    order = ServiceRequest.objects.order_by("-id").first()
    assert order.title == "厂房用地规划" and order.attachments.get().name == "规划图.pdf"


def test_the_api_answers_409_in_chinese_for_an_illegal_move(client_for):
    from .helpers import drive

    order = drive("submitted")
    r = client_for(user("zj_dept")).post(f"/api/v1/orders/{order.pk}/transitions", {"action": "accept"},
                                         content_type="application/json")
    assert r.status_code in (404, 409)
    r = client_for(user("zj_chain")).post(f"/api/v1/orders/{order.pk}/transitions", {"action": "accept"},
                                          content_type="application/json")
    assert r.status_code == 409 and "不能执行“接单”" in r.json()["detail"]
    r = client_for(user("zj_chain")).post(f"/api/v1/orders/{order.pk}/transitions", {"action": "dispatch"},
                                          content_type="application/json")
    assert r.status_code == 400 and "请选择主办部门" in r.json()["detail"]
