"""The order categories (an admin-editable dictionary, ``service_category``) and their resolve limits.

Admins change a category's limit by setting ``{"limit_days": N}`` in the dictionary item's 附加参数
(``DictItem.extra``); these are the defaults used until they do (5 working days unless said here).
"""

CATEGORIES = [
    ("land", "用地审批", "danger"),
    ("finance", "融资贷款", "warning"),
    ("talent", "人才招引", "primary"),
    ("tech", "技术攻关", "info"),
    ("policy", "政策咨询", "secondary"),
    ("approval", "审批代办", "success"),
    ("market", "市场拓展", "primary"),
    ("labour", "用工社保", "info"),
    ("other", "其他", "secondary"),
]

DEFAULT_LIMITS = {"land": 10, "finance": 7, "tech": 10, "talent": 7}
