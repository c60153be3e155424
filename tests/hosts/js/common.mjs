// Shared by every JS conformance runner (Node, the Chromium page, the
// mini-program shim): canonical JSON and the check of one vector through
// the string API (`call`) and the object API (`quote`, `applyEvent`, …).
// Browser-safe: no Node imports.

const MAX_SAFE = 9007199254740991n;

/** Parse JSON text into a tree that keeps every number's lexeme. */
export function parseLossless(text) {
  let i = 0;
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++; };
  const fail = (what) => { throw new SyntaxError(`${what} at offset ${i}`); };
  function value() {
    ws();
    const c = text[i];
    if (c === '{') {
      i++; const obj = new Map(); ws();
      if (text[i] === '}') { i++; return { obj }; }
      for (;;) {
        ws(); if (text[i] !== '"') fail('expected a key');
        const k = string(); ws();
        if (text[i++] !== ':') fail('expected :');
        obj.set(k, value()); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return { obj }; }
        fail('expected , or }');
      }
    }
    if (c === '[') {
      i++; const arr = []; ws();
      if (text[i] === ']') { i++; return { arr }; }
      for (;;) {
        arr.push(value()); ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return { arr }; }
        fail('expected , or ]');
      }
    }
    if (c === '"') return { str: string() };
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m && m[0]) { i += m[0].length; return { num: m[0] }; }
    for (const [w, v] of [['true', true], ['false', false], ['null', null]]) {
      if (text.startsWith(w, i)) { i += w.length; return { lit: v }; }
    }
    fail('unexpected character');
  }
  function string() {
    const start = i; i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i));
  }
  const v = value(); ws();
  if (i !== text.length) fail('trailing characters');
  return v;
}

/** Object keys in UTF-8 byte order (= code point order), as the core sorts them. */
export function compareKeys(a, b) {
  const x = Array.from(a), y = Array.from(b);
  for (let k = 0; k < Math.min(x.length, y.length); k++) {
    const d = x[k].codePointAt(0) - y[k].codePointAt(0);
    if (d) return d;
  }
  return x.length - y.length;
}

/** serde_json's text for a number lexeme (integers exact, floats as f64). */
function numberText(lex) {
  if (/^-?\d+$/.test(lex) && lex !== '-0') return BigInt(lex).toString();
  const n = Number(lex);
  if (Object.is(n, -0)) return '-0.0';
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return n + '.0';
  return String(n).replace('e+', 'e');
}

function emitTree(t) {
  if ('obj' in t) return '{' + [...t.obj.keys()].sort(compareKeys).map((k) => JSON.stringify(k) + ':' + emitTree(t.obj.get(k))).join(',') + '}';
  if ('arr' in t) return '[' + t.arr.map(emitTree).join(',') + ']';
  if ('str' in t) return JSON.stringify(t.str);
  if ('num' in t) return numberText(t.num);
  return JSON.stringify(t.lit);
}

/** Canonical JSON (keys sorted at every depth, no whitespace) of JSON text, lossless. */
export function canonicalText(text) {
  return emitTree(parseLossless(text));
}

/** Canonical JSON of a lossless tree's member. */
export function canonicalTree(t) {
  return emitTree(t);
}

/** Canonical JSON of a JS value (numbers must be exact; used for the object API). */
export function canonicalValue(v) {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new TypeError('non-finite number');
    return Number.isInteger(v) ? numberText(String(BigInt(v))) : numberText(String(v));
  }
  if (Array.isArray(v)) return '[' + v.map(canonicalValue).join(',') + ']';
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return '{' + Object.keys(v).sort(compareKeys).map((k) => JSON.stringify(k) + ':' + canonicalValue(v[k])).join(',') + '}';
  }
  throw new TypeError(`not plain JSON data: ${Object.prototype.toString.call(v)}`);
}

/**
 * Why the object API cannot take this vector exactly, or null if it can:
 * JS numbers and JS strings cannot say everything JSON text can.
 */
