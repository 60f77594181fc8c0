"""The 1+2+N diagram stays legible with many firms: from GROUP_FROM firm party orgs on they hang from their
chain node (环节, with its count), every node is linked, and a chain past the limit says how many are left."""

from liantong.orgs import diagram
from liantong.orgs.models import Chain


def test_many_firm_orgs_are_grouped_by_chain_node_and_every_node_is_linked(db, monkeypatch):
    chain = Chain.objects.get(name__startswith="高技术船舶")
    small = diagram.one_plus_two_plus_n(chain)
    assert not [n for n in small["nodes"] if n["category"] == 4]
    monkeypatch.setattr(diagram, "GROUP_FROM", 2)
    big = diagram.one_plus_two_plus_n(chain)
    groups = {n["id"]: n for n in big["nodes"] if n["category"] == 4}
    orgs = [n for n in big["nodes"] if n["category"] == 3]
    assert groups and orgs
    parent = {link["target"]: link["source"] for link in big["links"]}
    assert all(parent[o["id"]] in groups for o in orgs)
    assert sum(g["value"] for g in groups.values()) == len(orgs) == big["counts"]["shown_n"]
    assert all(n["id"] == "hub" or n["id"] in parent for n in big["nodes"])
    assert all(f"（{g['value']}）" in g["name"] for g in groups.values())


def test_a_chain_past_the_limit_says_how_many_are_not_drawn(db):
    chain = Chain.objects.get(name__startswith="高技术船舶")
    d = diagram.one_plus_two_plus_n(chain, limit_n=1)
    more = [n for n in d["nodes"] if n["id"] == "more"]
    assert d["counts"]["n"] > 1 and more and str(d["counts"]["n"] - 1) in more[0]["name"]
