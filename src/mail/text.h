/* Text helpers for mail: charset conversion to UTF-8, HTML to plain text,
 * separation of the new text from quoted history and signature. */
#ifndef AY_MAIL_TEXT_H
#define AY_MAIL_TEXT_H

#include "util/ay.h"
#include "util/buf.h"

/* Convert n bytes in charset cs (NULL or "" when unknown) to valid UTF-8,
 * appended to out. Fallbacks: the declared charset (with common aliases
 * fixed: gb2312 -> GB18030, ks_c_5601-1987 -> CP949, iso-8859-1 ->
 * windows-1252, ...) through iconv, or through ICU's alias tables when
 * iconv does not know the name (iso-8859-8-i, x-mac-roman, x-euc-tw, ...),
 * then UTF-8 if the bytes are valid UTF-8, then windows-1252. Never fails on
 * bad input; only on AY_ENOMEM/AY_ETOOBIG. */
ay_rc mail_text_to_utf8(const char *cs, const char *p, size_t n,
			struct buf *out) AY_MUST_CHECK;

/* For a process that parses many mails: keep the C library's converters
 * of the common charsets loaded (each iconv_close of the last user of one
 * unloads its module, and the next mail in that charset loads it again:
 * a dlopen and dlclose a mail). A few milliseconds, once. */
void mail_charsets_keep(void);

/* Returns: owned by caller (free()), a copy of s (n bytes) with every
 * invalid UTF-8 sequence and NUL replaced by U+FFFD; NULL on ENOMEM. */
char *mail_utf8_sanitize(const char *s, size_t n);

/* Whether p (n bytes) is valid UTF-8 without NULs. */
bool mail_utf8_valid(const char *p, size_t n);

/* The iconv name we use for a declared MIME charset (aliases fixed).
 * Borrowed: static string or cs itself. */
const char *mail_charset_name(const char *cs);

/* Convert HTML (n bytes, UTF-8) to plain text appended to out: script,
 * style, head and comments dropped, block tags become newlines, entities
 * decoded, whitespace collapsed. Linear time and no recursion. */
ay_rc mail_html_to_text(const char *html, size_t n,
			struct buf *out) AY_MUST_CHECK;

/* Append to out the new text of a reply body (n bytes): lines quoted with
 * '>' dropped, cut at the first attribution ("On ... wrote:", "El ...
 * escribió:", "Am ... schrieb"), "-----Original Message-----" line,
 * Outlook header block ("From:/De:/Von: ... Sent:/Enviado:/Gesendet:")
 * or signature delimiter ("-- "). Trailing blank lines removed. */
ay_rc mail_text_strip_quotes(const char *text, size_t n,
			     struct buf *out) AY_MUST_CHECK;

#endif
