// Linegate operator UI: one screen per route (#/, #/lots/{lot}, #/serials/{serial}, #/stations/{id},
// #/cases/{sscc}, #/audit),
// drawn from the JSON API and kept current by the server-sent events of /api/live, behind a
// login. No framework and no build step: what is served is what runs.

const view = document.getElementById('view');
const SCANS_SHOWN = 8;
const LOTS_SHOWN = 5;
const SERIALS_PAGE = 100;
const STATUS_POLL_MS = 5000; // connections, printers and dead letters send no events: they are polled

// ---- small helpers -------------------------------------------------------------------------

/** Builds an element. Text always goes in as text, never as HTML: scans come from outside. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

const enc = encodeURIComponent;

function time(iso) {
  return iso ? new Date(iso).toLocaleTimeString() : '';
}

function dateTime(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

function age(seconds) {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86400)} days`;
}

function statusBadge(status, id) {
  return h('span', { class: `badge status-${status}`, id }, status);
}

function stateBadge(check) {
  if (!check) return h('span', { class: 'badge state-unknown' }, 'unknown');
  return h('span', { class: `badge state-${check.status.toLowerCase()}`, title: check.state }, check.status);
}

// ---- the API -------------------------------------------------------------------------------

const UNREACHABLE = 'gateway not reachable';

class ApiProblem extends Error {
  constructor(error, detail, status) {
    super(error);
    this.detail = detail;
    this.status = status;
  }
}

/** Calls the API; an answer that is not 2xx becomes an ApiProblem with the API's own words. */
async function api(method, path, body) {
  let response;
  try {
    // Every change is JSON, even without fields: the gateway refuses other bodies, so that a
    // form on some other web page cannot post to it.
    const changes = method !== 'GET';
    response = await fetch(path, {
      method,
      headers: changes ? { 'Content-Type': 'application/json' } : {},
      body: changes ? JSON.stringify(body ?? {}) : undefined,
    });
  } catch (e) {
    throw new ApiProblem(UNREACHABLE, `${method} ${path}: ${e.message}`);
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: reported below with the status
  }
  // /health answers 503 with the full report when something is down: that is still an answer.
  if (response.ok || (path === '/health' && json)) return json;
  throw new ApiProblem(json?.error ?? `HTTP ${response.status}`, json?.detail ?? text, response.status);
}

const get = (path) => api('GET', path);
const post = (path, body) => api('POST', path, body ?? {});

// ---- errors, questions, the operator -------------------------------------------------------

function showError(e) {
  document.getElementById('error-title').textContent = e instanceof ApiProblem ? `${e.message}:` : 'Error:';
  document.getElementById('error-detail').textContent = e instanceof ApiProblem ? e.detail ?? '' : String(e);
  document.getElementById('error').hidden = false;
}

document.getElementById('error-close').addEventListener('click', () => {
  document.getElementById('error').hidden = true;
});

/** Asks one question in the dialog; resolves to the answer, or null if cancelled. */
function ask(title, label, value = '') {
  const dialog = document.getElementById('ask');
  const input = document.getElementById('ask-input');
  document.getElementById('ask-title').textContent = title;
  document.getElementById('ask-label').textContent = label;
  input.value = value;
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () => resolve(dialog.returnValue === 'ok' && input.value.trim() ? input.value.trim() : null),
      { once: true },
    );
    dialog.returnValue = '';
    dialog.showModal();
    input.focus();
  });
}

// ---- who is logged in ------------------------------------------------------------------------

/** The session's user, role and permissions (GET /api/session); null until logged in. */
let me = null;

/** Whether the logged-in role allows it (read, labels, supervise, retry-dead-letters, administer). */
const may = (permission) => Boolean(me?.may.includes(permission));

function showWho() {
  document.getElementById('who').hidden = !me;
  document.getElementById('user').textContent = me ? `${me.user} (${me.role})` : '';
  document.getElementById('users-link').hidden = !may('administer');
}

function loginPage(problem) {
  const user = h('input', { id: 'login-user', name: 'user', autocomplete: 'username', required: true, placeholder: 'User' });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, placeholder: 'Password' });
  const note = h('p', { id: 'login-problem', class: 'bad', role: 'alert' }, problem ?? '');
  const form = h(
    'form',
    {
      class: 'login',
      id: 'login',
      onsubmit: async (e) => {
        e.preventDefault();
        try {
          me = await api('POST', '/api/session', { user: user.value, password: password.value });
          password.value = '';
          showWho();
          connectLive();
          await route();
        } catch (failure) {
          password.value = '';
          note.textContent = failure instanceof ApiProblem ? `${failure.message}: ${failure.detail}` : String(failure);
        }
      },
    },
    h('h1', {}, 'Log in'),
    user,
    password,
    h('button', { id: 'login-ok', type: 'submit' }, 'Log in'),
    note,
  );
  return form;
}

document.getElementById('logout').addEventListener('click', async () => {
  try {
    await api('DELETE', '/api/session');
  } finally {
    // A fresh page: no stream, no data of the last user left on the screen.
    location.hash = '#/';
    location.reload();
  }
});

