// The deterministic telemetry dataset of the differential test (and, scaled
// up, of benchmarks).
//
// Requires: nothing but `nowMs` (defaults to Date.now()).
// Promises:
//   - makeDataset({nowMs, seed, scale}) returns the same records for the same
//     seed, scale and hour of `nowMs`: every random choice comes from a seeded
//     PRNG; times are offsets from `anchorNs` = nowMs rounded down to the hour
//     minus 26 h, and the whole dataset lies in [anchorNs, anchorNs + 25 h).
//   - Timestamps are unique within a signal (distinct milliseconds plus a
//     sub-millisecond part), so "newest first" is a total order.
//   - Records are neutral objects (BigInt nanoseconds, typed attribute
//     values); otlp.mjs and clickhouse_schema.mjs turn them into requests/rows.
//   - Planted needles (see NEEDLES) occur exactly as documented there.

// Planted text. Tests rely on these counts.
export const NEEDLES = {
  // A token that occurs in exactly 3 log Bodies and nowhere else.
  rareToken: 'zorblax',
  rareTokenCount: 3,
  // A phrase (adjacent tokens) in exactly 10 log Bodies; its two words also
  // occur apart (not adjacent) in other records.
  phrase: 'quota exhausted',
  phraseCount: 10,
  // A token that occurs only in a LogAttributes value (never in a Body).
  attrOnlyToken: 'blueberry',
  attrOnlyCount: 7,
};

const HOUR_NS = 3600n * 1000000000n;
const MS_NS = 1000000n;

// mulberry32: small, fast, good enough for test data.
export function makeRng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)), // inclusive
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
    // weights: [[value, weight], ...]
    weighted: (pairs) => {
      const total = pairs.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [v, w] of pairs) {
        r -= w;
        if (r < 0) return v;
      }
      return pairs[pairs.length - 1][0];
    },
    normal: () => {
      const u = Math.max(next(), 1e-12);
      const v = next();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    hex: (bytes) => {
      let s = '';
      for (let i = 0; i < bytes; i++) s += Math.floor(next() * 256).toString(16).padStart(2, '0');
      return s;
    },
    shuffle: (arr) => {
      for (let i = arr.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [arr[i], arr[j]] = [arr[j], arr[i]];
      }
      return arr;
    },
  };
  return rng;
}

// Services with their share of traffic (skewed on purpose: top-k needs
// distinct counts) and whether they set service.version.
const SERVICES = [
  ['frontend', 22],
  ['api-gateway', 18],
  ['orders', 14],
  ['payments', 11],
  ['inventory', 9],
  ['users', 7],
  ['auth', 6],
  ['search', 5],
  ['notifications', 3.5],
  ['shipping', 2.5],
  ['recommendations', 1.5],
  ['billing-worker', 0.8],
];

const ROUTES = [
  ['/api/v1/orders/{id}', 30],
  ['/api/v1/orders', 15],
  ['/api/v1/users/{id}', 14],
  ['/api/v1/cart', 12],
  ['/api/v2/search', 10],
  ['/health', 9],
  ['/api/v1/payments', 6],
  ['/login', 4],
];
const METHODS = [
  ['GET', 60],
  ['POST', 25],
  ['PUT', 8],
  ['DELETE', 4],
  ['PATCH', 3],
];
const STATUS_CODES = [
  [200, 70],
  [201, 6],
  [204, 4],
  [301, 2],
  [400, 4],
  [401, 2],
  [403, 1.5],
  [404, 5],
  [429, 1.5],
  [500, 2],
  [502, 1],
  [503, 1],
];
const ERROR_TYPES = ['TimeoutError', 'ConnectionRefused', 'NullPointerException', 'DeadlineExceeded', 'IOException'];
const USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'oscar'];

// Resources: each service runs on 2-3 pods spread over 6 hosts.
function makeResources(rng) {
  const resources = [];
  SERVICES.forEach(([name], si) => {
    const pods = 2 + (si % 2);
    for (let p = 0; p < pods; p++) {
      const attrs = {
        'service.name': name,
        'k8s.pod.name': `${name}-${rng.hex(3)}-${'abcdefghjk'[p]}${rng.int(100, 999)}`,
        'host.name': `node-${(si + p) % 6}`,
        'deployment.environment': 'prod',
      };
      if (si % 3 === 0) attrs['service.version'] = `1.${si}.${p}`;
      resources.push({ service: name, attributes: attrs });
    }
  });
  return resources;
}

function pickResource(rng, resources, service) {
  return rng.pick(resources.filter((r) => r.service === service));
}

