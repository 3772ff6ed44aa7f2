// A figure of the dashboard: its heading, the chart, the same data as a
// table (the first column heads each row; a number links to the tickets
// behind it) and a CSV download of that table.
import { html } from '../html.js';
import { t } from '../i18n.js';

// A table longer than this is folded on a phone (open from 64rem).
const LONG = 12;
const wide = () => matchMedia('(min-width: 64rem)').matches;

// columns: [{ key, label, num?, fmt?(value, row) }]; rows: [{ [key]: value,
// href?: { [key]: url } }]; csv: the file's name without ".csv".
export function DataFigure({ id, title, lead, chart, columns, rows, csv, children }) {
  return html`<section class="sup-fig" aria-labelledby=${id}>
    <h2 id=${id}>${title}</h2>
    ${lead && html`<p class="sup-lead">${lead}</p>`}
    <div class=${chart ? 'sup-fig-body' : 'sup-fig-body sup-fig-table-only'}>
      ${chart && html`<div class="sup-fig-chart">${chart}</div>`}
      <div class="sup-fig-data">
        ${rows.length > LONG ? html`<details class="sup-data" open=${wide()}>
            <summary>${t('sup.data', { n: rows.length })}</summary>
            <${DataTable} caption=${title} columns=${columns} rows=${rows} />
          </details>`
          : html`<${DataTable} caption=${title} columns=${columns} rows=${rows} />`}
        <${CsvButton} name=${csv} title=${title} columns=${columns} rows=${rows} />
      </div>
    </div>
    ${children}
  </section>`;
}

export function DataTable({ caption, columns, rows }) {
  const cell = (c, r, i) => {
    const v = c.fmt ? c.fmt(r[c.key], r) : r[c.key];
    const href = r.href && r.href[c.key];
    // A link to the tickets behind a number; none behind a zero.
    const inner = href && r[c.key] ? html`<a href=${href}>${v}</a>` : v;
    return i === 0 ? html`<th scope="row">${inner}</th>` : html`<td class=${c.num ? 'num' : undefined}>${inner}</td>`;
  };
  // Focusable: a table wider than a phone scrolls by keyboard too.
  return html`<div class="table-scroll sup-scroll" tabindex="0" role="region" aria-label=${caption}>
    <table class="sup-table">
      <caption class="visually-hidden">${caption}</caption>
      <thead><tr>${columns.map((c) => html`<th scope="col" class=${c.num ? 'num' : undefined}>${c.label}</th>`)}</tr></thead>
      <tbody>
        ${rows.length ? rows.map((r) => html`<tr>${columns.map((c, i) => cell(c, r, i))}</tr>`)
          : html`<tr><td colspan=${columns.length}>${t('sup.no_data')}</td></tr>`}
      </tbody>
    </table>
  </div>`;
}

// The table as CSV (RFC 4180, UTF-8 with a BOM so spreadsheets read the
// accents), the raw values rather than the formatted ones.
export function toCsv(columns, rows) {
  const q = (v) => {
    const s = v == null ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [columns.map((c) => q(c.label)), ...rows.map((r) => columns.map((c) => q(c.csv ? c.csv(r[c.key], r) : r[c.key])))];
  return `\ufeff${lines.map((l) => l.join(',')).join('\r\n')}\r\n`;
}

export function CsvButton({ name, title, columns, rows }) {
  const download = () => {
    const url = URL.createObjectURL(new Blob([toCsv(columns, rows)], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${name}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return html`<button type="button" class="button button-secondary sup-csv" onClick=${download}
    aria-label=${`${t('sup.csv')}: ${title}`}>${t('sup.csv')}</button>`;
}