/** Asks for a signature; resolves to {reason, signature} or null if cancelled. */
function askSignature(title) {
  const dialog = document.getElementById('sign');
  const reason = document.getElementById('sign-reason');
  const password = document.getElementById('sign-password');
  const meaning = document.getElementById('sign-meaning');
  document.getElementById('sign-title').textContent = title;
  reason.value = '';
  password.value = '';
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () => {
        const signed = dialog.returnValue === 'ok' && reason.value.trim() && password.value;
        resolve(signed ? { reason: reason.value.trim(), signature: { password: password.value, meaning: meaning.value } } : null);
        password.value = '';
      },
      { once: true },
    );
    dialog.returnValue = '';
    dialog.showModal();
    reason.focus();
  });
}

/**
 * Runs an operator's action from a button: the button is disabled meanwhile (a second tap on a
 * slow network must not send twice), a refusal is shown, and the screen is redrawn after.
 */
async function act(button, action) {
  button.disabled = true;
  try {
    if ((await action()) !== false) await route();
  } catch (e) {
    showError(e);
  } finally {
    button.disabled = false;
  }
}

/** Asks a reason, then posts {reason}: the gateway knows who is logged in. */
async function withReason(title, path) {
  const reason = await ask(title, 'Reason');
  if (!reason) return false;
  await post(path, { reason });
}

/** Asks a reason and a signature, then posts {reason, signature}. */
async function signed(title, path) {
  const answer = await askSignature(title);
  if (!answer) return false;
  await post(path, answer);
}

// ---- live updates --------------------------------------------------------------------------

const liveIndicator = document.getElementById('live');
let source = null;
const liveScans = new Map(); // line -> newest scans first, kept across redraws of the overview

function setLive(state) {
  liveIndicator.dataset.state = state;
  liveIndicator.textContent = state;
}

// Events sent while the stream was down are lost; kept across new EventSources, so that a stream
// given up and made again also catches up from the API.
let missedEvents = false;

function connectLive() {
  setLive(source ? 'reconnecting' : 'connecting');
  source?.close();
  source = new EventSource('/api/live');
  source.addEventListener('open', () => {
    setLive('live');
    if (missedEvents) scheduleRefresh();
    missedEvents = false;
  });
  source.addEventListener('error', () => {
    missedEvents = true;
    setLive('reconnecting');
    // The browser retries by itself unless it gave up (an answer that was not an event stream).
    if (source.readyState === EventSource.CLOSED) {
      source.close();
      // Not after a logout or an expired session: the login page starts it again.
      setTimeout(() => me && connectLive(), 3000);
    }
  });
  source.addEventListener('scan', (event) => {
    const scan = JSON.parse(event.data);
    const key = scan.line ?? '';
    liveScans.set(key, [scan, ...(liveScans.get(key) ?? []).filter((s) => s.id !== scan.id)].slice(0, SCANS_SHOWN));
    const list = document.querySelector(`ol.scans[data-line="${CSS.escape(key)}"]`);
    if (list) list.replaceWith(scanList(key));
    // A station's screen is its scanner's scans: redrawn with each.
    if (document.querySelector(`.station[data-scanner="${CSS.escape(scan.scanner)}"]`)) scheduleRefresh();
  });
  source.addEventListener('changed', () => scheduleRefresh());
  // The gateway ends the stream of a reader who may no longer read (disabled, logged out, expired).
  source.addEventListener('ended', (event) => {
    source.close();
    me = null;
    showWho();
    setLive('ended');
    view.replaceChildren(loginPage(`Logged out: ${JSON.parse(event.data).reason}`));
  });
}

// Several changes in a burst (a lot, its labels, its events) make one redraw.
let refreshTimer = null;
function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => route({ quiet: true }), 250);
}

// ---- overview ------------------------------------------------------------------------------

/** The configured lines (GET /api/lines), each with the health checks of its source, printer and scanner. */
let configuredLines = null;
async function linesOf(health) {
  configuredLines ??= await get('/api/lines');
  const check = (name) => (name ? health.checks.find((c) => c.name === name) : undefined);
  return configuredLines.map((l) => ({
    id: l.id,
    hasStation: Boolean(l.scanner),
    check: check(l.source),
    devices: [l.printer, l.scanner].filter(Boolean).map((name) => ({ name, check: check(name) })),
  }));
}

async function overview() {
  const health = await get('/health');
  const lines = await linesOf(health);
  const [lots, scans, unverified, status] = await Promise.all([
    Promise.all(lines.map((l) => get(`/api/lots?line=${enc(l.id)}&limit=${LOTS_SHOWN}`))),
    Promise.all(lines.map((l) => get(`/api/scans?line=${enc(l.id)}&limit=${SCANS_SHOWN}`))),
    Promise.all(lines.map(unverifiedOf)),
    statusBlocks(health),
  ]);
  lines.forEach((l, i) => mergeScans(l.id, scans[i].items));
  const stations = await get('/api/stations');
  return h('div', { class: 'overview' }, h('section', { class: 'lines' }, lines.map((l, i) => lineCard(l, lots[i].items, unverified[i]))), stationsBlock(stations.items), status);
}

