// Posters drawn through the mini-program loader under the WeChat shim
// (wechat-shim.mjs: pkg/miniprogram_dist loaded as WeChat's "npm build"
// lays it out, WXWebAssembly from a code-package path), on a canvas from
// `@napi-rs/canvas` (Skia) standing in for WeChat's `<canvas type="2d">`:
// `createCanvas(width × dpr, height × dpr).getContext('2d')`, each image
// made by the stand-in's `canvas.createImage()` with `src` = its `data:`
// URL and awaited `onload`, as docs/miniprogram.md teaches. The text is
// drawn in WenQuanYi Micro Hei, registered from Debian's font file.
//
// Every poster vector's input at ratio 2 (the demo invite poster also at
// 3), the QR codes decoded from `getImageData` pixels by jsQR: each must
// read the template's content with the fields filled, its `scene=` value
// accepted by `parseScene` (inside the mini-program). PNGs in
// target/posters-miniprogram/.
//
//   node tests/hosts/js/posters-miniprogram.mjs → last line: posters: miniprogram: N of M posters …
import vm from 'node:vm';
import { mkdirSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createCanvas, GlobalFonts, Image } from '@napi-rs/canvas';
import jsQR from 'jsqr';
import { makePackage, makeMiniProgram } from './wechat-shim.mjs';
import { pkgDir } from './vectors.mjs';
import { posterCases, checkDecoded, outDir, FONT } from './posters.mjs';

const fails = [];
const check = (ok, msg) => { if (!ok) fails.push(msg); };
if (!existsSync(FONT)) {
  console.log(`posters-miniprogram: ${FONT} is missing: run scripts/install-tools.sh (fonts-wqy-microhei)`);
  process.exit(1);
}
GlobalFonts.registerFromPath(FONT);

/** A stand-in for a WeChat `type="2d"` canvas node: `getContext('2d')`, `createImage()`. */
function wechatCanvas(width, height) {
  const canvas = createCanvas(width, height);
  return {
    width, height, node: canvas,
    getContext: (kind) => canvas.getContext(kind),
    createImage: () => new Image(),
  };
}
/** `canvas.createImage()`, `src` set, `onload` awaited. */
function loadImage(canvas, src) {
  return new Promise((resolve, reject) => {
    const img = canvas.createImage();
    img.onload = () => resolve(img);
    img.onerror = (e) => reject(new Error(`the image did not load: ${e && e.message}`));
    img.src = src;
  });
}

const pack = makePackage(pkgDir);
const dir = outDir('miniprogram');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
let good = 0, drawn = 0, qrCount = 0;
try {
  const mp = makeMiniProgram(pack.root);
  const siyu = mp.require('siyu');
  await siyu.init();
  const cases = posterCases(siyu.demoPosters());
  for (const c of cases) {
    const label = `${c.name}@${c.dpr}x`;
    const before = fails.length;
    // The input as the mini-program's own objects.
    const input = vm.runInContext(`JSON.parse(${JSON.stringify(JSON.stringify(c.input))})`, mp.context);
    const { width, height } = c.input.template;
    const canvas = wechatCanvas(Math.round(width * c.dpr), Math.round(height * c.dpr));
    const ctx = canvas.getContext('2d');
    const images = {};
    for (const [n, url] of Object.entries(c.input.images ?? {})) images[n] = await loadImage(canvas, url);
    let answer;
    try {
      answer = siyu.drawPoster(ctx, input, images, c.dpr);
    } catch (e) {
      fails.push(`${label}: drawPoster threw ${e.message}`);
      continue;
    }
    drawn++;
    check(answer.width === width && answer.height === height, `${label}: drawPoster answers ${JSON.stringify(answer)}`);
    const t = ctx.getTransform();
    check(t.a === 1 && t.d === 1 && t.e === 0 && t.f === 0, `${label}: the transform is not restored`);
    const decoded = [], scenes = [];
    c.qrs.forEach((q, i) => {
      const m = 8;
      const x = Math.max(0, Math.floor((q.x - m) * c.dpr)), y = Math.max(0, Math.floor((q.y - m) * c.dpr));
      const w = Math.min(canvas.width - x, Math.ceil((q.size + 2 * m) * c.dpr));
      const h = Math.min(canvas.height - y, Math.ceil((q.size + 2 * m) * c.dpr));
      const px = ctx.getImageData(x, y, w, h);
      const r = jsQR(new Uint8ClampedArray(px.data.buffer, px.data.byteOffset, px.data.length), w, h, { inversionAttempts: 'dontInvert' });
      const got = r ? r.data : null;
      decoded.push(got);
      const [f, parsed] = checkDecoded(siyu, `${label} QR ${i}`, got, q.text);
      fails.push(...f);
      if (parsed) scenes.push(`${parsed.scene} (${parsed.kind} ${parsed.code})`);
      qrCount++;
    });
    writeFileSync(join(dir, `${label}.png`), canvas.node.toBuffer('image/png'));
    if (fails.length === before) good++;
    console.log(`${label}: ${canvas.width}×${canvas.height} px; QR ${decoded.length ? decoded.map((t) => JSON.stringify(t)).join(', ') : 'none'}` +
      `${scenes.length ? ` → parseScene ${scenes.join(', ')}` : ''}${answer.missing_images.length ? `; placeholders: ${answer.missing_images.join(', ')}` : ''}`);
  }
  check(qrCount >= 10, `only ${qrCount} QR codes decoded`);
  // A refusal inside the mini-program is its SiyuError.
  try {
    siyu.drawPoster(createCanvas(1, 1).getContext('2d'), cases[0].input, {}, 9);
    fails.push('dpr 9: drawPoster did not throw');
  } catch (e) {
    check(siyu.isSiyuError(e) && e.code === 'INPUT_INVALID' && e.problems?.[0]?.path === 'dpr', `dpr 9: ${e.message}`);
  }
  console.log(`posters-miniprogram: PNGs in ${dir}`);
} finally {
  pack.remove();
}
for (const f of fails) console.log(`FAIL ${f}`);
console.log(`posters: miniprogram: ${good} of ${drawn} posters drawn on @napi-rs/canvas, ${qrCount} QR codes decoded; ${fails.length} failures`);
process.exitCode = fails.length ? 1 : 0;
