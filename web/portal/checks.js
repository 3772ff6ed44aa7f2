// Checks made before sending, worded for people (GOV.UK's error messages).
import { t } from '../i18n.js';

export function emailProblem(value, field) {
  const v = value.trim();
  if (!v) return { field, message: t('check.email_missing') };
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) return { field, message: t('check.email_invalid') };
  return null;
}

export function passwordProblem(value, field) {
  if (!value) return { field, message: t('check.password_missing') };
  if ([...value].length < 8) return { field, message: t('check.password_short') };
  return null;
}
