// The preview of an article's Markdown as readers will see it: the server
// renders it (POST /kb/preview: the same safe renderer as the public
// page), half a second after the last key; the HTML becomes elements here
// through DOMParser, tag by tag from a fixed list (no innerHTML).
import { useState, useEffect } from '../vendor/hooks.js';
import { h } from '../vendor/preact.js';
import { html } from '../html.js';
import { t } from '../i18n.js';
import { api } from '../api.js';

const TAGS = new Set(['p', 'h2', 'h3', 'h4', 'h5', 'h6', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code', 'em', 'strong',
  'del', 'a', 'img', 'hr', 'br', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'div']);
const ATTRS = new Set(['href', 'src', 'alt', 'title', 'class', 'start', 'loading']);

function toVnode(node, key) {
  if (node.nodeType === 3) return node.data;
  if (node.nodeType !== 1) return null;
  const tag = node.tagName.toLowerCase();
  const kids = [...node.childNodes].map(toVnode);
  if (!TAGS.has(tag)) return kids;
  const props = { key };
  for (const a of node.attributes) if (ATTRS.has(a.name)) props[a.name === 'class' ? 'class' : a.name] = a.value;
  return h(tag, props, ...kids);
}

export function KbPreview({ body, label }) {
  const [nodes, setNodes] = useState(null);
  useEffect(() => {
    if (!body.trim()) { setNodes(null); return undefined; }
    const timer = setTimeout(() => {
      api.post('/kb/preview', { body }).then((out) => {
        const doc = new DOMParser().parseFromString(`<body>${out.html}</body>`, 'text/html');
        setNodes([...doc.body.childNodes].map(toVnode));
      }).catch(() => {});
    }, 500);
    return () => clearTimeout(timer);
  }, [body]);
  return html`<section class="kb-preview" aria-label=${label || t('kbe.preview')}>
    <p class="kb-preview-title" aria-hidden="true">${label || t('kbe.preview')}</p>
    <div class="kb-body">${nodes || html`<p class="hint">${t('kbe.preview_empty')}</p>`}</div>
  </section>`;
}
