import jsqrModule from "jsqr";

// jsqr is CommonJS with an ES-style `default` in its typings: take whichever form the loader gives.
const jsQR = ((jsqrModule as unknown as { default?: typeof jsqrModule }).default ?? jsqrModule) as unknown as (
  data: Uint8ClampedArray,
  width: number,
  height: number,
) => { data: string } | null;

/**
 * Rasterizes the SVG the `qrcode` package draws (one white background path and one black path of
 * 1-unit strokes along rows: `M x y.5`, `m dx 0`, `h n`) into RGBA pixels, then decodes it
 * with jsQR, the way a phone camera would read the screen. Anything else in the SVG fails.
 */
export function decodeQrSvg(svg: string, scale = 6): string | undefined {
  const viewBox = /viewBox="0 0 (\d+) (\d+)"/.exec(svg);
  const stroke = /<path stroke="#000000" d="([^"]*)"/.exec(svg);
  if (!viewBox || !stroke) return undefined;
  const size = Number(viewBox[1]);
  const dark = new Uint8Array(size * size);
  let x = 0;
  let row = 0;
  for (const [, cmd, a, b] of (stroke[1] ?? "").matchAll(/([Mmh])([\d.]+)(?: ([\d.]+))?/g)) {
    if (cmd === "M") {
      x = Number(a);
      row = Math.floor(Number(b));
    } else if (cmd === "m") x += Number(a);
    else if (cmd === "h") {
      for (let i = 0; i < Number(a); i++) dark[row * size + x + i] = 1;
      x += Number(a);
    }
  }
  const width = size * scale;
  const pixels = new Uint8ClampedArray(width * width * 4);
  for (let py = 0; py < width; py++) {
    for (let px = 0; px < width; px++) {
      const value = dark[Math.floor(py / scale) * size + Math.floor(px / scale)] ? 0 : 255;
      pixels.set([value, value, value, 255], (py * width + px) * 4);
    }
  }
  return jsQR(pixels, width, width)?.data;
}
