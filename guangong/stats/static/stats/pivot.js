/* The analysis pages' chart: the table's rows as bars (one series per column, stacked when the
   cells add up to the row's total; or the totals), drawn with Apache ECharts from the JSON the
   page embeds (no inline script). */
(function () {
  "use strict";

  var PALETTE = ["#b3261e", "#1f6feb", "#e09b24", "#2e8b57", "#6f42c1", "#20a4b3", "#8c564b"];

  function option(data) {
    var names = data.rows.slice().reverse();
    var series;
    if (data.cols.length) {
      series = data.cols.map(function (name, i) {
        return {
          name: name,
          type: "bar",
          stack: data.stacked ? "all" : undefined,
          data: data.cells.map(function (row) { return row[i]; }).reverse(),
        };
      });
    } else {
      series = [{ name: data.measure, type: "bar", data: data.totals.slice().reverse() }];
    }
    return {
      color: PALETTE,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
      legend: data.cols.length ? { bottom: 0, type: "scroll" } : undefined,
      grid: { left: 8, right: 24, top: 8, bottom: data.cols.length ? 32 : 8, containLabel: true },
      xAxis: data.decimals ? { type: "value" } : { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: names, axisLabel: { width: 120, overflow: "truncate" } },
      series: series,
    };
  }

  function draw() {
    var source = document.getElementById("pivot-chart-data");
    var el = document.getElementById("pivot-chart");
    if (!source || !el || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    el.style.height = Math.max(240, Math.min(900, data.rows.length * 28 + 60)) + "px";
    var chart = window.echarts.init(el);
    chart.setOption(option(data));
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
