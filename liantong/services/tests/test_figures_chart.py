import json
import re


def test_the_figures_page_hands_its_chart_an_object_built_from_the_orders(personas, client_for):
    """The chart data is a JSON object (not a JSON string of one), one bar per department with orders."""
    body = client_for(personas["zone_staff"]).get("/services/figures/").content.decode()
    raw = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', body, re.S).group(1)
    data = json.loads(raw)
    assert isinstance(data, dict)
    assert len(data["depts"]) == len(data["received"]) > 0
    assert sum(data["received"]) >= 47  # 镇江's demo orders, counted per department
