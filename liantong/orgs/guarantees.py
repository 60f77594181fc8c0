"""The organisation strand's scoped models in the guarantees registry (``core/guarantees.py``).

Samples are rows of the demo (镇江's ship chain); readers and writers follow ``docs/scoping.md``: public
models are read by everyone of 镇江; party orgs and members by the zone, the chain committee above them and
their own firm."""

from liantong.core.guarantees import ZHENJIANG, Entry, register

ZJ = ZHENJIANG
SHIP_CHAIN = "高技术船舶海工装备"
FIRM_B = "镇江海帆船舶配件有限公司"
# firm_b's branch sits under the chain committee (path /zone/committee/branch/): the zone, the committee and
# the firm see it; firm_a (another branch of the same committee) does not
FIRM_B_SIDE = {"admin", "zone_staff", "chain_staff", "firm_b"}

register(
    Entry("orgs.Department", sample={"zone__short_name": "镇江", "name": "自然资源和规划分局"},
          readers=ZJ, writers={"admin", "zone_staff", "dept_staff"},
          page="orgs:department_detail", edit_page="orgs:department_edit", list_page="orgs:department_list"),
    Entry("orgs.Institution", sample={"name": "江苏科技大学"},
          readers=ZJ, writers={"admin", "zone_staff", "uni"},
          page="orgs:institution_detail", edit_page="orgs:institution_edit", list_page="orgs:institution_list"),
    Entry("orgs.Chain", sample={"name": SHIP_CHAIN},
          readers=ZJ, writers={"admin", "zone_staff", "chain_staff"},
          page="orgs:chain_detail", edit_page="orgs:chain_edit", list_page="orgs:chain_list",
          api=("/api/v1/chains/{pk}",), api_list="/api/v1/chains"),
    Entry("orgs.ChainNode", sample={"chain__name": SHIP_CHAIN}, readers=ZJ,
          no_page="a chain's nodes are shown on the chain's page and edited at /orgs/chain/<chain>/nodes/"),
    Entry("orgs.Enterprise", sample={"name": FIRM_B},
          readers=ZJ, writers=FIRM_B_SIDE,
          page="orgs:enterprise_detail", edit_page="orgs:enterprise_edit", list_page="orgs:enterprise_list",
          api=("/api/v1/enterprises/{pk}",), api_list="/api/v1/enterprises"),
    Entry("orgs.ChainMembership", sample={"enterprise__name": FIRM_B}, readers=ZJ,
          no_page="a firm's place on a chain is shown on the firm's and the chain's pages"),
    Entry("orgs.PartyOrg", sample={"enterprise__name": FIRM_B},
          readers=FIRM_B_SIDE, writers=FIRM_B_SIDE,
          page="orgs:partyorg_detail", edit_page="orgs:partyorg_edit", list_page="orgs:partyorg_list",
          api=("/api/v1/party-orgs/{pk}",), api_list="/api/v1/party-orgs"),
    Entry("orgs.Member", sample={"party_org__enterprise__name": FIRM_B},
          readers=FIRM_B_SIDE, writers=FIRM_B_SIDE,
          page="orgs:member_detail", edit_page="orgs:member_edit", list_page="orgs:member_list",
          api=("/api/v1/members/{pk}", "/api/v1/members/{pk}/moves"), api_list="/api/v1/members"),
    # no demo rows: tests/test_scope_matrix.py makes one (a 白银 member asked for by firm_a's branch)
    Entry("orgs.MemberTransfer", sample=None,
          readers={"admin", "zone_staff", "chain_staff", "firm_a", "by_zone"},
          page="orgs:transfer_detail", list_page="orgs:transfer_list",
          api=("/api/v1/member-transfers/{pk}",),
          api_list="/api/v1/member-transfers"),
    # no demo rows: made by accepting that transfer (the member is now in firm_a's branch)
    Entry("orgs.MemberMove", sample=None, readers={"admin", "zone_staff", "chain_staff", "firm_a"},
          no_page="a member's moves are shown on the member's page and at /api/v1/members/{id}/moves"),
    Entry("orgs.Cultivation", sample={"party_org__name": "镇江船厂设计所党支部"},
          readers={"admin", "zone_staff", "chain_staff", "firm_a"},
          writers={"admin", "zone_staff", "chain_staff", "firm_a"},
          page="orgs:cultivation_detail", edit_page="orgs:cultivation_edit", list_page="orgs:cultivation_list",
          api=("/api/v1/cultivations/{pk}", "/api/v1/cultivations/{pk}/transitions"), api_list="/api/v1/cultivations"),
    Entry("orgs.Pairing", sample={"partner_name": "江苏科技大学"},
          readers=ZJ, writers={"admin", "zone_staff", "chain_staff", "uni"},
          page="orgs:pairing_detail", edit_page="orgs:pairing_edit", list_page="orgs:pairing_list"),
    Entry("orgs.VanguardTeam", sample={"name": "技术攻坚党员先锋队"},
          readers=ZJ, writers={"admin", "zone_staff", "chain_staff"},
          page="orgs:vanguard_detail", edit_page="orgs:vanguard_edit", list_page="orgs:vanguard_list"),
)