// Allocates unique timestamps: one distinct millisecond per record (probing
// forward on a collision) plus a random sub-millisecond part.
class TimeAllocator {
  constructor(rng, anchorNs, spanMs) {
    this.rng = rng;
    this.anchorNs = anchorNs;
    this.spanMs = spanMs;
    this.used = new Set();
  }

  at(offsetMs) {
    let ms = Math.max(0, Math.min(this.spanMs - 1, Math.floor(offsetMs)));
    while (this.used.has(ms)) ms = (ms + 1) % this.spanMs;
    this.used.add(ms);
    return this.anchorNs + BigInt(ms) * MS_NS + BigInt(this.rng.int(0, 999999));
  }
}

function durationNs(rng, medianMs, sigma) {
  const ms = medianMs * Math.exp(sigma * rng.normal());
  return BigInt(Math.max(20000, Math.round(ms * 1e6)));
}

// ---------------------------------------------------------------- traces

const SPAN_TEMPLATES = {
  http: (rng) => {
    const route = rng.weighted(ROUTES);
    const method = rng.weighted(METHODS);
    return {
      name: `${method} ${route}`,
      kind: 2,
      attributes: { 'http.method': method, 'http.route': route, 'http.status_code': rng.weighted(STATUS_CODES) },
    };
  },
  db: (rng) => {
    const table = rng.pick(['orders', 'users', 'inventory_items', 'payments']);
    const op = rng.weighted([
      ['SELECT', 70],
      ['INSERT', 20],
      ['UPDATE', 10],
    ]);
    return {
      name: `${op} ${table}`,
      kind: 3,
      attributes: {
        'db.system': rng.weighted([
          ['postgresql', 80],
          ['mysql', 20],
        ]),
        'db.statement': `${op} * FROM ${table} WHERE id = $1`,
        'db.rows': rng.int(0, 50),
      },
    };
  },
  cache: (rng) => ({
    name: rng.pick(['redis GET', 'redis SET', 'redis MGET']),
    kind: 3,
    attributes: { 'db.system': 'redis', 'cache.hit': rng.chance(0.7) },
  }),
  internal: (rng) => ({
    name: rng.pick(['charge_card', 'reserve_stock', 'render_page', 'compute_recommendations', 'validate_token']),
    kind: 1,
    attributes: rng.chance(0.5) ? { 'app.step': rng.int(1, 5) } : {},
  }),
  producer: (rng) => ({
    name: rng.pick(['publish order.created', 'publish payment.settled']),
    kind: 4,
    attributes: { 'messaging.system': 'kafka', 'messaging.destination': rng.pick(['orders', 'payments']) },
  }),
  outbound: (rng) => {
    const route = rng.weighted(ROUTES);
    return {
      name: `HTTP ${rng.weighted(METHODS)}`,
      kind: 3,
      attributes: {
        'http.route': route,
        'http.status_code': rng.weighted(STATUS_CODES),
        'peer.service': rng.pick(['users', 'inventory', 'payments']),
      },
    };
  },
};

function makeTraces(rng, resources, alloc, { traceCount, spansPerTrace }) {
  const spans = [];
  const traceIds = [];
  const windowMs = alloc.spanMs - 120000;
  for (let t = 0; t < traceCount; t++) {
    const traceId = rng.hex(16);
    traceIds.push(traceId);
    const startMs = rng.next() * windowMs;
    const rootService = rng.weighted([
      ['frontend', 60],
      ['api-gateway', 40],
    ]);
    const size = Math.max(1, Math.round(spansPerTrace * Math.exp(0.6 * rng.normal()) * 0.85));
    const traceSpans = [];
    const root = {
      traceId,
      spanId: rng.hex(8),
      parentSpanId: '',
      resource: pickResource(rng, resources, rootService),
      ...SPAN_TEMPLATES.http(rng),
      startOffsetMs: startMs,
      durationNs: durationNs(rng, 80, 1.1),
    };
    root.kind = 2;
    traceSpans.push(root);
    for (let i = 1; i < size; i++) {
      const parent = rng.pick(traceSpans);
      const kindName = rng.weighted([
        ['db', 30],
        ['cache', 20],
        ['internal', 25],
        ['producer', 5],
        ['outbound', 20],
      ]);
      const service = rng.weighted(SERVICES.slice(2));
      const parentMs = Number(parent.durationNs) / 1e6;
      const child = {
        traceId,
        spanId: rng.hex(8),
        parentSpanId: parent.spanId,
        resource: pickResource(rng, resources, service),
        ...SPAN_TEMPLATES[kindName](rng),
        startOffsetMs: parent.startOffsetMs + rng.next() * Math.max(1, parentMs * 0.8),
        durationNs: durationNs(rng, kindName === 'cache' ? 1.5 : kindName === 'db' ? 12 : 25, 1.3),
      };
      traceSpans.push(child);
    }
    for (const s of traceSpans) {
      const errorProb = s.attributes['http.status_code'] >= 500 ? 0.9 : 0.03;
      s.statusCode = rng.chance(errorProb) ? 2 : rng.chance(0.3) ? 1 : 0;
      s.statusMessage = s.statusCode === 2 ? rng.pick(['upstream timeout', 'connection reset', 'internal error']) : '';
      s.startNs = alloc.at(s.startOffsetMs);
      delete s.startOffsetMs;
      spans.push(s);
    }
  }
  return { spans, traceIds };
}

