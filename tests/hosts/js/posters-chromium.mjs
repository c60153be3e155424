// Posters drawn in headless Chromium (Debian's, through playwright-core) by
// the package's `drawPoster` on a real <canvas>: every poster vector's
// input (the demo templates among them) at device-pixel ratio 2 (the demo
// invite poster also at 3), its images loaded into `Image`s from their
// `data:` URLs. Then, in the page:
//
// - the QR codes are read back out of the canvas's pixels by jsQR (npm
//   `jsqr`, an independent decoder): each must read the template's content
//   with the fields filled, and its `scene=` value, percent-decoded, must
//   be accepted by `parseScene`;
// - the same poster's SVG (`renderPoster`) is drawn as an <img> onto a
//   second canvas of the same size and the two pictures compared pixel by
//   pixel. One browser, one font: they differ only where edges are
//   anti-aliased differently (glyph outlines, arcs). Tolerance: at most
//   MAX_DIFFERENT of the pixels differ by more than 64 in a channel, and
//   the mean difference per channel is at most MAX_MEAN;
// - the refusals (bad dpr, a canvas over 4096 px, an image not loaded, not
//   a context) throw their SiyuError and draw nothing.
//
// Every canvas is saved as a PNG in target/posters-chromium/ (the demo
// invite poster's SVG picture too) to look at.
//
//   node tests/hosts/js/posters-chromium.mjs → last line: posters: chromium: N of M posters …
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as siyu from 'siyu';
import { serve } from './server.mjs';
import { launch } from './browser.mjs';
import { posterCases, checkDecoded, outDir } from './posters.mjs';

/** Share of pixels that may differ by more than 64 in a channel. */
const MAX_DIFFERENT = 0.002;
/** Largest mean difference per channel (0 … 255). */
const MAX_MEAN = 0.5;

const PAGE = `<!doctype html><meta charset="utf-8"><title>siyu posters</title><link rel="icon" href="data:,">
<script src="/runner/node_modules/jsqr/dist/jsQR.js"></script>
<script type="module">
import * as siyu from '/pkg/index.js';
const load = async (url) => { const img = new Image(); img.src = url; await img.decode(); return img; };
function canvasOf(w, h, dpr) {
  const c = document.createElement('canvas');
  c.width = Math.round(w * dpr);
  c.height = Math.round(h * dpr);
  return c;
}
function qrText(ctx, q, dpr) {
  // The QR's box (quiet zone in) and 8 px around it, in device px.
  const m = 8, W = ctx.canvas.width, H = ctx.canvas.height;
  const x = Math.max(0, Math.floor((q.x - m) * dpr)), y = Math.max(0, Math.floor((q.y - m) * dpr));
  const w = Math.min(W - x, Math.ceil((q.size + 2 * m) * dpr)), h = Math.min(H - y, Math.ceil((q.size + 2 * m) * dpr));
  const px = ctx.getImageData(x, y, w, h);
  const r = jsQR(px.data, w, h, { inversionAttempts: 'dontInvert' });
  return r ? r.data : null;
}
function compare(a, b) {
  const n = a.length / 4;
  let sum = 0, over = 0, max = 0;
  for (let i = 0; i < a.length; i += 4) {
    let d = 0;
    for (let k = 0; k < 4; k++) { const e = Math.abs(a[i + k] - b[i + k]); sum += e; if (e > d) d = e; }
    if (d > 64) over++;
    if (d > max) max = d;
  }
  return { pixels: n, over64: over, share: over / n, mean: sum / (4 * n), max };
}
function refusal(f) {
  try { f(); return { threw: false }; } catch (e) {
    return { threw: true, name: e.name, code: e.code, path: e.path, problems: e.problems, message: e.message };
  }
}
try {
  await siyu.init();
  const cases = await (await fetch('/posters.json')).json();
  const out = [];
  for (const c of cases) {
    const { template } = c.input;
    const images = {};
    for (const [n, url] of Object.entries(c.input.images ?? {})) images[n] = await load(url);
    const canvas = canvasOf(template.width, template.height, c.dpr);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const drawn = siyu.drawPoster(ctx, c.input, images, c.dpr);
    const t = ctx.getTransform();
    const decoded = c.qrs.map((q) => qrText(ctx, q, c.dpr));
    const svg = siyu.renderPoster(c.input).svg;
    const svgImg = await load('data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svg));
    const ref = canvasOf(template.width, template.height, c.dpr);
    const rctx = ref.getContext('2d', { willReadFrequently: true });
    rctx.drawImage(svgImg, 0, 0, ref.width, ref.height);
    const diff = compare(ctx.getImageData(0, 0, canvas.width, canvas.height).data, rctx.getImageData(0, 0, ref.width, ref.height).data);
    out.push({
      name: c.name, dpr: c.dpr, drawn, size: [canvas.width, canvas.height], decoded, diff,
      restored: t.a === 1 && t.b === 0 && t.c === 0 && t.d === 1 && t.e === 0 && t.f === 0,
      png: canvas.toDataURL('image/png'),
      svgPng: c.name === 'poster__demo_invite' && c.dpr === 2 ? ref.toDataURL('image/png') : null,
    });
  }
  // Refusals: nothing drawn on a blank canvas.
  const invite = cases.find((c) => c.name === 'poster__demo_invite').input;
  const avatar = await load(invite.images.avatar);
  const blank = document.createElement('canvas');
  blank.width = 20; blank.height = 20;
  const bctx = blank.getContext('2d', { willReadFrequently: true });
  const refusals = {
    dpr0: refusal(() => siyu.drawPoster(bctx, invite, { avatar }, 0)),
    dprNaN: refusal(() => siyu.drawPoster(bctx, invite, { avatar }, NaN)),
    dpr5: refusal(() => siyu.drawPoster(bctx, invite, { avatar }, 5)),
    dprString: refusal(() => siyu.drawPoster(bctx, invite, { avatar }, '2')),
    tooLarge: refusal(() => siyu.drawPoster(bctx, invite, { avatar }, 3.5)),
    notLoaded: refusal(() => siyu.drawPoster(bctx, invite, {}, 2)),
    notContext: refusal(() => siyu.drawPoster(blank, invite, { avatar }, 2)),
    badInput: refusal(() => siyu.drawPoster(bctx, { template: invite.template }, { avatar }, 2)),
  };
  const untouched = bctx.getImageData(0, 0, 20, 20).data.every((v) => v === 0);
  window.__done = { out, refusals, untouched, ua: navigator.userAgent };
} catch (e) {
  window.__done = { error: String(e && e.stack || e) };
}
</script>`;

