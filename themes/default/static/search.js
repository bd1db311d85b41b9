// Results as you type on the search page (templates/search.html), from the static index that
// `shiji build` writes under search-index/ (src/output/search.rs says what each file holds).
// Without this script the page keeps its form and the lists of communities and categories to
// browse. UI strings come from the page's data-* attributes.

const PER_PAGE = 10;
const FILTERS = ['community', 'category', 'status'];

// What a term found where weighs (src/output/search.rs, `Found`): text, title, name.
const WEIGHT = [1, 3, 10];
// A page whose whole name is the query comes before every page that only contains it.
const WHOLE_NAME = 1000;
// A query of this many characters or more that no page holds whole still finds the pages
// holding most of its pairs (停车厂 finds 停车场), marked as partial matches.
const PARTIAL_FROM = 3;

// Han characters: the same ranges as `is_han` in src/output/search.rs.
const HAN = /[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2fa1f}]/u;
const WORD = /[\p{L}\p{N}]/u;

// The query's terms as the index holds them: pairs of adjacent Han characters (one character
// alone where a run is one long), other letters and digits as lower-cased words.
function terms(q) {
  const out = [];
  let han = [];
  let word = '';
  const endHan = () => {
    if (han.length === 1) out.push(han[0]);
    for (let i = 1; i < han.length; i++) out.push(han[i - 1] + han[i]);
    han = [];
  };
  for (const c of q + ' ') {
    if (HAN.test(c)) {
      han.push(c);
    } else {
      endHan();
    }
    if (!HAN.test(c) && WORD.test(c)) {
      word += c.toLowerCase();
    } else if (word) {
      out.push(word);
      word = '';
    }
  }
  return [...new Set(out)];
}

