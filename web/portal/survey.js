// /encuesta#token=T: the satisfaction survey of the link mailed when a
// ticket closes. The token is the only credential (no log-in needed); it
// is read once from the fragment and taken off the address bar.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { Page } from '../ui/page.js';
import { linkToken } from './link-token.js';
import { SurveyForm } from './survey-form.js';

export default function Survey() {
  const [token] = useState(linkToken);
  const [s, setS] = useState(null);
  const [bad, setBad] = useState(!token);
  const [done, setDone] = useState(false);
  useEffect(() => (token ? api.get(`/surveys/${encodeURIComponent(token)}`, setS, () => setBad(true)) : undefined), [token]);

  if (bad) {
    return html`<${Page} title=${t('survey.bad_title')}>
      <p>${t('survey.bad')}</p>
      <p><a href="/tickets">${t('nav.tickets')}</a></p>
    </${Page}>`;
  }
  if (!s) return html`<${Page} title=${t('survey.title')}><div class="placeholder placeholder-ticket"></div></${Page}>`;
  const about = html`<p class="lead">${t('survey.about', { n: s.number, subject: s.subject })}</p>`;
  if (done || s.answered) {
    return html`<${Page} title=${t('survey.title')}>
      ${about}
      <div class="notice notice-success" role="status"><p>${done ? t('survey.thanks') : t('survey.already')}</p></div>
      <p><a href=${`/tickets/${s.number}`}>${t('survey.see_ticket', { n: s.number })}</a></p>
    </${Page}>`;
  }
  return html`<${Page} title=${t('survey.title')}>
    ${about}
    <p>${t('survey.lead')}</p>
    <${SurveyForm} send=${(body) => api.post(`/surveys/${encodeURIComponent(token)}`, body)} onDone=${() => setDone(true)} />
  </${Page}>`;
}
