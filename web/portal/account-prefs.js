// /cuenta/preferencias: the language of the web and of our mail, and the
// time zone dates are shown in.
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { useSession } from '../context.js';
import { navigate } from '../router.js';
import { Page } from '../ui/page.js';
import { Field } from '../ui/field.js';
import { Form, useForm } from '../ui/form.js';

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

export default function Prefs() {
  const { user, setUser, setLang } = useSession();
  const [lang, setL] = useState(user.lang);
  const [zone, setZone] = useState(user.timezone || '');
  const form = useForm({ lang: 'idioma', timezone: 'zona' });
  const zones = Intl.supportedValuesOf ? Intl.supportedValuesOf('timeZone') : [browserZone, 'America/Lima', 'UTC'];

  const onSubmit = async () => {
    const out = await form.submit(null, () => api.patch('/me', { lang, timezone: zone }));
    if (!out) return;
    setUser(out);
    if (lang !== user.lang) await setLang(lang);
    navigate('/cuenta');
  };
  return html`<${Page} title=${t('prefs.title')}>
    <${Form} form=${form} onSubmit=${onSubmit} submit=${t('prefs.submit')} secondary=${html`<a href="/cuenta">${t('form.cancel')}</a>`}>
      <${Field} id="idioma" as="select" label=${t('account.language')} hint=${t('prefs.lang_hint')} value=${lang} onInput=${setL}
        options=${[{ value: 'es', label: 'Español' }, { value: 'en', label: 'English' }]} error=${form.fieldError('idioma')} width="medium" />
      <${Field} id="zona" as="select" label=${t('account.zone')} hint=${t('prefs.zone_hint', { zone: browserZone })} value=${zone} onInput=${setZone}
        options=${[{ value: '', label: t('prefs.zone_auto') }, ...zones.map((z) => ({ value: z, label: z.replace(/_/g, ' ') }))]}
        error=${form.fieldError('zona')} width="medium" />
    </${Form}>
  </${Page}>`;
}
