// Type-checks that drawPoster takes the contexts and images it is drawn
// with: the DOM's (lib "dom": a <canvas>, an OffscreenCanvas, an
// HTMLImageElement, an ImageBitmap) and @napi-rs/canvas's (the runners'
// stand-in for WeChat's canvas, whose own typings declare the context
// `any`). tsc -p tsconfig.dom.json (--noEmit); not run.
import { drawPoster, demoPosters, type PosterInput, type PosterDrawn } from 'siyu';
import { createCanvas, Image as NodeImage } from '@napi-rs/canvas';

const demo = demoPosters();
const input: PosterInput = {
  template: demo.templates.invite,
  fields: { nickname: '茶友小林', store: '山茶小铺', scene: 'M8MGN', code: 'M8MGN' },
  images: { avatar: demo.images.avatar },
};

export async function browser(canvas: HTMLCanvasElement, img: HTMLImageElement): Promise<PosterDrawn> {
  const dpr = globalThis.devicePixelRatio;
  canvas.width = Math.round(input.template.width * dpr);
  canvas.height = Math.round(input.template.height * dpr);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2d context');
  const bitmap: ImageBitmap = await createImageBitmap(img);
  drawPoster(ctx, input, { avatar: bitmap }, dpr);
  const off = new OffscreenCanvas(750, 1200).getContext('2d');
  if (off) drawPoster(off, input, { avatar: canvas }, 1);
  return drawPoster(ctx, input, { avatar: img }, dpr);
}

export function node(): PosterDrawn {
  const canvas = createCanvas(1500, 2400);
  const avatar = new NodeImage();
  return drawPoster(canvas.getContext('2d'), input, { avatar }, 2);
}
