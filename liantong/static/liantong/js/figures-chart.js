/* 办理统计: received orders, on-time and satisfaction rates per lead department (drawn when the page has
   two departments or more; services/figures.html says what to do otherwise). */
(function () {
  "use strict";
  var box = document.getElementById("dept-chart");
  var src = document.getElementById("chart-data");
  if (!box || !src || typeof echarts === "undefined") { return; }
  var d = JSON.parse(src.textContent);
  var chart = echarts.init(box);
  chart.setOption({
    tooltip: { trigger: "axis" }, legend: { data: ["受理", "按时办结率", "满意率"] },
    xAxis: { type: "category", data: d.depts, axisLabel: { interval: 0, rotate: 20 } },
    yAxis: [{ type: "value", name: "件" }, { type: "value", name: "%", max: 100 }],
    series: [{ name: "受理", type: "bar", data: d.received, barMaxWidth: 48 },
             { name: "按时办结率", type: "line", yAxisIndex: 1, data: d.on_time },
             { name: "满意率", type: "line", yAxisIndex: 1, data: d.satisfaction }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
