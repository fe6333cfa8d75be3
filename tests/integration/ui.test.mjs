// The web UI end to end in headless Chromium (playwright-core + Debian's
// chromium), against the real binary serving the built UI (--web-dir):
// register → onboarding → Get started (the bound OTLP ports; reveal + copy
// the ingestion key) → logs and a trace sent with the OpenTelemetry JS SDK →
// search (histogram, table and facets agree with /api/v2/search and
// /api/v2/charts/series, time picker, row panel over the table, empty
// result, syntax error with nothing stale shown) → trace waterfall →
// chart explorer → "Add to dashboard" → the dashboard → rotate the ingestion
// key with no grace (the old key is refused over OTLP) → invite a viewer, who
// joins on /join-team and is not shown ingestion keys.
//
// Requires: OTELSTACK_WEB_DIR = the built UI (index.html inside) and a
// Chromium (lib/browser.mjs); without either the test is skipped and says
// why. Screenshots of every page go to OTELSTACK_SCREENSHOT_DIR (else a temp
// dir); their paths are printed at the end.
//
// Selectors are roles, labels and visible text, never CSS classes. Waits are
// Playwright's (locator.waitFor, waitForResponse, waitForURL) or the polling
// helpers of lib/browser.mjs; no fixed sleeps. Each step is a subtest; a step
// whose prerequisite did not pass is skipped and names it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';

import { startServer } from './lib/harness.mjs';
import { GOOD_PASSWORD } from './lib/app_client.mjs';
import { EXPORT_SUCCESS, exportOnce, makeExporter, makeLogRecords } from './lib/sdk.mjs';
import { Screenshots, chromiumPath, expectCount, expectText, newPage, openBrowser, poll } from './lib/browser.mjs';

const WEB_DIR = process.env.OTELSTACK_WEB_DIR;
const CHROMIUM = chromiumPath();

function skipReason() {
  if (!WEB_DIR) return 'OTELSTACK_WEB_DIR is not set (the built web UI)';
  if (!existsSync(path.join(WEB_DIR, 'index.html'))) return `no index.html in OTELSTACK_WEB_DIR=${WEB_DIR} (build the UI first)`;
  if (!CHROMIUM) return 'no Chromium (install Debian\'s chromium or set OTELSTACK_CHROMIUM)';
  return null;
}
const SKIP = skipReason();
if (SKIP) console.log(`# ui.test.mjs skipped: ${SKIP}`);

const SESSION_SECRET = '5e1f0c2a9b7d4e3f8a6c1b0d2e4f6a8c9b7d5e3f1a2c4e6b8d0f2a4c6e8b0d2f';
const ADMIN_EMAIL = 'admin@ui-e2e.example';
const VIEWER_EMAIL = 'viewer@ui-e2e.example';
const TEAM = 'UI e2e team';
const SERVICE = 'ui-e2e-shop';
const QUERY = `ServiceName:${SERVICE}`;
const FILLER = 40; // older "heartbeat" logs: the table must scroll to show them all

// The interesting logs, newest first as the table shows them; `trace` marks
// the ones sent with the trace's context.
const LOGS = [
  { body: 'order 4712 shipped', severity: 'INFO', attrs: { 'order.id': '4712' } },
  { body: 'payment declined for order 4711', severity: 'ERROR', attrs: { 'order.id': '4711', 'payment.reason': 'insufficient funds' }, trace: true },
  { body: 'inventory low for sku ABC-1', severity: 'WARN', attrs: { sku: 'ABC-1' } },
  { body: 'checkout started for cart 9001', severity: 'INFO', attrs: { 'cart.id': '9001' }, trace: true },
  { body: 'cart 9001 created', severity: 'INFO', attrs: { 'cart.id': '9001' } },
];
const SEVERITY_NUMBER = { INFO: SeverityNumber.INFO, WARN: SeverityNumber.WARN, ERROR: SeverityNumber.ERROR };
const SPAN_NAMES = ['GET /checkout', 'charge card', 'reserve stock'];

// Three finished spans (a root and two children) made by the real SDK.
function makeSpans() {
  const captured = [];
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': SERVICE }),
    spanProcessors: [{ onStart() {}, onEnd: (s) => captured.push(s), forceFlush: async () => {}, shutdown: async () => {} }],
  });
  const tracer = provider.getTracer('itest.ui');
  const root = tracer.startSpan(SPAN_NAMES[0], { attributes: { 'http.method': 'GET', 'http.route': '/checkout' } }, ROOT_CONTEXT);
  const ctx = trace.setSpan(ROOT_CONTEXT, root);
  tracer.startSpan(SPAN_NAMES[1], { attributes: { 'payment.provider': 'acme-pay' } }, ctx).end();
  tracer.startSpan(SPAN_NAMES[2], { attributes: { sku: 'ABC-1' } }, ctx).end();
  root.end();
  return { spans: captured, root };
}

