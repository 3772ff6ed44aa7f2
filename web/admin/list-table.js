// A table of the admin's lists whose rows are cards on a phone (under
// 40rem), each cell saying its column, so that nothing scrolls sideways;
// the roles keep it a table for screen readers when CSS makes its rows
// blocks (the supervisor's ticket tables, supervisor.css .sup-tickets).
import { html } from '../html.js';
import { loadStylesheet } from '../ui/stylesheet.js';

await loadStylesheet('/styles/supervisor.css');

// cols: [label]; rows: [{ key, head (the row's header cell), cells: [] }];
// className: more classes for the table. Wider than the screen (between a
// phone and a desktop), it scrolls inside a region named caption that the
// keyboard can reach.
export function ListTable({ caption, cols, rows, className = '' }) {
  return html`<div class="table-scroll sup-scroll" tabindex="0" role="region" aria-label=${caption}>
    <table class=${`sup-table sup-tickets adm-table ${className}`} role="table">
      <caption class="visually-hidden">${caption}</caption>
      <thead role="rowgroup"><tr role="row">${cols.map((c) => html`<th scope="col" role="columnheader">${c}</th>`)}</tr></thead>
      <tbody role="rowgroup">${rows.map((r) => html`<tr role="row" key=${r.key}>
        <th scope="row" role="rowheader">${r.head}</th>
        ${r.cells.map((c, i) => html`<td role="cell"><span class="sup-cell-label" aria-hidden="true">${cols[i + 1]}</span>${c}</td>`)}
      </tr>`)}</tbody>
    </table>
  </div>`;
}
