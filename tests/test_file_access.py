"""Issue 7, fix first 2: uploaded files are served only through a view that checks login and the scope of the
record they belong to (404 otherwise), stored under random names, as downloads unless they are images — and
they can be downloaded with DEBUG off.

The file's address is read from the owning record's detail page, as a user's browser would find it."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from liantong.core.files import Attachment, attach, attachment_owners
from liantong.innovation.models import Challenge
from liantong.people.models import Activity
from liantong.resources import services as resource_services
from liantong.resources.models import ServiceVisit
from liantong.services import services as order_services

PDF = "%PDF-1.4\n% 合同正文\n".encode() + b"1 0 obj << >> endobj\n" * 20 + b"%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + b"\0" * 64


@pytest.fixture
def visit(personas):
    """A help visit of a 白银 squad (the demo's visits are all in 白银): 白银's zone committee sees it; 镇江's
    committee, 镇江's firms and nobody do not."""
    return ServiceVisit.objects.filter(zone__name="白银高新区").order_by("id").first()


def _link(client, page: str, name: str) -> str:
    html = client.get(page).content.decode()
    found = re.search(r'href="([^"]+)"[^>]*>(?:\s*<i[^>]*></i>)?\s*' + re.escape(name), html)
    assert found, f"no link to {name} on {page}"
    return found.group(1)


def _attach_to_order(order, personas, name="供货合同（草案）.pdf", data=PDF):
    order_services.add_attachments(order, [SimpleUploadedFile(name, data)], actor=personas["admin"])
    return _order_link(order, personas, name)


def _order_link(order, personas, name):
    c = Client()
    c.force_login(personas["admin"])
    return _link(c, reverse("services:order_detail", args=[order.pk]), name)


def _get(user, url):
    c = Client()
    if user is not None:
        c.force_login(user)
    r = c.get(url)
    body = b"".join(r.streaming_content) if getattr(r, "streaming", False) else r.content
    return r, body


def test_an_order_attachment_reaches_its_firm_and_zone_but_nobody_else(personas, order, media):
    assert order.enterprise_id != personas["firm_b"].enterprise_id
    url = _attach_to_order(order, personas)
    for key in ("firm_a", "zone_staff", "admin"):
        r, body = _get(personas[key], url)
        assert r.status_code == 200 and body == PDF, key
    for key in ("firm_b", "by_zone", "nobody"):
        r, body = _get(personas[key], url)
        assert r.status_code == 404 and PDF not in body, key
    r, body = _get(None, url)
    assert r.status_code == 404 and PDF not in body


def test_a_visit_photo_reaches_its_zone_but_not_another_zone_a_firm_or_an_anonymous_user(personas, visit, media):
    resource_services.attach_visit_photos(actor=personas["admin"], visit=visit,
                                          uploads=[SimpleUploadedFile("现场.png", PNG)])
    c = Client()
    c.force_login(personas["admin"])
    html = c.get(reverse("resources:visit_detail", args=[visit.pk])).content.decode()
    url = re.search(r'<img src="([^"]+)"[^>]*alt="现场.png"', html).group(1)
    for key in ("by_zone", "admin"):
        r, body = _get(personas[key], url)
        assert r.status_code == 200 and body == PNG, key
    for key in ("zone_staff", "chain_staff", "firm_a", "nobody"):
        r, body = _get(personas[key], url)
        assert r.status_code == 404 and PNG not in body, key
    r, body = _get(None, url)
    assert r.status_code == 404 and PNG not in body


def test_the_stored_name_is_random_not_the_uploaded_name(personas, order, media):
    _attach_to_order(order, personas, name="合同.pdf")
    stored = [p for p in media.rglob("*") if p.is_file()]
    assert len(stored) == 1
    assert "合同" not in str(stored[0].relative_to(media))
    assert "orders" not in str(stored[0].relative_to(media))


def test_a_document_is_a_download_with_its_chinese_name_and_an_image_is_inline(personas, order, media):
    url = _attach_to_order(order, personas, name="供货合同.pdf")
    r, _ = _get(personas["firm_a"], url)
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E4%BE%9B%E8%B4%A7%E5%90%88%E5%90%8C.pdf" in r["Content-Disposition"]
    img = _attach_to_order(order, personas, name="图纸.png", data=PNG)
    r, _ = _get(personas["firm_a"], img)
    assert r["Content-Type"] == "image/png"
    assert r["Content-Disposition"].startswith("inline")
    assert r["X-Content-Type-Options"] == "nosniff"


@override_settings(DEBUG=False)
def test_with_debug_off_an_entitled_user_still_downloads(personas, order, media):
    url = _attach_to_order(order, personas)
    r, body = _get(personas["firm_a"], url)
    assert r.status_code == 200 and body == PDF


def test_the_public_media_route_is_gone(personas, order, media):
    _attach_to_order(order, personas, name="合同.pdf")
    stored = next(p for p in media.rglob("*") if p.is_file())
    with override_settings(DEBUG=True):
        r, body = _get(personas["firm_a"], "/media/" + stored.relative_to(media).as_posix())
    assert r.status_code == 404 and PDF not in body


# --- generated: every persona × every model that takes files through core.Attachments -----------------------

# The owner's detail page (the record a file belongs to) and how the test makes one. A model that declares
# ``Attachments()`` without a line here fails ``test_every_owner_model_is_covered``.
OWNERS = {
    "services.servicerequest": ("services:order_detail",
                                lambda p: order_services.place_order(
                                    actor=p["firm_a"], title="附件矩阵工单", category="land",
                                    chain=order_services.chain_choices_for(p["firm_a"].enterprise)[0])),
    "resources.servicevisit": ("resources:visit_detail",
                               lambda p: ServiceVisit.objects.filter(zone__name="白银高新区").order_by("id").first()),
    # a challenge on 镇江's public board: every user of 镇江 opens it, 白银's committee and nobody do not
    "innovation.challenge": ("innovation:challenge_detail",
                             lambda p: Challenge.objects.get(title="大型邮轮电磁矫平技术攻关")),
    # an activity of 白银 (the roadshow): 镇江's personas get 404, 白银's committee the file
    "people.activity": ("people:activity_detail",
                        lambda p: Activity.objects.filter(zone__name="白银高新区").order_by("id").first()),
}


def test_every_owner_model_is_covered():
    assert sorted(m._meta.label_lower for m in attachment_owners()) == sorted(OWNERS)


@pytest.mark.parametrize("label", sorted(OWNERS))
def test_a_file_opens_for_exactly_those_who_can_open_its_record(personas, media, label):
    """Expected from the owner's own detail page: whoever the page answers 200 gets the bytes, everyone else
    (anonymous included) 404 and not the bytes."""
    page_name, make = OWNERS[label]
    owner = make(personas)
    [att] = attach(owner, [SimpleUploadedFile("说明材料.pdf", PDF)], actor=personas["admin"])
    page = reverse(page_name, args=[owner.pk])
    seen = {}
    for key in [*personas, "anonymous"]:  # every persona of conftest.py, and nobody logged in
        user = personas.get(key)
        expected = user is not None and _get(user, page)[0].status_code == 200
        r, body = _get(user, att.url)
        seen[key] = r.status_code
        if user is not None:  # the queryset the API and lists use agrees with the download
            assert Attachment.objects.visible_to(user).filter(pk=att.pk).exists() == expected, (label, key)
        if expected:
            assert r.status_code == 200 and body == PDF, (label, key)
            assert r["Content-Disposition"].startswith("attachment;")
        else:
            assert r.status_code == 404 and PDF not in body, (label, key)
    assert 200 in seen.values() and 404 in seen.values(), seen


# --- API and production hand-off ----------------------------------------------------------------------------


def test_the_api_uploads_through_the_same_check_and_downloads_through_the_same_scope(personas, order, media):
    firm = Client()
    firm.force_login(personas["firm_a"])
    url = f"/api/v1/orders/{order.pk}/attachments"
    before = Attachment.objects.count()
    r = firm.post(url, {"files": [SimpleUploadedFile("伪装.pdf", b"<html><script>x</script></html>")]})
    assert r.status_code == 400 and "伪装.pdf" in r.json()["detail"]
    assert Attachment.objects.count() == before and not [p for p in media.rglob("*") if p.is_file()]
    other = Client()
    other.force_login(personas["firm_b"])
    assert other.post(url, {"files": [SimpleUploadedFile("a.pdf", PDF)]}).status_code == 404
    r = firm.post(url, {"files": [SimpleUploadedFile("合同.pdf", PDF)]})
    assert r.status_code == 201, r.content
    [out] = r.json()
    assert out["name"] == "合同.pdf" and out["mime"] == "application/pdf"
    assert [a["uuid"] for a in firm.get(url).json()] == [out["uuid"]]
    assert other.get(url).status_code == 404
    api_url = f"/api/v1/files/{out['uuid']}"
    r = firm.get(api_url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert other.get(api_url).status_code == 404
    assert Client().get(api_url).status_code == 401
    assert _get(personas["firm_a"], out["url"])[1] == PDF


def test_behind_nginx_or_apache_the_front_server_sends_the_bytes(personas, order, media, settings):
    [att] = order_services.add_attachments(order, [SimpleUploadedFile("合同.pdf", PDF)], actor=personas["admin"])
    settings.FILES_SERVE = "nginx"
    settings.FILES_ACCEL_PREFIX = "/protected-files/"
    r, body = _get(personas["firm_a"], att.url)
    assert r.status_code == 200 and body == b""
    assert r["X-Accel-Redirect"] == "/protected-files/" + att.file.name
    assert r["Content-Type"] == "application/pdf" and r["Content-Disposition"].startswith("attachment;")
    assert _get(personas["firm_b"], att.url)[0].status_code == 404
    settings.FILES_SERVE = "apache"
    r, body = _get(personas["firm_a"], att.url)
    assert r["X-Sendfile"] == str(media / att.file.name) and body == b""
