// The customer's reply on a ticket: "Respuesta" with attachments; unsent
// text survives a reload or a session that ends (useDraft).
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { Field } from '../ui/field.js';
import { Form, useForm } from '../ui/form.js';
import { useDraft } from '../ui/draft.js';
import { Uploader, uploadedIds } from '../ui/uploader.js';

export function Reply({ ticket, onSent }) {
  const n = ticket.number;
  const [body, setBody, clearBody] = useDraft(`reply:${n}`);
  const [files, setFiles] = useState([]);
  const [sent, setSent] = useState(false);
  const form = useForm({ body: 'respuesta', attachments: 'respuesta-adjuntos' });

  const check = () => [
    !body.trim() && { field: 'respuesta', message: t('reply.missing') },
    uploadedIds(files) === null && { field: 'respuesta-adjuntos', message: t('upload.wait') },
  ].filter(Boolean);

  const onSubmit = async () => {
    setSent(false);
    const out = await form.submit(check, () => {
      const req = { body };
      const ids = uploadedIds(files);
      if (ids.length) req.attachments = ids;
      return api.post(`/tickets/${n}/messages`, req);
    });
    if (out) {
      clearBody();
      setFiles([]);
      setSent(true);
      onSent(out);
    }
  };

  const hint = ticket.status === 'resolved' || ticket.status === 'closed' ? t('reply.hint_reopens') : t('reply.hint');
  return html`<section class="reply" aria-labelledby="reply-title">
    <h2 id="reply-title">${t('reply.title')}</h2>
    ${sent && html`<div class="notice notice-success" role="status"><p>${t('reply.sent')}</p></div>`}
    <${Form} form=${form} onSubmit=${onSubmit} submit=${t('reply.submit')}>
      <${Field} id="respuesta" as="textarea" rows="6" label=${t('reply.label')} hint=${hint} value=${body}
        onInput=${(v) => { setSent(false); setBody(v); }} error=${form.fieldError('respuesta')} />
      <${Uploader} id="respuesta-adjuntos" items=${files} setItems=${setFiles} />
    </${Form}>
  </section>`;
}
