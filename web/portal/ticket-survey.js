// The survey on a closed ticket: its requester rates it here, signed in
// (GET/POST /api/v1/tickets/N/survey); the mailed link works as well.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { SurveyForm } from './survey-form.js';

export function TicketSurvey({ ticket }) {
  const [s, setS] = useState(null);
  const n = ticket.number;
  useEffect(() => api.get(`/tickets/${n}/survey`, setS), [n, ticket.status]);
  if (!s || !s.invited) return null;
  if (s.answered) {
    return html`<section class="survey" aria-labelledby="survey-title">
      <h2 id="survey-title">${t('survey.title')}</h2>
      <p>${t('survey.thanks_rating', { n: s.rating })}</p>
    </section>`;
  }
  if (!s.can_answer) return null;
  return html`<section class="survey" aria-labelledby="survey-title">
    <h2 id="survey-title">${t('survey.title')}</h2>
    <p>${t('survey.lead')}</p>
    <${SurveyForm} send=${(body) => api.post(`/tickets/${n}/survey`, body)} onDone=${setS} />
  </section>`;
}
