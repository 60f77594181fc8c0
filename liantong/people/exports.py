"""The catalogue as a Word document (python-docx) and the check-in QR code (segno, an SVG)."""

from __future__ import annotations

import io
from urllib.parse import quote

import segno
from django.http import HttpResponse
from django.utils import timezone

from liantong.core import audit, dicts

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def qr_svg(url: str) -> str:
    """An inline SVG of ``url`` (a phone's camera opens it)."""
    buf = io.BytesIO()
    segno.make(url, error="m").save(buf, kind="svg", scale=4, xmldecl=False, svgns=True,
                                    title="签到二维码", svgclass="qr")
    return buf.getvalue().decode()


def catalogue_docx(title: str, rows, user) -> bytes:
    """The talent catalogue, one table per chain, as the rows the list shows (its filters and search)."""
    from docx import Document

    doc = Document()
    doc.add_heading(title, level=1)
    doc.add_paragraph(f"导出时间：{timezone.localtime():%Y-%m-%d %H:%M}")
    by_chain: dict[str, list] = {}
    for n in rows.iterator(chunk_size=2000):
        by_chain.setdefault(n.chain.name if n.chain_id else "（未分链）", []).append(n)
    heads = ["岗位", "专业", "学历", "人数", "月薪（元）", "紧缺程度", "需求企业", "有效期至"]
    total = 0
    for chain, needs in by_chain.items():
        doc.add_heading(f"{chain}（{sum(n.headcount for n in needs)} 人）", level=2)
        table = doc.add_table(rows=1, cols=len(heads))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, heads, strict=True):
            cell.text = text
        for n in needs:
            salary = f"{n.salary_min or ''}–{n.salary_max or ''}" if (n.salary_min or n.salary_max) else ""
            values = [n.post, n.major, dicts.label("degree", n.degree), str(n.headcount), salary,
                      dicts.label("urgency", n.urgency), n.enterprise.name if n.enterprise_id else "",
                      f"{n.valid_until:%Y-%m-%d}" if n.valid_until else ""]
            for cell, text in zip(table.add_row().cells, values, strict=True):
                cell.text = text
            total += 1
    if not total:
        doc.add_paragraph("（无符合条件的需求）")
    audit.record(user, audit.AuditAction.EXPORT, None, object_type="people.talentneed",
                 object_repr=f"导出{title}（Word）", changes={"rows": total})
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def docx_response(data: bytes, title: str) -> HttpResponse:
    resp = HttpResponse(data, content_type=DOCX)
    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(title)}.docx"
    return resp
