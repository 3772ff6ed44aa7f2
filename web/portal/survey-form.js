// The satisfaction survey (policy: quality evaluation after closing): a
// rating from 1 to 5 and an optional comment. Used on a closed ticket and
// on /encuesta (the mailed link).
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { Field } from '../ui/field.js';
import { Form, useForm } from '../ui/form.js';

// send({ rating, comment }) -> a promise (api.js); onDone(answer)
export function SurveyForm({ send, onDone }) {
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const form = useForm({ rating: 'valoracion', comment: 'comentario' });
  const check = () => (rating ? [] : [{ field: 'valoracion-1', message: t('survey.rating_missing') }]);
  const onSubmit = async () => {
    const out = await form.submit(check, () => send({ rating, comment: comment.trim() || null }));
    if (out) onDone(out);
  };
  const err = form.fieldError('valoracion-1') || form.fieldError('valoracion');
  return html`<${Form} form=${form} onSubmit=${onSubmit} submit=${t('survey.submit')}>
    <fieldset class=${`field rating${err ? ' field-error' : ''}`} aria-describedby=${err ? 'valoracion-error' : undefined}>
      <legend>${t('survey.question')}</legend>
      <p class="hint">${t('survey.scale')}</p>
      ${err && html`<p class="error-message" id="valoracion-error"><span class="visually-hidden">${t('error.prefix')}</span> ${err}</p>`}
      <div class="rating-options">
        ${[1, 2, 3, 4, 5].map((v) => html`<label class="rating-option" key=${v}>
          <input type="radio" name="valoracion" id=${`valoracion-${v}`} value=${v} checked=${rating === v}
            onChange=${() => setRating(v)} />
          <span>${v}</span><span class="visually-hidden">${` ${t(`survey.r${v}`)}`}</span>
        </label>`)}
      </div>
    </fieldset>
    <${Field} id="comentario" as="textarea" rows="4" label=${t('survey.comment')} value=${comment} onInput=${setComment}
      maxlength="4000" error=${form.fieldError('comentario')} />
  </${Form}>`;
}
