// /tickets/nuevo: the policy's web form (7.1.1, 7.4): subject, description,
// steps, the site's URL, product, edition and version, the category a
// customer may choose, attachments, optionally the server's configuration
// (info.php, 7.12). The browser's details go along by themselves (7.4.5).
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { Page } from '../ui/page.js';
import { Field } from '../ui/field.js';
import { Form, useForm } from '../ui/form.js';
import { useDraft } from '../ui/draft.js';
import { Uploader, uploadedIds } from '../ui/uploader.js';
import { ProductFields } from './product-fields.js';
import { Sent } from './ticket-sent.js';
import { KbSuggest } from './kb-suggest.js';

const FIELDS = {
  subject: 'asunto', body: 'descripcion', description: 'descripcion', category: 'categoria', steps: 'pasos',
  url: 'sitio', product: 'producto', edition: 'edicion', version: 'version', server_info: 'servidor', attachments: 'adjuntos',
};
const CATEGORIES = ['support', 'commercial', 'development'];

export default function NewTicket({ query }) {
  const [subject, setSubject, clearSubject] = useDraft('new:subject');
  const [body, setBody, clearBody] = useDraft('new:body');
  const [steps, setSteps, clearSteps] = useDraft('new:steps');
  const [info, setInfo, clearInfo] = useDraft('new:info');
  const preset = query && CATEGORIES.includes(query.get('categoria')) ? query.get('categoria') : 'support';
  const [v, setV] = useState({ categoria: preset, sitio: '', producto: '', edicion: '', version: '' });
  const [files, setFiles] = useState([]);
  const [sent, setSent] = useState(null);
  const form = useForm(FIELDS);
  const set = (k) => (x) => setV((o) => ({ ...o, [k]: x, ...(k === 'producto' ? { edicion: '' } : {}) }));

  useEffect(() => { if (sent) window.scrollTo(0, 0); }, [sent]);

  const check = () => [
    !subject.trim() && { field: 'asunto', message: t('new.subject_missing') },
    !body.trim() && { field: 'descripcion', message: t('new.body_missing') },
    v.sitio.trim() && !/^https?:\/\/[^\s/]+\.[^\s]+$/i.test(v.sitio.trim()) && { field: 'sitio', message: t('new.url_bad') },
    uploadedIds(files) === null && { field: 'adjuntos', message: t('upload.wait') },
  ].filter(Boolean);

  const onSubmit = async () => {
    const out = await form.submit(check, () => {
      const req = { subject: subject.trim(), body, category: v.categoria };
      if (steps.trim()) req.steps = steps;
      if (v.sitio.trim()) req.url = v.sitio.trim();
      if (v.producto) req.product = v.producto;
      if (v.edicion) req.edition = v.edicion;
      if (v.version.trim()) req.version = v.version.trim();
      if (info.trim()) req.server_info = info;
      const ids = uploadedIds(files);
      if (ids.length) req.attachments = ids;
      return api.post('/tickets', req);
    });
    if (out) {
      for (const clear of [clearSubject, clearBody, clearSteps, clearInfo]) clear();
      setSent(out);
    }
  };

  if (sent) return html`<${Sent} ticket=${sent} />`;
  const err = form.fieldError;
  const catOptions = CATEGORIES.map((c) => ({ value: c, label: t(`new.category.${c}`) }));
  return html`<${Page} title=${t('new.title')} lead=${t('new.lead')}>
    <${Form} form=${form} onSubmit=${onSubmit} submit=${t('new.submit')}>
      <${Field} id="asunto" label=${t('new.subject')} hint=${t('new.subject_hint')} value=${subject} onInput=${setSubject}
        error=${err('asunto')} maxlength="200" />
      <${Field} id="descripcion" as="textarea" rows="7" label=${t('new.body')} hint=${t('new.body_hint')} value=${body}
        onInput=${setBody} error=${err('descripcion')} />
      <${KbSuggest} subject=${subject} body=${body} />
      <${Field} id="categoria" as="select" label=${t('new.category')} hint=${t(`new.category_hint.${v.categoria}`)}
        options=${catOptions} value=${v.categoria} onInput=${set('categoria')} error=${err('categoria')} />
      <${Field} id="pasos" as="textarea" rows="4" label=${t('new.steps')} hint=${t('new.steps_hint')} value=${steps}
        onInput=${setSteps} error=${err('pasos')} />
      <${Field} id="sitio" type="url" label=${t('new.url')} hint=${t('new.url_hint')} value=${v.sitio} onInput=${set('sitio')}
        error=${err('sitio')} spellcheck="false" autocomplete="url" inputmode="url" />
      <${ProductFields} v=${v} set=${set} err=${err} />
      <${Uploader} id="adjuntos" items=${files} setItems=${setFiles} />
      ${err('adjuntos') && html`<p class="error-message" id="adjuntos-error">${err('adjuntos')}</p>`}
      <details class="details" open=${!!info}>
        <summary>${t('new.server')}</summary>
        <${Field} id="servidor" as="textarea" rows="5" label=${t('new.server_label')} hint=${t('new.server_hint')}
          value=${info} onInput=${setInfo} error=${err('servidor')} spellcheck="false" />
      </details>
      <p class="notice">${t('new.browser_note')}</p>
    </${Form}>
  </${Page}>`;
}