/** Every station with a link to its screen. */
function stationsBlock(stations) {
  if (!stations.length) return null;
  return h(
    'section',
    { class: 'stations' },
    h('h2', {}, 'Stations'),
    h('ul', {}, stations.map((s) => h('li', {}, h('a', { href: `#/stations/${enc(s.id)}`, 'data-station': s.id }, s.id), ` ${s.role} at ${s.line}`, s.scrapMode ? h('span', { class: 'badge status-on-hold' }, 'scrap mode') : null))),
  );
}

const UNVERIFIED_SHOWN = 100;

/** Labels printed at a line with a station and not scanned in time; null for a line without one. */
async function unverifiedOf(line) {
  return line.hasStation ? get(`/api/labels/unverified?line=${enc(line.id)}&limit=${UNVERIFIED_SHOWN}`) : null;
}

function unverifiedNote(line, page) {
  if (!page) return h('p', { class: 'unverified', 'data-line': line.id, hidden: true });
  const count = page.items.length + (page.next ? '+' : '');
  return page.items.length
    ? h('p', { class: 'unverified bad', 'data-line': line.id }, `${count} printed label(s) not scanned in time, oldest ${page.items[0].serial} of lot ${page.items[0].lot}`)
    : h('p', { class: 'unverified muted', 'data-line': line.id }, 'Every printed label scanned in time');
}

/** Devices, the ERP and labels to settle: the part of the overview that is polled. */
async function statusBlocks(health) {
  const [dead, uncertain] = await Promise.all([get('/api/outbox?state=dead&limit=20'), get('/api/labels/uncertain?limit=50')]);
  return h('div', { id: 'status' }, devices(health), poolsBlock(health), erpBlock(health, dead), uncertainBlock(uncertain));
}

/**
 * Redraws the polled part of the overview in place. Lots and scans are left alone: they change
 * through live events, and redrawing them on a timer would hide a broken live feed.
 */
async function refreshStatus() {
  const health = await get('/health');
  const lines = await linesOf(health);
  const shown = [...document.querySelectorAll('article.line')].map((a) => a.dataset.line);
  if (lines.map((l) => l.id).join() !== shown.join()) return route({ quiet: true });
  const status = await statusBlocks(health);
  document.getElementById('status')?.replaceWith(status);
  const unverified = await Promise.all(lines.map(unverifiedOf));
  lines.forEach((line, i) => {
    document.querySelector(`.line-state[data-line="${CSS.escape(line.id)}"]`)?.replaceWith(lineState(line));
    document.querySelector(`.unverified[data-line="${CSS.escape(line.id)}"]`)?.replaceWith(unverifiedNote(line, unverified[i]));
  });
}

function mergeScans(line, fromApi) {
  const known = new Map([...fromApi, ...(liveScans.get(line) ?? [])].map((s) => [s.id, s]));
  liveScans.set(line, [...known.values()].sort((a, b) => b.id - a.id).slice(0, SCANS_SHOWN));
}

function lineCard(line, lots, unverified) {
  const [current, ...earlier] = lots;
  return h(
    'article',
    { class: 'line', 'data-line': line.id },
    h('h2', {}, `Line ${line.id} `, lineState(line)),
    current
      ? h(
          'a',
          { class: 'current lot-link', href: `#/lots/${enc(current.lot)}`, 'data-lot': current.lot },
          h('span', { class: 'label' }, 'Current lot'),
          h('strong', {}, current.lot),
          h('span', {}, `${current.product} x ${current.quantity}`),
          statusBadge(current.status),
        )
      : h('p', { class: 'muted' }, 'No lots yet'),
    earlier.length
      ? h(
          'ol',
          { class: 'lots' },
          earlier.map((lot) =>
            h('li', {}, h('a', { class: 'lot-link', href: `#/lots/${enc(lot.lot)}`, 'data-lot': lot.lot }, h('span', {}, lot.lot), h('span', { class: 'muted' }, time(lot.committedAt)), statusBadge(lot.status))),
          ),
        )
      : null,
    h('h3', {}, 'Scans'),
    unverifiedNote(line, unverified),
    scanList(line.id),
  );
}

/** The line's source, then its printer and scanner, each with its state and, when not UP, why. */
function lineState(line) {
  const device = (d) =>
    h('span', { class: 'device', 'data-check': d.name }, ` ${d.name.replace(':', ' ')} `, stateBadge(d.check), d.check && (d.check.status !== 'UP' || d.name.startsWith('printer:')) ? h('span', { class: 'detail' }, ` ${d.check.detail}`) : null);
  return h(
    'span',
    { class: 'line-state', 'data-line': line.id },
    stateBadge(line.check),
    line.check?.status !== 'UP' ? h('span', { class: 'detail' }, ` ${line.check?.detail ?? ''}`) : null,
    h('span', { class: 'devices-of-line' }, line.devices.map(device)),
  );
}

