// Attachments: pick files, drop them on the box or paste an image. Each one
// is uploaded at once with its progress and checked against the attachment
// policy (the server sniffs the content; a BMP is refused here already).
import { useEffect, useRef } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api, ApiError, errorMessage } from '../api.js';
import { useFormat } from '../format.js';

let seq = 0;

// A BMP starts with "BM"; refused before sending (policy: only in a ZIP or RAR).
async function isBmp(file) {
  if (/\.bmp$/i.test(file.name || '') || file.type === 'image/bmp') return true;
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  return head[0] === 0x42 && head[1] === 0x4d;
}

function refusal(err) {
  if (err instanceof ApiError && err.status === 413) return t('upload.too_big');
  if (err instanceof ApiError && err.status === 422) return t('upload.type_refused', { why: err.serverMessage });
  return errorMessage(err);
}

// props: id, items ([{ key, name, size, progress, id?, error? }]),
// setItems(fn), label, hint. The ids of the uploaded files: items with an id.
export function Uploader({ id, items, setItems, label }) {
  const f = useFormat();
  const drop = useRef(null);
  const update = (key, change) => setItems((list) => list.map((x) => (x.key === key ? { ...x, ...change } : x)));

  const add = async (files) => {
    for (const file of files) {
      const key = ++seq;
      const name = file.name || t('upload.pasted');
      setItems((list) => [...list, { key, name, size: file.size, progress: 0 }]);
      if (await isBmp(file)) { update(key, { error: t('upload.bmp') }); continue; }
      const up = api.upload(file, (p) => update(key, { progress: p }));
      up.done.then(
        (out) => update(key, { id: out.id, progress: 1, name: out.filename }),
        (err) => { if (err.name !== 'AbortError') update(key, { error: refusal(err) }); },
      );
    }
  };

  useEffect(() => {
    const onPaste = (e) => {
      const files = [...(e.clipboardData ? e.clipboardData.files : [])];
      if (files.length) { e.preventDefault(); add(files); }
    };
    document.addEventListener('paste', onPaste);
    return () => document.removeEventListener('paste', onPaste);
  }, []);

  const onDrop = (e) => {
    e.preventDefault();
    drop.current.classList.remove('dropzone-over');
    add([...e.dataTransfer.files]);
  };
  const onOver = (e) => { e.preventDefault(); drop.current.classList.add('dropzone-over'); };
  const onLeave = () => drop.current.classList.remove('dropzone-over');
  const remove = (key) => setItems((list) => list.filter((x) => x.key !== key));

  return html`<div class="field uploader">
    <div class="dropzone" ref=${drop} onDragOver=${onOver} onDragLeave=${onLeave} onDrop=${onDrop}>
      <label for=${id} id=${`${id}-label`}>${label || t('upload.label')}</label>
      <p class="hint" id=${`${id}-hint`}>${t('upload.hint')}</p>
      <input type="file" id=${id} multiple class="file-input visually-hidden" aria-labelledby=${`${id}-label`} aria-describedby=${`${id}-hint`}
        onChange=${(e) => { add([...e.currentTarget.files]); e.currentTarget.value = ''; }} />
      <label for=${id} class="file-button" aria-hidden="true">${t('upload.choose')}</label>
    </div>
    ${items.length > 0 && html`<ul class="uploads" aria-live="polite">
      ${items.map((x) => html`<li key=${x.key} class=${x.error ? 'upload upload-error' : 'upload'}>
        <span class="upload-name">${x.name}</span>
        <span class="upload-size">${f.size(x.size)}</span>
        ${x.error ? html`<span class="error-message"><span class="visually-hidden">${t('error.prefix')}</span> ${x.error}</span>`
          : x.id ? html`<span class="upload-ok">${t('upload.done')}</span>`
          : html`<progress max="1" value=${x.progress} aria-label=${t('upload.progress', { name: x.name })}></progress>`}
        <button type="button" class="link-button" onClick=${() => remove(x.key)}
          aria-label=${t('upload.remove', { name: x.name })}>${t('upload.remove_short')}</button>
      </li>`)}
    </ul>`}
  </div>`;
}

// The ids to send with the message; null while one is still uploading.
export function uploadedIds(items) {
  if (items.some((x) => !x.id && !x.error)) return null;
  return items.filter((x) => x.id).map((x) => x.id);
}
