"""Issue 7, fix first 7: one upload check for every file in every strand — the type is read from the content
and must match the extension, archives are looked into, and a refusal is a Chinese message naming the file
that writes nothing (no row, no file)."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from liantong.core.models import Attachment
from liantong.core.services import ServiceError
from liantong.resources import services as resource_services
from liantong.resources.models import ServiceVisit
from liantong.services import services as order_services


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + b"\0" * 64
JPEG = b"\xff\xd8\xff\xe0\0\x10JFIF\0" + b"\0" * 64
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
EXE = b"MZ\x90\0\3\0\0\0" + b"\0" * 120
ELF = b"\x7fELF\2\1\1" + b"\0" * 120

BAD = [
    ("报告.pdf", b"<html><body><script>alert(1)</script></body></html>", "不是 PDF"),
    ("资料.zip", _zip({"说明.txt": "安装说明".encode(), "setup.exe": EXE}), "可执行"),
    ("资料2.zip", _zip({"readme.txt": b"x", "tool.dat": EXE}), "可执行"),
    ("资料3.zip", _zip({"bin/run": ELF}), "可执行"),
    ("脚本.zip", _zip({"run.ps1": b"Write-Host hi"}), "脚本"),
    ("炸弹.zip", _zip({"big.txt": b"0" * (12 * 1024 * 1024)}), "解压后"),
    ("照片.png", "这不是图片，是文字".encode(), "不是 PNG"),
    ("照片.jpg", PNG, "不是 JPEG"),
    ("方案.docx", "纯文本冒充的文档".encode(), "不是 Word"),
    ("方案2.docx", _zip({"word/document.xml": b"<w/>"}), "不是 Word"),
    ("表格.xlsx", DOCX, "不是 Excel"),
    ("旧表.xls", PDF, "不是 Excel"),
    ("说明.txt", b"<!DOCTYPE html><html><script>alert(1)</script>", "网页或脚本"),
    ("说明2.txt", b"abc\0def", "不是纯文本"),
    ("说明3.txt", b"\xff\xfe\xfd\x80\x81 not text \x00", "不是纯文本"),
    ("病毒.exe", EXE, "不允许上传"),
    ("空.pdf", b"", "为空"),
]

GOOD = [
    ("合同.pdf", PDF, "application/pdf"),
    ("现场.png", PNG, "image/png"),
    ("现场.jpg", JPEG, "image/jpeg"),
    ("旧文档.doc", OLE2, "application/msword"),
    ("旧表.xls", OLE2, "application/vnd.ms-excel"),
    ("方案.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("表格.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("说明.txt", "会议纪要：一、…\n二、…".encode(), "text/plain; charset=utf-8"),
    ("说明GB.txt", "会议纪要：一、…".encode("gb18030"), "text/plain; charset=gb18030"),
    ("资料.zip", _zip({"纪要.pdf": PDF, "现场.png": PNG}), "application/zip"),
]


@pytest.fixture
def media(media, settings):  # tests/conftest.py's, with a smaller unpacked-zip limit
    settings.ATTACHMENT_ZIP_MAX_UNPACKED = 10 * 1024 * 1024
    return media


def _files(root):
    return [p for p in root.rglob("*") if p.is_file()]


@pytest.mark.parametrize(("name", "data", "words"), BAD, ids=[b[0] for b in BAD])
def test_an_order_refuses_a_file_whose_content_is_not_what_its_name_says(personas, order, media, name, data,
                                                                         words):
    before = Attachment.objects.count()
    with pytest.raises(ServiceError) as exc:
        order_services.add_attachments(order, [SimpleUploadedFile(name, data)], actor=personas["firm_a"])
    assert name in exc.value.message and words in exc.value.message, exc.value.message
    assert Attachment.objects.count() == before and _files(media) == []


@pytest.mark.parametrize(("name", "data", "words"), BAD, ids=[b[0] for b in BAD])
def test_a_visit_refuses_a_file_whose_content_is_not_what_its_name_says(personas, media, name, data, words):
    visit = ServiceVisit.objects.filter(zone__name="白银高新区").order_by("id").first()
    before = Attachment.objects.count()
    good = SimpleUploadedFile("先到的好文件.pdf", PDF)
    with pytest.raises(ServiceError) as exc:
        resource_services.attach_visit_photos(actor=personas["admin"], visit=visit,
                                              uploads=[good, SimpleUploadedFile(name, data)])
    assert name in exc.value.message and words in exc.value.message, exc.value.message
    assert Attachment.objects.count() == before and _files(media) == []


@pytest.mark.parametrize(("name", "data", "mime"), GOOD, ids=[g[0] for g in GOOD])
def test_a_file_whose_content_matches_its_name_is_stored_with_the_detected_type(personas, order, media, name, data,
                                                                                mime):
    [att] = order_services.add_attachments(order, [SimpleUploadedFile(name, data)], actor=personas["firm_a"])
    assert att.name == name and att.size == len(data) and att.mime == mime
    assert [p.read_bytes() for p in _files(media)] == [data]
