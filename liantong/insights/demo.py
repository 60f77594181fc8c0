"""Demo of the investment strand, through the services and the project state machine (deterministic).

* 镇江: the 红链招商专班 of the ship chain, its investment map with a 延链 node, target firms per gap, and
  the article's 9 chain-strengthening projects (引进中船、哈电等强链配套项目9个，总投资额20亿元): 200,000 万元
  in all, signed in 2025, some started or producing.
* 平顶山: the nylon chain extended (延链补链强链) — 新能源配套 is an extension node, filled by 平顶山立充新能源, the
  project its branch (平顶山立充新能源项目党支部) was built on (支部建在项目上), in production in 2025.
* every demo chain has at least one gap: an extension node nobody fills yet.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from liantong.orgs.models import Chain, ChainNode, PartyOrg

from . import services
from .models import InvestmentProject, ProjectStage
from .workflow import PROJECT

ZJ_PROJECTS = [
    # name, investor, node, amount 万元, talks, signed, started, producing
    ("中船动力船用双燃料发动机配套基地", "中国船舶集团有限公司", "船用动力系统", 50000, (2025, 2, 10), (2025, 4, 28), (2025, 7, 15), None),
    ("哈电船舶电力推进系统配套项目", "哈尔滨电气集团有限公司", "船舶电气与智能控制", 35000, (2025, 3, 3), (2025, 5, 20), (2025, 9, 1), None),
    ("绿色船舶涂料智能工厂", "江苏海韵涂料科技有限公司（演示）", "船用涂料", 30000, (2025, 3, 18), (2025, 6, 12), None, None),
    ("船用核心部件精密铸造项目", "常州精铸动力部件有限公司（演示）", "船用核心部件", 25000, (2025, 1, 20), (2025, 3, 26), (2025, 5, 8), (2025, 11, 18)),
    ("海工装备模块化制造基地", "南通海瑞重工有限公司（演示）", "海工装备", 20000, (2025, 4, 2), (2025, 7, 9), None, None),
    ("邮轮舱室内装一体化项目", "上海星舟舱室设计有限公司（演示）", "舾装与舱室", 15000, (2025, 5, 6), (2025, 8, 21), (2025, 10, 10), None),
    ("高强船用焊材扩能项目", "无锡申龙焊接材料有限公司（演示）", "船用钢材与焊材", 12000, (2025, 2, 25), (2025, 4, 28), (2025, 6, 3), (2025, 10, 28)),
    ("船舶智能运维服务中心", "苏州海智运维科技有限公司（演示）", "船舶修造与服务", 8000, (2025, 6, 16), (2025, 9, 18), None, None),
    ("船用智能控制系统研发中心", "南京启明船舶电子有限公司（演示）", "船舶电气与智能控制", 5000, (2025, 7, 1), (2025, 10, 16), None, None),
]
ZJ_MEMBERS = [("王振华", "镇江高新区经济发展局", "组长"), ("陆明远", "镇江船厂设计所党支部", "成员"),
              ("韩立新", "中船动力党委", "成员"), ("赵雪梅", "镇江高新区招商服务中心", "成员"),
              ("钱晓东", "镇江高新区产业链联合党委", "联络员")]
ZJ_TARGETS = [
    ("江苏海韵涂料科技有限公司（演示）", "船用涂料", "strengthen", "江苏常州", "环保型船舶防污涂料", "talks"),
    ("镇江绿循船舶拆解有限公司（演示）", "船舶绿色拆解与循环利用", "extend", "江苏泰州", "绿色拆船与废钢循环", "tracking"),
    ("青岛蓝鲸海工服务有限公司（演示）", "海工装备", "strengthen", "山东青岛", "海工平台运维", "tracking"),
    ("宁波海舟舾装件有限公司（演示）", "舾装与舱室", "strengthen", "浙江宁波", "舱口盖、系泊设备", "tracking"),
]
EXTENSIONS = {  # one node beyond each demo chain's ends (延链), unfilled
    "高技术船舶海工装备": "船舶绿色拆解与循环利用", "尼龙新材料": "尼龙回收再生", "锂电池": "电池梯次利用",
    "精细化工": "高端电子化学品", "有色金属新材料": "航空航天合金", "稀土功能材料": "稀土永磁电机",
    "氟化工": "含氟医药中间体", "装备制造": "智能制造系统集成", "生物医药": "创新药研发外包", "新能源": "氢能制储",
    "电子信息材料": "半导体封装材料", "绿色建材": "绿色建筑设计", "食品加工": "预制菜", "现代物流": "冷链物流",
}


def _at(ymd) -> datetime.datetime | None:
    if ymd is None:
        return None
    return timezone.make_aware(datetime.datetime(*ymd, 10, 0))


def _advance(project: InvestmentProject, moves) -> None:
    """Move the project along the machine up to where the data says it is (idempotent)."""
    order = [ProjectStage.TALKS, ProjectStage.SIGNED, ProjectStage.STARTED, ProjectStage.PRODUCING]
    for action, target, when in moves:
        if when is None:
            break
        if order.index(project.stage) < order.index(target):
            project = PROJECT.transition(project, action, actor=None, at=_at(when))
    return project


def load(ctx):
    for chain in Chain.objects.filter(name__in=EXTENSIONS).order_by("id"):
        services.save_extension(actor=None, chain=chain, node_name=EXTENSIONS[chain.name], side="down",
                                note="链外延伸方向（演示）", sort=99, is_demo=True)
    zj = ctx["zhenjiang"]
    chain = zj["chain"]
    tf = services.save_task_force(actor=None, chain=chain, name="红链招商专班", leader_name="王振华",
                                  established_on=datetime.date(2025, 1, 15),
                                  duties="绘制产业链招商图谱，围绕链主企业核心产品配套精准招商，推动强链配套项目落地。")
    for name, unit, post in ZJ_MEMBERS:
        services.save_member(actor=None, task_force=tf, name=name, unit=unit, post=post, is_demo=True)
    nodes = {n.name: n for n in ChainNode.objects.filter(chain=chain)}
    targets = {}
    for name, node, gap, region, product, status in ZJ_TARGETS:
        targets[name] = services.save_target(actor=None, chain=chain, node=nodes.get(node), name=name, gap_kind=gap,
                                             region=region, product=product, task_force=tf, status=status,
                                             contact_name="（演示）", is_demo=True)
    services.add_follow_up(actor=None, target=targets["镇江绿循船舶拆解有限公司（演示）"], on=datetime.date(2025, 11, 5),
                           by_name="赵雪梅", content="赴泰州实地考察，企业有意在镇江设立绿色拆解基地", next_step="年内邀请来区洽谈",
                           is_demo=True)
    for name, investor, node, amount, talks, signed, started, producing in ZJ_PROJECTS:
        target = next((t for t in targets.values() if t.name == investor), None)
        project = services.save_project(actor=None, chain=chain, node=nodes[node], name=name, investor=investor,
                                        amount=Decimal(amount), talks_on=datetime.date(*talks), task_force=tf,
                                        target=target, is_demo=True)
        _advance(project, [("sign", ProjectStage.SIGNED, signed), ("start", ProjectStage.STARTED, started),
                           ("produce", ProjectStage.PRODUCING, producing)])
        services.add_follow_up(actor=None, project=project, on=datetime.date(*signed), by_name="王振华",
                               content="专班召开项目推进会，签约落地", next_step="协调用地与审批", is_demo=True)
    # 平顶山: the nylon chain extended; 立充新能源 the project its branch was built on
    pd = ctx["pingdingshan"]
    pchain = pd["chain"]
    services.save_extension(actor=None, chain=pchain, node_name="新能源配套", side="down",
                            note="尼龙新材料向新能源配套延链", is_demo=False)
    ptf = services.save_task_force(actor=None, chain=pchain, name="尼龙新材料产业园区招商专班", leader_name="（演示）",
                                   established_on=datetime.date(2023, 6, 1), is_demo=True,
                                   duties="瞄准延链补链强链，吸引尼龙新材料相关企业入驻。")
    lichong = pd["ents"]["平顶山立充新能源科技有限公司"]
    pnode = ChainNode.objects.get(chain=pchain, name="新能源配套")
    project = services.save_project(
        actor=None, chain=pchain, node=pnode, name="立充新能源子公司建设投产项目", investor="河南金建中晟构件混凝土有限公司",
        amount=Decimal(30000), talks_on=datetime.date(2023, 9, 1), task_force=ptf, enterprise=lichong,
        note="金建中晟新兴办的子公司平顶山立充新能源科技有限公司，2025年顺利投产（“支部建在项目上”；金额为演示）。",
        is_demo=True)
    project = _advance(project, [("sign", ProjectStage.SIGNED, (2023, 12, 20)),
                                 ("start", ProjectStage.STARTED, (2024, 3, 1)),
                                 ("produce", ProjectStage.PRODUCING, (2025, 6, 30))])
    branch = PartyOrg.objects.get(zone=pchain.zone, name="平顶山立充新能源项目党支部")
    services.open_branch(project, actor=None, branch=branch)
    ctx["insights"] = {"task_force": tf, "lichong_project": project}
