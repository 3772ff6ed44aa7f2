// The build's cache key: the server embeds web/ and adds ?v=BUILD to every
// reference between our files, so this module's own URL carries it.
const v = new URL(import.meta.url).search;

// asset('/i18n/es.json') -> '/i18n/es.json?v=BUILD' (unchanged from --web-dir)
export const asset = (path) => path + v;
