// An instant for people, in their language and zone; the ISO instant stays
// in datetime for machines and the exact time in the tooltip.
import { html } from '../html.js';
import { useFormat } from '../format.js';

// <${Time} iso=${tk.created_at} /> ("1 dic 2026, 10:30");
// kind: 'dateTime' (default) | 'date' | 'time' | 'relative' ("hace 2 horas").
export function Time({ iso, kind = 'dateTime' }) {
  const f = useFormat();
  if (!iso) return null;
  return html`<time datetime=${iso} title=${kind === 'dateTime' ? undefined : f.dateTime(iso)}>${f[kind](iso)}</time>`;
}
