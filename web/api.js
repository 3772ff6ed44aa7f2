// The one API client: JSON in and out, the session's X-CSRF-Token, and
// every failure turned into an ApiError with a message for a person.
import { t, has } from './i18n.js';

const BASE = '/api/v1';
let csrf = null;
let onUnauthorized = () => {};

export function setCsrf(token) {
  csrf = token || null;
}

// app.js: what to do when a request finds the session gone (log in again
// and come back).
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

export class ApiError extends Error {
  constructor(status, body, retryAfter) {
    const e = (body && body.error) || {};
    super(e.message || '');
    this.status = status; // 0: no answer (network)
    this.code = e.code || '';
    this.field = e.field || ''; // on 422: the JSON member at fault
    this.serverMessage = e.message || '';
    this.retryAfter = retryAfter; // seconds, on 429
  }
}

// The sentence to show for an error, in the reader's language.
export function errorMessage(err) {
  if (!(err instanceof ApiError)) return t('error.generic');
  if (err.status === 0) return t('error.network');
  if (err.status === 429) return t('error.rate', { s: err.retryAfter || 5 });
  if (err.code && has(`error.${err.code}`)) return t(`error.${err.code}`);
  if (err.status === 422 && err.serverMessage) return err.serverMessage;
  if (has(`error.${err.status}`)) return t(`error.${err.status}`);
  return err.serverMessage || t('error.generic');
}

// request('POST', '/tickets', {subject, body}) -> the parsed answer.
// opts: { signal, quiet401: true (do not send the person to log in),
//         raw: Blob/File body with its own type (uploads) }
export async function request(method, path, body, opts = {}) {
  const headers = { Accept: 'application/json' };
  let payload;
  if (opts.raw !== undefined) {
    payload = opts.raw;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (csrf && method !== 'GET') headers['X-CSRF-Token'] = csrf;
  let res;
  try {
    res = await fetch(BASE + path, {
      method, headers, body: payload, signal: opts.signal, credentials: 'same-origin',
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, null);
  }
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (res.ok) return data;
  const err = new ApiError(res.status, data, Number(res.headers.get('Retry-After')) || 0);
  if (res.status === 401 && !opts.quiet401) onUnauthorized(err);
  throw err;
}

export const post = (path, body, opts) => request('POST', path, body, opts);
export const patch = (path, body, opts) => request('PATCH', path, body, opts);
export const put = (path, body, opts) => request('PUT', path, body, opts);
export const del = (path, opts) => request('DELETE', path, undefined, opts);

// For effects: api.get('/tickets/7', setTicket, setError) starts the read
// and returns the function that aborts it (useEffect's cleanup).
export function get(path, ok, fail) {
  const ctl = new AbortController();
  request('GET', path, undefined, { signal: ctl.signal }).then(
    (data) => ok && ok(data),
    (err) => {
      if (err.name !== 'AbortError' && fail) fail(err);
    },
  );
  return () => ctl.abort();
}

export const api = { get, request, post, patch, put, del, upload, getIfChanged };

// upload(file, onProgress(fraction)) -> { id, filename, content_type, size }:
// POST /uploads?filename= with the file as the body. XMLHttpRequest, not
// fetch, because only it reports upload progress. Returns { done, abort }.
export function upload(file, onProgress) {
  const xhr = new XMLHttpRequest();
  const done = new Promise((resolve, reject) => {
    xhr.open('POST', `${BASE}/uploads?filename=${encodeURIComponent(file.name || 'imagen.png')}`);
    xhr.setRequestHeader('Accept', 'application/json');
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total); };
    xhr.onerror = () => reject(new ApiError(0, null));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    xhr.onload = () => {
      let data = null;
      try { data = JSON.parse(xhr.responseText); } catch { data = null; }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data);
      const err = new ApiError(xhr.status, data, Number(xhr.getResponseHeader('Retry-After')) || 0);
      if (xhr.status === 401) onUnauthorized(err);
      return reject(err);
    };
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}

// A conditional read for polling: { etag, data } with data null when the
// answer is unchanged (304, no body). A 401 goes to log in as usual.
export async function getIfChanged(path, etag, signal) {
  const headers = { Accept: 'application/json' };
  if (etag) headers['If-None-Match'] = etag;
  let res;
  try {
    res = await fetch(BASE + path, { headers, signal, credentials: 'same-origin', cache: 'no-store' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, null);
  }
  if (res.status === 304) return { etag, data: null };
  const data = await res.json().catch(() => null);
  if (res.ok) return { etag: res.headers.get('ETag') || '', data };
  const err = new ApiError(res.status, data, Number(res.headers.get('Retry-After')) || 0);
  if (res.status === 401) onUnauthorized(err);
  throw err;
}
