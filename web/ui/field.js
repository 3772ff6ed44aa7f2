// A form field as the GOV.UK Design System does it: a visible label, an
// optional hint, the error beside the field, all tied by aria-describedby.
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';

// props: id, label, hint?, error?, value, onInput(value), type ('text',
// 'email', 'password', ...), as ('input' | 'textarea' | 'select'),
// options ([{ value, label }] for a select), rows, autocomplete, required,
// width ('short' | 'medium' | undefined: full); other props go to the control.
// A password field has a "Mostrar"/"Ocultar" button (typing blind on a phone
// is error-prone), as GOV.UK's password input does.
export function Field({ id, label, hint, error, value, onInput, as = 'input', options, type = 'text', width, ...rest }) {
  const [shown, setShown] = useState(false);
  const described = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  const common = {
    id, name: id, 'aria-describedby': described, 'aria-invalid': error ? 'true' : undefined,
    class: `control${error ? ' control-error' : ''}${width ? ` control-${width}` : ''}`,
    onInput: onInput && ((e) => onInput(e.currentTarget.value)),
    ...rest,
  };
  let control;
  if (as === 'textarea') control = html`<textarea ...${common} rows=${rest.rows || 5} value=${value} />`;
  else if (as === 'select') {
    control = html`<select ...${common} value=${value} onChange=${common.onInput}>
      ${options.map((o) => html`<option value=${o.value} selected=${o.value === value}>${o.label}</option>`)}
    </select>`;
  } else if (type === 'password') {
    control = html`<div class="password-row">
      <input ...${common} type=${shown ? 'text' : 'password'} value=${value} autocapitalize="none" spellcheck="false" />
      <button type="button" class="button button-secondary password-toggle" aria-controls=${id} onClick=${() => setShown(!shown)}>
        ${t(shown ? 'field.hide' : 'field.show')}<span class="visually-hidden"> ${t('field.password_word')}</span>
      </button>
    </div>
    <p class="visually-hidden" aria-live="polite">${shown ? t('field.password_shown') : ''}</p>`;
  } else control = html`<input ...${common} type=${type} value=${value} />`;
  return html`<div class=${`field${error ? ' field-error' : ''}`}>
    <label for=${id}>${label}</label>
    ${hint && html`<p class="hint" id=${`${id}-hint`}>${hint}</p>`}
    ${error && html`<p class="error-message" id=${`${id}-error`}><span class="visually-hidden">${t('error.prefix')}</span> ${error}</p>`}
    ${control}
  </div>`;
}
