// /sla/comercial and /sla/no-comercial: the policy's two requests to be
// served under a level (7.x "Proceso de solicitud de inclusión"), with
// exactly its fields, and what each level gives beside them.
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { useSession } from '../context.js';
import { Page } from '../ui/page.js';
import { Field } from '../ui/field.js';
import { Form, useForm } from '../ui/form.js';
import { Sent } from './ticket-sent.js';
import { LevelsAside } from './sla-levels.js';

// The policy's fields of each form: API member, control id, multi-line.
const FORMS = {
  commercial: [['full_name', 'nombre'], ['position', 'cargo'], ['company_name', 'empresa'], ['consultant', 'consultor']],
  non_commercial: [['full_name', 'nombre'], ['position', 'cargo'], ['company_name', 'empresa'],
    ['contact_data', 'contacto', true], ['instance', 'instancia', true]],
};

export default function SlaInclusion() {
  const kind = location.pathname.startsWith('/sla/no-comercial') ? 'non_commercial' : 'commercial';
  const { user } = useSession();
  const fields = FORMS[kind];
  const [v, setV] = useState(() => ({ nombre: (user && user.name) || '', comentario: '' }));
  const [sent, setSent] = useState(null);
  const map = Object.fromEntries([...fields.map(([api, id]) => [api, id]), ['body', 'comentario']]);
  const form = useForm(map);
  const set = (k) => (x) => setV((o) => ({ ...o, [k]: x }));
  const val = (id) => (v[id] || '').trim();

  const check = () => fields.filter(([, id]) => !val(id)).map(([, id]) => ({ field: id, message: t(`incl.${id}_missing`) }));
  const onSubmit = async () => {
    const body = { kind };
    for (const [member, id] of fields) body[member] = val(id);
    if (val('comentario')) body.body = val('comentario');
    const out = await form.submit(check, () => api.post('/sla-inclusion', body));
    if (out) setSent(out);
  };

  if (sent) return html`<${Sent} ticket=${sent} />`;
  const other = kind === 'commercial' ? '/sla/no-comercial' : '/sla/comercial';
  return html`<${Page} title=${t(`incl.title.${kind}`)} lead=${t(`incl.lead.${kind}`)} wide>
    <div class="split">
      <div class="split-main">
        <${Form} form=${form} onSubmit=${onSubmit} submit=${t('incl.submit')}>
          ${fields.map(([, id, long]) => html`<${Field} key=${id} id=${id} as=${long ? 'textarea' : 'input'}
            label=${t(`incl.${id}`)} hint=${t(`incl.${id}_hint`)} value=${v[id] || ''} onInput=${set(id)}
            error=${form.fieldError(id)} />`)}
          <${Field} id="comentario" as="textarea" rows="3" label=${t('incl.comment')} value=${v.comentario}
            onInput=${set('comentario')} error=${form.fieldError('comentario')} />
        </${Form}>
        <p>${t(`incl.other.${kind}`)} <a href=${other}>${t(`incl.other_link.${kind}`)}</a></p>
      </div>
      <${LevelsAside} highlight=${kind} />
    </div>
  </${Page}>`;
}
