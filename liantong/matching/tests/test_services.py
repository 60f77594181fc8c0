"""Rules of the supply–demand services: who may post what, what is never matched, the index following
changes without a rebuild, contacts and deals, revenue growth and the zone figures."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from liantong.core.models import AuditLog, Zone
from liantong.core.services import ServiceError
from liantong.core.stats import zone_stats
from liantong.matching import index, services
from liantong.matching.models import ContactStatus, IndexState, Listing, ListingStatus
from liantong.matching.workflow import CONTACT
from liantong.orgs.models import Chain, Enterprise

pytestmark = pytest.mark.django_db

SHIP_CHAIN = "高技术船舶海工装备"


def _ship_chain():
    return Chain.objects.get(zone__short_name="镇江", name=SHIP_CHAIN)


def _post(actor, firm, title, kind="supply", **kw):
    return services.save_listing(actor=actor, enterprise=firm, chain=_ship_chain(), kind=kind, title=title, **kw)


def _ids(listing, **kw):
    return [r.listing.pk for r in index.match_listing(listing, **kw)]


def test_only_the_chain_master_may_open_a_scenario(personas):
    helper = personas["firm_b"].enterprise
    with pytest.raises(ServiceError, match="链主企业"):
        _post(personas["firm_b"], helper, "开放舾装配套场景", kind="scenario")
    ship = personas["firm_a"].enterprise
    scenario = _post(personas["firm_a"], ship, "开放涂装配套场景", kind="scenario", description="压载舱涂料")
    assert scenario.kind == "scenario" and scenario.tokens.strip()


def test_a_firm_user_cannot_post_for_another_firm(personas):
    with pytest.raises(ServiceError, match="无权代表"):
        _post(personas["firm_b"], personas["firm_a"].enterprise, "AH36船板")


def test_an_expired_listing_is_never_matched(personas, demo_listing):
    demand = demo_listing("ZJ-D-01")
    stale = _post(personas["firm_b"], personas["firm_b"].enterprise, "AH36/DH36高强度船板（36kg级）库存",
                  keywords=["船板", "AH36"], valid_until=timezone.localdate() - datetime.timedelta(days=1))
    fresh = _post(personas["firm_b"], personas["firm_b"].enterprise, "DH36高强度船板（36kg级）期货",
                  keywords=["船板", "DH36"])
    ids = _ids(demand, limit=20)
    assert fresh.pk in ids
    assert stale.pk not in ids


def test_own_and_closed_listings_are_never_matched(personas, demo_listing):
    demand = demo_listing("ZJ-D-01")  # posted by 镇江船厂
    own = _post(personas["firm_a"], personas["firm_a"].enterprise, "AH36高强度船板余料转让", keywords=["船板"])
    ids = _ids(demand, limit=30)
    assert own.pk not in ids
    assert all(Listing.objects.get(pk=i).enterprise_id != demand.enterprise_id for i in ids)
    supplier = demo_listing("ZJ-S-01")
    assert supplier.pk in ids
    services.close_listing(supplier, actor=personas["zone_staff"])
    assert supplier.pk not in _ids(demand, limit=30)


def test_the_index_follows_create_update_and_close_without_a_rebuild(personas, demo_listing,
                                                                     django_capture_on_commit_callbacks):
    demand = demo_listing("ZJ-D-02")  # 药芯焊丝
    engine = index.get_engine()
    with django_capture_on_commit_callbacks(execute=True):
        new = _post(personas["firm_b"], personas["firm_b"].enterprise, "船舶涂装用高压无气喷涂设备")
    assert new.pk not in _ids(demand, limit=3)
    with django_capture_on_commit_callbacks(execute=True):
        services.save_listing(actor=personas["firm_b"], listing=new, enterprise=new.enterprise, chain=new.chain,
                              kind="supply", title="E71T-1C船用药芯焊丝", keywords=["药芯焊丝", "E71T-1C"])
    assert new.pk in _ids(demand, limit=3)
    with django_capture_on_commit_callbacks(execute=True):
        services.close_listing(Listing.objects.get(pk=new.pk), actor=personas["firm_b"])
    assert new.pk not in _ids(demand, limit=30)
    assert index.get_engine() is engine  # same engine object all along: no rebuild


def test_another_process_notices_a_change_through_the_version_number(personas, demo_listing,
                                                                   django_capture_on_commit_callbacks):
    demand = demo_listing("ZJ-D-02")
    engine = index.get_engine()
    version = IndexState.objects.get(pk=1).version
    # the write happens "elsewhere": its after-commit hook does not run in this process
    with django_capture_on_commit_callbacks(execute=False):
        new = _post(personas["firm_b"], personas["firm_b"].enterprise, "E71T-1C药芯焊丝（CCS认证）",
                    keywords=["药芯焊丝", "E71T-1C"])
    assert IndexState.objects.get(pk=1).version == version + 1
    assert new.pk in _ids(demand, limit=3)
    assert index.get_engine() is engine


def test_text_is_checked_and_stored_safely(personas):
    firm = personas["firm_b"].enterprise
    with pytest.raises(ServiceError, match="不能超过 5000 个字"):
        _post(personas["firm_b"], firm, "船板", description="船" * (1024 * 1024))
    with pytest.raises(ServiceError, match="请填写标题"):
        _post(personas["firm_b"], firm, "   ")
    odd = _post(personas["firm_b"], firm, "<b>船板</b>'; DROP TABLE matching_listing;-- 😀 Schiffsstahl 鋼板\x00",
                description="混合 scripts：русский, العربية, 😀")
    odd.refresh_from_db()
    assert "\x00" not in odd.title and "DROP TABLE" in odd.title and "😀" in odd.title
    assert Listing.objects.filter(pk=odd.pk).exists()


def test_contact_is_answered_by_the_other_side_and_becomes_a_deal(personas, demo_listing):
    scenario = demo_listing("ZJ-SC-01")
    coating = demo_listing("ZJ-S-03")
    contact = services.express_interest(actor=personas["firm_a"], listing=coating, from_listing=scenario,
                                        message="请报价")
    assert contact.responder == coating.enterprise
    with pytest.raises(ServiceError, match="已向对方发出意向"):
        services.express_interest(actor=personas["firm_a"], listing=coating)
    with pytest.raises(ServiceError, match="该操作应由被联系方办理"):
        CONTACT.transition(contact, "accept", actor=personas["firm_a"])
    with pytest.raises(ServiceError, match="只有对方已接受"):
        services.make_deal(actor=personas["firm_a"], contact=contact, title="涂料", amount=10,
                           signed_on=datetime.date(2026, 1, 5))
    coating_user = personas["admin"]
    contact = CONTACT.transition(contact, "accept", actor=coating_user, note="可以")
    assert contact.status == ContactStatus.ACCEPTED
    with pytest.raises(ServiceError, match="不能执行"):
        CONTACT.transition(contact, "decline", actor=coating_user)
    deal = services.make_deal(actor=personas["firm_a"], contact=contact, title="压载舱涂料供货", amount="256.5",
                              signed_on=datetime.date(2026, 1, 5))
    assert deal.supplier == coating.enterprise and deal.buyer == scenario.enterprise
    assert deal.amount == Decimal("256.50")
    assert AuditLog.objects.filter(object_type="matching.contactrequest", object_id=str(contact.pk),
                                   action="transition").exists()


def test_a_firm_cannot_show_interest_in_its_own_listing(personas, demo_listing):
    with pytest.raises(ServiceError, match="本企业"):
        services.express_interest(actor=personas["firm_a"], listing=demo_listing("ZJ-D-01"))


def test_zhenjiang_supporting_firms_grow_more_than_20_percent_from_their_recorded_revenues(db):
    growth = services.supporting_growth(_ship_chain(), 2025)
    assert len(growth["firms"]) >= 5
    assert growth["total"] > growth["total_previous"] * Decimal("1.2")
    assert growth["growth"] == round(float((growth["total"] - growth["total_previous"])
                                           / growth["total_previous"] * 100), 1)


def test_zone_stats_count_listings_deals_and_amounts(db):
    zone = Zone.objects.get(short_name="镇江")
    figures = zone_stats(zone)
    from liantong.matching.models import Deal

    assert figures["deals"] == Deal.objects.filter(zone=zone).count() > 0
    assert figures["deal_amount"] == float(sum(d.amount for d in Deal.objects.filter(zone=zone)))
    assert figures["listings"] == index.matchable(Listing.objects.filter(zone=zone)).count() > 0


def test_the_tick_expires_listings_past_their_validity(personas):
    old = _post(personas["firm_b"], personas["firm_b"].enterprise, "旧船板库存",
                valid_until=timezone.localdate() - datetime.timedelta(days=3))
    assert services.expire_listings()["expired"] >= 1
    old.refresh_from_db()
    assert old.status == ListingStatus.EXPIRED
    assert services.expire_listings()["expired"] == 0


def test_renewing_reopens_a_closed_listing(personas, demo_listing):
    listing = demo_listing("ZJ-S-07")
    services.close_listing(listing, actor=personas["zone_staff"])
    listing = services.renew_listing(Listing.objects.get(pk=listing.pk), actor=personas["zone_staff"], days=30)
    assert listing.status == ListingStatus.OPEN
    assert listing.valid_until == timezone.localdate() + datetime.timedelta(days=30)


def test_a_revenue_in_the_future_is_refused(personas):
    with pytest.raises(ServiceError, match="年度"):
        services.save_revenue(actor=personas["zone_staff"], enterprise=Enterprise.objects.get(
            name="镇江海帆船舶配件有限公司"), year=timezone.localdate().year + 1, revenue=100)
