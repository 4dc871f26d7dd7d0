/**
 * Writes Tally's app icons (app/public/icons/*.png and favicon.svg) from one
 * drawing: three rising bars on the accent colour. Run with
 * `npx tsx scripts/make-icons.ts`; the PNGs are committed, so building the app
 * never needs this. PNGs are encoded by hand with node:zlib to avoid an image
 * dependency for four small files.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { deflateSync } from "node:zlib";

const out = resolve(import.meta.dirname, "../app/public");
const ACCENT: RGB = [37, 99, 235]; // --accent in app/src/styles
const BAR: RGB = [255, 255, 255];
type RGB = [number, number, number];

/** A shape in unit coordinates (0..1 of the icon's side). */
interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
  r: number;
}

// bars sit inside the central 60%, so the maskable icon's 80% safe circle keeps them whole
const BARS: Rect[] = [
  { x: 0.25, y: 0.52, w: 0.13, h: 0.24, r: 0.03 },
  { x: 0.435, y: 0.38, w: 0.13, h: 0.38, r: 0.03 },
  { x: 0.62, y: 0.24, w: 0.13, h: 0.52, r: 0.03 },
];

function inRoundedRect(px: number, py: number, s: Rect): boolean {
  if (px < s.x || px > s.x + s.w || py < s.y || py > s.y + s.h) return false;
  const cx = Math.min(Math.max(px, s.x + s.r), s.x + s.w - s.r);
  const cy = Math.min(Math.max(py, s.y + s.r), s.y + s.h - s.r);
  return (px - cx) ** 2 + (py - cy) ** 2 <= s.r ** 2;
}

/** RGBA pixels of the icon; `maskable` fills the whole square so platforms can crop it to any shape. */
function draw(size: number, maskable: boolean): Uint8Array {
  const px = new Uint8Array(size * size * 4);
  const background: Rect = maskable ? { x: 0, y: 0, w: 1, h: 1, r: 0 } : { x: 0.02, y: 0.02, w: 0.96, h: 0.96, r: 0.2 };
  const ss = 4; // 4×4 supersampling for smooth edges
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let cover = 0;
      let bar = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const u = (x + (sx + 0.5) / ss) / size;
          const v = (y + (sy + 0.5) / ss) / size;
          if (!inRoundedRect(u, v, background)) continue;
          cover++;
          if (BARS.some((b) => inRoundedRect(u, v, b))) bar++;
        }
      }
      const i = (y * size + x) * 4;
      const t = cover === 0 ? 0 : bar / cover;
      for (let c = 0; c < 3; c++) px[i + c] = Math.round(ACCENT[c]! * (1 - t) + BAR[c]! * t);
      px[i + 3] = Math.round((cover / (ss * ss)) * 255);
    }
  }
  return px;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "ascii");
  const body = Buffer.concat([head.subarray(4), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body), 0);
  return Buffer.concat([head.subarray(0, 4), body, crc]);
}

function png(size: number, rgba: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    raw.set(rgba.subarray(y * size * 4, (y + 1) * size * 4), y * (size * 4 + 1) + 1);
  }
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([signature, chunk("IHDR", ihdr), chunk("IDAT", deflateSync(raw, { level: 9 })), chunk("IEND", new Uint8Array())]);
}

function svg(): string {
  const hex = (c: RGB) => `#${c.map((v) => v.toString(16).padStart(2, "0")).join("")}`;
  const rect = (s: Rect, fill: string) =>
    `<rect x="${s.x * 64}" y="${s.y * 64}" width="${s.w * 64}" height="${s.h * 64}" rx="${s.r * 64}" fill="${fill}"/>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">`,
    rect({ x: 0.02, y: 0.02, w: 0.96, h: 0.96, r: 0.2 }, hex(ACCENT)),
    ...BARS.map((b) => rect(b, hex(BAR))),
    `</svg>\n`,
  ].join("");
}

for (const [name, size, maskable] of [
  ["icon-192.png", 192, false],
  ["icon-512.png", 512, false],
  ["maskable-512.png", 512, true],
  ["apple-touch-icon-180.png", 180, true],
] as const) {
  writeFileSync(resolve(out, "icons", name), png(size, draw(size, maskable)));
}
writeFileSync(resolve(out, "favicon.svg"), svg());
console.log(`icons written to ${out}`);
