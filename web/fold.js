// Text folded for matching as a person expects, as the server's ay_fold()
// (src/util/fold.h) does for its searches: case and accents do not count,
// so "peru" finds "Perú" and "ACME PERÚ". Every list the browser filters
// by what a person types goes through matches().

// s decomposed (NFD), without its nonspacing marks ("Ú" -> "U", "ñ" ->
// "n"), in lower case.
export const fold = (s) => String(s ?? '').normalize('NFD').replace(/\p{Mn}/gu, '').toLowerCase();

// Does text hold every word of query, both folded? An empty query holds
// none, so it matches everything.
export function matches(text, query) {
  const hay = fold(text);
  return fold(query).split(/\s+/).filter(Boolean).every((w) => hay.includes(w));
}