// FILLER heartbeat logs 5 to 4 minutes ago, then LOGS 60 s ago and later
// (oldest last in LOGS, so it gets the earliest time).
function makeLogs(root) {
  const now = Date.now();
  const emits = [];
  for (let i = 0; i < FILLER; i++) {
    emits.push({ body: `heartbeat ${i}`, severityNumber: SeverityNumber.DEBUG, severityText: 'DEBUG', timestamp: now - 300_000 + i * 1000 });
  }
  LOGS.forEach((l, i) => {
    emits.push({
      body: l.body,
      severityText: l.severity,
      severityNumber: SEVERITY_NUMBER[l.severity],
      attributes: l.attrs,
      timestamp: now - 60_000 + (LOGS.length - i) * 1000,
      ...(l.trace ? { context: trace.setSpan(ROOT_CONTEXT, root) } : {}),
    });
  });
  return makeLogRecords(SERVICE, emits, 'itest.ui');
}

test('the web UI end to end', { skip: SKIP ?? false, timeout: 170_000 }, async (t) => {
  const started = Date.now();
  const shotDir = process.env.OTELSTACK_SCREENSHOT_DIR || mkdtempSync(path.join(tmpdir(), 'otelstack-ui-screenshots-'));
  const shots = new Screenshots(shotDir);
  t.after(() => {
    console.log(`# UI screenshots (${shots.saved.length}) in ${shotDir}:\n${shots.saved.map((f) => `#   ${f}`).join('\n')}`);
    console.log(`# UI test took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  const server = await startServer(t, { key: null, args: ['--web-dir', WEB_DIR], env: { OTELSTACK_SESSION_SECRET: SESSION_SECRET } });
  const { browser, context, page, problems } = await openBrowser(t, server.appUrl(), { executablePath: CHROMIUM });

  // --- step bookkeeping ------------------------------------------------------
  const passed = new Set();
  const step = (name, needs, fn) =>
    t.test(name, { skip: needs.filter((n) => !passed.has(n)).map((n) => `needs "${n}", which did not pass`)[0] ?? false }, async () => {
      try {
        await fn();
        passed.add(name);
      } catch (err) {
        const shot = await shots.take(page, `FAILED-${name.replace(/\W+/g, '-')}`).catch(() => null);
        err.message += `\n  page: ${page.url()}${shot ? `\n  screenshot: ${shot}` : ''}` +
          `\n  page problems: ${problems.length ? problems.slice(-8).join(' | ') : 'none'}`;
        throw err;
      }
    });

  // The API as the signed-in browser user (shares the page's cookies), with
  // the CSRF token GET /api/me hands out.
  const api = async (method, urlPath, body, ctx = context) => {
    const headers = {};
    if (method !== 'GET') {
      const me = await ctx.request.get('/api/me');
      headers['x-csrf-token'] = (await me.json()).csrfToken;
    }
    const res = await ctx.request.fetch(urlPath, { method, headers, ...(body === undefined ? {} : { data: body }) });
    const text = await res.text();
    return { status: res.status(), json: text ? JSON.parse(text) : undefined, text };
  };
  // The next response to `method urlPath` whose request body passes `accept`.
  const apiResponse = (urlPath, accept = () => true, method = 'POST') =>
    page.waitForResponse(
      (r) =>
        new URL(r.url()).pathname === urlPath && r.request().method() === method && accept(r.request().postDataJSON()),
    );
  const clipboard = (p = page) => p.evaluate(() => navigator.clipboard.readText());

  const state = {};

  // --- 1. registration ---------------------------------------------------------
  await step('register with the live password checklist', [], async () => {
    await page.goto('/register');
    await page.getByRole('heading', { name: 'Create the first account' }).waitFor();
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel('Team name').fill(TEAM);
    const rules = page.getByRole('list', { name: 'Password rules' }).getByRole('listitem');
    const submit = page.getByRole('button', { name: 'Create account' });
    await page.getByLabel('Password', { exact: true }).fill('abc');
    // "abc" has only a lower-case letter: length, upper, digit, special and
    // confirmation are not met.
    await expectCount(rules.filter({ hasText: '(not met)' }), 5, 'unmet rules for "abc"');
    await expectCount(rules.filter({ hasText: '(met)' }).filter({ hasNotText: 'not met' }), 1, 'met rules for "abc"');
    assert.equal(await submit.isDisabled(), true, 'Create account is disabled while rules are unmet');
    await page.getByLabel('Password', { exact: true }).fill(GOOD_PASSWORD);
    await expectCount(rules.filter({ hasText: '(not met)' }), 1, 'only the confirmation unmet');
    await page.getByLabel('Confirm password').fill(GOOD_PASSWORD);
    await expectCount(rules.filter({ hasText: '(not met)' }), 0, 'unmet rules for a good password');
    assert.ok((await rules.count()) >= 5, 'the checklist lists the rules');
    await shots.take(page, 'register');
    await submit.click();
    await page.waitForURL('**/onboarding');
    const me = await api('GET', '/api/me');
    assert.equal(me.json.user.email, ADMIN_EMAIL);
    assert.equal(me.json.user.role, 'admin', 'the first account is the admin');
    assert.equal(me.json.team.name, TEAM);
  });

  await step('onboarding: Embedded is preselected, Continue', ['register with the live password checklist'], async () => {
    const embedded = page.getByRole('radiogroup', { name: 'Connection' }).getByRole('radio', { name: /Embedded/ });
    await embedded.waitFor();
    assert.equal(await embedded.isChecked(), true, 'Embedded is preselected');
    await page.getByText(`Welcome to ${TEAM}`).waitFor();
    await shots.take(page, 'onboarding');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL('**/get-started');
  });

  // --- 2. the ingestion key -------------------------------------------------------
  await step('Get started: endpoints, reveal and copy the ingestion key', ['register with the live password checklist'], async () => {
    // Registration gave the team one ingestion key; Get started offers it.
    const list = await api('GET', '/api/ingestion-keys');
    assert.equal(list.status, 200, list.text);
    const active = list.json.data.filter((k) => k.active);
    assert.equal(active.length, 1, `one active ingestion key after registration: ${list.text}`);
    state.keyName = active[0].name;
    state.keyId = active[0].id;

    await page.goto('/get-started');
    await page.getByRole('heading', { name: 'Send data' }).waitFor();
    // The ports the server bound (GET /api/ingest-endpoints), not the defaults.
    const httpLine = page.getByText('OTLP/HTTP', { exact: true }).locator('..');
    await expectText(httpLine, `http://127.0.0.1:${server.httpPort}`, 'the OTLP/HTTP endpoint line');
    await httpLine.getByText(`http://127.0.0.1:${server.httpPort}`, { exact: true }).waitFor();
    await expectText(page.getByText('OTLP/gRPC', { exact: true }).locator('..'), `127.0.0.1:${server.grpcPort}`, 'the OTLP/gRPC endpoint line');
    await page.getByText(`export OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:${server.httpPort}`, { exact: true }).waitFor();
    await page.getByText(`Key ${state.keyName}`).waitFor();
    const revealRes = apiResponse(`/api/ingestion-keys/${state.keyId}/reveal`);
    await page.getByRole('button', { name: 'Reveal key' }).click();
    const reveal = await revealRes;
    assert.equal(reveal.status(), 200);
    state.key = (await reveal.json()).raw;
    await page.getByText(state.key, { exact: true }).waitFor();
    await page.getByText(`authorization=${state.key}`).first().waitFor();
    const section = page.getByRole('heading', { name: '2. Ingestion key' }).locator('..');
    await section.getByRole('button', { name: 'Copy' }).click();
    await section.getByRole('button', { name: 'Copied' }).waitFor();
    assert.equal(await clipboard(), state.key, 'Copy puts the key on the clipboard');
    await shots.take(page, 'get-started');
  });

  // --- 3. data over OTLP --------------------------------------------------------
  await step('send logs and a trace with the OpenTelemetry SDK', ['Get started: endpoints, reveal and copy the ingestion key'], async () => {
    const { spans, root } = makeSpans();
    state.traceId = root.spanContext().traceId;
    const traces = makeExporter('traces', 'grpc', server, { key: state.key });
    const tr = await exportOnce(traces, spans);
    await traces.shutdown();
    assert.equal(tr.code, EXPORT_SUCCESS, tr.error?.message);
    const logs = makeExporter('logs', 'http/protobuf', server, { key: state.key });
    const lr = await exportOnce(logs, makeLogs(root));
    await logs.shutdown();
    assert.equal(lr.code, EXPORT_SUCCESS, lr.error?.message);
  });

  // --- 4. search ------------------------------------------------------------------
  await step('search: table, histogram and facets agree with the API', ['send logs and a trace with the OpenTelemetry SDK'], async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search', exact: true }).click();
    await page.waitForURL('**/search?**');
    const source = page.getByLabel('Source');
    await source.waitFor();
    const sources = (await api('GET', '/api/v2/sources')).json.data;
    const logsSource = sources.find((s) => s.name === 'Logs');
    assert.ok(logsSource, `a Logs source in ${JSON.stringify(sources.map((s) => s.name))}`);
    state.logsSourceId = logsSource.id;
    if ((await source.inputValue()) !== logsSource.id) await source.selectOption(logsSource.id);

    const isOurs = (body) => body?.query === QUERY || body?.series?.[0]?.where === QUERY;
    const searchRes = apiResponse('/api/v2/search', isOurs);
    const seriesRes = apiResponse('/api/v2/charts/series', isOurs);
    const facetsRes = apiResponse('/api/v2/facets', isOurs);
    const query = page.getByRole('combobox', { name: 'Query' });
    await query.fill(QUERY);
    await query.press('Enter');
    const [search, series, facets] = await Promise.all([searchRes, seriesRes, facetsRes]);
    assert.equal(search.status(), 200);
    assert.equal(series.status(), 200);

    // What the page was told, re-asked by the test: same answer.
    const searchBody = search.request().postDataJSON();
    assert.equal(searchBody.sourceId, logsSource.id);
    const replay = await api('POST', '/api/v2/search', searchBody);
    assert.equal(replay.status, 200, replay.text);
    const apiRows = replay.json.data;
    assert.equal(apiRows.length, FILLER + LOGS.length, 'the API finds every log sent');
    assert.deepEqual(apiRows.slice(0, LOGS.length).map((r) => r.Body), LOGS.map((l) => l.body), 'newest first');
    const seriesReplay = await api('POST', '/api/v2/charts/series', series.request().postDataJSON());
    assert.equal(seriesReplay.status, 200, seriesReplay.text);
    const histogramTotal = seriesReplay.json.data.reduce((sum, row) => sum + Number(row['series_0.data'] ?? 0), 0);
    assert.equal(histogramTotal, FILLER + LOGS.length, 'the histogram query counts every log');

    // The histogram head, the row count and the rows themselves.
    await page.getByText(new RegExp(`^${histogramTotal} matching logs`)).waitFor();
    await page.getByText(new RegExp(`^${apiRows.length} rows`)).waitFor();
    const table = page.getByRole('table', { name: 'Results' });
    const dataRows = table.getByRole('row').filter({ hasNot: page.getByRole('columnheader') });
    await dataRows.first().waitFor();
    const shown = await dataRows.allInnerTexts();
    assert.ok(shown.length >= LOGS.length, `at least the ${LOGS.length} newest rows are rendered, got ${shown.length}`);
    shown.forEach((text, i) => {
      assert.ok(text.includes(apiRows[i].Body), `table row ${i} shows "${apiRows[i].Body}", got "${text}"`);
      assert.ok(text.includes(SERVICE), `table row ${i} shows the service`);
      assert.ok(text.includes(apiRows[i].SeverityText), `table row ${i} shows the severity`);
    });
    await shots.take(page, 'search-results');

    // The oldest row is reached by scrolling the (virtualized) table.
    await table.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await table.getByRole('row').filter({ hasText: 'heartbeat 0' }).waitFor();
    await table.evaluate((el) => el.scrollTo(0, 0));

    // Facets: the service and the severities with the API's counts.
    const facetJson = await facets.json();
    const filters = page.getByRole('navigation', { name: 'Filters' });
    const sev = facetJson.facets.find((f) => f.field === 'SeverityText');
    assert.ok(sev, `a SeverityText facet in ${JSON.stringify(facetJson)}`);
    assert.deepEqual(sev.values.find((v) => v.value === 'ERROR')?.count, 1);
    for (const v of sev.values) {
      await expectText(filters.getByRole('button').filter({ hasText: new RegExp(`^${v.value}\\s*${v.count}$`) }), v.value, `facet ${v.value}`);
    }
    await filters.getByRole('button').filter({ hasText: new RegExp(`^${SERVICE}\\s*${FILLER + LOGS.length}$`) }).waitFor();
  });

  await step('search: time picker, facet filter, row side panel', ['search: table, histogram and facets agree with the API'], async () => {
    // Time picker: Last 1 hour runs the search over one hour.
    const hourRes = apiResponse('/api/v2/search', (b) => b?.query === QUERY && b.endTime - b.startTime >= 3_599_000 && b.endTime - b.startTime <= 3_601_000);
    await page.getByRole('button', { name: /Last 15 minutes/ }).click();
    const picker = page.getByRole('dialog', { name: 'Choose a time range' });
    await picker.getByRole('button', { name: 'Last 1 hour' }).click();
    await hourRes;
    await page.getByRole('button', { name: /Last 1 hour/ }).waitFor();
    assert.match(page.url(), /from=now-1h/);

    // Clicking the ERROR facet narrows the query to the one error.
    const errRes = apiResponse('/api/v2/search', (b) => /SeverityText/.test(b?.query ?? '') && b.query.includes(QUERY));
    await page.getByRole('navigation', { name: 'Filters' }).getByRole('button').filter({ hasText: /^ERROR\s*1$/ }).click();
    const errBody = (await errRes).request().postDataJSON();
    assert.match(errBody.query, /SeverityText.*ERROR/);
    const errQuery = page.getByRole('combobox', { name: 'Query' });
    assert.equal(await errQuery.inputValue(), errBody.query, 'the query bar shows the filtered query');
    const table = page.getByRole('table', { name: 'Results' });
    const rows = table.getByRole('row').filter({ hasNot: page.getByRole('columnheader') });
    await expectCount(rows, 1, 'rows after filtering on ERROR');
    await page.getByText(/^1 rows|^1 row/).waitFor();

    // The row panel: body, fields, attributes, link to the trace.
    await rows.first().click();
    const panel = page.getByRole('complementary', { name: 'Row details' });
    await panel.waitFor();
    await panel.getByText('payment declined for order 4711').first().waitFor();
    await panel.getByRole('row').filter({ hasText: 'payment.reason' }).filter({ hasText: 'insufficient funds' }).waitFor();
    await panel.getByRole('row').filter({ hasText: 'ServiceName' }).filter({ hasText: SERVICE }).waitFor();
    const traceLink = panel.getByRole('link', { name: /View trace/ });
    assert.equal(await traceLink.getAttribute('href'), `/trace/${state.traceId}`);
    assert.match(page.url(), /[?&]row=/, 'the selected row is in the URL');
    // The panel overlays the results: the table keeps its width, Body included.
    const bodyHeader = table.getByRole('columnheader').filter({ hasText: /^Body/ });
    const bodyBox = await bodyHeader.boundingBox();
    assert.ok(bodyBox && bodyBox.width >= 300, `the Body column keeps its width with the panel open: ${JSON.stringify(bodyBox)}`);
    await shots.take(page, 'search-row-panel');
    // Narrowed to its minimum from the keyboard, the panel uncovers Body.
    const resizer = panel.getByRole('separator', { name: 'Resize row details' });
    const wide = (await panel.boundingBox()).width;
    await resizer.focus();
    await resizer.press('End');
    const narrow = await poll('the panel to narrow', () => panel.boundingBox(), (b) => b.width < wide);
    assert.ok(bodyBox.x + 150 < narrow.x, `some of Body is visible left of the narrowed panel: body x ${bodyBox.x}, panel x ${narrow.x}`);
    await shots.take(page, 'search-row-panel-narrow');
  });

  await step('search: an empty result and a syntax error', ['search: table, histogram and facets agree with the API'], async () => {
    const query = page.getByRole('combobox', { name: 'Query' });
    const nothing = 'zzz-no-such-word-anywhere';
    const emptyRes = apiResponse('/api/v2/search', (b) => b?.query === nothing);
    await query.fill(nothing);
    await query.press('Enter');
    assert.deepEqual((await (await emptyRes).json()).data, []);
    await page.getByText('No logs match').waitFor();
    await page.getByText('No data yet?').getByRole('link', { name: 'Send data' }).waitFor();
    await shots.take(page, 'search-empty');

    const bad = `${QUERY} AND (payment`;
    const badRes = apiResponse('/api/v2/search', (b) => b?.query === bad);
    await query.fill(bad);
    await query.press('Enter');
    const badResponse = await badRes;
    assert.equal(badResponse.status(), 400);
    const message = (await badResponse.json()).error;
    assert.match(message, /position \d+/, 'the server names the position');
    await expectText(page.getByRole('alert').filter({ hasText: message }), message, 'the server message in an alert');
    const position = Number(/position (\d+)/.exec(message)[1]);
    await page.getByLabel(`Error at position ${position}`).waitFor();
    // Nothing of a run that did not happen: no counts, histogram or table.
    await page.getByText('The query did not run').waitFor();
    assert.equal(await page.getByRole('table', { name: 'Results' }).count(), 0, 'no results table after a failed query');
    assert.equal(await page.getByText(/ rows · read /).count(), 0, 'no row counts after a failed query');
    assert.equal(await page.getByText(/matching logs/).count(), 0, 'no histogram after a failed query');
    await shots.take(page, 'search-error');
  });

  // --- 5. trace -------------------------------------------------------------------
  await step('trace waterfall', ['send logs and a trace with the OpenTelemetry SDK'], async () => {
    await page.goto(`/trace/${state.traceId}`);
    const tree = page.getByRole('tree', { name: 'Spans' });
    await tree.waitFor();
    const items = tree.getByRole('treeitem');
    await expectCount(items, SPAN_NAMES.length, 'spans in the waterfall');
    const texts = await items.allInnerTexts();
    assert.ok(texts[0].includes(SPAN_NAMES[0]), `the root span comes first: ${texts[0]}`);
    for (const name of SPAN_NAMES) assert.ok(texts.some((x) => x.includes(name)), `span "${name}" is listed`);
    assert.equal(await items.first().getAttribute('aria-level'), '1');
    for (const i of [1, 2]) assert.equal(await items.nth(i).getAttribute('aria-level'), '2', 'children are indented under the root');

    const apiTrace = await api('GET', `/api/v2/traces/${state.traceId}`);
    assert.equal(apiTrace.status, 200, apiTrace.text);
    const logs = page.getByRole('region', { name: 'Logs of this trace' });
    await logs.getByRole('heading', { name: `Logs (${apiTrace.json.logs.length})` }).waitFor();
    for (const l of apiTrace.json.logs) await logs.getByText(l.Body, { exact: true }).waitFor();

    await items.filter({ hasText: 'charge card' }).getByRole('button', { name: /charge card/ }).click();
    const detail = page.getByRole('complementary', { name: 'Span details' });
    await detail.getByText('payment.provider', { exact: true }).first().waitFor();
    await detail.getByText('acme-pay', { exact: true }).first().waitFor();
    await shots.take(page, 'trace');
  });

  // --- 6. chart explorer and dashboards ---------------------------------------------
  await step('chart explorer: build a chart, add it to a new dashboard', ['send logs and a trace with the OpenTelemetry SDK'], async () => {
    await page.goto('/chart');
    const form = page.getByRole('form', { name: 'Chart' });
    await form.waitFor();
    await form.getByLabel('Source').selectOption({ label: 'Logs (log)' });
    await form.getByLabel('Chart name').fill('Shop logs by severity');
    await form.getByLabel('Aggregate').selectOption('count');
    await form.getByLabel('Where').fill(QUERY);
    await form.getByLabel('Group by').fill('SeverityText');
    const chartRes = apiResponse('/api/v2/charts/series', (b) => b?.series?.[0]?.where === QUERY && (b.series[0].groupBy ?? []).includes('SeverityText'));
    await form.getByRole('button', { name: 'Run' }).click();
    const chart = await chartRes;
    assert.equal(chart.status(), 200);
    const data = (await chart.json()).data;
    const groups = [...new Set(data.map((r) => r.group[0]))].sort();
    assert.deepEqual(groups, ['DEBUG', 'ERROR', 'INFO', 'WARN'], 'the chart groups by every severity sent');
    const total = data.reduce((s, r) => s + Number(r['series_0.data'] ?? 0), 0);
    assert.equal(total, FILLER + LOGS.length);
    const result = page.getByRole('region', { name: 'Result' });
    const legend = result.getByRole('list', { name: 'Series' });
    for (const g of groups) await legend.getByRole('button', { name: g }).waitFor();
    await expectCount(legend.getByRole('button'), groups.length, 'legend entries');
    await shots.take(page, 'chart');

    await form.getByRole('button', { name: 'Add to dashboard' }).click();
    const dialog = page.getByRole('dialog', { name: 'Add to dashboard' });
    await dialog.getByLabel('Dashboard', { exact: true }).waitFor();
    assert.equal(await dialog.getByLabel('Dashboard', { exact: true }).inputValue(), '__new__', 'a new dashboard is proposed when there is none');
    assert.equal(await dialog.getByLabel('Tile name').inputValue(), 'Shop logs by severity');
    await dialog.getByLabel('New dashboard name').fill('Shop overview');
    await dialog.getByRole('button', { name: 'Add tile' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Added “Shop logs by severity” to' }).waitFor();
    const dashboards = await api('GET', '/api/v2/dashboards');
    const saved = dashboards.json.data.find((d) => d.name === 'Shop overview');
    assert.ok(saved, `the dashboard was created: ${dashboards.text}`);
    assert.equal(saved.tiles.length, 1);
    state.dashboardId = saved.id;
    await dialog.getByRole('link', { name: 'Shop overview' }).click();
    await page.waitForURL(`**/dashboards/${saved.id}`);
  });

  await step('dashboard: the tile shows the chart', ['chart explorer: build a chart, add it to a new dashboard'], async () => {
    await page.getByRole('heading', { name: 'Shop overview' }).waitFor();
    const tile = page.getByRole('region', { name: 'Shop logs by severity' });
    await tile.waitFor();
    const legend = tile.getByRole('list', { name: 'Series' });
    for (const g of ['DEBUG', 'ERROR', 'INFO', 'WARN']) await legend.getByRole('button', { name: g }).waitFor();
    await shots.take(page, 'dashboard');
    await page.getByRole('link', { name: 'Dashboards', exact: true }).first().click();
    await page.getByRole('link', { name: 'Shop overview' }).waitFor();
    await shots.take(page, 'dashboards');
  });

  // --- 7. team settings: keys and members --------------------------------------------
  await step('settings: rotate the ingestion key with no grace', ['send logs and a trace with the OpenTelemetry SDK'], async () => {
    await page.goto('/settings/keys');
    const section = page.getByRole('heading', { name: 'Ingestion keys' }).locator('..');
    const row = section.getByRole('row').filter({ hasText: state.keyName }).filter({ hasText: 'Active' });
    await row.waitFor();
    await row.getByRole('button', { name: 'Rotate…' }).click();
    await row.getByLabel('Old key works for').selectOption({ label: 'none (old key stops now)' });
    const rotateRes = apiResponse(`/api/ingestion-keys/${state.keyId}/rotate`);
    await row.getByRole('button', { name: 'Rotate', exact: true }).click();
    const rotated = await rotateRes;
    assert.equal(rotated.status(), 201);
    assert.deepEqual(rotated.request().postDataJSON(), { graceSeconds: 0 });
    const newKey = (await rotated.json()).raw;
    assert.notEqual(newKey, state.key);
    const shown = section.getByText(`New key replacing “${state.keyName}”`).locator('..');
    await shown.getByText(newKey, { exact: true }).waitFor();
    await section.getByText('The old key no longer works.').waitFor();
    await section.getByRole('row').filter({ hasText: state.keyName }).filter({ hasText: 'Expired' }).waitFor();
    await expectCount(section.getByRole('row').filter({ hasText: 'Active' }), 1, 'active keys after the rotation');
    await shown.getByRole('button', { name: 'Copy' }).click();
    assert.equal(await clipboard(), newKey, 'Copy puts the new key on the clipboard');
    await shots.take(page, 'settings-keys');

    // Over OTLP: the old key is refused at once, the new one works.
    const oldExporter = makeExporter('logs', 'http/json', server, { key: state.key });
    const old = await exportOnce(oldExporter, makeLogRecords(SERVICE, [{ body: 'sent with the rotated-out key' }]));
    await oldExporter.shutdown();
    assert.notEqual(old.code, EXPORT_SUCCESS, 'the old key must be refused');
    const newExporter = makeExporter('logs', 'http/json', server, { key: newKey });
    const fresh = await exportOnce(newExporter, makeLogRecords(SERVICE, [{ body: 'sent with the new key' }]));
    await newExporter.shutdown();
    assert.equal(fresh.code, EXPORT_SUCCESS, fresh.error?.message);
  });

  await step('settings: retention override per signal', ['register with the live password checklist'], async () => {
    await page.goto('/settings/retention');
    const input = page.getByLabel('traces', { exact: true });
    await input.waitFor();
    assert.equal(await input.inputValue(), '3d', 'the default retention');
    await input.fill('7d');
    const saved = apiResponse('/api/team/retention/traces', () => true, 'PUT');
    await page.getByRole('row').filter({ has: input }).getByRole('button', { name: 'Save' }).click();
    const res = await saved;
    assert.equal(res.status(), 200);
    assert.deepEqual(res.request().postDataJSON(), { seconds: 7 * 86400 });
    await page.getByRole('row').filter({ has: input }).getByText('override').waitFor();
    await shots.take(page, 'settings-retention');
    const reset = apiResponse('/api/team/retention/traces', () => true, 'DELETE');
    await page.getByRole('button', { name: 'Use configured' }).click();
    assert.equal((await reset).status(), 200);
    await page.getByRole('row').filter({ has: input }).getByText('configured', { exact: true }).waitFor();
  });

  await step('settings: invite a viewer, who joins on /join-team', ['register with the live password checklist'], async () => {
    await page.goto('/settings/members');
    await page.getByRole('row').filter({ hasText: ADMIN_EMAIL }).filter({ hasText: '(you)' }).waitFor();
    await page.getByLabel('Email (optional)').fill(VIEWER_EMAIL);
    await page.getByLabel('Role', { exact: true }).selectOption('viewer');
    const inviteRes = apiResponse('/api/team/invitations');
    await page.getByRole('button', { name: 'Create invitation link' }).click();
    const invite = await inviteRes;
    assert.equal(invite.status(), 201);
    const token = (await invite.json()).token;
    const link = page.getByText(`/join-team?token=${token}`);
    await link.waitFor();
    state.inviteUrl = (await link.innerText()).trim();
    assert.equal(state.inviteUrl, `${server.appUrl()}/join-team?token=${token}`);
    await page.getByRole('row').filter({ hasText: VIEWER_EMAIL }).filter({ hasText: 'pending' }).waitFor();
    await shots.take(page, 'settings-members');

    const viewer = await newPage(browser, server.appUrl());
    t.after(() => viewer.context.close().catch(() => {}));
    state.viewer = viewer;
    await viewer.page.goto(state.inviteUrl);
    await viewer.page.getByRole('heading', { name: `Join ${TEAM}` }).waitFor();
    assert.equal(await viewer.page.getByLabel('Email').inputValue(), VIEWER_EMAIL, 'the invitation names the email');
    await viewer.page.getByLabel('Password', { exact: true }).fill(GOOD_PASSWORD);
    await viewer.page.getByLabel('Confirm password').fill(GOOD_PASSWORD);
    await shots.take(viewer.page, 'join-team');
    await viewer.page.getByRole('button', { name: 'Create account and join' }).click();
    await viewer.page.waitForURL('**/search**');
    await viewer.page.getByText(VIEWER_EMAIL).first().waitFor();
  });

  await step('a viewer is not shown ingestion keys', ['settings: invite a viewer, who joins on /join-team'], async () => {
    const { page: vp } = state.viewer;
    const keyRequests = [];
    vp.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/api/ingestion-keys')) keyRequests.push(r.url());
    });
    await vp.goto('/settings/keys');
    await vp.getByText('you are viewer').waitFor();
    await vp.getByText('Only admins can see and manage them').waitFor();
    // The page has loaded what a viewer may see (personal keys) ...
    await vp.getByRole('heading', { name: /Personal/ }).waitFor();
    // ... and shows no ingestion key, no key actions, and never asked for them.
    assert.equal(await vp.getByText(state.keyName, { exact: true }).count(), 0, 'the key name is not shown');
    assert.equal(await vp.getByRole('button', { name: 'Rotate…' }).count(), 0);
    assert.equal(await vp.getByRole('button', { name: 'Reveal' }).count(), 0);
    assert.deepEqual(keyRequests, [], 'the viewer page does not request /api/ingestion-keys');
    await shots.take(vp, 'viewer-settings-keys');

    await vp.goto('/get-started');
    await vp.getByText('Only admins can see ingestion keys').waitFor();
    assert.equal(await vp.getByRole('button', { name: 'Reveal key' }).count(), 0);
    assert.deepEqual(keyRequests, []);
    const denied = await api('GET', '/api/ingestion-keys', undefined, state.viewer.context);
    assert.equal(denied.status, 403, 'and the server refuses them anyway');
  });

  // Nothing broke in the admin's page: no uncaught errors, no 5xx, no
  // console errors but the browser's own lines for 4xx answers (a signed-out
  // GET /api/me, the syntax-error step), which are expected.
  await step('no unexpected page errors', [], async () => {
    const unexpected = problems.filter(
      (p) => p.startsWith('page error:') || / -> 5\d\d$/.test(p) || (p.startsWith('console:') && !/Failed to load resource: the server responded with a status of 4\d\d/.test(p)),
    );
    assert.deepEqual(unexpected, []);
  });
});