// ---------------------------------------------------------------- logs

function accessLog(rng, service) {
  const method = rng.weighted(METHODS);
  const route = rng.weighted(ROUTES);
  const status = rng.weighted(STATUS_CODES);
  const path = route.replace('{id}', String(rng.int(1000, 99999)));
  const ms = Math.round(Math.exp(3 + rng.normal()));
  const attributes = { 'http.method': method, 'http.route': route, 'http.status_code': status, 'duration.ms': ms };
  if (rng.chance(0.6)) attributes['user.id'] = `u-${rng.int(1, 400)}`;
  if (rng.chance(0.2)) attributes['http.retry'] = rng.chance(0.5);
  const severity = status >= 500 ? ['ERROR', 17] : status >= 400 ? ['WARN', 13] : ['INFO', 9];
  return {
    severity,
    body:
      `10.0.${rng.int(0, 9)}.${rng.int(1, 254)} - - "${method} ${path} HTTP/1.1" ` +
      `${status} ${rng.int(0, 20000)} ${ms}ms "${service}"`,
    attributes,
  };
}

function errorLog(rng) {
  const user = rng.pick(USERS);
  const type = rng.pick(ERROR_TYPES);
  const bodies = [
    () => `failed to charge card for user ${user}@example.com: connection refused (retry ${rng.int(1, 5)}/5)`,
    () => `upstream request to /api/v1/orders failed: ${type} after ${rng.int(100, 30000)}ms`,
    () => `could not reserve stock item=sku-${rng.int(100, 999)} reason=out_of_stock`,
    () => `Error: deadline exceeded while calling inventory.Reserve key=order:${rng.int(1, 5000)}`,
    () => `payment declined for order #${rng.int(10000, 99999)}: insufficient funds`,
  ];
  const attributes = { 'error.type': type };
  if (rng.chance(0.5)) attributes['retry.count'] = rng.int(0, 5);
  if (rng.chance(0.5)) attributes['user.id'] = `u-${rng.int(1, 400)}`;
  return { severity: rng.chance(0.1) ? ['FATAL', 21] : ['ERROR', 17], body: rng.pick(bodies)(), attributes };
}

function stackTraceLog(rng) {
  const type = rng.pick([
    'java.lang.NullPointerException',
    'java.io.IOException',
    'java.util.ConcurrentModificationException',
  ]);
  const cls = rng.pick(['OrderService', 'PaymentClient', 'StockReservation']);
  const lines = [
    `${type}: ${rng.pick(['Cannot invoke "String.length()" because "name" is null', 'Broken pipe', 'null'])}`,
    `\tat com.example.shop.${cls}.handle(${cls}.java:${rng.int(20, 400)})`,
    `\tat com.example.shop.Dispatcher.dispatch(Dispatcher.java:${rng.int(20, 400)})`,
    `\tat java.base/java.lang.Thread.run(Thread.java:833)`,
  ];
  return {
    severity: ['ERROR', 17],
    body: lines.join('\n'),
    attributes: { 'exception.type': type, 'code.function': `${cls}.handle` },
  };
}

function kvLog(rng) {
  const hit = rng.chance(0.6);
  const key = `user:${rng.int(1, 400)}`;
  return {
    severity: ['DEBUG', 5],
    body: `msg="cache ${hit ? 'hit' : 'miss'}" key=${key} ttl=${rng.int(10, 600)}s region=eu-west-1`,
    attributes: { 'cache.hit': hit, 'cache.key': key },
  };
}

