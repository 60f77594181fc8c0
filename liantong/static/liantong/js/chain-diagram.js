/* The chain's "1+2+N" diagram (orgs/diagram.py gives the data in #diagram-data). Legible from 10 to 300
   nodes: the box grows with the nodes (within bounds), the hub, masters, partners and chain nodes are always
   labelled, the firms' party orgs only while few (else on hover, with their neighbours highlighted), labels
   that would overlap are hidden, and the picture zooms and pans (mouse wheel, drag; 还原 resets). */
(function () {
  "use strict";
  var box = document.getElementById("diagram");
  var src = document.getElementById("diagram-data");
  if (!box || !src || typeof echarts === "undefined") { return; }
  var data = JSON.parse(src.textContent);
  var n = data.nodes.length;
  box.style.height = Math.max(360, Math.min(760, 240 + n * 3)) + "px";
  var few = n <= 25;
  var chart = echarts.init(box);
  chart.setOption({
    tooltip: { formatter: function (p) { return p.dataType === "node" ? p.name : ""; } },
    legend: [{ data: data.categories.map(function (c) { return c.name; }), bottom: 0 }],
    toolbox: { right: 8, feature: { restore: { title: "还原" } } },
    color: ["#b3161c", "#e67e22", "#2874a6", "#7f8c8d", "#16a085"],
    series: [{
      type: "graph", layout: "force", roam: true, draggable: true, categories: data.categories,
      data: data.nodes.map(function (d) {
        var labelled = d.category !== 3 || few;
        return Object.assign({}, d, { label: { show: labelled } });
      }),
      links: data.links,
      label: { position: "right", fontSize: 11 },
      labelLayout: { hideOverlap: true },
      emphasis: { focus: "adjacency", label: { show: true } },
      force: { repulsion: n > 80 ? 90 : 220, edgeLength: n > 80 ? [20, 80] : [60, 160], gravity: n > 80 ? 0.2 : 0.1 },
      lineStyle: { color: "source", opacity: 0.5 }
    }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
  box.dataset.rendered = n;
})();
