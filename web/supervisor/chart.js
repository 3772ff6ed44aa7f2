// Our own small SVG charts: horizontal bars (stacked when a row has several
// values) and lines. Each is an image with a title (role="img"); its data
// is always a real table beside it (figure.js). Positions are percentages
// of the width, so the text keeps its size on a phone; series colours are
// classes (.chart-s0 ...) redefined for dark mode and forced colours.
import { useId } from '../vendor/hooks.js';
import { html } from '../html.js';

const sum = (a) => a.reduce((s, v) => s + (v || 0), 0);

// rows: [{ label, values: [n, ...] }]; series: names, for the legend.
export function HBars({ title, rows, series, format = String }) {
  const id = useId();
  const max = Math.max(1, ...rows.map((r) => sum(r.values)));
  const ROW = 46;
  return html`<div class="chart">
    ${series.length > 1 && html`<${Legend} series=${series} />`}
    <svg role="img" aria-labelledby=${id} width="100%" height=${rows.length * ROW + 4} class="chart-svg">
      <title id=${id}>${title}</title>
      ${rows.map((r, i) => {
        let x = 0;
        const y = i * ROW;
        const bars = r.values.map((v, k) => {
          const w = (v / max) * 84;
          const rect = v ? html`<rect x=${`${x}%`} y=${y + 21} width=${`${w}%`} height="16" class=${`chart-s${k}`} />` : null;
          x += w;
          return rect;
        });
        return html`<g>
          <text x="0" y=${y + 15} class="chart-label">${r.label}</text>
          <rect x="0" y=${y + 21} width="84%" height="16" class="chart-track" />
          ${bars}
          <text x=${`${x + 1.5}%`} y=${y + 34} class="chart-value">${format(sum(r.values))}</text>
        </g>`;
      })}
    </svg>
  </div>`;
}

// labels: the x axis (dates); series: [{ name, values }], drawn as lines
// over a grid, the highest value marked on the axis.
export function Lines({ title, labels, series, format = String }) {
  const id = useId();
  const n = labels.length;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const xs = (i) => 1 + (n > 1 ? (i / (n - 1)) * 98 : 49);
  const ys = (v) => 96 - (v / max) * 92;
  return html`<div class="chart">
    <${Legend} series=${series.map((s) => s.name)} line />
    <div class="chart-lines">
      <span class="chart-axis-max" aria-hidden="true">${format(max)}</span>
      <svg role="img" aria-labelledby=${id} width="100%" height="180" viewBox="0 0 100 100"
        preserveAspectRatio="none" class="chart-svg chart-svg-lines">
        <title id=${id}>${title}</title>
        ${[4, 50, 96].map((y) => html`<line x1="0" x2="100" y1=${y} y2=${y} class="chart-grid" vector-effect="non-scaling-stroke" />`)}
        ${series.map((s, k) => html`<polyline fill="none" class=${`chart-line chart-s${k}`} vector-effect="non-scaling-stroke"
          points=${(n > 1 ? s.values : [s.values[0], s.values[0]]).map((v, i) => `${n > 1 ? xs(i) : 1 + i * 98},${ys(v || 0)}`).join(' ')} />`)}
      </svg>
      <div class="chart-axis-x" aria-hidden="true"><span>${labels[0]}</span><span>${labels[n - 1]}</span></div>
    </div>
  </div>`;
}

function Legend({ series, line }) {
  return html`<ul class="chart-legend" aria-hidden="true">
    ${series.map((name, k) => html`<li><span class=${`chart-key chart-key-s${k}${line ? ' chart-key-line' : ''}`}></span>${name}</li>`)}
  </ul>`;
}
