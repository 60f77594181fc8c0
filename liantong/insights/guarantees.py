"""The investment strand's scoped models in the guarantees registry (``core/guarantees.py``).

Projects, targets, task forces and follow-ups are the committees' working files: 镇江's zone committee and
its ship chain committee read and write them; firms, departments and universities do not see them."""

from liantong.core.guarantees import ZHENJIANG, Entry, register

COMMITTEES = {"admin", "zone_staff", "chain_staff"}

register(
    Entry("insights.InvestmentProject", sample={"name": "中船动力船用双燃料发动机配套基地"},
          readers=COMMITTEES, writers=COMMITTEES,
          page="insights:project_detail", edit_page="insights:project_edit", list_page="insights:project_list",
          api=("/api/v1/investment-projects/{pk}", "/api/v1/investment-projects/{pk}/transitions"),
          api_list="/api/v1/investment-projects"),
    Entry("insights.TargetFirm", sample={"name": "镇江绿循船舶拆解有限公司（演示）"},
          readers=COMMITTEES, writers=COMMITTEES,
          page="insights:target_detail", edit_page="insights:target_edit", list_page="insights:target_list",
          api=("/api/v1/target-firms/{pk}",), api_list="/api/v1/target-firms"),
    Entry("insights.TaskForce", sample={"name": "红链招商专班"}, readers=COMMITTEES, writers=COMMITTEES,
          page="insights:taskforce_detail", edit_page="insights:taskforce_edit", list_page="insights:taskforce_list",
          api=("/api/v1/task-forces/{pk}",), api_list="/api/v1/task-forces"),
    Entry("insights.TaskForceMember", sample={"task_force__name": "红链招商专班"}, readers=COMMITTEES,
          no_page="shown on its task force's page (/insights/taskforce/{id}/) and in /api/v1/task-forces/{id}"),
    Entry("insights.FollowUp", sample={"zone__short_name": "镇江", "project__isnull": False}, readers=COMMITTEES,
          no_page="shown on its project's or target firm's page and in their API detail"),
    # the extension nodes are part of the chain's public map
    Entry("insights.ChainExtension", sample={"chain__name": "高技术船舶海工装备"}, readers=ZHENJIANG,
          no_page="shown on the chain's investment map (/insights/map/{chain}/)"),
)
