// A form that sends through api.js: its error summary on top, a busy
// submit button, the server's field errors mapped to our controls.
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { ApiError, errorMessage } from '../api.js';
import { ErrorSummary } from './error-summary.js';

// useForm(fields): { errors, fieldError(id), busy, submit(check, send) }
//  check(): [{ field, message }] found before sending (empty: send)
//  send(): a promise (an api.js call); an ApiError 422 names the JSON
//  member at fault: fields maps it to the control's id ({ email: 'correo' }),
//  messages to the sentence to show instead of the server's.
export function useForm(fields = {}, messages = {}) {
  const [errors, setErrors] = useState([]);
  const [busy, setBusy] = useState(false);
  const submit = async (check, send) => {
    const found = check ? check() : [];
    if (found.length) { setErrors(found); return undefined; }
    setBusy(true);
    try {
      const out = await send();
      setErrors([]);
      return out;
    } catch (err) {
      const field = err instanceof ApiError && err.field ? (fields[err.field] || '') : '';
      const own = err instanceof ApiError && err.status === 422 && messages[err.field];
      setErrors([{ field, message: own || errorMessage(err) }]);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (id) => (errors.find((e) => e.field === id) || {}).message;
  return { errors, setErrors, fieldError, busy, submit };
}

// <${Form} form=${f} onSubmit=${fn} submit="Entrar">fields</${Form}>
export function Form({ form, onSubmit, submit, children, secondary }) {
  return html`<form novalidate onSubmit=${(e) => { e.preventDefault(); onSubmit(); }}>
    <${ErrorSummary} errors=${form.errors} />
    ${children}
    <div class="actions">
      <button type="submit" class="button" disabled=${form.busy} aria-disabled=${form.busy ? 'true' : undefined}>${submit}</button>
      ${secondary}
    </div>
  </form>`;
}
