"""The report pages' own scripts, the only ones their Content-Security-Policy lets run (by hash).

The index's script draws the story list from the page's JSON block a page at a time (search, sort, fate and
outlet filters, pagination); a story page's script filters its paragraph rows. Neither writes HTML: text
goes in as textContent, so an article's markup stays text.
"""

import base64
import hashlib

INDEX_SCRIPT = r"""'use strict';
// The story list: rows from the JSON block, filtered, sorted and drawn a page at a time. Text reaches the
// page as textContent only, never as HTML.
const data = JSON.parse(document.getElementById('story-data').textContent);
const OUTLETS = data.outlets;
const stories = data.stories.map((s, k) => ({
  file: s[0], id: s[1], title: s[2], lead: s[3], origin: s[4], first: s[5], last: s[6], reps: s[7],
  n: s[8], survival: s[9], fates: s[10], rank: k,
}));
const $ = (css) => document.querySelector(css);
const controls = $('#story-controls');
const field = (name) => controls.elements.namedItem(name);
const fateBoxes = [...controls.querySelectorAll('input[data-filter=fate]')];
const state = {q: '', outlet: '', fates: [], mode: 'any', sort: 'reps', desc: true, page: 0, size: 100};
const SVG = 'http://www.w3.org/2000/svg';

function text(tag, value, cls) {
  const el = document.createElement(tag);
  el.textContent = value;
  if (cls) el.className = cls;
  return el;
}
function words(r) {
  if (r.words === undefined) {
    r.words = [r.title, r.lead, r.id, OUTLETS[r.origin], ...r.reps.map((o) => OUTLETS[o])].join('\n')
      .toLowerCase();
  }
  return r.words;
}
// Undated stories and stories without a survival rate sort last, whichever the direction.
const KEYS = {reps: (r) => r.n, date: (r) => r.first || null, survival: (r) => r.survival};
function compare(a, b) {
  const x = KEYS[state.sort](a), y = KEYS[state.sort](b);
  if (x !== y) {
    if (x === null) return 1;
    if (y === null) return -1;
    return (x < y ? -1 : 1) * (state.desc ? -1 : 1);
  }
  return a.rank - b.rank;
}
function matching() {
  const terms = state.q.toLowerCase().split(/\s+/).filter(Boolean);
  const outlet = state.outlet === '' ? -1 : OUTLETS.indexOf(state.outlet);
  const wanted = state.fates.map((f) => data.fates.indexOf(f));
  return stories.filter((r) =>
    (outlet < 0 || r.origin === outlet || r.reps.includes(outlet)) &&
    (!wanted.length || (state.mode === 'all' ? wanted.every((f) => r.fates[f] > 0)
                                             : wanted.some((f) => r.fates[f] > 0))) &&
    terms.every((t) => words(r).includes(t)));
}
function fateBar(counts) {
  const total = counts.reduce((a, b) => a + b, 0);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'fate-bar');
  svg.setAttribute('width', '160');
  svg.setAttribute('height', '12');
  let x = 0;
  counts.forEach((n, k) => {
    if (!n) return;
    const rect = document.createElementNS(SVG, 'rect');
    const w = 160 * n / total;
    rect.setAttribute('class', 'fate-' + data.fates[k]);
    rect.setAttribute('x', x.toFixed(1));
    rect.setAttribute('width', w.toFixed(1));
    rect.setAttribute('height', '12');
    rect.setAttribute('fill', data.colours[k]);
    const tip = document.createElementNS(SVG, 'title');
    tip.textContent = data.fates[k] + ': ' + n + ' (' + Math.round(100 * n / total) + '%)';
    rect.appendChild(tip);
    svg.appendChild(rect);
    x += w;
  });
  return svg;
}
function row(r) {
  const tr = document.createElement('tr');
  tr.className = 'story';
  tr.dataset.fates = data.fates.filter((f, k) => r.fates[k] > 0).join(' ');
  const story = document.createElement('td');
  if (r.file) {
    const link = text('a', r.title);
    link.href = 'stories/' + r.file;
    story.append(link);
  } else {
    story.append(text('span', r.title, 'title'), text('span', ' (no story page)', 'meta'));
  }
  story.append(text('div', r.id, 'meta story-id'));
  if (r.lead) story.append(text('div', r.lead, 'lead'));
  const origin = document.createElement('td');
  const dates = r.first === r.last ? (r.first || 'undated') : (r.first || 'undated') + ' → ' + r.last;
  origin.append(text('span', OUTLETS[r.origin]), text('div', dates, 'meta'));
  const by = document.createElement('td');
  r.reps.slice(0, 8).forEach((o, k) => {
    if (k) by.append(document.createElement('br'));
    by.append(OUTLETS[o]);
  });
  if (r.reps.length > 8) by.append(text('div', 'and ' + (r.reps.length - 8) + ' more', 'meta'));
  const survival = r.survival === null ? '–' : Math.round(100 * r.survival) + '%';
  const bar = document.createElement('td');
  bar.append(fateBar(r.fates));
  tr.append(story, origin, by, text('td', String(r.n), 'num'), text('td', survival, 'num'), bar);
  return tr;
}
function draw() {
  const found = matching().sort(compare);
  const pages = Math.max(1, Math.ceil(found.length / state.size));
  state.page = Math.min(state.page, pages - 1);
  const start = state.page * state.size;
  const shown = found.slice(start, start + state.size);
  $('#stories tbody').replaceChildren(...shown.map(row));
  $('#shown-count').textContent = String(found.length);
  $('#page-range').textContent = found.length ? (start + 1) + '–' + (start + shown.length) : '0';
  $('#page-of').textContent = (state.page + 1) + ' of ' + pages;
  $('#previous').disabled = state.page === 0;
  $('#next').disabled = state.page >= pages - 1;
  for (const th of document.querySelectorAll('#stories th[data-sort]')) {
    const order = th.dataset.sort !== state.sort ? 'none' : state.desc ? 'descending' : 'ascending';
    th.setAttribute('aria-sort', order);
  }
  const where = new URLSearchParams();
  for (const [k, v] of Object.entries(state)) {
    if (String(v) !== '' && String(v) !== String(DEFAULT[k])) where.set(k, v);
  }
  const hash = where.toString() ? '#' + where : '';
  if (hash !== location.hash) location.replace(hash || '#');
}
const DEFAULT = {...state};
function read() {
  state.q = field('q').value;
  state.outlet = field('outlet').value;
  state.fates = fateBoxes.filter((b) => b.checked).map((b) => b.value);
  state.mode = field('mode').value;
  state.size = Number(field('size').value);
}
// The browser's back button from a story page returns to the same search, sort and page (the address's #).
const saved = new URLSearchParams(location.hash.slice(1));
for (const k of Object.keys(state)) {
  if (!saved.has(k)) continue;
  const v = saved.get(k);
  state[k] = k === 'fates' ? v.split(',').filter((f) => data.fates.includes(f))
    : typeof DEFAULT[k] === 'number' ? Number(v) || 0 : typeof DEFAULT[k] === 'boolean' ? v === 'true' : v;
}
if (!KEYS[state.sort]) state.sort = DEFAULT.sort;
if (![...field('size').options].some((o) => o.value === String(state.size))) state.size = DEFAULT.size;
field('q').value = state.q;
field('outlet').value = state.outlet;
field('mode').value = state.mode;
field('size').value = String(state.size);
fateBoxes.forEach((b) => { b.checked = state.fates.includes(b.value); });
function refilter() {
  read();
  state.page = 0;
  draw();
}
// Search once typing pauses; boxes and choices on change (what a script driving the page, too, fires).
let typing;
field('q').addEventListener('input', () => {
  clearTimeout(typing);
  typing = setTimeout(refilter, 150);
});
controls.addEventListener('change', (event) => { if (event.target !== field('q')) refilter(); });
controls.addEventListener('submit', (event) => event.preventDefault());
for (const th of document.querySelectorAll('#stories th[data-sort]')) {
  th.querySelector('button').addEventListener('click', () => {
    state.desc = state.sort === th.dataset.sort ? !state.desc : true;
    state.sort = th.dataset.sort;
    state.page = 0;
    draw();
  });
}
function turn(step) {
  state.page += step;
  draw();
  $('#stories').scrollIntoView();
}
$('#previous').addEventListener('click', () => turn(-1));
$('#next').addEventListener('click', () => turn(1));
draw();
"""

STORY_SCRIPT = r"""'use strict';
// A checked fate shows the paragraphs with that fate (none checked: all); a chosen outlet, its republication.
const fateBoxes = [...document.querySelectorAll('input[data-filter=fate]')];
const outletChoice = document.querySelector('select[data-filter=outlet]');
function applyFilters() {
  const fates = new Set(fateBoxes.filter((b) => b.checked).map((b) => b.value));
  const outlet = outletChoice ? outletChoice.value : '';
  for (const el of document.querySelectorAll('[data-fates]')) {
    el.hidden = fates.size > 0 && !fates.has(el.dataset.fates);
  }
  for (const el of document.querySelectorAll('[data-outlets]')) {
    el.hidden = outlet !== '' && !JSON.parse(el.dataset.outlets).includes(outlet);
  }
}
fateBoxes.forEach((b) => b.addEventListener('change', applyFilters));
if (outletChoice) outletChoice.addEventListener('change', applyFilters);
applyFilters();
"""


def script_hash(script: str) -> str:
    """The CSP source that lets exactly this script run."""
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