function objectApiObstacle(tree, expectedText) {
  let why = null;
  (function walk(t) {
    if (why) return;
    if ('num' in t) {
      if (/^-?\d+$/.test(t.num)) {
        const b = BigInt(t.num);
        if (b > MAX_SAFE || b < -MAX_SAFE) why = `integer ${t.num} beyond 2^53`;
        else if (t.num === '-0') why = 'the number -0';
      } else if (Number.isInteger(Number(t.num))) why = `integral float ${t.num}`;
    } else if ('str' in t) {
      if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(t.str)) why = 'a lone surrogate';
    } else if ('obj' in t) {
      for (const [k, v] of t.obj) {
        if (/^(0|[1-9]\d*)$/.test(k)) why = `integer-like key ${k}`;
        walk(v);
      }
    } else if ('arr' in t) t.arr.forEach(walk);
  })(tree);
  if (why) return why;
  // Errors about JSON *text* cannot come from an object.
  if (/"code":"(JSON_SYNTAX|INPUT_TOO_LARGE|INPUT_NOT_UTF8)"/.test(expectedText)) return 'an error about JSON text';
  return null;
}

/** `apply_event` → `applyEvent`. */
export function jsName(op) {
  return op.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());
}

/** The envelope of a call to the object API (a thrown SiyuError becomes {error}). */
export function objectEnvelope(fn, input) {
  try {
    return { ok: fn(input) };
  } catch (e) {
    if (!e || e.name !== 'SiyuError' || typeof e.code !== 'string') throw e;
    const error = { code: e.code, path: e.path, zh: e.zh, en: e.en };
    if (e.problems !== undefined) error.problems = e.problems;
    return { error };
  }
}

/**
 * Check one vector file's text against a loaded siyu module.
 * Returns { name, op, string: bool, object: bool|null (null = not applicable), why, detail }.
 */
export function checkVector(siyu, name, fileText) {
  const doc = parseLossless(fileText);
  if (!('obj' in doc)) throw new Error(`${name}: not a JSON object`);
  const steps = doc.obj.get('steps');
  if (steps) return checkSteps(siyu, name, steps);
  return checkCall(siyu, name, doc);
}

/**
 * A steps vector `{"steps": [{op, input, expected}, …]}`: its steps in
 * order on the one module instance (rules prepared, then named by
 * fingerprint), through `call`, then again through the object API. Each
 * vector prepares what it uses, so the order of the files does not matter.
 */
function checkSteps(siyu, name, steps) {
  if (!('arr' in steps)) throw new Error(`${name}: steps must be an array`);
  const results = steps.arr.map((step, i) => checkCall(siyu, `${name} step ${i}`, step, 'string'));
  const objectRuns = results.every((r) => r.why === null);
  const objects = objectRuns ? steps.arr.map((step, i) => checkCall(siyu, `${name} step ${i}`, step, 'object')) : [];
  const bad = [...results.filter((r) => !r.string), ...objects.filter((r) => r.object === false)];
  return {
    name,
    op: results.map((r) => r.op).join(','),
    string: results.every((r) => r.string),
    object: objectRuns ? objects.every((r) => r.object) : null,
    why: objectRuns ? null : results.find((r) => r.why !== null).why,
    detail: bad.length ? bad.map((r) => `${r.name}: ${r.detail}`).join('\n') : null,
  };
}

/**
 * One call `{op, input, expected}`: through `call` and the object API
 * (`only`: just one of them, 'string' or 'object').
 */
function checkCall(siyu, name, doc, only) {
  const opTree = doc.obj.get('op'), inTree = doc.obj.get('input'), exTree = doc.obj.get('expected');
  if (!opTree || !('str' in opTree) || !inTree || !exTree) throw new Error(`${name}: needs op, input and expected`);
  const op = opTree.str;
  const inputText = emitTree(inTree);
  const want = emitTree(exTree);
  const res = { name, op, string: true, object: null, why: null, detail: null };
  if (only !== 'object') {
    const got = siyu.call(op, inputText);
    res.string = got === want;
    if (!res.string) res.detail = difference(got, want);
  }
  if (only === 'string') {
    // Whether the object API could take it (checked on its own run).
    const fn = siyu[jsName(op)];
    if (typeof fn !== 'function') res.why = 'an operation with no JS function';
    else res.why = objectApiObstacle(inTree, want) ?? objectApiObstacle(exTree, want);
    return res;
  }

  const fn = siyu[jsName(op)];
  const known = typeof fn === 'function' && (siyu.operations?.() ?? []).some((o) => o.name === op);
  if (!known) {
    res.why = 'an operation with no JS function';
    return res;
  }
  const obstacle = objectApiObstacle(inTree, want) ?? objectApiObstacle(exTree, want);
  if (obstacle) {
    res.why = obstacle;
    return res;
  }
  let gotObj;
  try {
    gotObj = canonicalValue(objectEnvelope(fn, JSON.parse(inputText)));
  } catch (e) {
    res.object = false;
    res.detail = (res.detail ? res.detail + '\n' : '') + `object API threw ${e && e.name}: ${e && e.message}`;
    return res;
  }
  res.object = gotObj === want;
  if (!res.object) res.detail = (res.detail ? res.detail + '\n' : '') + 'object API: ' + difference(gotObj, want);
  return res;
}

