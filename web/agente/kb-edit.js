// /agente/kb/nuevo and /agente/kb/N: write an article (issue 12). Spanish
// title and text, English optionally, category, tags; a preview as readers
// will see it; the state (publishing is for supervisors and admins: agents
// save drafts); the revisions and their differences. "Crear artículo con
// esta respuesta" in a ticket opens /agente/kb/nuevo?ticket=N&mensaje=M,
// the ticket's subject and that answer filled in.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, loadStrings } from '../i18n.js';
import { api } from '../api.js';
import { navigate } from '../router.js';
import { useSession } from '../context.js';
import { Page } from '../ui/page.js';
import { Field } from '../ui/field.js';
import { Form, useForm } from '../ui/form.js';
import { Uploader } from '../ui/uploader.js';
import { loadStylesheet } from '../ui/stylesheet.js';
import { KbPreview } from './kb-preview.js';
import { KbRevisions } from './kb-revisions.js';

await Promise.all([loadStrings('kb'), loadStylesheet('/styles/agente.css'), loadStylesheet('/styles/kb-admin.css')]);

const MANAGERS = ['supervisor', 'admin'];
const EMPTY = { title: '', body: '', en_title: '', en_body: '', category: '', tags: '', state: 'draft' };

function fromArticle(a) {
  const es = a.texts.es || {};
  const en = a.texts.en || {};
  return { title: es.title || '', body: es.body || '', en_title: en.title || '', en_body: en.body || '',
    category: a.category ? a.category.slug : '', tags: a.tags.join(', '), state: a.state };
}

