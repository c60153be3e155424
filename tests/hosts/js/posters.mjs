// What the poster-drawing runners share (posters-chromium.mjs,
// posters-miniprogram.mjs): the posters to draw — every
// tests/vectors/poster*/…_commands.json input, the demo templates among
// them — each with the QR codes it must show and the text each must decode
// to, and the check of a decoded text.
import { join } from 'node:path';
import { loadVectors, vectorsDir, repo } from './vectors.mjs';

/** Where the runners write the PNGs they draw. */
export const outDir = (host) => join(repo, 'target', `posters-${host}`);

/** A template text with its fields filled (`{name}`; `{{` and `}}` are braces). */
export function fill(text, fields) {
  return text.replace(/\{\{|\}\}|\{([a-z]+)\}/g, (m, name) => (m === '{{' ? '{' : m === '}}' ? '}' : fields[name] ?? ''));
}

/** The `scene=` value of a link, percent-decoded, or null. */
export function sceneOf(text) {
  const m = /[?&]scene=([^&#]*)/.exec(text);
  return m ? decodeURIComponent(m[1]) : null;
}

/**
 * Every poster to draw: `{name, input, dpr, qrs: [{x, y, size, text}]}`,
 * `qrs` from the vector's expected commands (the box, quiet zone in) and
 * the template's QR content filled. The demo invite poster is drawn at
 * ratio 3 as well as 2.
 */
export function posterCases(demo) {
  const cases = [];
  for (const v of loadVectors(vectorsDir)) {
    if (!/^poster[^/]*\/.*_commands\.json$/.test(v.name)) continue;
    const { input, expected } = JSON.parse(v.text);
    if (!expected.ok) continue;
    const contents = input.template.elements.filter((e) => e.type === 'qr').map((e) => fill(e.content, input.fields ?? {}));
    const qrs = expected.ok.commands.filter((c) => c.op === 'qr').map((c, i) => ({ x: c.x, y: c.y, size: c.size, text: contents[i] }));
    const name = v.name.replace(/_commands\.json$/, '').replace('/', '__');
    cases.push({ name, input, dpr: 2, qrs });
    if (name === 'poster__demo_invite') cases.push({ name, input, dpr: 3, qrs });
  }
  // The demo vectors draw the package's own demo templates and images.
  for (const k of ['invite', 'store', 'product']) {
    const c = cases.find((x) => x.name === `poster__demo_${k}`);
    if (!c) throw new Error(`no vector poster/demo_${k}_commands.json`);
    if (canonical(c.input.template) !== canonical(demo.templates[k])) throw new Error(`poster/demo_${k}: the template is not demoPosters().templates.${k}`);
    for (const [n, url] of Object.entries(c.input.images ?? {})) {
      if (demo.images[n] !== url) throw new Error(`poster/demo_${k}: image ${n} is not demoPosters().images.${n}`);
    }
  }
  return cases;
}

/**
 * The failures of one decoded QR code: it must read `want`, and a `scene=`
 * in it must be accepted by `parseScene`. Returns [failures, scene parsed].
 */
export function checkDecoded(siyu, label, got, want) {
  const fails = [];
  if (got !== want) {
    fails.push(`${label}: the QR decodes to ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    return [fails, null];
  }
  const scene = sceneOf(got);
  if (scene === null) return [fails, null];
  try {
    return [fails, siyu.parseScene({ scene })];
  } catch (e) {
    fails.push(`${label}: parseScene refuses the scene ${JSON.stringify(scene)}: ${e.message}`);
    return [fails, null];
  }
}

/** JSON text with every object's keys sorted. */
function canonical(v) {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** A data URL's bytes. */
export function dataUrlBytes(url) {
  return Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
}

/** The font the core's width table holds (Debian's fonts-wqy-microhei). */
export const FONT = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
