// The only two globals of the application (STYLE.md 10.9), given by app.js.
import { createContext } from './vendor/preact.js';
import { useContext } from './vendor/hooks.js';

// { user, ready, refresh(), logout(), setLang(lang), zone }
//   user: the /api/v1/auth/session `user` object, or null when signed out
//   ready: false until the first session probe answered
//   zone: the reader's IANA time zone (their profile, else the browser's)
export const Session = createContext({ user: null, ready: false, zone: 'America/Lima' });
// 'es' | 'en'
export const Lang = createContext('es');

export const useSession = () => useContext(Session);
export const useLang = () => useContext(Lang);
