/*
 * Draws the analytics charts with Chart.js (served by the app, see router.ts) from the JSON block
 * #analytics-data that the server rendered. No strings live here: labels come with the data, in the
 * official's language. Loaded with `defer` after chart.umd.js, so both run in order once the page
 * is parsed; no inline script is needed (the console's CSP is script-src 'self').
 */
(function () {
  'use strict';
  var source = document.getElementById('analytics-data');
  var Chart = window.Chart;
  if (!source || !Chart) return;
  var data = JSON.parse(source.textContent || '{}');

  // Colour-blind-safe palette (Okabe–Ito), readable on white.
  var COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9'];
  var reduceMotion = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;

  Chart.defaults.locale = document.documentElement.lang === 'en' ? 'en-GB' : 'vi-VN';
  Chart.defaults.maintainAspectRatio = false;
  if (reduceMotion) Chart.defaults.animation = false;

  function draw(id, config) {
    var canvas = document.getElementById('chart-' + id);
    if (canvas) new Chart(canvas, config);
  }

  var integerTicks = { precision: 0 };

  if (data.messages) {
    draw('messages', {
      type: 'bar',
      data: {
        labels: data.messages.labels,
        datasets: data.messages.series.map(function (s, i) {
          return { label: s.label, data: s.data, backgroundColor: COLOURS[i % COLOURS.length] };
        }),
      },
      options: {
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: integerTicks } },
        plugins: { tooltip: { mode: 'index', intersect: false } },
      },
    });
  }

  function ranking(id, block, colour) {
    if (!block) return;
    draw(id, {
      type: 'bar',
      data: { labels: block.labels, datasets: [{ label: block.label, data: block.data, backgroundColor: colour }] },
      options: {
        indexAxis: 'y',
        scales: { x: { beginAtZero: true, ticks: integerTicks } },
        plugins: { legend: { display: false } },
      },
    });
  }
  ranking('intents', data.intents, COLOURS[0]);
  ranking('procedures', data.procedures, COLOURS[2]);

  if (data.handoffs) {
    var h = data.handoffs;
    draw('handoffs', {
      type: 'bar',
      data: {
        labels: h.labels,
        datasets: [
          { type: 'bar', label: h.requested.label, data: h.requested.data, backgroundColor: COLOURS[1], yAxisID: 'y' },
          { type: 'line', label: h.median.label, data: h.median.data, borderColor: COLOURS[0], backgroundColor: COLOURS[0], yAxisID: 'minutes', spanGaps: true },
          { type: 'line', label: h.p90.label, data: h.p90.data, borderColor: COLOURS[4], backgroundColor: COLOURS[4], borderDash: [6, 4], yAxisID: 'minutes', spanGaps: true },
        ],
      },
      options: {
        scales: {
          y: { beginAtZero: true, ticks: integerTicks, title: { display: true, text: h.requested.label } },
          minutes: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: h.median.label } },
        },
        plugins: { tooltip: { mode: 'index', intersect: false } },
      },
    });
  }

  if (data.ratings) {
    var r = data.ratings;
    draw('ratings', {
      type: 'bar',
      data: {
        labels: r.labels,
        datasets: [
          { type: 'line', label: r.average.label, data: r.average.data, borderColor: COLOURS[2], backgroundColor: COLOURS[2], yAxisID: 'y' },
          { type: 'bar', label: r.count.label, data: r.count.data, backgroundColor: 'rgba(86, 180, 233, 0.5)', yAxisID: 'count' },
        ],
      },
      options: {
        scales: {
          y: { min: 1, max: 5, title: { display: true, text: r.average.label } },
          count: { position: 'right', beginAtZero: true, ticks: integerTicks, grid: { drawOnChartArea: false }, title: { display: true, text: r.count.label } },
        },
        plugins: { tooltip: { mode: 'index', intersect: false } },
      },
    });
  }
})();