// FNV-1a of the term's UTF-8, as in src/output/search.rs: the shard that holds it.
function fnv1a(s) {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(s)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

// The index files, each fetched once.
function openIndex(root) {
  const cache = new Map();
  const json = (path) => {
    if (!cache.has(path)) {
      cache.set(path, fetch(root + path).then((r) => {
        if (!r.ok) throw new Error(`${path}: ${r.status}`);
        return r.json();
      }));
    }
    return cache.get(path);
  };
  return json('meta.json').then((meta) => ({
    // Whether document `n` is an item's page (meta.items: runs [first, end)).
    isItem: (n) => (meta.items || []).some(([a, b]) => n >= a && n < b),
    // Document number → where the term was found (0 text, 1 title, 2 name), or null when
    // no page holds it.
    async postings(term) {
      const shard = await json(`terms/${fnv1a(term) % meta.shards}.json`);
      // Own keys only: `constructor` is a word a resident may type, not a term. (Not
      // Object.hasOwn: older WeChat browsers lack it.)
      const list = Object.prototype.hasOwnProperty.call(shard, term) ? shard[term] : null;
      if (!list) return null;
      const found = new Map();
      let doc = 0;
      for (const e of list) {
        doc += Math.floor(e / 4);
        found.set(doc, e % 4);
      }
      return found;
    },
    async doc(n) {
      const chunk = await json(`docs/${Math.floor(n / meta.chunk)}.json`);
      const [url, title, kind, text, place] = chunk[n % meta.chunk];
      return { url, title, kind, text, place };
    },
    filters: () => json('filters.json'),
  }));
}

// The pages that hold every term and every filter value, best first, as `{ docs, partial }`.
// Order: the page named exactly the query; pages whose title (or name) holds every term;
// then by what the terms weigh where found; items before other pages (an item's title is
// what a resident looks for); then site order. When no page holds every term of a query of
// PARTIAL_FROM characters or more: the pages holding at least half of its terms, most first
// (`partial`: true), with the terms each holds.
async function find(index, q, filters) {
  const words = terms(q);
  const lists = await Promise.all([
    ...words.map((t) => index.postings(t)),
    ...Object.entries(filters).map(([name, value]) => index.postings(`${name}:${value}`)),
  ]);
  const termLists = lists.slice(0, words.length);
  const filterLists = lists.slice(words.length);
  if (!lists.length || filterLists.some((l) => l === null)) return { docs: [], partial: false };
  const passes = (doc) => filterLists.every((l) => l.has(doc));
  // Each page holding at least `need` terms (and every filter): [doc, held, inTitle, score].
  const rank = (need) => {
    const held = new Map();
    const candidates = termLists.length ? termLists.filter(Boolean) : filterLists.slice(0, 1);
    for (const l of candidates) for (const doc of l.keys()) held.set(doc, (held.get(doc) || 0) + 1);
    const out = [];
    for (const [doc, n] of held) {
      if ((termLists.length && n < need) || !passes(doc)) continue;
      let score = 0;
      let inTitle = termLists.length > 0;
      for (const l of termLists) {
        const found = l?.get(doc);
        if (found === undefined) { inTitle = false; continue; }
        score += WEIGHT[found] || 1;
        if (found < 1) inTitle = false;
      }
      out.push({ doc, held: n, inTitle, score, item: index.isItem(doc) });
    }
    return out;
  };
  let scores = termLists.every(Boolean) ? rank(words.length) : [];
  let partial = false;
  if (!scores.length && words.length > 1 && [...q.replace(/\s+/g, '')].length >= PARTIAL_FROM) {
    scores = rank(Math.ceil(words.length / 2));
    partial = scores.length > 0;
  }
  const whole = words.length && !partial ? await index.postings(`=${q.replace(/\s+/g, '').toLowerCase()}`) : null;
  for (const s of scores) if (whole?.has(s.doc)) s.score += WHOLE_NAME;
  scores.sort((a, b) => b.held - a.held || (b.score >= WHOLE_NAME) - (a.score >= WHOLE_NAME)
    || b.inTitle - a.inTitle || b.score - a.score || b.item - a.item || a.doc - b.doc);
  const held = partial ? words.filter((w, k) => termLists[k]) : null;
  return { docs: scores.map((s) => s.doc), partial, held };
}

async function main() {
  const app = document.getElementById('search-app');
  const form = document.getElementById('search-form');
  const input = document.getElementById('search-q');
  if (!app || !form || !input) return;
  const s = app.dataset;
  let index;
  try {
    index = await openIndex(`${s.base}search-index/`);
  } catch {
    return; // The page stays as it is without JavaScript.
  }
  const status = document.getElementById('search-status');
  const list = document.getElementById('search-results');
  const more = document.createElement('button');
  more.type = 'button';
  more.className = 'search-more';
  more.textContent = s.more;
  more.hidden = true;
  list.after(more);

  // The filters' values are read when the resident opens them: on a large site they weigh
  // more than the rest of the search together.
  const details = app.querySelector('.search-filters');
  const selects = {};
  details.hidden = false;
  details.addEventListener('toggle', async () => {
    if (!details.open || details.dataset.loaded) return;
    details.dataset.loaded = 'yes';
    const available = await index.filters().catch(() => ({}));
    for (const name of FILTERS) {
      // Statuses in the order work goes (data-status-order), the rest as a dictionary would.
      const order = name === 'status' ? s.statusOrder.split('|') : [];
      const at = (v) => (order.includes(v) ? order.indexOf(v) : order.length);
      const values = [...(available[name] || [])].sort((a, b) => at(a) - at(b) || a.localeCompare(b, 'zh-CN'));
      if (!values.length) continue;
      const id = `search-filter-${name}`;
      const wrap = document.createElement('div');
      wrap.className = 'search-filter';
      const label = document.createElement('label');
      label.htmlFor = id;
      label.textContent = s[`filter${name[0].toUpperCase()}${name.slice(1)}`];
      const select = document.createElement('select');
      select.id = id;
      select.append(new Option(s.all, ''));
      for (const v of values) select.append(new Option(v, v));
      select.addEventListener('change', () => run(0));
      wrap.append(label, select);
      details.querySelector('.search-filter-list').append(wrap);
      selects[name] = select;
    }
  });

  document.getElementById('search-nojs')?.setAttribute('hidden', '');
  app.hidden = false;

  let latest = 0;
  let results = [];
  let shown = 0;
  let needles = [];
  let partial = false;
  let timer;

  // One search, after `wait` ms of quiet typing. Only the latest search may show its results.
  function run(wait) {
    clearTimeout(timer);
    const mine = ++latest;
    timer = setTimeout(() => search(mine), wait);
  }

  async function search(mine) {
    const q = input.value.trim();
    const filters = {};
    for (const [name, select] of Object.entries(selects)) {
      if (select.value) filters[name] = select.value;
    }
    const url = new URL(window.location.href);
    if (q) url.searchParams.set('q', q);
    else url.searchParams.delete('q');
    window.history.replaceState(null, '', url);
    if (!q && !Object.keys(filters).length) {
      await show(mine, { docs: [] }, '', '');
      return;
    }
    const found = await find(index, q, filters).catch(() => ({ docs: [] }));
    if (mine !== latest) return;
    const count = found.docs.length;
    const text = !count ? s.none.replace('{q}', q)
      : (found.partial ? s.partial : s.found).replace('{q}', q).replace('{count}', count);
    await show(mine, found, text, q);
  }

  async function show(mine, found, text, q) {
    results = found.docs;
    // What to mark in the results: the query's words, or the pairs a partial match holds.
    needles = found.partial ? found.held : words(q);
    partial = Boolean(found.partial);
    shown = 0;
    const first = await page();
    if (mine !== latest) return;
    list.replaceChildren(...first);
    status.textContent = text;
    more.hidden = shown >= results.length;
  }

  // The next PER_PAGE results as list items (their chunks of documents are fetched here).
  async function page() {
    const next = results.slice(shown, shown + PER_PAGE);
    shown += next.length;
    const docs = await Promise.all(next.map((n) => index.doc(n)));
    return docs.map((d) => item(d, needles, partial && s.partialTag));
  }

  more.addEventListener('click', async () => {
    const mine = latest;
    const items = await page();
    if (mine !== latest) return;
    list.append(...items);
    more.hidden = shown >= results.length;
    items[0]?.querySelector('a')?.focus();
  });

  input.addEventListener('input', () => run(250));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    run(0);
  });

  // A query from the address (the header's box, a shared link), or typed while this loaded.
  const q = new URLSearchParams(window.location.search).get('q');
  if (q && !input.value) input.value = q;
  if (input.value.trim()) run(0);
}

