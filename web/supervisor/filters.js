// The dashboard's filter: a period (two dates, inclusive), a level and an
// agent, each change written to the address at once (replaceState), so
// the view is bookmarkable and the back button leaves the page.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { useLang } from '../context.js';
import { navigate } from '../router.js';
import { Field } from '../ui/field.js';
import { pageHref, addDays, today, monday } from './common.js';

// The levels and the staff, fetched once per page.
export function useChoices() {
  const [levels, setLevels] = useState([]);
  const [agents, setAgents] = useState([]);
  useEffect(() => api.get('/sla/levels', (out) => setLevels(out.levels || []), () => {}), []);
  useEffect(() => api.get('/users', (out) => setAgents((out.users || [])
    .filter((u) => u.role !== 'customer' && !u.disabled)), () => {}), []);
  return { levels, agents };
}

export function Filters({ p, path }) {
  const lang = useLang();
  const { levels, agents } = useChoices();
  const go = (change) => navigate(pageHref(path, p, change), { replace: true });
  const day = today();
  const quick = [
    ['sup.quick.week', { desde: monday(day), hasta: day }],
    ['sup.quick.30', { desde: addDays(day, -29), hasta: day }],
    ['sup.quick.month', { desde: `${day.slice(0, 8)}01`, hasta: day }],
  ];
  return html`<form class="sup-filters" role="search" aria-label=${t('sup.filters')} onSubmit=${(e) => e.preventDefault()}>
    <div class="filters">
      <${Field} id="f-desde" type="date" label=${t('sup.from')} value=${p.desde} width="short"
        onInput=${(v) => v && go({ desde: v })} />
      <${Field} id="f-hasta" type="date" label=${t('sup.to')} value=${p.hasta} width="short"
        onInput=${(v) => v && go({ hasta: v })} />
      <${Field} id="f-nivel" as="select" label=${t('sup.col.level')} value=${p.nivel} width="medium"
        options=${[{ value: '', label: t('sup.all_levels') },
          ...levels.map((l) => ({ value: l.code, label: (l.name && l.name[lang]) || l.code }))]}
        onInput=${(v) => go({ nivel: v })} />
      <${Field} id="f-agente" as="select" label=${t('sup.col.agent')} value=${p.agente} width="medium"
        options=${[{ value: '', label: t('sup.all_agents') }, { value: 'none', label: t('sup.unassigned') },
          ...agents.map((a) => ({ value: String(a.id), label: a.name }))]}
        onInput=${(v) => go({ agente: v })} />
    </div>
    <p class="sup-quick">${quick.map(([k, change]) => html`<a href=${pageHref(path, p, change)}>${t(k)}</a> `)}</p>
  </form>`;
}
