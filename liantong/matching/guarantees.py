"""The matching strand's scoped models in the guarantees registry (``core/guarantees.py``)."""

from liantong.core.guarantees import ZHENJIANG, Entry, register

FIRM_A = "江苏省镇江船厂（集团）有限公司"

register(
    # 镇江海帆 (firm_b)'s listing on the ship chain
    Entry("matching.Listing", sample={"title": "船用舾装件（舱口盖、导缆孔）"}, readers=ZHENJIANG,
          writers={"admin", "zone_staff", "chain_staff", "firm_b"},
          page="matching:listing_detail", edit_page="matching:listing_edit", list_page="matching:listing_list",
          api=("/api/v1/listings/{pk}", "/api/v1/listings/{pk}/matches"), api_list="/api/v1/listings"),
    Entry("matching.MatchmakingMeeting", sample={"zone__short_name": "镇江"}, readers=ZHENJIANG,
          writers={"admin", "zone_staff", "chain_staff"},  # matching.manage: the committees
          page="matching:meeting_detail", edit_page="matching:meeting_edit", list_page="matching:meeting_list",
          api=("/api/v1/matchmaking-meetings/{pk}",), api_list="/api/v1/matchmaking-meetings"),
    # firm_a asked 镇江长润 about its ship plate: the two firms and the committees see it, firm_b does not
    Entry("matching.ContactRequest", sample={"requester__name": FIRM_A, "listing__title": "AH36/DH36高强度船板现货供应"},
          readers={"admin", "zone_staff", "chain_staff", "firm_a"},
          page="matching:contact_detail", list_page="matching:contact_list",
          api=("/api/v1/contacts/{pk}", "/api/v1/contacts/{pk}/transitions"), api_list="/api/v1/contacts"),
    Entry("matching.Deal", sample={"title": "散货船船板年度供货协议"},
          readers={"admin", "zone_staff", "chain_staff", "firm_a"},
          writers={"admin", "zone_staff", "chain_staff", "firm_a"},  # a party's firm, the committees
          page="matching:deal_detail", edit_page="matching:deal_edit", list_page="matching:deal_list",
          api=("/api/v1/deals/{pk}",), api_list="/api/v1/deals"),
    Entry("matching.EnterpriseRevenue", sample={"enterprise__name": "镇江海帆船舶配件有限公司"},
          readers={"admin", "zone_staff", "chain_staff", "firm_b"},
          writers={"admin", "zone_staff", "chain_staff"},  # matching.manage; firm_b reads its own, cannot edit
          no_page="revenues are listed at /matching/revenue/ (their edit page needs matching.manage)",
          list_page="matching:revenue_list", api_list="/api/v1/revenues"),
)
