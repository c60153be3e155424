// The JS face's one piece of hand-written JS: a plain JS value as JSON text
// for the core (wasm/src/js.rs imports `toJson`; wasm-bindgen copies this
// file next to its glue and scripts/build-wasm.sh bundles it into pkg/).
//
// JSON.stringify, with a replacer that
// - refuses what JSON cannot carry and stringify would silently drop (in an
//   object) or turn into null (in an array): functions and symbols;
// - reads a BigInt as the Number of the same value: exact up to 2^53 − 1,
//   and beyond that refused on the Rust side like any unsafe integer.
// Returns the text or, when the value cannot be written (a function, a
// symbol, a cycle, nesting too deep for the engine's stack, a throwing
// toJSON or getter), throws `[path, why]`: where and why, found by a second
// walk that runs only then.

const CANNOT = new Error('a function or a symbol');

function replacer(key, value) {
  switch (typeof value) {
    case 'bigint': return Number(value);
    case 'function': case 'symbol': throw CANNOT;
    default: return value;
  }
}

/** @returns {string} @throws {[string, string]} */
export function toJson(value) {
  let text;
  try {
    text = JSON.stringify(value, replacer);
  } catch (e) {
    throw locate(value, e);
  }
  // A root whose toJSON gives undefined is written as nothing: it reads as
  // `{}`, like undefined itself.
  return text === undefined ? '{}' : text;
}

/** The first place stringify's walk could not go through, and why. */
function locate(root, e) {
  const stack = [];
  function walk(key, v, path) {
    if (v !== null && (typeof v === 'object' || typeof v === 'bigint') && typeof v.toJSON === 'function') v = v.toJSON(key);
    const t = typeof v;
    if (t === 'function' || t === 'symbol') return [path, `a ${t}, which JSON cannot carry`];
    if (t !== 'object' || v === null) return null;
    if (stack.includes(v)) return [path, 'a cycle (an object that contains itself), which JSON cannot carry'];
    if (stack.length >= 128) return [path, 'nesting deeper than 128 levels'];
    stack.push(v);
    let found = null;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length && !found; i++) found = walk(String(i), v[i], `${path}[${i}]`);
    } else {
      for (const k of Object.keys(v)) if ((found = walk(k, v[k], path ? `${path}.${k}` : k))) break;
    }
    stack.pop();
    return found;
  }
  let found = null;
  try { found = walk('', root, ''); } catch (_) { /* a throwing getter or toJSON: say what stringify said */ }
  return found ?? ['', `the input cannot be written as JSON: ${e && e.message ? e.message : String(e)}`];
}
