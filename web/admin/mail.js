// /admin/correo: the inbound (IMAP) and outbound (SMTP) settings as
// ayuda.conf has them, passwords only said to be set; a test mail to an
// address the admin types and a single fetch of the mailbox, each saying
// what the server answered. Both are audited by the server.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, tn } from '../i18n.js';
import { api, errorMessage } from '../api.js';
import { useSession } from '../context.js';
import { Page } from '../ui/page.js';
import { Field } from '../ui/field.js';
import { Form, useForm } from '../ui/form.js';
import { AdminNav, Forbidden, canAdmin } from './common.js';
import { MailNav, ServerAnswer } from './mail-common.js';

const dash = (v) => (v === null || v === undefined || v === '' ? t('adm.mail.unset') : v);

function Settings({ s }) {
  const row = (key, v) => html`<div><dt>${t(key)}</dt><dd>${v}</dd></div>`;
  const pw = (set) => (set ? t('adm.mail.password_set') : t('adm.mail.unset'));
  return html`<div class="adm-mail-settings">
    <section aria-labelledby="adm-mail-in">
      <h2 id="adm-mail-in">${t('adm.mail.inbound')}</h2>
      <dl class="adm-facts">
        ${row('adm.mail.url', html`<code>${dash(s.inbound.url)}</code>`)}
        ${row('adm.mail.user', dash(s.inbound.user))}
        ${row('adm.mail.password', pw(s.inbound.password_set))}
        ${row('adm.mail.interval', s.inbound.interval ? tn('adm.mail.every', s.inbound.interval, { s: s.inbound.interval }) : t('adm.mail.no_polling'))}
      </dl>
    </section>
    <section aria-labelledby="adm-mail-out">
      <h2 id="adm-mail-out">${t('adm.mail.outbound')}</h2>
      <dl class="adm-facts">
        ${row('adm.mail.url', html`<code>${dash(s.outbound.url)}</code>`)}
        ${row('adm.mail.user', dash(s.outbound.user))}
        ${row('adm.mail.password', pw(s.outbound.password_set))}
        ${row('adm.mail.starttls', t(s.outbound.starttls ? 'adm.mail.yes' : 'adm.mail.no'))}
        ${row('adm.mail.from', dash(s.outbound.from))}
        ${row('adm.mail.tag', `[${s.outbound.subject_tag}#N]`)}
      </dl>
    </section>
    <p class="hint">${t('adm.mail.conf_hint')}</p>
  </div>`;
}

function TestSend() {
  const [to, setTo] = useState('');
  const [res, setRes] = useState(null);
  const form = useForm({ to: 'adm-mail-to' });
  const send = () => form.submit(
    () => (/^[^@\s]+@[^@\s]+$/.test(to.trim()) ? [] : [{ field: 'adm-mail-to', message: t('adm.mail.to_invalid') }]),
    () => api.post('/admin/mail/test', { to: to.trim() }),
  ).then((out) => { if (out) setRes(out); });
  return html`<section aria-labelledby="adm-mail-test">
    <h2 id="adm-mail-test">${t('adm.mail.test')}</h2>
    <${Form} form=${form} onSubmit=${send} submit=${form.busy ? t('adm.mail.sending') : t('adm.mail.send')}>
      <${Field} id="adm-mail-to" type="email" label=${t('adm.mail.to')} hint=${t('adm.mail.to_hint')} value=${to}
        onInput=${setTo} error=${form.fieldError('adm-mail-to')} autocomplete="email" width="medium" />
    </${Form}>
    ${res && html`<${ServerAnswer} id="adm-mail-test-answer" res=${res} ok=${t('adm.mail.sent_ok', { to: res.to })} />`}
  </section>`;
}

function Fetch() {
  const [res, setRes] = useState(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const run = () => {
    setBusy(true);
    setError('');
    api.post('/admin/mail/fetch').then(setRes, (e) => setError(errorMessage(e))).finally(() => setBusy(false));
  };
  const taken = res && res.ok && (res.taken ? tn('adm.mail.taken', res.taken, { n: res.taken }) : t('adm.mail.taken_none'));
  return html`<section aria-labelledby="adm-mail-fetch">
    <h2 id="adm-mail-fetch">${t('adm.mail.fetch')}</h2>
    <p class="hint">${t('adm.mail.fetch_hint')}</p>
    <div class="actions">
      <button type="button" class="button" disabled=${busy} onClick=${run}>${busy ? t('adm.mail.fetching') : t('adm.mail.fetch_now')}</button>
    </div>
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    ${res && html`<${ServerAnswer} id="adm-mail-fetch-answer" res=${res} ok=${taken} />`}
    ${res && res.messages && res.messages.length > 0 && html`<ul class="adm-mail-taken" aria-label=${t('adm.mail.taken_list')}>
      ${res.messages.map((m) => html`<li>${m.ticket ? html`<a href=${`/agente/tickets/${m.ticket}`}>Ticket#${m.ticket}</a>` : ''}
        ${' '}${t(`adm.mail.action.${m.action}`)}${m.reason ? ` (${m.reason})` : ''}</li>`)}
    </ul>`}
  </section>`;
}

export default function MailPage() {
  const { user } = useSession();
  const [s, setS] = useState(null);
  const [error, setError] = useState('');
  const allowed = canAdmin(user);
  useEffect(() => (allowed ? api.get('/admin/mail', setS, (e) => setError(errorMessage(e))) : undefined), [allowed]);
  if (!allowed) return html`<${Page} title=${t('adm.mail.title')}><${Forbidden} /></${Page}>`;
  return html`<${Page} title=${t('adm.mail.title')} lead=${t('adm.mail.lead')} wide>
    <${AdminNav} user=${user} />
    <${MailNav} />
    ${error && html`<div class="notice notice-error" role="alert"><p>${error}</p></div>`}
    ${!s && !error && html`<div class="placeholder placeholder-status"></div>`}
    ${s && html`<${Settings} s=${s} />`}
    <div class="adm-split adm-mail-tests">
      <${TestSend} />
      <${Fetch} />
    </div>
  </${Page}>`;
}
