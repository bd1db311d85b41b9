// Results as you type on the search page (templates/search.html), from the static index that
// `shiji build` writes under pagefind/ (Pagefind's search script, index and WebAssembly, all
// served by the site itself). Without this script the page keeps its form and the lists of
// communities and categories to browse. UI strings come from the page's data-* attributes.

const PER_PAGE = 10;
const FILTERS = ['community', 'category', 'status'];

async function main() {
  const app = document.getElementById('search-app');
  const form = document.getElementById('search-form');
  const input = document.getElementById('search-q');
  if (!app || !form || !input) return;
  const s = app.dataset;
  let pagefind;
  try {
    pagefind = await import(`${s.base}pagefind/pagefind.js`);
    // A page whose own name is the query (文庙社区) before longer titles that contain it
    // (文庙社区2018年度共驻共建协议, termSimilarity 4 instead of 1) and before short pages that
    // merely name it (an item of the community, pageLength 0.5 instead of 0.75).
    await pagefind.options({ baseUrl: s.base, excerptLength: 30, ranking: { termSimilarity: 4, pageLength: 0.5 } });
    // A large site's index comes in parts (src/output/search.rs): the first is pagefind/.
    for (const part of s.parts.split(' ').filter(Boolean).slice(1)) {
      await pagefind.mergeIndex(`${s.base}${part}`);
    }
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
    const available = await pagefind.filters().catch(() => ({}));
    for (const name of FILTERS) {
      const values = Object.keys(available[name] || {}).sort((a, b) => a.localeCompare(b, 'zh-CN'));
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

  // One search; `wait` ms of quiet typing first. Only the latest search may show its results.
  async function run(wait) {
    const q = input.value.trim();
    const filters = {};
    for (const [name, select] of Object.entries(selects)) {
      if (select.value) filters[name] = select.value;
    }
    const url = new URL(window.location.href);
    if (q) url.searchParams.set('q', q);
    else url.searchParams.delete('q');
    window.history.replaceState(null, '', url);
    const mine = ++latest;
    if (!q && !Object.keys(filters).length) {
      show(mine, [], '');
      return;
    }
    const search = wait > 0
      ? await pagefind.debouncedSearch(q || null, { filters }, wait)
      : await pagefind.search(q || null, { filters });
    if (search === null || mine !== latest) return;
    const text = search.results.length
      ? s.found.replace('{count}', search.results.length)
      : s.none.replace('{q}', q);
    await show(mine, search.results, text);
  }

  async function show(mine, found, text) {
    results = found;
    shown = 0;
    const first = await page();
    if (mine !== latest) return;
    list.replaceChildren(...first);
    status.textContent = text;
    more.hidden = shown >= results.length;
  }

  // The next PER_PAGE results as list items (Pagefind loads each result's fragment here).
  async function page() {
    const next = results.slice(shown, shown + PER_PAGE);
    shown += next.length;
    const data = await Promise.all(next.map((r) => r.data()));
    return data.map(item);
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

function item(d) {
  const li = document.createElement('li');
  const a = document.createElement('a');
  a.href = d.url;
  a.textContent = d.meta.title || d.url;
  li.append(a);
  if (d.meta.kind) {
    const kind = document.createElement('span');
    kind.className = 'tag';
    kind.textContent = d.meta.kind;
    li.append(' ', kind);
  }
  li.append(excerpt(d.excerpt));
  return li;
}

// Pagefind's excerpt is text with `<` and `>` escaped and the matches in <mark>: built here as
// text nodes and <mark> elements, never parsed as HTML.
function excerpt(html) {
  const p = document.createElement('p');
  p.className = 'search-excerpt';
  html.split(/<mark>|<\/mark>/).forEach((part, i) => {
    const text = part.replace(/&lt;/g, '<').replace(/&gt;/g, '>');
    if (!text) return;
    if (i % 2) {
      const m = document.createElement('mark');
      m.textContent = text;
      p.append(m);
    } else {
      p.append(text);
    }
  });
  return p;
}

main();
