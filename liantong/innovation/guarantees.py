"""The innovation strand's scoped models in the guarantees registry (``core/guarantees.py``)."""

from liantong.core.guarantees import ZHENJIANG, Entry, register

ZJ = ZHENJIANG
COMMITTEE = {"admin", "zone_staff"}
# 大型邮轮电磁矫平技术攻关: set by 镇江船厂 (firm_a), solved by 江苏科技大学's team (uni), on the ship chain
LEVELLING = {"admin", "zone_staff", "chain_staff", "firm_a", "uni"}
LEVELLING_TEAM = "邮轮薄板电磁矫平党员攻关团队"

register(
    Entry("innovation.Challenge", sample={"title": "大型邮轮电磁矫平技术攻关"}, readers=ZJ,
          writers={"admin", "zone_staff", "chain_staff", "firm_a"},
          page="innovation:challenge_detail", edit_page="innovation:challenge_edit",
          list_page="innovation:challenge_list",
          api=("/api/v1/challenges/{pk}", "/api/v1/challenges/{pk}/transitions"), api_list="/api/v1/challenges"),
    Entry("innovation.Bid", sample={"team_name": LEVELLING_TEAM}, readers=LEVELLING,
          no_page="bids are shown on their challenge's page", list_page="innovation:bid_list",
          api=("/api/v1/bids/{pk}",), api_list="/api/v1/bids"),
    Entry("innovation.BidMember", sample={"bid__team_name": LEVELLING_TEAM}, readers=LEVELLING,
          no_page="team members are shown with their bid and consortium"),
    Entry("innovation.Consortium", sample={"challenge__title": "大型邮轮电磁矫平技术攻关"}, readers=LEVELLING,
          page="innovation:consortium_detail", list_page="innovation:consortium_list",
          api=("/api/v1/consortia/{pk}",), api_list="/api/v1/consortia"),
    Entry("innovation.ChallengeMilestone", sample={"consortium__challenge__title": "大型邮轮电磁矫平技术攻关"},
          readers=LEVELLING, no_page="milestones are shown on their consortium's page",
          list_page="innovation:milestone_list",
          api=("/api/v1/milestones/{pk}", "/api/v1/milestones/{pk}/transitions"), api_list="/api/v1/milestones"),
    # the demo's tick raises a yellow card on the VOCs challenge's running milestone (蓝海涂料 sets it, uni solves)
    Entry("innovation.MilestoneCard", sample={"milestone__consortium__challenge__title": "船舶涂装VOCs治理技术"},
          readers={"admin", "zone_staff", "chain_staff", "uni"}, no_page="a milestone's cards are shown with it"),
    Entry("innovation.Achievement", sample={"title": "船舶压载水处理系统"}, readers=ZJ,
          writers={"admin", "zone_staff", "chain_staff", "uni"},
          page="innovation:achievement_detail", edit_page="innovation:achievement_edit",
          list_page="innovation:achievement_list",
          api=("/api/v1/achievements/{pk}", "/api/v1/achievements/{pk}/transitions"),
          api_list="/api/v1/achievements"),
    # 江苏科技大学's result sold through the transfer centre to 镇江远洋船舶修造
    Entry("innovation.TransferContract", sample={"achievement__title": "船舶压载水处理系统"},
          readers={"admin", "zone_staff", "chain_staff", "uni"}, writers={"admin", "zone_staff", "chain_staff", "uni"},
          page="innovation:contract_detail", edit_page="innovation:contract_edit", list_page="innovation:contract_list",
          api=("/api/v1/transfer-contracts/{pk}",), api_list="/api/v1/transfer-contracts"),
    Entry("innovation.IncubatedFirm", sample={"name": "镇江海智科技有限公司"}, readers=ZJ, writers=COMMITTEE,
          page="innovation:incubated_detail", edit_page="innovation:incubated_edit",
          list_page="innovation:incubated_list",
          api=("/api/v1/incubated-firms/{pk}",), api_list="/api/v1/incubated-firms"),
    Entry("innovation.Qualification", sample={"title": "江苏省企业技术中心（中船动力）"}, readers=ZJ, writers=COMMITTEE,
          page="innovation:qualification_detail", edit_page="innovation:qualification_edit",
          list_page="innovation:qualification_list",
          api=("/api/v1/qualifications/{pk}",), api_list="/api/v1/qualifications"),
    Entry("innovation.Policy", sample={"title": "“党建+科技”专项政策礼包"}, readers=ZJ, writers=COMMITTEE,
          page="innovation:policy_detail", edit_page="innovation:policy_edit", list_page="innovation:policy_list",
          api=("/api/v1/policies/{pk}", "/api/v1/policies/{pk}/firms"), api_list="/api/v1/policies"),
    # 镇江海帆船舶配件 (firm_b) on the ship chain
    Entry("innovation.Assessment", sample={"enterprise__name": "镇江海帆船舶配件有限公司"},
          readers={"admin", "zone_staff", "chain_staff", "firm_b"},
          page="innovation:assessment_detail", list_page="innovation:assessment_list",
          api=("/api/v1/assessments/{pk}",), api_list="/api/v1/assessments"),
    Entry("innovation.Coaching", sample={"topic": "高企认定一对一辅导（海帆）"},
          readers={"admin", "zone_staff", "chain_staff", "firm_b"}, writers=COMMITTEE,
          page="innovation:coaching_detail", edit_page="innovation:coaching_edit", list_page="innovation:coaching_list",
          api=("/api/v1/coachings/{pk}",), api_list="/api/v1/coachings"),
)