function scanList(line) {
  const scans = liveScans.get(line) ?? [];
  if (!scans.length) return h('ol', { class: 'scans', 'data-line': line }, h('li', { class: 'muted' }, 'No scans yet'));
  return h(
    'ol',
    { class: 'scans', 'data-line': line },
    scans.map((s) =>
      h(
        'li',
        { class: `scan ${s.verdict === 'ok' ? 'ok' : 'bad'}`, 'data-verdict': s.verdict },
        h('strong', {}, s.verdict === 'ok' ? 'OK' : s.verdict.toUpperCase()),
        h('span', {}, s.serial ? h('a', { href: `#/serials/${enc(s.serial)}${s.gtin ? `?gtin=${enc(s.gtin)}` : ''}` }, s.serial) : s.raw),
        h('span', { class: 'reason' }, s.verdict === 'ok' ? '' : s.reason),
        h('span', { class: 'muted' }, time(s.at)),
      ),
    ),
  );
}

/** Every printer and scanner with its state, also those that no line names. */
function devices(health) {
  const checks = health.checks.filter((c) => /^(printer|scanner):/.test(c.name));
  if (!checks.length) return null;
  return h(
    'section',
    { class: 'devices' },
    h('h2', {}, 'Printers and scanners'),
    h('ul', {}, checks.map((c) => h('li', { 'data-check': c.name }, h('strong', {}, c.name.replace(':', ' ')), stateBadge(c), h('span', { class: 'detail' }, c.detail)))),
  );
}

/** Serial pools (SPEC section 8): per GTIN what is left and for how long, and why not filled. */
function poolsBlock(health) {
  if (!health.pools?.length) return null;
  const shown = { ok: 'UP', low: 'LOW', empty: 'DOWN', waiting: 'DOWN', suspended: 'SUSPENDED' };
  return h(
    'section',
    { class: 'pools' },
    h('h2', {}, 'Serial pools'),
    h(
      'ul',
      {},
      health.pools.map((p) =>
        h(
          'li',
          { 'data-pool': p.gtin },
          h('strong', {}, `GTIN ${p.gtin}`),
          h('span', { class: `badge state-${p.state === 'ok' ? 'up' : p.state === 'low' || p.state === 'suspended' ? 'unknown' : 'down'}` }, shown[p.state] ?? p.state),
          h('span', { class: 'pool-left' }, `${p.available.toLocaleString()} serials left${p.hoursLeft === null ? '' : `, about ${p.hoursLeft} h at the current rate`}`),
          p.lastError ? h('span', { class: 'detail' }, ` ${p.lastError}`) : null,
        ),
      ),
    ),
  );
}

// Each output's check in /health and its name on screen (SPEC section 13).
const OUTPUTS = { http: { check: 'erp', title: 'ERP' }, kafka: { check: 'kafka', title: 'Kafka' }, epcis: { check: 'epcis', title: 'EPCIS' } };