/** Where two texts first differ, with context. */
export function difference(got, want) {
  let at = 0;
  while (at < got.length && at < want.length && got[at] === want[at]) at++;
  const from = Math.max(0, at - 60);
  return `first difference at char ${at}\n      got: …${got.slice(from, at + 140)}\n     want: …${want.slice(from, at + 140)}`;
}

/**
 * Checks of the JS face beyond the vectors: every operation has a function,
 * errors are SiyuErrors with their fields, and the module keeps working after
 * any error. Returns a list of failure messages (empty = all good).
 */
export function apiChecks(siyu) {
  const fails = [];
  const check = (ok, msg) => { if (!ok) fails.push(msg); };
  const ops = siyu.operations();
  check(Array.isArray(ops) && ops.length > 0, 'operations() returns the table');
  for (const o of ops) check(typeof siyu[jsName(o.name)] === 'function', `operation ${o.name} has no JS function ${jsName(o.name)}`);
  const extra = ['call', 'init', 'wasmBytes', 'demoRules', 'demoPosters', 'checkRules', 'isSiyuError', 'drawPoster'];
  for (const k of Object.keys(siyu)) {
    if (typeof siyu[k] === 'function' && !extra.includes(k) && k !== 'default') {
      check(ops.some((o) => jsName(o.name) === k), `export ${k} is not an operation`);
    }
  }
  const rules = siyu.demoRules();
  const good = JSON.stringify(siyu.validateRules({ rules }));
  // `problem`: a problem code the error must list; `at`: that problem's path.
  const throwsSiyu = (f, code, label, problem, at) => {
    try {
      f();
      fails.push(`${label}: did not throw`);
    } catch (e) {
      check(e instanceof Error, `${label}: thrown value is an Error`);
      check(e.name === 'SiyuError', `${label}: name is SiyuError (got ${e.name}: ${e.message})`);
      check(e.code === code, `${label}: code ${code} (got ${e.code})`);
      check(typeof e.path === 'string' && typeof e.zh === 'string' && typeof e.en === 'string', `${label}: path, zh, en are strings`);
      check(typeof e.message === 'string' && e.message.startsWith(code), `${label}: message starts with the code`);
      if (problem) {
        check(Array.isArray(e.problems) && e.problems.some((p) => p.code === problem && (at === undefined || p.path === at)),
          `${label}: problems include ${problem}${at === undefined ? '' : ` at ${JSON.stringify(at)}`} (got ${JSON.stringify(e.problems)})`);
      } else check(e.problems === undefined || Array.isArray(e.problems), `${label}: problems is an array if present`);
    }
    // the module keeps working after every error
    check(JSON.stringify(siyu.validateRules({ rules })) === good, `${label}: module still works afterwards`);
  };
  const now = 1767225600000;
  const empty = { lines: [] };
  throwsSiyu(() => siyu.quote({}), 'INPUT_INVALID', 'missing fields');
  throwsSiyu(() => siyu.quote(42), 'INPUT_INVALID', 'a number as input');
  throwsSiyu(() => siyu.quote({ rules, cart: empty, now }), 'INPUT_INVALID', 'an empty cart', 'CART_EMPTY');
  throwsSiyu(() => siyu.validateRules({ rules: { ...rules, schema: 99 } }), 'RULES_INVALID', 'bad rules');
  throwsSiyu(() => siyu.operations({ surplus: 1 }), 'INPUT_INVALID', 'an unknown field');

  // Numbers: a JS number beyond 2^53 − 1 is the float it is, refused where an integer is expected.
  throwsSiyu(() => siyu.quote({ rules, cart: empty, now: 2 ** 60 }), 'INPUT_INVALID', 'a number beyond 2^53', 'WRONG_TYPE', 'now');
  throwsSiyu(() => siyu.quote({ rules, cart: empty, now: 2 ** 53 }), 'INPUT_INVALID', 'the number 2^53', 'WRONG_TYPE', 'now');
  throwsSiyu(() => siyu.quote({ rules, cart: empty, now: -(2 ** 53) }), 'INPUT_INVALID', 'the number -2^53', 'WRONG_TYPE', 'now');
  throwsSiyu(() => siyu.quote({ rules, cart: empty, now: 2 ** 53 - 1 }), 'TIME_OUT_OF_RANGE', '2^53 − 1 is read (and is out of range)');
  throwsSiyu(() => siyu.quote({ rules, cart: empty, now: now + 0.5 }), 'INPUT_INVALID', 'a fraction', 'WRONG_TYPE', 'now');
  throwsSiyu(() => siyu.quote({ rules, cart: { lines: [{ sku: 'a', category: 'b', unit_price: 2 ** 60, quantity: 1 }] }, now }),
    'INPUT_INVALID', 'a number beyond 2^53 deep inside', 'WRONG_TYPE', 'cart.lines[0].unit_price');
  // A BigInt is read as the number of the same value: exact up to 2^53 − 1, refused beyond.
  throwsSiyu(() => siyu.quote({ rules, cart: empty, now: BigInt(now) }), 'INPUT_INVALID', 'a BigInt input is read', 'CART_EMPTY');
  throwsSiyu(() => siyu.quote({ rules, cart: empty, now: 2n ** 53n }), 'INPUT_INVALID', 'a BigInt of 2^53', 'WRONG_TYPE', 'now');
  throwsSiyu(() => siyu.quote({ rules, cart: empty, now: 2n ** 63n - 1n }), 'INPUT_INVALID', 'a BigInt of i64::MAX', 'WRONG_TYPE', 'now');
  throwsSiyu(() => siyu.quote({ rules, cart: empty, now: 10n ** 400n }), 'INPUT_INVALID', 'a BigInt beyond any float', 'WRONG_TYPE', 'now');
  check(siyu.validateRules({ rules: { ...rules, schema: 1n } }).fingerprint === JSON.parse(good).fingerprint, 'a BigInt inside the rules is read exactly');
  // A result beyond 2^53 − 1 is refused, not rounded; `call` gives it exactly.
  const hugeCart = { lines: Array.from({ length: 100 }, (_, i) => ({ sku: `s${i}`, category: 'x', unit_price: 1e10, quantity: 9999 })), coupons: 'none' };
  throwsSiyu(() => siyu.quote({ rules, cart: hugeCart, now }), 'UNSAFE_INTEGER', 'a result beyond 2^53');
  try { siyu.quote({ rules, cart: hugeCart, now }); } catch (e) { check(/\b9999000000000000\b/.test(e.en), `UNSAFE_INTEGER names the number (got ${e.en})`); }
  const exact = siyu.call('quote', JSON.stringify({ rules, cart: hugeCart, now }));
  check(exact.startsWith('{"ok":') && exact.includes('"payable":9999000000000000'), `call gives the result beyond 2^53 exactly (got ${exact.slice(0, 80)}…)`);

  // What JSON cannot carry is refused at its path, never dropped.
  throwsSiyu(() => siyu.quote({ rules, cart: empty, now: () => 1 }), 'INPUT_INVALID', 'a function inside the input', 'WRONG_TYPE', 'now');
  throwsSiyu(() => siyu.quote({ rules, member: () => null, cart: empty, now }), 'INPUT_INVALID', 'a function where an optional field is', 'WRONG_TYPE', 'member');
  throwsSiyu(() => siyu.quote({ rules, cart: { lines: [() => 1] }, now }), 'INPUT_INVALID', 'a function in an array', 'WRONG_TYPE', 'cart.lines[0]');
  throwsSiyu(() => siyu.quote({ rules, member: Symbol('m'), cart: empty, now }), 'INPUT_INVALID', 'a symbol', 'WRONG_TYPE', 'member');
  throwsSiyu(() => siyu.quote(() => 1), 'INPUT_INVALID', 'a function as input', 'WRONG_TYPE', '');
  const cyclic = { rules, cart: { lines: [] }, now };
  cyclic.cart.again = cyclic;
  throwsSiyu(() => siyu.quote(cyclic), 'INPUT_INVALID', 'a cycle', 'WRONG_TYPE', 'cart.again');
  throwsSiyu(() => siyu.quote({ rules, get cart() { throw new Error('a getter that throws'); }, now }), 'INPUT_INVALID', 'a throwing getter', 'WRONG_TYPE');
  throwsSiyu(() => siyu.quote({ rules, cart: { lines: [] }, now: Object(1n) }), 'INPUT_INVALID', 'a BigInt object', 'WRONG_TYPE');
  const nest = (depth) => { const top = {}; let cur = top; for (let i = 0; i < depth; i++) cur = cur.a = {}; return top; };
  throwsSiyu(() => siyu.quote({ rules, cart: nest(200), now: 1 }), 'INPUT_INVALID', 'nesting of 200 levels');
  throwsSiyu(() => siyu.quote({ rules, cart: nest(100000), now: 1 }), 'INPUT_INVALID', 'nesting of 100,000 levels');
  // undefined is absent, as in JSON.stringify; a Date is its toJSON string.
  throwsSiyu(() => siyu.quote({ rules, member: undefined, cart: empty, now }), 'INPUT_INVALID', 'an undefined field is absent', 'CART_EMPTY');
  throwsSiyu(() => siyu.quote({ rules, cart: empty, now: new Date(now) }), 'INPUT_INVALID', 'a Date is a string', 'WRONG_TYPE', 'now');
  for (let k = 0; k < 200; k++) { try { siyu.quote({ rules, cart: { lines: [{}] }, now: k }); } catch (_) { /* many errors in a row */ } }
  check(JSON.stringify(siyu.validateRules({ rules })) === good, 'module still works after 200 errors');
  check(JSON.stringify(siyu.operations()) === JSON.stringify(siyu.operations(undefined)) && JSON.stringify(siyu.operations(null)) === JSON.stringify(siyu.operations({})),
    'operations() = operations(undefined) = operations(null) = operations({})');
  // The demo rules are data beside the module: a fresh copy each call, valid rules.
  const mine = siyu.demoRules();
  mine.merchant = 'changed';
  check(siyu.demoRules().merchant !== 'changed' && JSON.stringify(siyu.validateRules({ rules: siyu.demoRules() })) === good,
    'demoRules() is a fresh copy of valid rules');
  check(siyu.call('nope', '{}').includes('UNKNOWN_OPERATION'), 'call: unknown operation is an error envelope');
  // `call` never throws: an object (or anything but text) is answered with the envelope.
  for (const [op, input, at] of [['quote', { rules }, ''], ['quote', undefined, ''], ['quote', 42, ''], [{}, '{}', 'op'], [undefined, undefined, 'op']]) {
    let env;
    try { env = JSON.parse(siyu.call(op, input)); } catch (e) { env = { threw: String(e) }; }
    check(env.error?.code === 'INPUT_INVALID' && env.error.problems?.[0]?.code === 'WRONG_TYPE' && env.error.problems[0].path === at,
      `call(${typeof op}, ${typeof input}): the INPUT_INVALID envelope, WRONG_TYPE at ${JSON.stringify(at)} (got ${JSON.stringify(env)})`);
  }
  // checkRules: unknown JSON in, the same value out as Rules, or every problem thrown.
  const parsed = JSON.parse(JSON.stringify(rules));
  check(siyu.checkRules(parsed) === parsed, 'checkRules returns the value it was given');
  throwsSiyu(() => siyu.checkRules({ schema: 1 }), 'INPUT_INVALID', 'checkRules: rules missing fields', 'MISSING_FIELD', 'rules.membership');
  throwsSiyu(() => siyu.checkRules({ ...rules, schema: 99 }), 'RULES_INVALID', 'checkRules: invalid rules');
  throwsSiyu(() => siyu.checkRules(undefined), 'INPUT_INVALID', 'checkRules: nothing', 'WRONG_TYPE', 'rules');
  // isSiyuError tells a refusal from any other error.
  let refusal;
  try { siyu.quote({}); } catch (e) { refusal = e; }
  check(siyu.isSiyuError(refusal), 'isSiyuError: a thrown refusal');
  for (const other of [new Error('x'), new TypeError('y'), null, undefined, 'SiyuError', { name: 'SiyuError' }]) {
    check(!siyu.isSiyuError(other), `isSiyuError: not ${String(other)}`);
  }
  check(siyu.call('quote', '{').includes('JSON_SYNTAX'), 'call: bad JSON is an error envelope');
  check(JSON.stringify(JSON.parse(siyu.call('validate_rules', JSON.stringify({ rules }))).ok) === good, 'call and the object API agree');
  fails.push(...drawPosterChecks(siyu, throwsSiyu));
  return fails;
}

