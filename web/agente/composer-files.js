// The composers' attachments: picked, dropped or pasted (ui/uploader.js),
// uploaded at once, sent as the message's "attachments". A note's files are
// the note's: the server never shows them to the customer nor mails them.
import { useState } from '../vendor/hooks.js';
import { html } from '../html.js';
import { t, loadStrings } from '../i18n.js';
import { Uploader, uploadedIds } from '../ui/uploader.js';

await loadStrings('agente');

// const files = useComposerFiles(); files.ids(): the upload ids to send,
// null while one is still uploading; files.clear() once sent.
export function useComposerFiles() {
  const [items, setItems] = useState([]);
  return { items, setItems, ids: () => uploadedIds(items), clear: () => setItems([]) };
}

export function ComposerFiles({ id, kind, files }) {
  return html`<${Uploader} id=${`${id}-adjuntos`} items=${files.items} setItems=${files.setItems}
    label=${kind === 'note' ? t('live.note_files') : t('live.reply_files')} />`;
}
