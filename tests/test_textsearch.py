"""The token search of the list pages (core.textsearch, DESIGN-NOTES 9), on SQLite (FTS5) and
PostgreSQL (tsvector + GIN): it must find what ``icontains`` found for names, surnames, two-character
words, credit codes and order refs, fold synonyms for listings, and survive any query text."""

import pytest
from django.db import connection
from django.db.models import Q

from liantong.core import services as core
from liantong.core import textsearch
from liantong.core.textsearch import index_tokens, query_tokens
from liantong.matching.models import Listing
from liantong.matching.views import search_listings
from liantong.orgs.models import Enterprise, Member, PartyOrg
from liantong.services.models import ServiceRequest

NASTY = ['"', "'", "*", "**", "NEAR(a b)", "a NEAR b", "AND", "OR", "NOT", "(", ")", "()", "😀", "🚢🔋✨",
         "'; DROP TABLE orgs_member; --", 'a"b', "a'b", "王*", '"王"', "^", ":", "a:b", "-", "&|!", "\x00",
         "、。，！", "name:王", "{王 伟}", "*王*", "NEAR", "王 OR 李", "王 AND NOT 李"]


def ids(model, text):
    return set(textsearch.search(model.objects.all(), text).values_list("pk", flat=True))


def icontains(model, fields, text):
    cond = Q()
    for f in fields:
        cond |= Q(**{f"{f}__icontains": text})
    return set(model.objects.filter(cond).values_list("pk", flat=True))


def test_tokens():
    assert index_tokens("王小明") == ["王", "小", "明", "王小", "小明"]
    assert set(index_tokens("FW-2025-0001")) == {"fw", "2025", "0001", "fw20250001"}
    assert "pa66" in index_tokens("ＰＡ６６改性料")  # NFKC, lower case
    assert query_tokens("王") == [("王", False)]
    assert query_tokens("王小明") == [("王小", False), ("小明", False)]
    assert query_tokens("FW-2025") == [("fw", False), ("2025", True), ("fw2025", True)]
    for text in NASTY:  # only letters, digits and Han characters reach the database
        for tok, _ in query_tokens(text):
            assert tok.isalnum(), (text, tok)
    assert query_tokens("😀 、。") == []


def test_member_names_surnames_and_posts_as_before(personas):
    sample = list(Member.objects.exclude(post="").order_by("pk")[:40])
    assert sample
    for m in sample:
        for text in (m.name, m.name[0], m.name[:2], m.post[:2], m.post):
            before = icontains(Member, ["name", "post"], text)
            after = ids(Member, text)
            assert m.pk in after, text
            assert before <= after, text  # everything icontains found is still found
    one = sample[0]
    assert ids(Member, f"{one.name} {one.post}") >= {one.pk}  # words in any order, all required
    assert one.pk not in ids(Member, one.name + "xyzzy")


def test_enterprise_name_credit_code_contact(personas):
    firms = list(Enterprise.objects.order_by("pk")[:30])
    for f in firms:
        for text in (f.name, f.name[:2], f.credit_code, f.credit_code.lower(), f.credit_code[:8],
                     f.contact_name or f.name):
            assert f.pk in ids(Enterprise, text), text
            assert icontains(Enterprise, ["name", "credit_code", "contact_name"], text) <= ids(Enterprise, text), text


def test_order_ref_and_title(personas):
    orders = list(ServiceRequest.objects.exclude(ref=None).order_by("pk")[:20])
    assert orders
    for o in orders:
        for text in (o.ref, o.ref.lower(), o.ref.split("-")[0], o.title, o.title[:2]):
            assert o.pk in ids(ServiceRequest, text), text
            assert icontains(ServiceRequest, ["title", "ref"], text) <= ids(ServiceRequest, text), text


def test_party_org_name_and_secretary(personas):
    for org in PartyOrg.objects.exclude(secretary_name="").order_by("pk")[:20]:
        assert org.pk in ids(PartyOrg, org.secretary_name)
        assert org.pk in ids(PartyOrg, org.name)