export default function KbEdit({ params, query }) {
  const id = params.id ? Number(params.id) : 0;
  const { user } = useSession();
  const manager = user && MANAGERS.includes(user.role);
  const [v, setV] = useState(id ? null : EMPTY);
  const [saved, setSaved] = useState(null);
  const [cats, setCats] = useState([]);
  const [said, setSaid] = useState(query.get('guardado') ? t('kbe.saved') : '');
  const [version, setVersion] = useState(0);
  const [files, setFiles] = useState([]);
  const form = useForm({ es: 'kb-titulo', en: 'kb-en-titulo', state: 'kb-estado', category: 'kb-categoria', tags: 'kb-etiquetas' });
  const set = (k) => (x) => setV((o) => ({ ...o, [k]: x }));

  useEffect(() => api.get('/kb/categories', (out) => setCats(out.categories)), []);
  useEffect(() => (id ? api.get(`/kb/articles/${id}`, (a) => { setSaved(a); setV(fromArticle(a)); }) : undefined), [id]);
  // From a ticket's answer: its subject and that message.
  useEffect(() => {
    const n = query.get('ticket');
    const m = Number(query.get('mensaje'));
    if (id || !n) return undefined;
    return api.get(`/tickets/${n}`, (tk) => {
      const msg = (tk.messages || []).find((x) => x.id === m);
      setV((o) => ({ ...o, title: o.title || tk.subject, body: o.body || (msg ? msg.body : '') }));
    });
  }, [id]);

  // An uploaded image or file becomes the article's (POST /kb/files), and
  // its Markdown goes at the end of the text.
  useEffect(() => {
    for (const f of files) {
      if (!f.id || f.taken) continue;
      setFiles((list) => list.map((x) => (x.key === f.key ? { ...x, taken: true } : x)));
      api.post('/kb/files', { upload: f.id })
        .then((out) => setV((o) => ({ ...o, body: `${o.body.replace(/\s*$/, '')}\n\n${out.markdown}\n` })))
        .catch(() => setFiles((list) => list.map((x) => (x.key === f.key ? { ...x, error: t('kbe.file_failed') } : x))));
    }
  }, [files]);

  if (!v) return html`<${Page} title=${t('kbe.edit_title')}><div class="placeholder"></div></${Page}>`;
  const check = () => [
    !v.title.trim() && { field: 'kb-titulo', message: t('kbe.title_missing') },
    !v.body.trim() && { field: 'kb-texto', message: t('kbe.body_missing') },
    !!v.en_title.trim() !== !!v.en_body.trim() && { field: 'kb-en-titulo', message: t('kbe.en_both') },
  ].filter(Boolean);
  const onSubmit = async () => {
    const req = {
      es: { title: v.title.trim(), body: v.body },
      en: v.en_title.trim() ? { title: v.en_title.trim(), body: v.en_body } : (saved && saved.texts.en ? null : undefined),
      category: v.category || null,
      tags: v.tags.split(',').map((x) => x.trim()).filter(Boolean),
    };
    if (req.en === undefined) delete req.en;
    if (manager || v.state === 'draft') req.state = v.state;
    const out = await form.submit(check, () => (id ? api.patch(`/kb/articles/${id}`, req) : api.post('/kb/articles', req)));
    if (!out) return;
    setSaved(out);
    setVersion((x) => x + 1);
    setSaid(t('kbe.saved'));
    if (!id) navigate(`/agente/kb/${out.id}?guardado=1`, { replace: true });
  };
  const locked = !manager && saved && saved.state !== 'draft';
  const stateOptions = ['draft', 'published', 'internal'].map((s) => ({ value: s, label: t(`kbe.state.${s}`) }));
  const catOptions = [{ value: '', label: t('kbe.no_category') }, ...cats.map((c) => ({ value: c.slug, label: c.name }))];
  const err = form.fieldError;
  return html`<${Page} title=${id ? t('kbe.edit_title') : t('kbe.new_title')} wide>
    <p class="ag-top"><a href="/agente/kb">${t('kbe.back')}</a>
      ${saved && saved.state !== 'draft' && html`<a href=${saved.texts.es.url}>${t('kbe.view_public')}</a>`}</p>
    <p role="status" class=${said ? 'notice notice-success' : 'visually-hidden'}>${said}</p>
    ${locked && html`<p class="notice">${t('kbe.locked')}</p>`}
    <div class="kb-edit-layout">
      <div class="kb-edit-form">
        <${Form} form=${form} onSubmit=${onSubmit} submit=${t('kbe.save')}>
          <${Field} id="kb-titulo" label=${t('kbe.title')} value=${v.title} onInput=${set('title')} error=${err('kb-titulo')} maxlength="200" />
          <${Field} id="kb-texto" as="textarea" rows="14" label=${t('kbe.body')} hint=${t('kbe.body_hint')} value=${v.body}
            onInput=${set('body')} error=${err('kb-texto')} spellcheck="true" />
          <${Uploader} id="kb-archivos" items=${files} setItems=${setFiles} label=${t('kbe.files')} />
          <${Field} id="kb-categoria" as="select" label=${t('kbe.category')} options=${catOptions} value=${v.category}
            onInput=${set('category')} error=${err('kb-categoria')} />
          <${Field} id="kb-etiquetas" label=${t('kbe.tags')} hint=${t('kbe.tags_hint')} value=${v.tags} onInput=${set('tags')}
            error=${err('kb-etiquetas')} />
          ${manager ? html`<${Field} id="kb-estado" as="select" label=${t('kbe.state')} hint=${t('kbe.state_hint')}
            options=${stateOptions} value=${v.state} onInput=${set('state')} error=${err('kb-estado')} />`
            : html`<p class="hint">${t('kbe.agent_drafts')}</p>`}
          <details class="details" open=${!!v.en_title}>
            <summary>${t('kbe.english')}</summary>
            <${Field} id="kb-en-titulo" label=${t('kbe.en_title')} value=${v.en_title} onInput=${set('en_title')}
              error=${err('kb-en-titulo')} lang="en" />
            <${Field} id="kb-en-texto" as="textarea" rows="8" label=${t('kbe.en_body')} value=${v.en_body}
              onInput=${set('en_body')} lang="en" />
          </details>
        </${Form}>
      </div>
      <${KbPreview} body=${v.body} />
    </div>
    ${id > 0 && html`<${KbRevisions} id=${id} version=${version} />`}
  </${Page}>`;
}
