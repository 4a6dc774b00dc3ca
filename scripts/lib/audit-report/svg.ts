/**
 * Small self-contained SVG charts (no script, no external reference): a line over time and
 * horizontal bars. Text from the logs (country and activity names) is XML-escaped, so a value can
 * never add markup to the file; output is deterministic for the same data.
 */

const WIDTH = 640;
const HEIGHT = 260;
const FONT = 'font-family="Segoe UI, Helvetica, Arial, sans-serif" font-size="12"';

/** Text and attribute values, escaped for XML (W3C XML 1.0 §2.4: `<`, `&`; quotes in attributes). */
export function xmlEscape(text: string): string {
  // Characters XML 1.0 does not allow at all (§2.2) are dropped.
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A number for an axis or a bar: integers as they are, others with one decimal. */
export function formatValue(value: number, unit = ''): string {
  const text = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${text}${unit}`;
}

function frame(title: string, body: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${xmlEscape(title)}">`,
    `<title>${xmlEscape(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="12" y="22" ${FONT} font-weight="bold" fill="#1b1b1b">${xmlEscape(title)}</text>`,
    body,
    '</svg>',
    '',
  ].join('\n');
}

function noData(title: string): string {
  return frame(title, `<text x="${WIDTH / 2}" y="${HEIGHT / 2}" ${FONT} text-anchor="middle" fill="#6b6b6b">No data in the window</text>`);
}

export interface LinePoint {
  readonly label: string;
  readonly value: number;
}

/** A line chart of `points` in order; the y axis spans the values (0–100 for percentages that reach it). */
export function lineChart(title: string, points: readonly LinePoint[], unit = ''): string {
  if (points.length === 0) return noData(title);
  const left = 56;
  const right = WIDTH - 16;
  const top = 40;
  const bottom = HEIGHT - 40;
  const values = points.map((p) => p.value);
  let min = Math.min(...values);
  let max = Math.max(...values);
  if (unit === '%') {
    min = Math.max(0, Math.floor(min / 5) * 5 - 5);
    max = 100;
  }
  if (min === max) {
    min -= 1;
    max += 1;
  }
  const x = (i: number): number => (points.length === 1 ? (left + right) / 2 : left + ((right - left) * i) / (points.length - 1));
  const y = (v: number): number => bottom - ((bottom - top) * (v - min)) / (max - min);
  const path = points.map((p, i) => `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const body = [
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${bottom}" stroke="#8a8a8a"/>`,
    `<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#8a8a8a"/>`,
    `<text x="${left - 6}" y="${top + 4}" ${FONT} text-anchor="end" fill="#3b3b3b">${xmlEscape(formatValue(max, unit))}</text>`,
    `<text x="${left - 6}" y="${bottom + 4}" ${FONT} text-anchor="end" fill="#3b3b3b">${xmlEscape(formatValue(min, unit))}</text>`,
    `<text x="${left}" y="${bottom + 18}" ${FONT} fill="#3b3b3b">${xmlEscape(cut(points[0].label, 24))}</text>`,
    points.length > 1 ? `<text x="${right}" y="${bottom + 18}" ${FONT} text-anchor="end" fill="#3b3b3b">${xmlEscape(cut(points[points.length - 1].label, 24))}</text>` : '',
    `<polyline points="${path}" fill="none" stroke="#0f6cbd" stroke-width="2"/>`,
    ...points.map((p, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(p.value).toFixed(1)}" r="2.5" fill="#0f6cbd"><title>${xmlEscape(`${p.label}: ${formatValue(p.value, unit)}`)}</title></circle>`),
  ].filter((line) => line !== '');
  return frame(title, body.join('\n'));
}

export interface Bar {
  readonly label: string;
  readonly value: number;
}

/** Horizontal bars, in the order given, scaled to the largest. */
export function barChart(title: string, bars: readonly Bar[], unit = ''): string {
  if (bars.length === 0) return noData(title);
  const labelWidth = 210;
  const left = 12 + labelWidth;
  const right = WIDTH - 60;
  const top = 38;
  const row = Math.min(20, (HEIGHT - top - 12) / bars.length);
  const max = Math.max(...bars.map((b) => b.value), 1);
  const body = bars.map((b, i) => {
    const y = top + i * row;
    const width = Math.max(1, ((right - left) * Math.max(0, b.value)) / max);
    return [
      `<text x="${left - 8}" y="${(y + row * 0.7).toFixed(1)}" ${FONT} text-anchor="end" fill="#3b3b3b">${xmlEscape(cut(b.label, 32))}</text>`,
      `<rect x="${left}" y="${(y + 2).toFixed(1)}" width="${width.toFixed(1)}" height="${(row - 4).toFixed(1)}" fill="#0f6cbd"><title>${xmlEscape(`${b.label}: ${formatValue(b.value, unit)}`)}</title></rect>`,
      `<text x="${(left + width + 6).toFixed(1)}" y="${(y + row * 0.7).toFixed(1)}" ${FONT} fill="#3b3b3b">${xmlEscape(formatValue(b.value, unit))}</text>`,
    ].join('\n');
  });
  return frame(title, body.join('\n'));
}