function erpBlock(health, dead) {
  const outputs = Object.entries(health.outbox.outputs || {});
  return h(
    'section',
    { class: 'erp' },
    h('h2', {}, outputs.length > 1 ? 'Outputs' : (OUTPUTS[outputs[0]?.[0]] || OUTPUTS.http).title),
    outputs.map(([name, outbox]) => {
      const output = OUTPUTS[name] || { check: name, title: name };
      const check = health.checks.find((c) => c.name === output.check);
      return h(
        'div',
        { class: 'output', 'data-output': name },
        h(
          'p',
          { id: `backlog-${name}` },
          h('strong', {}, output.title),
          ' ',
          stateBadge(check),
          ' ',
          outbox.pending ? `${outbox.pending} events waiting, oldest ${age(outbox.oldestPendingAgeSeconds)}` : 'nothing waiting',
          outbox.dead ? `, ${outbox.dead} dead letters` : '',
        ),
        check && check.status !== 'UP' ? h('p', { class: 'detail' }, check.detail) : null,
      );
    }),
    dead.items.length
      ? h(
          'ul',
          { class: 'dead' },
          dead.items.map((d) =>
            h(
              'li',
              { 'data-outbox': d.id },
              h('span', {}, h('strong', {}, d.type.replace('dev.linegate.', '')), ' lot ', h('a', { href: `#/lots/${enc(d.lot)}` }, d.lot), outputs.length > 1 ? ` to ${(OUTPUTS[d.output] || { title: d.output }).title}` : ''),
              h('span', { class: 'reason' }, d.lastError),
              may('retry-dead-letters') ? h('button', { type: 'button', onclick: (e) => act(e.currentTarget, () => post(`/api/outbox/${d.id}/retry`)) }, 'Retry') : null,
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'No dead letters'),
  );
}

function uncertainBlock(uncertain) {
  if (!uncertain.items.length) return null;
  return h(
    'section',
    { class: 'uncertain' },
    h('h2', {}, 'Labels to check at the printer'),
    h('p', { class: 'muted' }, 'These were being sent when the gateway stopped. Look at the printer: did each one come out?'),
    h(
      'ul',
      {},
      uncertain.items.map((u) =>
        h(
          'li',
          { 'data-uncertain': u.id },
          h('span', {}, `${u.printer}: `, u.serial ? h('a', { href: `#/serials/${enc(u.serial)}?gtin=${enc(u.gtin)}` }, u.serial) : 'lot label', ' lot ', u.lot),
          may('supervise') ? h('button', { type: 'button', onclick: (e) => act(e.currentTarget, () => settle(u.id, true)) }, 'Printed') : null,
          may('supervise') ? h('button', { type: 'button', class: 'warn', onclick: (e) => act(e.currentTarget, () => settle(u.id, false)) }, 'Not printed') : null,
        ),
      ),
    ),
  );
}

async function settle(id, printed) {
  await post(`/api/labels/uncertain/${id}/settle`, { printed });
}

// ---- a lot ---------------------------------------------------------------------------------

// Which changes the API allows from each status; others are not offered.
const LOT_ACTIONS = {
  released: ['hold', 'recall'],
  'on-hold': ['release', 'recall'],
  recalled: [],
};

async function lotPage(lot, after) {
  const [info, serials, counts] = await Promise.all([
    get(`/api/lots/${enc(lot)}`),
    get(`/api/lots/${enc(lot)}/serials?limit=${SERIALS_PAGE}${after ? `&after=${enc(after)}` : ''}`),
    get(`/api/lots/${enc(lot)}/reconciliation`),
  ]);
  return h(
    'div',
    { class: 'lot' },
    h('h1', {}, `Lot ${info.lot} `, statusBadge(info.status, 'lot-status')),
    h(
      'div',
      { class: 'actions' },
      (may('supervise') ? LOT_ACTIONS[info.status] ?? [] : []).map((action) => {
        const title = `${action[0].toUpperCase()}${action.slice(1)} lot ${info.lot}`;
        const path = `/api/lots/${enc(info.lot)}/${action}`;
        // Release and recall are signed (SPEC section 11); a hold only stops.
        const run = () => (action === 'hold' ? withReason(title, path) : signed(title, path));
        return h('button', { type: 'button', class: action === 'recall' ? 'danger' : '', 'data-action': action, onclick: (e) => act(e.currentTarget, run) }, action[0].toUpperCase() + action.slice(1));
      }),
      // A lot that does not balance closes only on a supervisor's signature (SPEC section 9).
      may('supervise') && !counts.closed
        ? h('button', { type: 'button', 'data-action': 'close', onclick: (e) => act(e.currentTarget, () => (balanced(counts) ? withReason(`Close lot ${info.lot}`, `/api/lots/${enc(info.lot)}/close`) : signed(`Close lot ${info.lot} with ${counts.unaccounted} unaccounted serials and ${counts.uncertainLabels} uncertain labels`, `/api/lots/${enc(info.lot)}/close`))) }, 'Close')
        : null,
    ),
    h(
      'dl',
      { class: 'facts' },
      fact('Line', info.line),
      fact('Product', `${info.product} (GTIN ${info.gtin})`),
      fact('Batch', info.batchId),
      fact('Quantity', info.quantity),
      fact('Produced', info.productionDate),
      fact('Expires', info.expiryDate),
      fact('Completed', dateTime(info.completedAt)),
      fact('Serials', Object.entries(info.serialCounts).map(([status, n]) => `${n} ${status}`).join(', ') || 'none'),
      fact('Reconciliation', h('span', { id: 'reconciliation', class: balanced(counts) ? '' : 'warn' }, `${counts.unaccounted} unaccounted, ${counts.uncertainLabels} uncertain labels`)),
      fact('Closed', counts.closed ? `${dateTime(counts.closedAt)} by ${counts.closedBy}` : 'no'),
    ),
    info.statusHistory.length
      ? h('section', {}, h('h2', {}, 'Status changes'), h('ol', { class: 'history' }, info.statusHistory.map((c) => h('li', {}, h('span', { class: 'muted' }, dateTime(c.at)), ` ${c.from} -> ${c.to}: ${c.reason} (${c.by}${c.signed ? `, signed: ${c.signed}` : ''})`))))
      : null,
    info.cases?.length
      ? h('section', {}, h('h2', {}, 'Cases'), h('ol', { class: 'cases', id: 'lot-cases' }, info.cases.map((c) => h('li', {}, h('a', { href: `#/cases/${enc(c.sscc)}` }, c.sscc), ` ${c.unitsOfLot} of ${c.units} units`, c.pallet ? [' on pallet ', h('a', { href: `#/cases/${enc(c.pallet)}` }, c.pallet)] : null))))
      : null,
    h(
      'section',
      {},
      h('h2', {}, 'Serials'),
      h('ol', { class: 'serials' }, serials.items.map((s) => h('li', {}, h('a', { href: `#/serials/${enc(s.serial)}?gtin=${enc(s.gtin)}` }, s.serial), h('span', { class: `badge serial-${s.status}` }, s.status)))),
      h(
        'div',
        { class: 'paging' },
        after ? h('a', { class: 'button', href: `#/lots/${enc(lot)}` }, 'First') : null,
        serials.next ? h('a', { class: 'button', href: `#/lots/${enc(lot)}?after=${enc(serials.next)}` }, `Next ${SERIALS_PAGE}`) : null,
      ),
    ),
  );
}

function balanced(counts) {
  return counts.unaccounted === 0 && counts.uncertainLabels === 0;
}

function fact(name, value) {
  return [h('dt', {}, name), h('dd', {}, value)];
}

// ---- a serial ------------------------------------------------------------------------------

async function serialPage(serial, gtin) {
  const query = gtin ? `?gtin=${enc(gtin)}` : '';
  const info = await get(`/api/serials/${enc(serial)}${query}`);
  const exact = `?gtin=${enc(info.gtin)}`;
  return h(
    'div',
    { class: 'serial' },
    h('h1', {}, `Serial ${info.serial} `, h('span', { class: `badge serial-${info.status}`, id: 'serial-status' }, info.status)),
    h(
      'div',
      { class: 'actions' },
      may('labels') ? h('button', { type: 'button', 'data-action': 'reprint', onclick: (e) => act(e.currentTarget, () => withReason(`Reprint ${info.serial}`, `/api/serials/${enc(info.serial)}/reprint${exact}`)) }, 'Reprint') : null,
      // Scrap is the operator's (a damaged label); sample and void are a supervisor's decisions.
      [['scrap', 'labels'], ['sample', 'supervise'], ['void', 'supervise']].map(([fate, needs]) =>
        may(needs) ? h('button', { type: 'button', class: 'warn', 'data-action': fate, onclick: (e) => act(e.currentTarget, () => withReason(`${fate[0].toUpperCase()}${fate.slice(1)} ${info.serial}`, `/api/serials/${enc(info.serial)}/${fate}${exact}`)) }, fate[0].toUpperCase() + fate.slice(1)) : null,
      ),
    ),
    h(
      'div',
      { class: 'split' },
      h(
        'dl',
        { class: 'facts' },
        fact('Lot', h('span', {}, h('a', { href: `#/lots/${enc(info.lot)}` }, info.lot), ' ', statusBadge(info.lotStatus))),
        fact('Line', info.line),
        fact('Product', `${info.product} (GTIN ${info.gtin})`),
        fact('Produced', info.productionDate),
        fact('Expires', info.expiryDate),
        fact('Case', info.case ? h('a', { href: `#/cases/${enc(info.case)}`, id: 'serial-case' }, info.case) : info.openCaseAt ? `in the open case of station ${info.openCaseAt}` : 'none'),
        info.pallet ? fact('Pallet', h('a', { href: `#/cases/${enc(info.pallet)}` }, info.pallet)) : null,
      ),
      h('img', { class: 'preview', alt: `label of ${info.serial}`, src: `/api/labels/${enc(info.serial)}/preview.png${exact}` }),
    ),
    h('h2', {}, 'History'),
    h('ol', { class: 'history' }, info.history.map((e) => h('li', {}, h('span', { class: 'muted' }, dateTime(e.at)), ' ', h('strong', {}, e.event), ` ${e.detail ?? ''}`))),
  );
}

// ---- a station (SPEC section 10: packing; section 9: scrap mode) ---------------------------

async function stationPage(id) {
  const info = await get(`/api/stations/${enc(id)}`);
  const latest = info.scans[0];
  const base = `/api/stations/${enc(info.id)}`;
  return h(
    'div',
    { class: 'station', 'data-scanner': info.scanner },
    h('h1', {}, `Station ${info.id} `, h('span', { class: 'muted' }, `${info.role} at line ${info.line}, scanner ${info.scanner}`)),
    info.scrapMode
      ? h('p', { class: 'scrap-banner', id: 'scrap-banner' }, `SCRAP MODE: labels scanned here are scrapped (${info.scrapMode.reason}, by ${info.scrapMode.by})`)
      : null,
    // The latest scan large: a refusal must be seen from a metre away.
    latest
      ? h('div', { class: `latest scan ${latest.verdict === 'ok' ? 'ok' : 'bad'}`, id: 'latest-scan', 'data-verdict': latest.verdict }, h('strong', {}, latest.verdict.toUpperCase()), h('span', {}, latest.serial ?? latest.gtin ?? ''), h('span', { class: 'reason' }, latest.reason))
      : h('p', { class: 'muted' }, 'No scans yet'),
    h(
      'div',
      { class: 'actions' },
      may('labels') && info.role === 'packing'
        ? [
            h('button', { type: 'button', 'data-action': 'close-case', onclick: (e) => act(e.currentTarget, () => post(`${base}/close-case`)) }, 'Close case'),
            h('button', { type: 'button', 'data-action': 'close-pallet', onclick: (e) => act(e.currentTarget, () => post(`${base}/close-pallet`)) }, 'Close pallet'),
          ]
        : null,
      may('labels')
        ? info.scrapMode
          ? h('button', { type: 'button', 'data-action': 'scrap-mode-off', onclick: (e) => act(e.currentTarget, () => api('DELETE', `${base}/scrap-mode`)) }, 'End scrap mode')
          : h('button', { type: 'button', class: 'warn', 'data-action': 'scrap-mode', onclick: (e) => act(e.currentTarget, () => withReason(`Scrap mode at ${info.id}: every label scanned is scrapped`, `${base}/scrap-mode`)) }, 'Scrap mode')
        : null,
    ),
    info.openCase ? openContainer('Open case', 'open-case', info.openCase, (c) => h('a', { href: `#/serials/${enc(c.serial)}?gtin=${enc(c.gtin)}` }, c.serial)) : null,
    info.openPallet ? openContainer('Open pallet', 'open-pallet', info.openPallet, (c) => h('a', { href: `#/cases/${enc(c.sscc)}` }, `${c.sscc} (${c.units} units)`)) : null,
    h('h2', {}, 'Last scans'),
    h(
      'ol',
      { class: 'scans' },
      info.scans.map((s) => h('li', { class: `scan ${s.verdict === 'ok' ? 'ok' : 'bad'}`, 'data-verdict': s.verdict }, h('strong', {}, s.verdict.toUpperCase()), h('span', {}, s.serial ?? s.raw), h('span', { class: 'reason' }, s.reason), h('span', { class: 'muted' }, time(s.at)))),
    ),
  );
}

function openContainer(title, id, open, child) {
  return h(
    'section',
    { class: 'open-container' },
    h('h2', {}, title, ' ', h('span', { class: 'count', id: `${id}-count` }, open.of ? `${open.count} / ${open.of}` : `${open.count}`), open.product ? h('span', { class: 'muted' }, ` ${open.product}`) : null),
    h('ol', { class: 'children' }, open.children.map((c) => h('li', {}, child(c)))),
  );
}

async function casePage(sscc) {
  const info = await get(`/api/cases/${enc(sscc)}`);
  const child = (c) => (c.serial ? h('a', { href: `#/serials/${enc(c.serial)}?gtin=${enc(c.gtin)}` }, c.serial) : h('a', { href: `#/cases/${enc(c.sscc)}` }, `${c.sscc} (${c.units} units)`));
  return h(
    'div',
    { class: 'case' },
    h('h1', {}, `${info.level === 'pallet' ? 'Pallet' : 'Case'} ${info.sscc} `, h('span', { class: `badge status-${info.status === 'packed' ? 'released' : 'on-hold'}`, id: 'case-status' }, info.status)),
    h(
      'div',
      { class: 'actions' },
      may('labels') && info.status === 'packed' ? h('button', { type: 'button', class: 'warn', 'data-action': 'unpack', onclick: (e) => act(e.currentTarget, () => withReason(`Unpack ${info.level} ${info.sscc}`, `/api/cases/${enc(info.sscc)}/unpack`)) }, 'Unpack') : null,
    ),
    h(
      'dl',
      { class: 'facts' },
      fact('Product', info.product),
      fact('Units', info.units),
      fact('Packed at', `station ${info.station}, line ${info.line}`),
      fact('On pallet', info.parent ? h('a', { href: `#/cases/${enc(info.parent)}` }, info.parent) : 'no'),
      fact('Lots', info.lots.map((l) => h('span', {}, h('a', { href: `#/lots/${enc(l.lot)}` }, l.lot), ` (${l.units}) `))),
    ),
    h('h2', {}, info.level === 'pallet' ? 'Cases' : 'Units'),
    h('ol', { class: 'children', id: 'case-children' }, info.children.map((c) => h('li', {}, child(c)))),
    h('h2', {}, 'History'),
    h('ol', { class: 'history' }, info.history.map((e) => h('li', {}, h('span', { class: 'muted' }, dateTime(e.at)), ` ${e.what} by ${e.by}${e.reason ? `: ${e.reason}` : ''}${e.children ? ` (${e.children.length} freed)` : ''}`))),
  );
}

// ---- the audit trail -----------------------------------------------------------------------

const AUDIT_PAGE = 100;

async function auditPage(before) {
  const page = await get(`/api/audit?limit=${AUDIT_PAGE}${before ? `&before=${enc(before)}` : ''}`);
  return h(
    'div',
    { class: 'audit' },
    h('h1', {}, 'Audit trail'),
    h(
      'table',
      { class: 'audit' },
      h('thead', {}, h('tr', {}, ['When', 'Who', 'Action', 'Object', 'Reason', 'Signed'].map((t) => h('th', {}, t)))),
      h(
        'tbody',
        {},
        page.items.map((e) =>
          h('tr', { 'data-audit': e.id }, h('td', {}, dateTime(e.at)), h('td', {}, `${e.user} (${e.role})`), h('td', {}, e.action), h('td', {}, e.object), h('td', {}, e.reason ?? ''), h('td', {}, e.meaning ?? '')),
        ),
      ),
    ),
    h(
      'div',
      { class: 'paging' },
      before ? h('a', { class: 'button', href: '#/audit' }, 'Newest') : null,
      page.next ? h('a', { class: 'button', href: `#/audit?before=${enc(page.next)}` }, `Older ${AUDIT_PAGE}`) : null,
    ),
  );
}

// ---- users (admins) ------------------------------------------------------------------------

const PERSON_ROLES = ['operator', 'supervisor', 'viewer', 'admin'];

async function usersPage() {
  const users = await get('/api/users');
  const name = h('input', { id: 'new-user', autocomplete: 'off', required: true, placeholder: 'Name' });
  const role = h('select', { id: 'new-role' }, PERSON_ROLES.map((r) => h('option', { value: r }, r)));
  const password = h('input', { id: 'new-password', type: 'password', autocomplete: 'new-password', required: true, placeholder: 'Password (10 characters or more)' });
  return h(
    'div',
    { class: 'users' },
    h('h1', {}, 'Users'),
    h(
      'table',
      { class: 'audit' },
      h('thead', {}, h('tr', {}, ['Name', 'Role', 'Since', ''].map((t) => h('th', {}, t)))),
      h(
        'tbody',
        {},
        users.items.map((u) =>
          h(
            'tr',
            { 'data-user': u.name },
            h('td', {}, u.name),
            h('td', {}, u.role),
            h('td', {}, u.disabledAt ? `disabled ${dateTime(u.disabledAt)}` : dateTime(u.createdAt)),
            h('td', {}, u.disabledAt || u.name === me.user ? '' : h('button', { type: 'button', class: 'warn', 'data-action': 'disable', onclick: (e) => act(e.currentTarget, () => post(`/api/users/${enc(u.name)}/disable`)) }, 'Disable')),
          ),
        ),
      ),
    ),
    h(
      'form',
      {
        class: 'login',
        id: 'add-user',
        onsubmit: (e) => {
          e.preventDefault();
          act(e.submitter ?? e.currentTarget.querySelector('button'), () => post('/api/users', { name: name.value.trim(), role: role.value, password: password.value }));
        },
      },
      h('h2', {}, 'Add a user'),
      name,
      role,
      password,
      h('button', { id: 'add-user-ok', type: 'submit' }, 'Add'),
    ),
  );
}

/** One's own password (POST /api/session/password): every session of the user ends, this one too. */
function passwordPage() {
  const current = h('input', { id: 'current-password', type: 'password', autocomplete: 'current-password', required: true, placeholder: 'Your password now' });
  const next = h('input', { id: 'next-password', type: 'password', autocomplete: 'new-password', required: true, placeholder: 'New password (10 characters or more)' });
  const again = h('input', { id: 'next-password-again', type: 'password', autocomplete: 'new-password', required: true, placeholder: 'New password again' });
  const note = h('p', { id: 'password-problem', class: 'bad', role: 'alert' });
  return h(
    'form',
    {
      class: 'login',
      id: 'change-password',
      onsubmit: async (e) => {
        e.preventDefault();
        note.textContent = '';
        if (next.value !== again.value) {
          note.textContent = 'The new password and its repetition differ.';
          return;
        }
        const button = e.submitter ?? e.currentTarget.querySelector('button');
        button.disabled = true;
        try {
          await post('/api/session/password', { current: current.value, password: next.value });
          me = null;
          showWho();
          source?.close();
          history.replaceState(null, '', '#/');
          view.replaceChildren(loginPage('Password changed: log in with the new one.'));
        } catch (failure) {
          note.textContent = failure instanceof ApiProblem ? `${failure.message}: ${failure.detail ?? ''}` : String(failure);
        } finally {
          current.value = '';
          next.value = '';
          again.value = '';
          button.disabled = false;
        }
      },
    },
    h('h1', {}, `Password of ${me.user}`),
    current,
    next,
    again,
    note,
    h('button', { id: 'change-password-ok', type: 'submit' }, 'Change'),
  );
}

// ---- routing -------------------------------------------------------------------------------

let drawing = 0; // a slow answer for a page the operator has left must not be drawn

/** Draws the page the hash names. quiet: a live refresh, which keeps the old page on failure. */
async function route({ quiet = false } = {}) {
  const ticket = ++drawing;
  const [path, queryText] = location.hash.slice(1).split('?');
  const query = new URLSearchParams(queryText ?? '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  try {
    let page;
    if (!me) page = loginPage();
    else if (parts[0] === 'audit') page = await auditPage(query.get('before'));
    else if (parts[0] === 'users') page = await usersPage();
    else if (parts[0] === 'password') page = passwordPage();
    else if (parts[0] === 'lots' && parts[1]) page = await lotPage(parts[1], query.get('after'));
    else if (parts[0] === 'serials' && parts[1]) page = await serialPage(parts[1], query.get('gtin'));
    else if (parts[0] === 'stations' && parts[1]) page = await stationPage(parts[1]);
    else if (parts[0] === 'cases' && parts[1]) page = await casePage(parts[1]);
    else page = await overview();
    if (ticket === drawing) view.replaceChildren(page);
  } catch (e) {
    if (ticket !== drawing) return;
    if (e instanceof ApiProblem && e.status === 401) {
      // The session expired or was ended elsewhere: log in again, then back to this page.
      me = null;
      showWho();
      source?.close();
      view.replaceChildren(loginPage(`${e.message}: ${e.detail}`));
      return;
    }
    if (!quiet) view.replaceChildren(h('p', { class: 'muted' }, h('a', { href: '#/' }, 'Back to the overview')));
    showError(e);
  }
}

window.addEventListener('hashchange', () => {
  document.getElementById('error').hidden = true;
  route();
});
setInterval(() => {
  // A gateway that is away is already shown by the live indicator; no banner every 5 s.
  if (me && !document.hidden && document.getElementById('status')) refreshStatus().catch((e) => (e.status === 401 ? route() : e.message === UNREACHABLE || showError(e)));
}, STATUS_POLL_MS);

/** Logged in already (the session cookie of an earlier visit) or not: then the login page. */
async function start() {
  try {
    me = await get('/api/session');
  } catch (e) {
    me = null;
    if (!(e instanceof ApiProblem && e.status === 401)) showError(e);
  }
  showWho();
  if (me) connectLive();
  await route();
}

start();
