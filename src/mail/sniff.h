/* The common attachment types told from their first bytes, without
 * libmagic. */
#ifndef AY_MAIL_SNIFF_H
#define AY_MAIL_SNIFF_H

#include <stdbool.h>
#include <stddef.h>

/* The MIME type of data when its first bytes say it without doubt, as
 * libmagic names it (MAGIC_MIME_TYPE): image/png, image/jpeg, image/gif,
 * image/webp, image/bmp, application/pdf, application/zip, the Office
 * Open XML documents, a mail (message/rfc822), an OpenPGP signature or
 * message; and, when text_named (the file's name says text:
 * .txt, .log), text/plain for UTF-8 text that no program reads as its own
 * (no markup, no "#!" or "@echo" line, no mail header, not CSV or JSON).
 * NULL when in doubt: ask libmagic. Borrowed: a static string. */
const char *mail_sniff_fast(const void *data, size_t len, bool text_named);

#endif
