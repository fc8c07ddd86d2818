// The status page: draws /topology once as an SVG graph, then reads /tasks and /ready every
// second. Everything comes from this server; text is set with textContent only.
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const COLOURS = ['#dbe8fb', '#dff3e4', '#fbe9d6', '#eadff7', '#f8dde3', '#dff2f3'];
const W = 170, H = 44, DX = 250, DY = 64, PAD = 16;
// Sub-topology id -> whether its tasks keep state; from /topology, for the Restore column.
const stateful = new Map();
let applicationId = '';

// Internal topics start with the application id: shown without it (the title keeps it all).
function short(name) {
  return applicationId && name.startsWith(applicationId + '-') && name.includes('-repartition')
    ? name.slice(applicationId.length + 1) : name;
}

function el(tag, attrs, text) {
  const e = tag.startsWith('svg:') ? document.createElementNS(SVG, tag.slice(4))
    : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

function clip(s, n) { return s.length > n ? s.slice(0, n - 1) + '\u2026' : s; }

// Layers by longest path from a source; rows in layer order. Small topologies only, so the
// simple layout reads well without crossing minimisation.
function layout(topology) {
  const ins = new Map(topology.operators.map(o => [o.id, []]));
  topology.edges.forEach(e => ins.get(e.to).push(e.from));
  const depth = new Map();
  const depthOf = id => {
    if (!depth.has(id)) {
      depth.set(id, 0);
      depth.set(id, Math.max(0, ...ins.get(id).map(i => depthOf(i) + 1)));
    }
    return depth.get(id);
  };
  const rows = [];
  const pos = new Map();
  topology.operators.forEach(o => {
    const d = depthOf(o.id);
    rows[d] = (rows[d] || 0);
    pos.set(o.id, { x: PAD + d * DX, y: PAD + rows[d] * DY });
    rows[d]++;
  });
  return { pos, width: PAD * 2 + (rows.length - 1) * DX + W,
    height: PAD * 2 + (Math.max(...rows) - 1) * DY + H };
}

function drawTopology(topology) {
  applicationId = topology.applicationId;
  const { pos, width, height } = layout(topology);
  // Scales down (never up) to the section's width.
  const svg = el('svg:svg', { width, height, viewBox: `0 0 ${width} ${height}`,
    style: `max-width:100%;height:auto`, role: 'img', 'aria-label': 'topology' });
  const defs = el('svg:defs');
  const marker = el('svg:marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5,
    markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  marker.appendChild(el('svg:path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#8a93a6' }));
  defs.appendChild(marker);
  svg.appendChild(defs);
  topology.edges.forEach(e => {
    const a = pos.get(e.from), b = pos.get(e.to);
    const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2, mx = (x1 + x2) / 2;
    const g = el('svg:g', { class: 'edge-group' });
    g.appendChild(el('svg:path', { class: 'edge' + (e.topic ? ' exchange' : ''),
      d: `M ${x1} ${y1} C ${mx} ${y1}, ${mx} ${y2}, ${x2} ${y2}`, 'marker-end': 'url(#arrow)' }));
    if (e.topic) {
      const t = el('svg:text', { class: 'topic', x: mx, y: Math.min(y1, y2) - 6,
        'text-anchor': 'middle' }, 'exchange');
      t.appendChild(el('svg:title', {}, e.topic));
      g.appendChild(t);
    }
    svg.appendChild(g);
  });
  topology.operators.forEach(o => {
    const p = pos.get(o.id);
    const g = el('svg:g', { class: 'node', 'data-operator': o.name,
      transform: `translate(${p.x},${p.y})` });
    g.appendChild(el('svg:rect', { width: W, height: H, rx: 6,
      fill: COLOURS[o.subTopology % COLOURS.length], stroke: '#9aa3b5' }));
    g.appendChild(el('svg:text', { x: 8, y: 18 }, clip(o.name, 24)));
    const detail = o.kind + (o.topics ? ' \u00b7 ' + o.topics.map(short).join(', ')
      : o.store ? ' \u00b7 state' : '');
    g.appendChild(el('svg:text', { class: 'kind', x: 8, y: 35 }, clip(detail, 28)));
    g.appendChild(el('svg:title', {}, `${o.name} (${o.kind}, sub-topology ${o.subTopology})`
      + (o.topics ? '\ntopics: ' + o.topics.join(', ') : '')
      + (o.store ? '\nstore: ' + o.store : '')));
    svg.appendChild(g);
  });
  const legend = el('div', { class: 'chips' });
  topology.subTopologies.forEach(st => {
    stateful.set(st.id, st.stores.length > 0);
    const chip = el('span', { class: 'chip' }, `sub-topology ${st.id}`
      + (st.stores.length ? ' (state: ' + st.stores.join(', ') + ')' : ''));
    chip.style.background = COLOURS[st.id % COLOURS.length];
    legend.appendChild(chip);
  });
  document.getElementById('topology').replaceChildren(svg, legend);
}

function time(ms) {
  if (ms === null || ms === undefined) return '-';
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

function duration(ms) {
  if (ms === null || ms === undefined) return '-';
  const a = Math.abs(ms);
  if (a < 1000) return ms + ' ms';
  if (a < 120e3) return (ms / 1e3).toFixed(1) + ' s';
  if (a < 120 * 60e3) return (ms / 60e3).toFixed(1) + ' min';
  if (a < 48 * 3600e3) return (ms / 3600e3).toFixed(1) + ' h';
  return Math.round(ms / 86400e3).toLocaleString('en') + ' d';
}

function badge(id, text, kind) {
  const b = document.getElementById(id);
  b.textContent = text;
  b.className = 'badge ' + kind;
}

function restoreCell(t) {
  const td = el('td');
  if (t.state !== 'RESTORING') {
    td.textContent = stateful.get(Number(t.id.split('_')[0])) ? 'restored' : 'no state';
    return td;
  }
  const done = t.restoreTotal - t.restoreRemaining;
  const pct = t.restoreTotal > 0 ? Math.floor(100 * done / t.restoreTotal) : 0;
  const bar = el('span', { class: 'bar' });
  bar.appendChild(el('span', { style: `width:${pct}%` }));
  td.append(bar, `${done} / ${t.restoreTotal}`);
  return td;
}

function inputsCell(t) {
  const td = el('td');
  const table = el('table', { class: 'inputs' });
  t.inputs.forEach(i => {
    const tr = el('tr', { 'data-input': i.name });
    tr.appendChild(el('td', { title: i.name }, short(i.name)));
    tr.appendChild(el('td', { class: 'watermark' }, time(i.watermark) + (i.idle ? ' (idle)' : '')));
    tr.appendChild(el('td', {}, i.recordsLag === null ? 'lag -' : `lag ${i.recordsLag}`));
    table.appendChild(tr);
  });
  td.appendChild(table);
  return td;
}

function drawTasks(tasks) {
  document.getElementById('app').textContent = tasks.applicationId;
  document.getElementById('instance').textContent = tasks.instanceId || '-';
  badge('state', tasks.state, tasks.state === 'RUNNING' ? 'ok'
    : /ERROR|NOT_RUNNING/.test(tasks.state) ? 'bad' : 'warn');
  const box = el('div');
  tasks.threads.forEach(th => {
    const div = el('div', { class: 'thread', 'data-thread': th.name });
    const latency = th.commitLatencyAvgMs === null ? '-' : th.commitLatencyAvgMs.toFixed(1) + ' ms';
    div.appendChild(el('h3', {}, `${th.name} \u2014 ${th.state}, ${th.commits} commits,`
      + ` commit latency avg ${latency}`));
    const table = el('table', { class: 'tasks' });
    const head = el('tr');
    ['Task', 'State', 'Watermark', 'Event-time lag', 'Restore', 'Inputs: watermark, lag']
      .forEach(h => head.appendChild(el('th', {}, h)));
    table.appendChild(head);
    th.tasks.forEach(t => {
      const tr = el('tr', { 'data-task': t.id });
      tr.appendChild(el('td', {}, t.id));
      tr.appendChild(el('td', {}, t.state));
      tr.appendChild(el('td', { class: 'watermark', 'data-value': t.watermark === null ? ''
        : String(t.watermark) }, time(t.watermark) + (t.idle ? ' (idle)' : '')));
      tr.appendChild(el('td', { class: 'num' }, duration(t.eventTimeLagMs)));
      tr.appendChild(restoreCell(t));
      tr.appendChild(inputsCell(t));
      table.appendChild(tr);
    });
    if (th.tasks.length === 0) {
      const tr = el('tr');
      tr.appendChild(el('td', { colspan: 6, class: 'muted' }, 'no tasks'));
      table.appendChild(tr);
    }
    div.appendChild(table);
    box.appendChild(div);
  });
  document.getElementById('threads').replaceChildren(box);
  document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  document.body.dataset.refreshes = String(Number(document.body.dataset.refreshes || 0) + 1);
}

async function refresh() {
  try {
    const [tasks, ready] = await Promise.all([
      fetch('tasks', { cache: 'no-store' }).then(r => r.json()),
      fetch('ready', { cache: 'no-store' }).then(r => r.json())]);
    drawTasks(tasks);
    badge('ready', ready.status === 'UP' ? 'ready' : 'not ready: ' + ready.reason,
      ready.status === 'UP' ? 'ok' : 'warn');
  } catch (e) {
    badge('state', 'unreachable', 'bad');
  } finally {
    setTimeout(refresh, 1000);
  }
}

fetch('topology').then(r => r.json()).then(drawTopology)
  .catch(() => { document.getElementById('topology').textContent = 'topology unavailable'; });
refresh();
