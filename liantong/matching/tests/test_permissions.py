"""Every persona against the strand's pages and API: in scope 200, out of scope 404 (never 403)."""

import pytest

from liantong.matching.models import ContactRequest, Deal, Listing

ALL = ["admin", "zone_staff", "chain_staff", "dept_staff", "firm_a", "firm_b", "uni", "by_zone", "nobody"]
ZJ_ZONE = {"admin", "zone_staff", "chain_staff", "dept_staff", "firm_a", "firm_b", "uni"}


def _targets():
    """name -> (object, page url, api url, readers, writers)."""
    zj_listing = Listing.objects.get(ref="ZJ-S-06")  # 海帆 (firm_b)
    by_listing = Listing.objects.get(ref="BY-S-03")
    pending = ContactRequest.objects.get(listing__ref="ZJ-SC-01", requester__name="镇江海帆船舶配件有限公司")
    deal = Deal.objects.get(title="散货船船板年度供货协议")
    return {
        "listing_of_firm_b": (f"/matching/listing/{zj_listing.pk}/", f"/api/v1/listings/{zj_listing.pk}",
                              ZJ_ZONE, {"admin", "zone_staff", "chain_staff", "firm_b"},
                              f"/matching/listing/{zj_listing.pk}/edit/"),
        "listing_of_baiyin": (f"/matching/listing/{by_listing.pk}/", f"/api/v1/listings/{by_listing.pk}",
                              {"admin", "by_zone"}, {"admin", "by_zone"}, f"/matching/listing/{by_listing.pk}/edit/"),
        "contact_firm_b_to_ship": (f"/matching/contact/{pending.pk}/", f"/api/v1/contacts/{pending.pk}",
                                   {"admin", "zone_staff", "chain_staff", "firm_a", "firm_b"}, None, None),
        "deal_ship_steel": (f"/matching/deal/{deal.pk}/", f"/api/v1/deals/{deal.pk}",
                            {"admin", "zone_staff", "chain_staff", "firm_a"}, None, None),
    }


@pytest.mark.parametrize("target", ["listing_of_firm_b", "listing_of_baiyin", "contact_firm_b_to_ship",
                                    "deal_ship_steel"])
@pytest.mark.parametrize("persona", ALL)
def test_pages_and_api_answer_only_in_scope(personas, client_for, target, persona):
    page, api, readers, writers, edit = _targets()[target]
    c = client_for(personas[persona])
    expected = 200 if persona in readers else 404
    assert c.get(page).status_code == expected
    assert c.get(api).status_code == expected
    if edit:
        assert c.get(edit).status_code == (200 if persona in writers else 404)


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_login_or_refused(client):
    listing = Listing.objects.get(ref="ZJ-S-06")
    assert client.get(f"/matching/listing/{listing.pk}/").status_code == 302
    assert client.get(f"/api/v1/listings/{listing.pk}/matches").status_code == 401


@pytest.mark.parametrize("persona, status", [("firm_b", 200), ("zone_staff", 200), ("dept_staff", 404),
                                             ("uni", 404), ("nobody", 404)])
def test_only_posters_may_open_the_post_form(personas, client_for, persona, status):
    assert client_for(personas[persona]).get("/matching/listing/new/").status_code == status


@pytest.mark.parametrize("persona", ALL)
def test_list_pages_render_for_everyone_and_show_only_their_scope(personas, client_for, persona):
    c = client_for(personas[persona])
    for url in ("/matching/listing/", "/matching/contact/", "/matching/deal/", "/matching/meeting/"):
        assert c.get(url).status_code == 200
    html = c.get("/matching/listing/?q=磷酸铁锂").content.decode()
    assert ("储能型磷酸铁锂正极材料" in html) == (persona in {"admin", "by_zone"})
