/* Markdown to safe HTML (util/markdown.c): md4c parses (CommonMark with
 * tables and strikethrough), our own renderer writes a fixed set of
 * elements. Raw HTML is never passed through (MD_FLAG_NOHTML: it shows as
 * text); links and images keep only http, https, mailto and relative
 * addresses (entities decoded and control characters ignored before the
 * scheme is judged, as a browser would); anything else loses its link and
 * stays text. Used for knowledge-base articles. */
#ifndef AY_MARKDOWN_H
#define AY_MARKDOWN_H

#include "util/buf.h"

/* Append the HTML of the Markdown src[0..len) to out. AY_EINVAL when md4c
 * gives up (it does not on any input we know of). */
ay_rc md_to_html(const char *src, size_t len, struct buf *out) AY_MUST_CHECK;

/* Append src[0..len) to out with & < > " ' escaped (text or a quoted
 * attribute). */
ay_rc html_escape(struct buf *out, const char *src, size_t len) AY_MUST_CHECK;

/* Whether the address (already free of entities) may be a link's href:
 * http, https, mailto or relative. Control characters and spaces, which a
 * browser drops, are ignored while the scheme is read. */
bool md_url_safe(const char *url, size_t len);

#endif