function chatterLog(rng, service) {
  const bodies = [
    () => `worker heartbeat ok queue_depth=${rng.int(0, 80)}`,
    () => `processed batch of ${rng.int(1, 500)} events in ${rng.int(1, 900)}ms`,
    () => `user ${rng.pick(USERS)} logged in from 192.168.${rng.int(0, 9)}.${rng.int(1, 254)}`,
    () => `Benutzer ${rng.pick(['müller', 'schröder', 'jürgen'])} hat die Bestellung storniert`,
    () => `${service} ready: listening on :${rng.int(8000, 8999)}`,
    () => `retrying request (attempt ${rng.int(2, 4)}) quota check pending; exhausted retries are logged at WARN`,
    () => `config reloaded: feature.flags=${rng.pick(['on', 'off'])} rate_limit=${rng.int(10, 1000)}/s`,
  ];
  const attributes = {};
  if (rng.chance(0.3)) attributes['thread.name'] = `worker-${rng.int(1, 16)}`;
  return { severity: rng.chance(0.05) ? ['WARN', 13] : ['INFO', 9], body: rng.pick(bodies)(), attributes };
}

function makeLogs(rng, resources, alloc, spans, { logCount }) {
  const logs = [];
  const windowMs = alloc.spanMs;
  const withTrace = Math.floor(logCount * 0.3);
  for (let i = 0; i < logCount; i++) {
    let service;
    let offsetMs;
    let traceId = '';
    let spanId = '';
    let span;
    if (i < withTrace) {
      span = rng.pick(spans);
      service = span.resource.service;
      traceId = span.traceId;
      spanId = span.spanId;
      offsetMs = Number(span.startNs - alloc.anchorNs) / 1e6 + rng.next() * (Number(span.durationNs) / 1e6);
    } else {
      service = rng.weighted(SERVICES);
      offsetMs = rng.next() * windowMs;
    }
    const kind = rng.weighted([
      ['access', 45],
      ['error', 10],
      ['stack', 3],
      ['kv', 15],
      ['chatter', 27],
    ]);
    const rec =
      kind === 'access'
        ? accessLog(rng, service)
        : kind === 'error'
          ? errorLog(rng)
          : kind === 'stack'
            ? stackTraceLog(rng)
            : kind === 'kv'
              ? kvLog(rng)
              : chatterLog(rng, service);
    const resource = span ? span.resource : pickResource(rng, resources, service);
    const timeNs = alloc.at(offsetMs);
    logs.push({
      timeNs,
      observedNs: timeNs + BigInt(rng.int(1, 5000)) * MS_NS,
      resource,
      severityText: rec.severity[0],
      severityNumber: rec.severity[1],
      body: rec.body,
      attributes: rec.attributes,
      traceId,
      spanId,
      scope: rng.pick(['app', 'http.server', 'db.client']),
    });
  }
  plantNeedles(rng, logs);
  return logs;
}

// Rewrites a few records so the documented needle counts hold exactly.
function plantNeedles(rng, logs) {
  const chosen = new Set();
  const take = () => {
    for (;;) {
      const i = rng.int(0, logs.length - 1);
      if (!chosen.has(i)) {
        chosen.add(i);
        return logs[i];
      }
    }
  };
  for (let k = 0; k < NEEDLES.rareTokenCount; k++) {
    const rec = take();
    rec.body = [
      `unexpected ${NEEDLES.rareToken} state in reconciler (shard=${k})`,
      `Zorblax! handshake with peer failed`,
      `cache key=${NEEDLES.rareToken}:${k} evicted`,
    ][k];
    rec.severityText = 'WARN';
    rec.severityNumber = 13;
  }
  for (let k = 0; k < NEEDLES.phraseCount; k++) {
    const rec = take();
    const tenant = rng.int(1, 50);
    const what = rng.pick(['api', 'storage', 'egress']);
    rec.body = `tenant t-${tenant} rejected: Quota Exhausted for ${what} (limit=${rng.int(100, 999)})`;
    rec.severityText = 'ERROR';
    rec.severityNumber = 17;
  }
  for (let k = 0; k < NEEDLES.attrOnlyCount; k++) {
    const rec = take();
    rec.attributes = { ...rec.attributes, 'feature.flag': `${NEEDLES.attrOnlyToken}-rollout` };
  }
}

// ---------------------------------------------------------------- metrics

