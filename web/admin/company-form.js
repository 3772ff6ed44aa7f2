// The form of a company on /admin/empresas/N: name and domains, its licence
// (product, plan, status, expiry, the addresses registered with it, its
// instances), its partner tier, consultant, contact cap and admin contact.
// One PATCH /companies/N (audited with before and after).
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { Field } from '../ui/field.js';
import { Form, useForm } from '../ui/form.js';

const PRODUCTS = ['cloud', 'self_hosted', 'site_manager'];
const PLANS = ['free', 'crm_plus', 'standard', 'professional', 'demo', 'nfr'];
const STATUSES = ['active', 'expired', 'none'];
const TIERS = ['bronze', 'silver', 'gold'];
// The API's member -> the control's id.
const FIELDS = {
  name: 'co-nombre', domains: 'co-dominios', license_product: 'co-producto', license_plan: 'co-plan',
  license_status: 'co-estado', license_expires_at: 'co-caduca', license_emails: 'co-correos', instances: 'co-instancias',
  partner_tier: 'co-partner', partner_active: 'co-partner-activo', consultant_id: 'co-consultor',
  max_contacts: 'co-maximo', admin_contact_id: 'co-admin',
};

const initial = (c) => ({
  name: c.name, domains: c.domains || '', license_product: c.license.product || '', license_plan: c.license.plan || '',
  license_status: c.license.status || '', license_expires_at: (c.license.expires_at || '').slice(0, 10),
  license_emails: (c.license.emails || []).join('\n'), instances: (c.instances || []).join('\n'),
  partner_tier: c.partner.tier || '', partner_active: !!c.partner.active,
  consultant_id: c.consultant ? String(c.consultant.id) : '', max_contacts: String(c.max_contacts),
  admin_contact_id: c.admin_contact_id ? String(c.admin_contact_id) : '',
});

// c: the company; staff: the agents a consultant may be; people: its users.
export function CompanyForm({ c, staff, people, onSaved }) {
  const [v, setV] = useState(() => initial(c));
  const form = useForm(FIELDS);
  const set = (k) => (x) => setV((o) => ({ ...o, [k]: x }));
  const none = (key) => ({ value: '', label: t(key) });
  const opts = (list, prefix) => list.map((x) => ({ value: x, label: t(`${prefix}.${x}`) }));
  const field = (k, props) => html`<${Field} id=${FIELDS[k]} value=${v[k]} onInput=${set(k)} error=${form.fieldError(FIELDS[k])} ...${props} />`;

  const check = () => {
    const max = Number(v.max_contacts);
    const found = [];
    if (!v.name.trim()) found.push({ field: FIELDS.name, message: t('adm.co.check_name') });
    if (!/^\d+$/.test(v.max_contacts.trim()) || max > 10000) found.push({ field: FIELDS.max_contacts, message: t('adm.co.check_max') });
    return found;
  };
  const onSubmit = async () => {
    const id = (s) => (s ? Number(s) : null);
    const body = {
      name: v.name.trim(), domains: v.domains.trim(), license_product: v.license_product || null,
      license_plan: v.license_plan || null, license_status: v.license_status || null,
      license_expires_at: v.license_expires_at || null, license_emails: v.license_emails, instances: v.instances,
      partner_tier: v.partner_tier || null, partner_active: v.partner_active, consultant_id: id(v.consultant_id),
      max_contacts: Number(v.max_contacts), admin_contact_id: id(v.admin_contact_id),
    };
    const out = await form.submit(check, () => api.patch(`/companies/${c.id}`, body));
    if (out) { setV(initial(out)); onSaved(out); }
  };

  return html`<section class="adm-section" aria-labelledby="co-datos">
    <h2 id="co-datos">${t('adm.co.data')}</h2>
    <${Form} form=${form} onSubmit=${onSubmit} submit=${t('adm.co.save')}>
      <div class="adm-form-grid">
        <fieldset><legend>${t('adm.co.f.company')}</legend>
          ${field('name', { label: t('adm.co.f.name'), maxlength: '200' })}
          ${field('domains', { label: t('adm.co.f.domains'), hint: t('adm.co.f.domains_hint') })}
          ${field('consultant_id', { as: 'select', width: 'medium', label: t('adm.co.f.consultant'), hint: t('adm.co.f.consultant_hint'),
            options: [none('adm.co.f.nobody'), ...staff.map((s) => ({ value: String(s.id), label: s.name }))] })}
          ${field('max_contacts', { width: 'short', type: 'text', inputmode: 'numeric', label: t('adm.co.f.max'), hint: t('adm.co.f.max_hint') })}
          ${field('admin_contact_id', { as: 'select', width: 'medium', label: t('adm.co.f.admin'), hint: t('adm.co.f.admin_hint'),
            options: [none('adm.co.f.nobody'), ...people.map((p) => ({ value: String(p.id), label: `${p.name} (${p.email})` }))] })}
        </fieldset>
        <fieldset><legend>${t('adm.co.f.licence')}</legend>
          ${field('license_product', { as: 'select', width: 'medium', label: t('adm.co.f.product'), options: [none('adm.co.f.unset'), ...opts(PRODUCTS, 'adm.co.product')] })}
          ${field('license_plan', { as: 'select', width: 'medium', label: t('adm.co.f.plan'), options: [none('adm.co.f.unset'), ...opts(PLANS, 'adm.co.plan')] })}
          ${field('license_status', { as: 'select', width: 'medium', label: t('adm.co.f.status'), options: [none('adm.co.f.unset'), ...opts(STATUSES, 'adm.co.status')] })}
          ${field('license_expires_at', { type: 'date', width: 'medium', label: t('adm.co.f.expires'), hint: t('adm.co.f.expires_hint') })}
          ${field('license_emails', { as: 'textarea', rows: 3, label: t('adm.co.f.emails'), hint: t('adm.co.f.emails_hint'), spellcheck: 'false' })}
          ${field('instances', { as: 'textarea', rows: 3, label: t('adm.co.f.instances'), hint: t('adm.co.f.instances_hint'), spellcheck: 'false' })}
        </fieldset>
        <fieldset><legend>${t('adm.co.f.partner')}</legend>
          ${field('partner_tier', { as: 'select', width: 'medium', label: t('adm.co.f.tier'), hint: t('adm.co.f.tier_hint'), options: [none('adm.co.f.not_partner'), ...opts(TIERS, 'adm.co.tier')] })}
          <div class="adm-check">
            <input type="checkbox" id=${FIELDS.partner_active} checked=${v.partner_active} onChange=${(e) => set('partner_active')(e.currentTarget.checked)} />
            <label for=${FIELDS.partner_active}>${t('adm.co.f.partner_active')}</label>
          </div>
        </fieldset>
      </div>
    </${Form}>
  </section>`;
}