/**
 * `drawPoster` on a context that records its calls (every host has one;
 * the poster runners draw on real canvases): the calls a small poster
 * makes, in order, and its refusals.
 */
function drawPosterChecks(siyu, throwsSiyu) {
  const fails = [];
  const calls = [];
  const ctx = {};
  for (const m of ['save', 'restore', 'setTransform', 'clearRect', 'fillRect', 'beginPath', 'moveTo', 'arcTo', 'closePath',
    'clip', 'fill', 'stroke', 'fillText', 'drawImage']) {
    ctx[m] = (...args) => { calls.push(`${m}(${args.map((a) => (typeof a === 'object' ? 'img' : JSON.stringify(a))).join(',')})`); };
  }
  for (const p of ['fillStyle', 'strokeStyle', 'lineWidth', 'font', 'textAlign', 'textBaseline']) {
    Object.defineProperty(ctx, p, { set(v) { calls.push(`${p}=${JSON.stringify(v)}`); } });
  }
  // A 1 × 1 PNG.
  const png = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==';
  const input = {
    template: { width: 40, height: 30, background: { color: '#ffffff' }, elements: [
      { type: 'rect', x: 1, y: 2, width: 20, height: 10, radius: 3, fill: '#ff0000', stroke: '#00ff00', stroke_width: 2 },
      { type: 'image', image: 'avatar', x: 0, y: 0, width: 10, height: 10, clip: 'circle' },
      { type: 'text', x: 0, y: 10, width: 40, text: '{nickname}', size: 10, align: 'center', weight: 'bold' },
    ] },
    fields: { nickname: '林' },
    images: { avatar: png },
  };
  const img = { width: 1, height: 1 };
  const out = siyu.drawPoster(ctx, input, { avatar: img }, 2);
  const family = "'WenQuanYi Micro Hei','PingFang SC','Hiragino Sans GB','Microsoft YaHei','Noto Sans CJK SC',sans-serif";
  const want = [
    'save()', 'setTransform(2,0,0,2,0,0)', 'clearRect(0,0,40,30)', 'textBaseline="alphabetic"',
    'fillStyle="#FFFFFF"', 'fillRect(0,0,40,30)',
    'beginPath()', 'moveTo(4,2)', 'arcTo(21,2,21,12,3)', 'arcTo(21,12,1,12,3)', 'arcTo(1,12,1,2,3)', 'arcTo(1,2,21,2,3)', 'closePath()',
    'fillStyle="#FF0000"', 'fill()', 'strokeStyle="#00FF00"', 'lineWidth=2', 'stroke()',
    'save()', 'beginPath()', 'moveTo(5,0)', 'arcTo(10,0,10,10,5)', 'arcTo(10,10,0,10,5)', 'arcTo(0,10,0,0,5)', 'arcTo(0,0,10,0,5)', 'closePath()', 'clip()',
    'drawImage(img,0,0,1,1,0,0,10,10)', 'restore()',
    `font=${JSON.stringify(`bold 10px ${family}`)}`, 'textAlign="center"', 'fillStyle="#333333"', 'fillText("林",20,20,40)',
    'restore()',
  ];
  if (JSON.stringify(calls) !== JSON.stringify(want)) fails.push(`drawPoster's calls: got\n  ${calls.join(' ')}\nwant\n  ${want.join(' ')}`);
  if (JSON.stringify(out) !== '{"width":40,"height":30,"missing_images":[]}') {
    fails.push(`drawPoster answers ${JSON.stringify(out)}`);
  }
  calls.length = 0;
  throwsSiyu(() => siyu.drawPoster(ctx, input, { avatar: img }, 0), 'INPUT_INVALID', 'drawPoster: dpr 0', 'OUT_OF_RANGE', 'dpr');
  throwsSiyu(() => siyu.drawPoster(ctx, input, { avatar: img }, Infinity), 'INPUT_INVALID', 'drawPoster: dpr ∞', 'OUT_OF_RANGE', 'dpr');
  throwsSiyu(() => siyu.drawPoster(ctx, input, { avatar: img }, 4.01), 'INPUT_INVALID', 'drawPoster: dpr 4.01', 'OUT_OF_RANGE', 'dpr');
  throwsSiyu(() => siyu.drawPoster(ctx, input, { avatar: img }, '2'), 'INPUT_INVALID', 'drawPoster: dpr "2"', 'WRONG_TYPE', 'dpr');
  throwsSiyu(() => siyu.drawPoster(ctx, input, {}, 2), 'INPUT_INVALID', 'drawPoster: an image not loaded', 'MISSING_FIELD', 'images.avatar');
  throwsSiyu(() => siyu.drawPoster(ctx, input, undefined, 2), 'INPUT_INVALID', 'drawPoster: no images', 'MISSING_FIELD', 'images.avatar');
  throwsSiyu(() => siyu.drawPoster({}, input, { avatar: img }, 2), 'INPUT_INVALID', 'drawPoster: not a context', 'WRONG_TYPE', 'context');
  throwsSiyu(() => siyu.drawPoster(ctx, { ...input, fields: {} }, { avatar: img }, 2), 'INPUT_INVALID', 'drawPoster: a field missing',
    'MISSING_TEMPLATE_FIELD', 'fields.nickname');
  const big = { ...input, template: { ...input.template, width: 2000 } };
  throwsSiyu(() => siyu.drawPoster(ctx, big, { avatar: img }, 2.5), 'CANVAS_TOO_LARGE', 'drawPoster: 2000 px at 2.5');
  if (calls.length) fails.push(`a refused drawPoster called the context: ${calls.join(' ')}`);
  // At ratio 2.048 the 2000 px canvas is 4096 px: drawn; no `dpr` is ratio 1.
  siyu.drawPoster(ctx, big, { avatar: img }, 2.048);
  siyu.drawPoster(ctx, input, { avatar: img });
  if (!calls.includes('setTransform(2.048,0,0,2.048,0,0)') || !calls.includes('setTransform(1,0,0,1,0,0)')) fails.push(`drawPoster at 2.048 and without dpr: ${calls.filter((c) => c.startsWith('setTransform'))}`);
  return fails;
}

