/* Translations from gettext catalogs (po/<lang>.po), embedded in the
 * binary. Source strings are Spanish, the default language; po/en.po
 * translates them to English. */
#ifndef AY_I18N_H
#define AY_I18N_H

/* Borrowed: the translation of msgid into lang ("es", "en"), or msgid
 * itself when there is none. Thread-safe. */
const char *i18n(const char *lang, const char *msgid)
	__attribute__((format_arg(2)));
/* Short alias for use in format strings. */
#define _L(lang, s) i18n(lang, s)

#endif