function makeMetrics(rng, resources, anchorNs, { metricScale }) {
  const points = [];
  let seriesIndex = 0;
  const windowMin = 24 * 60;
  const add = (metric, resource, attributes, everyMin, valueAt) => {
    const s = seriesIndex++;
    const startNs = anchorNs;
    const stepMin = Math.max(1, Math.round(everyMin / metricScale));
    for (let m = 0, i = 0; m < windowMin; m += stepMin, i++) {
      // Distinct milliseconds: series s sits at +s ms (+ sub-ms jitter).
      const timeNs = anchorNs + BigInt(m) * 60000n * MS_NS + BigInt(s) * MS_NS + BigInt(rng.int(0, 999999));
      points.push({ ...metric, resource, attributes, timeNs, startTimeNs: startNs, ...valueAt(i) });
    }
  };
  const res = (service, n = 0) => resources.filter((r) => r.service === service)[n];

  for (let h = 0; h < 4; h++) {
    const resource = resources.find((r) => r.attributes['host.name'] === `node-${h}`);
    let level = 0.2 + 0.1 * h;
    add(
      { name: 'system.cpu.utilization', type: 'Gauge', unit: '1', description: 'CPU utilization' },
      resource,
      { 'cpu.state': 'user' },
      5,
      () => {
        level = Math.min(0.99, Math.max(0.01, level + 0.05 * rng.normal()));
        return { value: Math.round(level * 10000) / 10000 };
      },
    );
  }
  for (const service of ['frontend', 'api-gateway', 'orders']) {
    for (const method of ['GET', 'POST']) {
      let total = 0;
      add(
        {
          name: 'http.server.requests',
          type: 'Sum',
          unit: '{request}',
          description: 'Requests served',
          isMonotonic: true,
          temporality: 2,
        },
        res(service),
        { 'http.method': method },
        10,
        () => {
          total += rng.int(0, method === 'GET' ? 400 : 90);
          return { intValue: total };
        },
      );
    }
  }
  for (const service of ['orders', 'payments']) {
    add(
      { name: 'queue.depth', type: 'Gauge', unit: '{message}', description: 'Pending messages' },
      res(service),
      { queue: `${service}-inbox` },
      10,
      () => ({ intValue: rng.int(0, 250) }),
    );
  }
  const bounds = [5, 10, 25, 50, 100, 250, 500, 1000];
  for (const service of ['frontend', 'api-gateway', 'orders']) {
    add(
      { name: 'http.server.duration', type: 'Histogram', unit: 'ms', description: 'Request duration', temporality: 1 },
      res(service),
      {},
      15,
      () => {
        const counts = bounds.map(() => rng.int(0, 40)).concat([rng.int(0, 5)]);
        const count = counts.reduce((a, b) => a + b, 0);
        const sum = Math.round(count * (20 + 200 * rng.next()) * 100) / 100;
        const min = count ? 1.5 : undefined;
        const max = count ? 1500 : undefined;
        return { count, sum, min, max, bucketCounts: counts, explicitBounds: bounds };
      },
    );
  }
  for (const service of ['orders', 'payments', 'inventory', 'users']) {
    add(
      { name: 'jvm.gc.pause', type: 'Gauge', unit: 'ms', description: 'GC pause' },
      res(service, 1) ?? res(service),
      { 'gc.name': rng.pick(['G1 Young', 'G1 Old']) },
      15,
      () => ({ value: Math.round(Math.exp(1 + rng.normal()) * 1000) / 1000 }),
    );
  }
  return points;
}

// ---------------------------------------------------------------- entry

// scale multiplies the record counts (1: ~20k logs, ~8k spans, ~3k points).
export function makeDataset({ nowMs = Date.now(), seed = 20261120, scale = 1 } = {}) {
  const hourMs = 3600 * 1000;
  const anchorNs = (BigInt(Math.floor(nowMs / hourMs) * hourMs) * MS_NS) - 26n * HOUR_NS;
  const windowMs = 24 * hourMs;
  const rng = makeRng(seed);
  const resources = makeResources(rng);
  const spanAlloc = new TimeAllocator(rng, anchorNs, windowMs);
  const { spans, traceIds } = makeTraces(rng, resources, spanAlloc, {
    traceCount: Math.round(600 * scale),
    spansPerTrace: 13.5,
  });
  const logAlloc = new TimeAllocator(rng, anchorNs, windowMs);
  const logs = makeLogs(rng, resources, logAlloc, spans, { logCount: Math.round(20000 * scale) });
  const metrics = makeMetrics(rng, resources, anchorNs, { metricScale: scale });
  const endNs = anchorNs + BigInt(windowMs) * MS_NS;
  return { anchorNs, endNs, resources, logs, spans, traces: spans, metrics, traceIds };
}
