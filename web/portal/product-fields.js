// Product, edition and version of a ticket (policy 7.4): the choices come
// from GET /api/v1/ticket-fields; an edition belongs to one product.
import { useState, useEffect } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { useLang } from '../context.js';
import { Field } from '../ui/field.js';

// v: { producto, edicion, version }, set(key)(value), err(id)
export function ProductFields({ v, set, err }) {
  const lang = useLang();
  const [choices, setChoices] = useState({ product: [], edition: [] });
  useEffect(() => api.get('/ticket-fields', setChoices), []);
  const name = (c) => (lang === 'en' ? c.name_en : c.name_es) || c.code;
  const none = { value: '', label: t('new.choose') };
  const products = [none, ...choices.product.map((c) => ({ value: c.code, label: name(c) }))];
  const editions = [none, ...choices.edition.filter((c) => c.product === v.producto).map((c) => ({ value: c.code, label: name(c) }))];
  return html`<fieldset class="fieldset">
    <legend>${t('new.product_legend')}</legend>
    <p class="hint">${t('new.product_hint')}</p>
    <${Field} id="producto" as="select" label=${t('new.product')} options=${products} value=${v.producto}
      onInput=${set('producto')} error=${err('producto')} />
    ${v.producto && editions.length > 1 && html`<${Field} id="edicion" as="select" label=${t('new.edition')}
      options=${editions} value=${v.edicion} onInput=${set('edicion')} error=${err('edicion')} />`}
    <${Field} id="version" label=${t('new.version')} hint=${t('new.version_hint')} value=${v.version}
      onInput=${set('version')} error=${err('version')} width="short" spellcheck="false" />
  </fieldset>`;
}