/**
 * Before `init()` (browser, mini-program): every function throws the
 * SiyuError NOT_INITIALIZED, and `call` answers it as an error envelope.
 */
export function beforeInitChecks(siyu) {
  const fails = [];
  const check = (ok, msg) => { if (!ok) fails.push(msg); };
  for (const [name, f] of [['quote', () => siyu.quote({})], ['validateRules', () => siyu.validateRules({})],
    ['operations', () => siyu.operations()], ['checkRules', () => siyu.checkRules({})],
    ['drawPoster', () => siyu.drawPoster({ fillText() {} }, {}, {}, 2)]]) {
    try {
      f();
      fails.push(`before init: ${name} did not throw`);
    } catch (e) {
      check(siyu.isSiyuError(e) && e.code === 'NOT_INITIALIZED' && e.message.startsWith('NOT_INITIALIZED') && /init\(\)/.test(e.en) && /init\(\)/.test(e.zh),
        `before init: ${name} throws the SiyuError NOT_INITIALIZED saying to await init() (got ${e && e.name}: ${e && e.message})`);
    }
  }
  let env;
  try { env = JSON.parse(siyu.call('operations', '{}')); } catch (e) { env = { threw: String(e) }; }
  check(env.error?.code === 'NOT_INITIALIZED', `before init: call answers the NOT_INITIALIZED envelope (got ${JSON.stringify(env)})`);
  // The demo rules are data: there before the module.
  check(typeof siyu.demoRules().schema === 'number', 'before init: demoRules() works');
  return fails;
}

/** The first token of a `.sha256` file. */
export function expectedSha(text) {
  return text.trim().split(/\s+/)[0].toLowerCase();
}