const fails = [];
const check = (ok, msg) => { if (!ok) fails.push(msg); };
const cases = posterCases(siyu.demoPosters());
const server = await serve(PAGE, { '/posters.json': JSON.stringify(cases) });
const browser = await launch();
let done;
try {
  await browser.page.goto(server.url);
  await browser.page.waitForFunction(() => window.__done, null, { timeout: 300_000, polling: 500 });
  done = await browser.page.evaluate(() => window.__done);
} finally {
  await browser.close();
  await server.close();
}
if (done.error) {
  console.log(`posters-chromium: the page failed: ${done.error}`);
  console.log('posters: chromium: 0 of 0 posters');
  process.exit(1);
}
const dir = outDir('chromium');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const png = (url) => Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
let good = 0, qrCount = 0;
for (const r of done.out) {
  const c = cases.find((x) => x.name === r.name && x.dpr === r.dpr);
  const label = `${r.name}@${r.dpr}x`;
  const before = fails.length;
  const { template } = c.input;
  check(r.drawn.width === template.width && r.drawn.height === template.height, `${label}: drawPoster answers ${JSON.stringify(r.drawn)}`);
  check(r.restored, `${label}: the context's transform is not restored after drawing`);
  check(r.size[0] === template.width * r.dpr && r.size[1] === template.height * r.dpr, `${label}: canvas ${r.size}`);
  const scenes = [];
  r.decoded.forEach((got, i) => {
    const [f, parsed] = checkDecoded(siyu, `${label} QR ${i}`, got, c.qrs[i].text);
    fails.push(...f);
    if (parsed) scenes.push(`${parsed.scene} (${parsed.kind} ${parsed.code})`);
    qrCount++;
  });
  const d = r.diff;
  check(d.share <= MAX_DIFFERENT && d.mean <= MAX_MEAN,
    `${label}: canvas and SVG differ: ${(d.share * 100).toFixed(3)} % of pixels by > 64 (max ${MAX_DIFFERENT * 100} %), mean ${d.mean.toFixed(3)} (max ${MAX_MEAN})`);
  writeFileSync(join(dir, `${label}.png`), png(r.png));
  if (r.svgPng) writeFileSync(join(dir, `${label}.svg.png`), png(r.svgPng));
  if (fails.length === before) good++;
  console.log(`${label}: ${r.size[0]}×${r.size[1]} px; QR ${r.decoded.length ? r.decoded.map((t) => JSON.stringify(t)).join(', ') : 'none'}` +
    `${scenes.length ? ` → parseScene ${scenes.join(', ')}` : ''}; vs SVG: ${(d.share * 100).toFixed(3)} % of pixels > 64, mean ${d.mean.toFixed(3)}, max ${d.max}` +
    `${r.drawn.missing_images.length ? `; placeholders: ${r.drawn.missing_images.join(', ')}` : ''}`);
}
check(qrCount >= 10, `only ${qrCount} QR codes decoded`);

const want = {
  dpr0: ['INPUT_INVALID', 'OUT_OF_RANGE', 'dpr'], dprNaN: ['INPUT_INVALID', 'OUT_OF_RANGE', 'dpr'],
  dpr5: ['INPUT_INVALID', 'OUT_OF_RANGE', 'dpr'], dprString: ['INPUT_INVALID', 'WRONG_TYPE', 'dpr'],
  tooLarge: ['CANVAS_TOO_LARGE', null, 'dpr'], notLoaded: ['INPUT_INVALID', 'MISSING_FIELD', 'images.avatar'],
  notContext: ['INPUT_INVALID', 'WRONG_TYPE', 'context'], badInput: ['INPUT_INVALID', 'MISSING_TEMPLATE_FIELD', 'fields.nickname'],
};
for (const [k, [code, problem, path]] of Object.entries(want)) {
  const r = done.refusals[k];
  check(r.threw && r.name === 'SiyuError' && r.code === code &&
    (problem ? r.problems?.some((p) => p.code === problem && p.path === path) : r.path === path),
  `refusal ${k}: want ${code}${problem ? ` with ${problem} at ${path}` : ` at ${path}`}, got ${JSON.stringify(r)}`);
}
check(done.untouched, 'a refused drawPoster drew on the canvas');
fails.push(...browser.errors.map((e) => `page error: ${e}`));
console.log(`posters-chromium: ${done.ua}`);
console.log(`posters-chromium: PNGs in ${dir}`);
for (const f of fails) console.log(`FAIL ${f}`);
console.log(`posters: chromium: ${good} of ${done.out.length} posters drawn, ${qrCount} QR codes decoded, ` +
  `${Object.keys(want).length} refusals checked; ${fails.length} failures`);
process.exitCode = fails.length ? 1 : 0;
