// The module's exports, for scripts/build-wasm.sh:
//
//   node scripts/wasm-exports.mjs drop IN OUT NAME…   copy IN to OUT without the exports NAME…
//   node scripts/wasm-exports.mjs check WASM ABI.md   exit 1 unless WASM exports exactly the
//                                                     names docs/ABI.md §2 documents
//
// Why `drop`: a `#[no_mangle]` function is exported from a cdylib, and
// wasm/src/memcmp.rs must be `#[no_mangle]` to replace compiler-builtins'
// byte-at-a-time `memcmp` inside the module; there is no rustc or wasm-ld
// flag that keeps the symbol and drops its export. So the export entry is
// taken out after linking (the function stays, called from inside), and
// wasm-opt, which runs next, sees an internal function like any other.
import { readFileSync, writeFileSync } from 'node:fs';
import { leb, sections, uleb } from './wasm-sections.mjs';

/** [{ name, kind, start, end }] of the export section, and the section's bounds. */
function exportsOf(bytes) {
  for (const { id, start, body, end } of sections(bytes)) {
    if (id !== 7) continue;
    let [count, p] = leb(bytes, body);
    const entries = [];
    for (let i = 0; i < count; i++) {
      const entry = p;
      const [len, s] = leb(bytes, p);
      const name = bytes.subarray(s, s + len).toString('utf8');
      const kind = bytes[s + len];
      [, p] = leb(bytes, s + len + 1);
      entries.push({ name, kind, start: entry, end: p });
    }
    return { entries, section: [start, end] };
  }
  return { entries: [], section: null };
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === 'drop') {
  const [input, output, ...names] = args;
  const bytes = readFileSync(input);
  const { entries, section } = exportsOf(bytes);
  for (const n of names) {
    if (!entries.some((e) => e.name === n)) {
      console.error(`wasm-exports: ${input} has no export ${n} to drop`);
      process.exit(1);
    }
  }
  const kept = entries.filter((e) => !names.includes(e.name));
  const body = Buffer.concat([Buffer.from(uleb(kept.length)), ...kept.map((e) => bytes.subarray(e.start, e.end))]);
  writeFileSync(output, Buffer.concat([
    bytes.subarray(0, section[0]), Buffer.from([7, ...uleb(body.length)]), body, bytes.subarray(section[1]),
  ]));
} else if (cmd === 'check') {
  const [wasm, abi] = args;
  const have = exportsOf(readFileSync(wasm)).entries.map((e) => e.name).sort();
  // docs/ABI.md §2: the first cell of each row of the raw ABI's table, and
  // the JS face's exports listed in the paragraph that starts with them.
  const text = readFileSync(abi, 'utf8');
  const section = text.slice(text.indexOf('## 2. Exports'), text.indexOf('### Memory ownership'));
  const documented = new Set();
  for (const line of section.split('\n')) {
    const row = /^\| `([^`]+)` \|/.exec(line);
    if (row) documented.add(row[1]);
  }
  const js = /\*\*The JS face's exports\*\*([\s\S]*?)\n\n/.exec(section);
  if (!js) { console.error(`wasm-exports: no "**The JS face's exports**" paragraph in ${abi} §2`); process.exit(1); }
  for (const m of js[1].matchAll(/`([A-Za-z_$][\w$]*)`/g)) documented.add(m[1]);
  const want = [...documented].sort();
  const extra = have.filter((n) => !documented.has(n));
  const missing = want.filter((n) => !have.includes(n));
  if (extra.length || missing.length) {
    console.error(`wasm-exports: ${wasm} does not export exactly what ${abi} §2 documents:` +
      (extra.length ? `\n  exported, not documented: ${extra.join(' ')}` : '') +
      (missing.length ? `\n  documented, not exported: ${missing.join(' ')}` : ''));
    process.exit(1);
  }
  console.log(`exports: the ${have.length} that ${abi} §2 documents, no other`);
} else {
  console.error('usage: wasm-exports.mjs drop IN OUT NAME… | check WASM ABI.md');
  process.exit(2);
}
