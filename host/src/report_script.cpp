#include "report_script.hpp"

namespace klaster {

const char* const kReportStyle = R"css(
body { font: 14px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 1em 2em; color: #222; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ccc; margin-top: 2em; } h3 { margin-top: 1.4em; }
table.data, table.kv { border-collapse: collapse; margin: .5em 0; font-size: 13px; }
table.data th, table.data td, table.kv th, table.kv td { border: 1px solid #ddd; padding: 2px 6px; text-align: left; vertical-align: top; }
table.data th { background: #f3f3f3; cursor: pointer; position: sticky; top: 0; }
table.data th[aria-sort=ascending]::after { content: " \25B2"; } table.data th[aria-sort=descending]::after { content: " \25BC"; }
.num { text-align: right !important; font-variant-numeric: tabular-nums; }
.scroll { max-height: 420px; overflow: auto; display: inline-block; max-width: 100%; }
.name { color: #666; font-size: 12px; }
.unit { color: #666; font-size: 11px; font-weight: normal; }
.note { color: #555; font-style: italic; }
.untranslated { font-size: 11px; color: #8a4b00; border: 1px solid #d9a066; border-radius: 3px; padding: 0 .3em; }
.desc { white-space: pre-wrap; background: #fafafa; border-left: 3px solid #ccc; padding: .4em .8em; }
.chart { margin: 1em 0; } .chart-title { font-weight: 600; }
.error { color: #b00; }
code { font-size: 12px; word-break: break-all; }
nav ul { columns: 3; }
body.charts-only .scroll, body.charts-only .desc, body.charts-only table.kv, body.charts-only nav,
body.charts-only .summaries { display: none; }
)css";

const char* const kReportScript = R"js(
(function () {
  'use strict';
  // report.html#charts shows the charts alone (a page to print or to look over).
  if (location.hash === '#charts') document.body.classList.add('charts-only');
  function sortTable(table, index, th) {
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    var up = th.getAttribute('aria-sort') !== 'ascending';
    function key(row) {
      var cell = row.cells[index], v = cell.getAttribute('data-v');
      return v !== null ? parseFloat(v) : cell.textContent;
    }
    rows.sort(function (a, b) {
      var x = key(a), y = key(b);
      var c = (typeof x === 'number' && typeof y === 'number') ? x - y : String(x).localeCompare(String(y));
      return up ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(th.parentNode.cells, function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', up ? 'ascending' : 'descending');
  }
  document.querySelectorAll('table.data').forEach(function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.addEventListener('click', function () { sortTable(table, i, th); });
    });
  });
  var toggle = document.getElementById('full-precision');
  if (toggle) toggle.addEventListener('change', function () {
    document.querySelectorAll('td[title][data-v]').forEach(function (td) {
      if (!td.hasAttribute('data-r')) td.setAttribute('data-r', td.textContent);
      td.textContent = toggle.checked ? td.getAttribute('data-v') : td.getAttribute('data-r');
    });
  });
  function fail(div, error) {
    var message = String(error && error.message ? error.message : error);
    div.setAttribute('data-error', message);
    var p = document.createElement('p');
    p.className = 'error';
    p.textContent = div.getAttribute('data-failed') + message;
    div.appendChild(p);
    console.error('chart ' + div.id + ': ' + message);
  }
  var regions = JSON.parse(document.getElementById('klaster-regions').textContent);
  document.querySelectorAll('div.chart[data-spec]').forEach(function (div) {
    try {
      var spec = JSON.parse(document.getElementById(div.getAttribute('data-spec')).textContent);
      spec.datasets = { klaster_regions: regions };  // the boundaries, held once in the page
      var compiled = vegaLite.compile(spec).spec;
      var view = new vega.View(vega.parse(compiled), {
        renderer: 'svg', container: div.querySelector('.vis'), hover: true
      });
      view.runAsync().then(function () {
        div.setAttribute('data-marks', String(div.querySelectorAll('svg g.role-mark > *').length));
      }).catch(function (e) { fail(div, e); });
    } catch (e) { fail(div, e); }
  });
})();
)js";

}  // namespace klaster
