/* Charts of the statistics page, drawn with Apache ECharts from the JSON the page embeds
   (json_script): no inline script, so the Content-Security-Policy stays strict. */
(function () {
  "use strict";

  var PALETTE = ["#b3261e", "#1f6feb", "#e09b24", "#2e8b57", "#6f42c1", "#20a4b3", "#8c564b"];

  function groupsOption(data, el) {
    // On a phone the labels beside the ring would be cut off: percentages inside, names below.
    var narrow = el.clientWidth < 480;
    return {
      color: PALETTE,
      tooltip: { trigger: "item", formatter: "{b}: {c} ({d}%)", confine: true },
      legend: { bottom: 0, type: "scroll" },
      series: [
        {
          type: "pie",
          radius: ["35%", "62%"],
          center: ["50%", "44%"],
          data: data.groups,
          label: narrow
            ? { position: "inside", formatter: "{d}%", color: "#fff" }
            : { formatter: "{b}\n{d}%" },
          avoidLabelOverlap: true,
        },
      ],
    };
  }

  function typesOption(data) {
    // Largest at the top: a horizontal bar lists its categories bottom-up.
    var names = data.types.names.slice().reverse();
    var sessions = data.types.sessions.slice().reverse();
    return {
      color: PALETTE,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: {
        type: "category",
        data: names,
        axisLabel: { width: 96, overflow: "truncate" },
      },
      series: [{ name: data.labels.sessions, type: "bar", data: sessions }],
    };
  }

  function monthsOption(data) {
    return {
      color: PALETTE,
      tooltip: { trigger: "axis", confine: true },
      legend: { top: 0 },
      grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.months.names },
      yAxis: [
        { type: "value", name: data.labels.sessions, minInterval: 1 },
        { type: "value", name: data.labels.participants, minInterval: 1, splitLine: { show: false } },
      ],
      series: [
        { name: data.labels.sessions, type: "bar", data: data.months.sessions },
        {
          name: data.labels.participants,
          type: "line",
          yAxisIndex: 1,
          smooth: false,
          data: data.months.participants,
        },
      ],
    };
  }

  function start() {
    var source = document.getElementById("stats-chart-data");
    if (!source || !window.echarts) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var charts = [];
    var builders = {
      "chart-groups": groupsOption,
      "chart-types": typesOption,
      "chart-months": monthsOption,
    };
    Object.keys(builders).forEach(function (id) {
      var el = document.getElementById(id);
      if (!el) {
        return;
      }
      var chart = window.echarts.init(el, null, { renderer: "canvas", locale: data.locale });
      chart.setOption(builders[id](data, el));
      charts.push(chart);
    });
    var pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(function () {
        charts.forEach(function (chart) {
          chart.resize();
        });
      }, 100);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
