// The tables of the SLA level pages (levels, versions, a difference): the
// first column heads each row; on a phone each row is a card whose cells
// carry their column's name (the roles keep it a table for screen readers
// when CSS makes the rows blocks, as supervisor/tickets.js does).
import { html } from '../html.js';

// columns: [{ label, num? }]; rows: [{ key, cells: [content, ...] }], one
// cell a column; caption shown unless hidden.
export function SlaTable({ caption, hideCaption, columns, rows, className = '' }) {
  const cell = (c, content, i) => (i === 0
    ? html`<th scope="row" role="rowheader">${content}</th>`
    : html`<td role="cell" class=${c.num ? 'num' : undefined}><span class="adm-sla-label" aria-hidden="true">${c.label}</span>${content}</td>`);
  return html`<div class="table-scroll adm-sla-scroll" tabindex="0" role="region" aria-label=${caption}>
    <table class=${`adm-sla-table ${className}`} role="table">
      <caption class=${hideCaption ? 'visually-hidden' : undefined}>${caption}</caption>
      <thead role="rowgroup"><tr role="row">${columns.map((c) => html`<th scope="col" role="columnheader" class=${c.num ? 'num' : undefined}>${c.label}</th>`)}</tr></thead>
      <tbody role="rowgroup">${rows.map((r) => html`<tr role="row" key=${r.key}>${r.cells.map((x, i) => cell(columns[i], x, i))}</tr>`)}</tbody>
    </table>
  </div>`;
}