// One result: its title, kind (and "partial match"), where it belongs, and the running text
// around the first place a needle is found.
function item(d, needles, partialTag) {
  const li = document.createElement('li');
  const a = document.createElement('a');
  a.href = document.getElementById('search-app').dataset.base + d.url;
  a.append(...marked(d.title || d.url, needles));
  li.append(a);
  for (const label of [d.kind, partialTag]) {
    if (!label) continue;
    const tag = document.createElement('span');
    tag.className = 'tag';
    tag.textContent = label;
    li.append(' ', tag);
  }
  if (d.place) {
    const place = document.createElement('p');
    place.className = 'search-place';
    place.textContent = d.place;
    li.append(place);
  }
  if (d.text) li.append(excerpt(d.text, needles));
  return li;
}

// The running text around the first place a needle is found (its start otherwise).
function excerpt(text, needles) {
  const p = document.createElement('p');
  p.className = 'search-excerpt';
  const lower = text.toLowerCase();
  const at = Math.min(...needles.map((w) => lower.indexOf(w)).filter((i) => i >= 0), Infinity);
  const start = Number.isFinite(at) ? Math.max(0, at - 20) : 0;
  const end = start + 80;
  p.append(...marked((start > 0 ? '…' : '') + text.slice(start, end) + (end < text.length ? '…' : ''), needles));
  return p;
}

// The query's words, lower-cased.
function words(q) {
  return q.split(/\s+/).filter(Boolean).map((w) => w.toLowerCase());
}

// `text` as text nodes, with every needle (lower-cased) found in it in a <mark> element:
// built as nodes, never parsed as HTML.
function marked(text, parts) {
  const lower = text.toLowerCase();
  const nodes = [];
  let i = 0;
  while (i < text.length) {
    let next = -1;
    let len = 0;
    for (const w of parts) {
      const j = lower.indexOf(w, i);
      if (j >= 0 && (next < 0 || j < next)) [next, len] = [j, w.length];
    }
    if (next < 0) {
      nodes.push(text.slice(i));
      break;
    }
    if (next > i) nodes.push(text.slice(i, next));
    const m = document.createElement('mark');
    m.textContent = text.slice(next, next + len);
    nodes.push(m);
    i = next + len;
  }
  return nodes;
}

main();