def test_listing_synonyms_and_firm_names(personas):
    def found(text):
        return set(search_listings(Listing.objects.all(), text).values_list("title", flat=True))

    assert "聚己二酰己二胺注塑级树脂" in found("尼龙66")  # only the synonym is in its text
    assert "玻纤增强阻燃PA66改性料" in found("尼龙66")
    assert "改性用尼龙66注塑级基础树脂采购" in found("聚己二酰己二胺")
    one = Listing.objects.select_related("enterprise").order_by("pk").first()
    assert one.title in found(one.title)
    assert one.title in found(one.enterprise.name)  # the posting firm's name
    assert found("尼龙66 xyzzyq") == set()


def test_every_write_path_keeps_the_column(personas):
    m = Member.objects.order_by("pk").first()
    core.update(m, actor=personas["admin"], name="欧阳晓川")
    assert m.pk in ids(Member, "欧阳") and m.pk in ids(Member, "晓川")
    m.post = "质量工程师"
    m.save(update_fields=["post"])  # update_fields naming a source also writes search_text
    m.refresh_from_db()
    assert "工程" in m.search_text.split()
    assert m.pk in ids(Member, "工程师")
    assert textsearch.rebuild(Member) == 0  # the services left nothing to rebuild
    Member.objects.filter(pk=m.pk).update(search_text="")  # a write around the services …
    assert m.pk not in ids(Member, "欧阳")
    assert textsearch.rebuild(Member) == 1  # … is what reindex-search repairs
    assert m.pk in ids(Member, "欧阳")


@pytest.mark.parametrize("text", NASTY)
def test_any_query_text_is_safe_on_every_page(personas, client_for, text):
    c = client_for(personas["admin"])
    for url in ("/orgs/member/", "/orgs/enterprise/", "/orgs/partyorg/", "/services/orders/", "/matching/listing/"):
        assert c.get(url, {"q": text}).status_code == 200, (url, text)


def test_pages_search_through_the_index(personas, client_for):
    c = client_for(personas["admin"])
    m = Member.objects.exclude(post="").order_by("pk").first()
    link = f'href="/orgs/member/{m.pk}/"'
    assert link in c.get("/orgs/member/", {"q": m.name}).content.decode()
    f = Enterprise.objects.order_by("pk").first()
    assert f.name in c.get("/orgs/enterprise/", {"q": f.credit_code}).content.decode()
    o = ServiceRequest.objects.exclude(ref=None).order_by("pk").first()
    assert o.title in c.get("/services/orders/", {"q": o.ref}).content.decode()
    assert "聚己二酰己二胺注塑级树脂" in c.get("/matching/listing/", {"q": "尼龙66"}).content.decode()
    assert link not in c.get("/orgs/member/", {"q": m.name + "xyzzy"}).content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_plan_uses_the_gin_index(personas):
    qs = textsearch.search(Member.objects.all(), "王伟")
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        sql, params = qs.query.sql_with_params()
        cur.execute("EXPLAIN " + sql, params)
        plan = "\n".join(r[0] for r in cur.fetchall())
    assert "orgs_member_search_gin" in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_sqlite_fts_follows_deletes(personas):
    m = Member.objects.filter(attendances__isnull=True, transfers__isnull=True).order_by("pk").first()  # both PROTECT
    core.update(m, actor=personas["admin"], name="司马青云")
    assert ids(Member, "司马青云") == {m.pk}
    Member.objects.filter(pk=m.pk).delete()
    assert ids(Member, "司马青云") == set()
    with connection.cursor() as cur:
        cur.execute("INSERT INTO orgs_member_fts(orgs_member_fts) VALUES ('integrity-check')")


def test_the_tail_of_an_order_number_is_still_found_through_the_fallback(personas, client_for):
    """``0055`` is no token of ``FW202511100000055``: the index finds nothing, so the substring scan runs."""
    from liantong.services.models import ServiceRequest

    order = ServiceRequest.objects.filter(ref__startswith="FW").order_by("-id").first()
    assert order is not None
    tail = order.ref[-6:]
    html = client_for(personas["zone_staff"]).get(f"/services/orders/?q={tail}").content.decode()
    assert order.ref in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_search_indexes_keep_detailed_statistics(db):
    """Rare tokens must be estimated as rare, or ORDER BY id DESC LIMIT 20 walks the whole table."""
    with connection.cursor() as cur:
        for model in textsearch.searchable_models():
            cur.execute("SELECT attstattarget FROM pg_attribute WHERE attrelid = %s::regclass AND attnum = 1",
                        [f"{model._meta.db_table}_search_gin"])
            assert cur.fetchone()[0] == textsearch.PG_STATISTICS, model
