"""The listing (``Doc``) and the ranked result (``Match``) the matching engine works with."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Doc:
    """One listing (supply, demand or scenario) as the engine sees it."""

    id: str | int
    kind: str  # 'supply' | 'demand' | 'scenario'
    chain: str = ""
    node: str = ""
    zone: str = ""
    enterprise: str = ""
    title: str = ""
    description: str = ""
    keywords: list[str] = field(default_factory=list)
    quantity: str = ""
    active: bool = True
    updated: float | None = None  # epoch seconds
    stage: int | None = None  # 0 upstream, 1 midstream, 2 downstream


@dataclass
class Match:
    id: str | int
    score: float
    why: dict
