// The live dashboard (served by the app at /admin/dashboard/app.js, no third-party code): polls
// /admin/dashboard/data every sample interval and draws small SVG line charts with the seed's KPIs
// as dashed threshold lines. Every chart's <svg> carries data-points (points drawn) and data-last
// (latest value) for tests and scripts.
'use strict';
(function () {
  var SVG = 'http://www.w3.org/2000/svg';
  var W = 600;
  var H = 190;
  var PAD = { l: 48, r: 12, t: 12, b: 22 };
  var state = { data: null, route: '' };

  function el(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) {
      node.setAttribute(k, String(attrs[k]));
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function h(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function niceMax(v) {
    if (!(v > 0)) return 1;
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * p >= v) return steps[i] * p;
    return 10 * p;
  }
  function fmt(v, digits) {
    if (v === null || v === undefined || !isFinite(v)) return '–';
    var d = digits === undefined ? (Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2) : digits;
    return Number(v).toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: 0 });
  }
  function clock(t) {
    return new Date(t).toTimeString().slice(0, 8);
  }

  // spec: { id, title, unit, series: [{ name, values: [number|null], note }], times: [ms], thresholds: [{ value, label, offScale }], yMax }
  // A threshold is always on the scale, unless offScale allows naming it above a much lower line.
  function chart(spec) {
    var card = document.getElementById('chart-' + spec.id);
    if (!card) {
      card = h('div', 'chart');
      card.id = 'chart-' + spec.id;
      document.getElementById('charts').appendChild(card);
    }
    card.textContent = '';
    card.appendChild(h('h3', '', spec.title));
    var svg = el('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': spec.title });
    card.appendChild(svg);
    var legend = h('div', 'legend');
    card.appendChild(legend);

    var all = [];
    spec.series.forEach(function (s) {
      s.values.forEach(function (v) {
        if (v !== null && isFinite(v)) all.push(v);
      });
    });
    var dataMax = all.length ? Math.max.apply(null, all) : 0;
    var top = dataMax;
    var offScale = [];
    (spec.thresholds || []).forEach(function (t) {
      if (!t.offScale || dataMax === 0 || t.value <= dataMax * 3) top = Math.max(top, t.value);
      else offScale.push(t);
    });
    var yMax = spec.yMax !== undefined ? spec.yMax : niceMax(top * 1.1);
    var n = spec.times.length;
    var x = function (i) {
      return PAD.l + (n <= 1 ? 0 : (i * (W - PAD.l - PAD.r)) / (n - 1));
    };
    var y = function (v) {
      return H - PAD.b - (Math.min(v, yMax) / yMax) * (H - PAD.t - PAD.b);
    };
    for (var g = 0; g <= 4; g++) {
      var gv = (yMax * g) / 4;
      svg.appendChild(el('line', { class: 'grid', x1: PAD.l, x2: W - PAD.r, y1: y(gv), y2: y(gv) }));
      svg.appendChild(el('text', { class: 'axis', x: PAD.l - 4, y: y(gv) + 3, 'text-anchor': 'end' }, fmt(gv) + (spec.unit || '')));
    }
    if (n > 0) {
      svg.appendChild(el('text', { class: 'axis', x: PAD.l, y: H - 6 }, clock(spec.times[0])));
      svg.appendChild(el('text', { class: 'axis', x: W - PAD.r, y: H - 6, 'text-anchor': 'end' }, clock(spec.times[n - 1])));
    }
    (spec.thresholds || []).forEach(function (t) {
      if (offScale.indexOf(t) >= 0) {
        svg.appendChild(
          el('text', { class: 'threshold-label', x: W - PAD.r, y: PAD.t + 8, 'text-anchor': 'end' }, t.label + ' (above the scale)'),
        );
        return;
      }
      svg.appendChild(
        el('line', { class: 'threshold', x1: PAD.l, x2: W - PAD.r, y1: y(t.value), y2: y(t.value), 'data-threshold': t.value }),
      );
      svg.appendChild(el('text', { class: 'threshold-label', x: W - PAD.r, y: y(t.value) - 3, 'text-anchor': 'end' }, t.label));
    });
    var drawn = 0;
    var last = null;
    spec.series.forEach(function (s, si) {
      var d = '';
      var pen = false;
      s.values.forEach(function (v, i) {
        if (v === null || !isFinite(v)) {
          pen = false;
          return;
        }
        d += (pen ? 'L' : 'M') + x(i).toFixed(1) + ' ' + y(v).toFixed(1);
        pen = true;
        if (si === 0) {
          drawn++;
          last = v;
        }
      });
      var latest = null;
      for (var i = s.values.length - 1; i >= 0; i--) {
        if (s.values[i] !== null && isFinite(s.values[i])) {
          latest = s.values[i];
          break;
        }
      }
      if (d) svg.appendChild(el('path', { class: 'line c' + si, d: d, 'data-series': s.name }));
      // A point with no neighbour draws no line: mark it with a dot.
      s.values.forEach(function (v, i) {
        var alone =
          v !== null &&
          isFinite(v) &&
          !(i > 0 && s.values[i - 1] !== null && isFinite(s.values[i - 1])) &&
          !(i + 1 < s.values.length && s.values[i + 1] !== null && isFinite(s.values[i + 1]));
        if (alone) svg.appendChild(el('circle', { class: 'dot c' + si, cx: x(i).toFixed(1), cy: y(v).toFixed(1), r: 2.5 }));
      });
      var item = h('span', '');
      item.appendChild(h('i', 'c' + si));
      item.appendChild(document.createTextNode(s.name + ': ' + fmt(latest) + (spec.unit || '') + (s.note ? ' ' + s.note : '')));
      legend.appendChild(item);
    });
    if (drawn === 0)
      svg.appendChild(el('text', { class: 'empty', x: W / 2, y: H / 2, 'text-anchor': 'middle' }, spec.empty || 'no data yet'));
    svg.setAttribute('data-points', String(drawn));
    svg.setAttribute('data-last', last === null ? '' : String(last));
  }

  function ms(v) {
    return v === null ? null : v * 1000;
  }
  function pct(v) {
    return v === null ? null : v * 100;
  }
  function kpiBox(label, value, bad) {
    var box = h('div', 'kpi' + (bad === undefined ? '' : bad ? ' bad' : ' ok'));
    box.appendChild(h('div', 'label', label));
    box.appendChild(h('div', 'value', value));
    return box;
  }

  function render() {
    var data = state.data;
    var k = data.kpis;
    var points = data.points;
    var times = points.map(function (p) {
      return p.t;
    });
    document.getElementById('instance').textContent = data.instance.hostname + ' · pid ' + data.instance.pid;

    // route selector
    var select = document.getElementById('route');
    var known = {};
    Array.prototype.forEach.call(select.options, function (o) {
      known[o.value] = true;
    });
    data.routes.forEach(function (r) {
      var v = r.method + ' ' + r.route;
      if (!known[v]) {
        var o = h('option', '', v);
        o.value = v;
        select.appendChild(o);
      }
    });
    var chosen = points;
    if (state.route) {
      var found = data.routes.filter(function (r) {
        return r.method + ' ' + r.route === state.route;
      })[0];
      chosen = found ? found.points : [];
    }
    var chosenTimes = chosen.map(function (p) {
      return p.t;
    });
    var label = state.route || 'all routes';

    // headline: the summary window over all routes
    var last = points[points.length - 1];
    var win = points.slice(-Math.max(1, Math.round(data.summaryWindowSeconds / data.intervalSeconds)));
    var req = 0;
    var errs = 0;
    win.forEach(function (p) {
      req += p.requests;
      errs += p.errorRate === null ? 0 : p.errorRate * p.requests;
    });
    var worstP95 = null;
    data.routes.forEach(function (r) {
      if (r.p95 !== null && (worstP95 === null || r.p95 > worstP95.p95)) worstP95 = r;
    });
    var head = document.getElementById('headline');
    head.textContent = '';
    head.appendChild(kpiBox('req/s (last)', last ? fmt(last.reqPerSec) : '–'));
    head.appendChild(kpiBox('messages/s (last)', last ? fmt(last.msgPerSec) : '–'));
    head.appendChild(
      kpiBox(
        'worst route P95 (' + data.summaryWindowSeconds / 60 + ' min)',
        worstP95 ? fmt(worstP95.p95 * 1000) + ' ms' : '–',
        worstP95 ? worstP95.p95 >= k.p95Seconds : undefined,
      ),
    );
    head.appendChild(
      kpiBox(
        '5xx rate (' + data.summaryWindowSeconds / 60 + ' min)',
        req ? fmt((errs / req) * 100, 3) + ' %' : '–',
        req ? errs / req >= k.errorRate : undefined,
      ),
    );
    head.appendChild(kpiBox('sockets', last ? fmt(last.sockets, 0) : '–'));
    head.appendChild(
      kpiBox(
        'pool in use',
        last ? last.poolInUse + ' / ' + last.poolMax + (last.poolWaiting ? ' (+' + last.poolWaiting + ' waiting)' : '') : '–',
        last ? last.poolWaiting > 0 : undefined,
      ),
    );

    chart({
      id: 'latency',
      title: 'Latency of ' + label + ' (ms)',
      unit: '',
      times: chosenTimes,
      series: [
        {
          name: 'P95',
          values: chosen.map(function (p) {
            return ms(p.p95);
          }),
        },
        {
          name: 'P50',
          values: chosen.map(function (p) {
            return ms(p.p50);
          }),
        },
        {
          name: 'P99',
          values: chosen.map(function (p) {
            return ms(p.p99);
          }),
        },
      ],
      thresholds: [
        { value: k.p95Seconds * 1000, label: 'KPI P95 < ' + k.p95Seconds * 1000 + ' ms' },
        { value: k.readP95Seconds * 1000, label: 'read target P95 < ' + k.readP95Seconds * 1000 + ' ms' },
      ],
      empty: 'no request in the history',
    });
    chart({
      id: 'errors',
      title: 'Error rate (5xx) of ' + label + ' (%)',
      unit: '%',
      times: chosenTimes,
      series: [
        {
          name: '5xx',
          values: chosen.map(function (p) {
            return pct(p.errorRate);
          }),
        },
      ],
      thresholds: [{ value: k.errorRate * 100, label: 'KPI < ' + k.errorRate * 100 + ' %' }],
      empty: 'no request in the history',
    });
    chart({
      id: 'throughput',
      title: 'Requests and messages per second',
      times: times,
      series: [
        {
          name: 'requests/s',
          values: points.map(function (p) {
            return p.reqPerSec;
          }),
        },
        {
          name: 'messages/s',
          values: points.map(function (p) {
            return p.msgPerSec;
          }),
        },
      ],
    });
    chart({
      id: 'sockets',
      title: 'Sockets connected (this instance)',
      times: times,
      series: [
        {
          name: 'sockets',
          values: points.map(function (p) {
            return p.sockets;
          }),
        },
      ],
      // Far above a small instance's count: named at the top instead of flattening the line.
      thresholds: [{ value: k.concurrentUsers, label: 'KPI > ' + fmt(k.concurrentUsers, 0) + ' users', offScale: true }],
    });
    chart({
      id: 'cache',
      title: 'Cache hit rate (%)',
      unit: '%',
      yMax: 100,
      times: times,
      series: [
        {
          name: 'hit rate',
          values: points.map(function (p) {
            return pct(p.cacheHitRate);
          }),
        },
      ],
      thresholds: [{ value: k.cacheHitRate * 100, label: 'KPI > ' + k.cacheHitRate * 100 + ' %' }],
      empty: 'no cache read in the history',
    });
    chart({
      id: 'pool',
      title: 'DB pool saturation (% of connections in use)',
      unit: '%',
      yMax: 100,
      times: times,
      series: [
        {
          name: 'in use',
          values: points.map(function (p) {
            return pct(p.poolSaturation);
          }),
          note: last ? '(' + last.poolInUse + '/' + last.poolMax + ', ' + last.poolWaiting + ' waiting)' : '',
        },
      ],
    });
    chart({
      id: 'waiting',
      title: 'Queries waiting for a pool connection',
      times: times,
      series: [
        {
          name: 'waiting',
          values: points.map(function (p) {
            return p.poolWaiting;
          }),
        },
      ],
    });
    chart({
      id: 'queue',
      title: 'Job queue depth (waiting + prioritized + delayed + active)',
      times: times,
      series: [
        {
          name: 'jobs',
          values: points.map(function (p) {
            return p.queueDepth;
          }),
        },
      ],
      empty: 'no job queue series on this instance',
    });
    chart({
      id: 'lag',
      title: 'Event-loop lag P99 (ms)',
      times: times,
      series: [
        {
          name: 'lag P99',
          values: points.map(function (p) {
            return ms(p.eventLoopLagP99);
          }),
        },
      ],
    });

    // routes table
    document.getElementById('routes-window').textContent = '(last ' + data.summaryWindowSeconds / 60 + ' min, by requests)';
    var body = document.querySelector('#routes tbody');
    body.textContent = '';
    data.routes.forEach(function (r) {
      var tr = h('tr', '');
      tr.setAttribute('data-route', r.method + ' ' + r.route);
      [
        [r.method, ''],
        [r.route, ''],
        [fmt(r.requests, 0), 'num'],
        [fmt(r.reqPerSec), 'num'],
        [fmt(ms(r.p50)), 'num'],
        [fmt(ms(r.p95)), 'num' + (r.p95 !== null && r.p95 >= k.p95Seconds ? ' bad' : '')],
        [fmt(ms(r.p99)), 'num'],
        [fmt(pct(r.errorRate), 3), 'num' + (r.errorRate !== null && r.errorRate >= k.errorRate ? ' bad' : '')],
        [fmt(r.clientErrors, 0), 'num'],
      ].forEach(function (c) {
        tr.appendChild(h('td', c[1], c[0]));
      });
      body.appendChild(tr);
    });

    // slowest statements
    var slow = data.slowStatements;
    var slowBody = document.querySelector('#slow tbody');
    var slowStatus = document.getElementById('slow-status');
    slowBody.textContent = '';
    if (!slow.available) {
      slowStatus.textContent = 'Not available: ' + slow.reason + '. To enable: ' + slow.howToEnable[0];
    } else {
      slowStatus.textContent = 'Database ' + slow.database + (slow.since ? ', since ' + slow.since : '');
      slow.slowest.forEach(function (s) {
        var tr = h('tr', '');
        [fmt(s.meanMs), fmt(s.maxMs), fmt(s.calls, 0), fmt(s.totalMs), fmt(s.rows, 0)].forEach(function (v) {
          tr.appendChild(h('td', 'num', v));
        });
        var td = h('td', '');
        td.appendChild(h('code', '', s.query));
        tr.appendChild(td);
        slowBody.appendChild(tr);
      });
    }
  }

  function poll() {
    var status = document.getElementById('status');
    fetch('/admin/dashboard/data', { credentials: 'same-origin', cache: 'no-store' })
      .then(function (res) {
        if (res.status === 401) {
          window.location.href = '/admin/dashboard';
          throw new Error('signed out');
        }
        if (!res.ok) throw new Error('HTTP ' + res.status);
        return res.json();
      })
      .then(function (data) {
        state.data = data;
        render();
        status.className = '';
        status.textContent =
          'updated ' + clock(data.generatedAt) + ' · every ' + data.intervalSeconds + ' s · ' + data.points.length + ' intervals';
        document.body.setAttribute('data-updates', String(Number(document.body.getAttribute('data-updates') || 0) + 1));
        setTimeout(poll, data.intervalSeconds * 1000);
      })
      .catch(function (err) {
        status.className = 'error';
        status.textContent = 'update failed: ' + err.message + ' (retrying)';
        setTimeout(poll, 5000);
      });
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.getElementById('route').addEventListener('change', function (e) {
      state.route = e.target.value;
      if (state.data) render();
    });
    poll();
  });
})();
