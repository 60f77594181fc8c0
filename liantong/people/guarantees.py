"""The people strand's scoped models in the guarantees registry (``core/guarantees.py``).

Samples are 镇江 demo rows. Public lists (the catalogue, training, mentors, placements, venues, activities)
are read by everyone of 镇江; managers and committee posts like their firm and its party org; attendances
and reminders like the party org (the activity's lead org, or the member's)."""

from liantong.core.guarantees import ZHENJIANG, Entry, register

ZJ = ZHENJIANG
SHIP = "江苏省镇江船厂（集团）有限公司"
FIRM_B = "镇江海帆船舶配件有限公司"
FIRM_B_SIDE = {"admin", "zone_staff", "chain_staff", "firm_b"}
# the design office's branch (firm_a's party org) sits under the ship-yard committee, under the chain committee
FIRM_A_SIDE = {"admin", "zone_staff", "chain_staff", "firm_a"}
CHAIN_SIDE = {"admin", "zone_staff", "chain_staff"}
# a training project of the ship yard with 江苏科技大学: the host firm's side and the university write it
PROGRAM_SIDE = FIRM_A_SIDE | {"uni"}

register(
    Entry("people.TalentNeed", sample={"enterprise__name": SHIP, "post": "船舶设计工程师"},
          readers=ZJ, writers=FIRM_A_SIDE,
          page="people:need_detail", edit_page="people:need_edit", list_page="people:need_list",
          api=("/api/v1/talent-needs/{pk}",), api_list="/api/v1/talent-needs"),
    Entry("people.TrainingProgram", sample={"name": "车间课堂·船体分段建造实训项目"},
          readers=ZJ, writers=PROGRAM_SIDE,
          page="people:program_detail", edit_page="people:program_edit", list_page="people:program_list",
          api=("/api/v1/training-programs/{pk}",), api_list="/api/v1/training-programs"),
    Entry("people.Mentor", sample={"kind": "enterprise", "enterprise__name": SHIP},
          readers=ZJ, writers=FIRM_A_SIDE,
          page="people:mentor_detail", edit_page="people:mentor_edit", list_page="people:mentor_list",
          api=("/api/v1/mentors/{pk}",), api_list="/api/v1/mentors"),
    Entry("people.Trainee", sample={"program__name": "车间课堂·船体分段建造实训项目"},
          readers=ZJ, writers=PROGRAM_SIDE,
          page="people:trainee_detail", edit_page="people:trainee_edit", list_page="people:trainee_list",
          api=("/api/v1/trainees/{pk}",), api_list="/api/v1/trainees"),
    Entry("people.Placement", sample={"enterprise__name": SHIP},
          readers=ZJ, writers=PROGRAM_SIDE,
          page="people:placement_detail", edit_page="people:placement_edit", list_page="people:placement_list",
          api=("/api/v1/placements/{pk}",), api_list="/api/v1/placements"),
    Entry("people.Venue", sample={"name": "镇江高新区企业发展服务中心"},
          readers=ZJ, writers={"admin", "zone_staff"},
          page="people:venue_detail", edit_page="people:venue_edit", list_page="people:venue_list",
          api=("/api/v1/venues/{pk}",), api_list="/api/v1/venues"),
    Entry("people.Activity", sample={"title__startswith": "重温入党誓词·船海强国联合主题党日（第1期）"},
          readers=ZJ, writers=CHAIN_SIDE,
          page="people:activity_detail", edit_page="people:activity_edit", list_page="people:activity_list",
          api=("/api/v1/activities/{pk}", "/api/v1/activities/{pk}/attendances"), api_list="/api/v1/activities"),
    Entry("people.Attendance", sample={"activity__title__startswith": "设计所党支部支部党员大会"},
          readers=FIRM_A_SIDE,
          no_page="an activity's attendances are shown on its page and at /api/v1/activities/{id}/attendances"),
    Entry("people.Manager", sample={"enterprise__name": FIRM_B},
          readers=FIRM_B_SIDE, writers=FIRM_B_SIDE,
          page="people:manager_detail", edit_page="people:manager_edit", list_page="people:manager_list",
          api=("/api/v1/managers/{pk}",), api_list="/api/v1/managers"),
    Entry("people.CommitteePost", sample={"party_org__enterprise__name": FIRM_B},
          readers=FIRM_B_SIDE, writers=FIRM_B_SIDE,
          page="people:post_detail", edit_page="people:post_edit", list_page="people:post_list",
          api=("/api/v1/committee-posts/{pk}",), api_list="/api/v1/committee-posts"),
    Entry("people.Reminder", sample={"party_org__name": "镇江船厂设计所党支部"},
          readers=FIRM_A_SIDE, no_page="reminders are shown on the housekeeping page (people:housekeeping)"),
)
