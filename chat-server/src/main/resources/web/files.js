// File messages (docs/PROTOCOL.md, "Files"): a thumbnail that opens the image full size, or
// the file's name as a download link with its size, through a signed link asked for with
// `link` and kept until it expires. Names and types go on the page as text only.

import { ChatError } from './connection.js';
import { state, ui } from './state.js';

const LINK_MARGIN_MS = 60 * 1000;
const MAX_LINK_REQUESTS = 4;

/** {@code 512 B}, {@code 2.4 KB}, {@code 2.4 MB}: powers of 1000, as the server writes them. */
export function bytes(n) {
  if (n < 1000) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : v.toFixed(0)} ${units[u]}`;
}

// ------------------------------------------------------------------ links and file messages

const links = new Map(); // file id -> {promise, expires}
const waiting = []; // link requests not yet sent
let asking = 0;

/** The signed path of a file (from the cache until a minute before it expires). */
export function linkFor(id) {
  const cached = links.get(id);
  if (cached && (cached.expires === null || cached.expires - LINK_MARGIN_MS > Date.now())) {
    return cached.promise;
  }
  const entry = { expires: null };
  entry.promise = new Promise((resolve, reject) => {
    waiting.push({ id, resolve, reject });
    pump();
  }).then((h) => {
    entry.expires = h.expires;
    return h.url;
  }, (e) => {
    links.delete(id);
    throw e;
  });
  links.set(id, entry);
  return entry.promise;
}

/** A few link requests at a time: a page of history full of files does not flood. */
function pump() {
  while (asking < MAX_LINK_REQUESTS && waiting.length > 0) {
    const { id, resolve, reject } = waiting.shift();
    asking++;
    const ask = state.ready ? state.conn.request({ type: 'link', file: id })
      : Promise.reject(new Error('not connected'));
    ask.then((ok) => resolve(ok.header), reject).finally(() => {
      asking--;
      pump();
    });
  }
}

/** Asks for the link of each file node once it scrolls into view (or near it). */
const observer = 'IntersectionObserver' in window ? new IntersectionObserver((seen) => {
  for (const s of seen) {
    if (s.isIntersecting) {
      observer.unobserve(s.target);
      resolveNode(s.target);
    }
  }
}, { root: ui.log, rootMargin: '400px 0px' }) : null;

function resolveNode(node, tries = 0) {
  linkFor(node.dataset.file).then((url) => node.fileLinked(url), (e) => {
    if (e instanceof ChatError) {
      node.fileFailed(e.code === 'file-expired' ? 'expired' : 'not available');
    } else if (tries < 5) {
      setTimeout(() => resolveNode(node, tries + 1), 3000); // not connected: try again later
    }
  });
}

const isImage = (f) => /^image\//.test(f.type || '');

/**
 * The content of a file message: a thumbnail that opens the image in a new tab, or the file's
 * name as a download link with its size. The link is filled in once the server gave it.
 */
export function fileNode(f) {
  const node = document.createElement('span');
  node.className = 'text file';
  node.dataset.file = f.id;
  const meta = document.createElement('span');
  meta.className = 'file-meta';
  meta.textContent = `${bytes(f.size)}, ${f.type}`;
  const link = document.createElement('a');
  link.className = 'file-link';
  link.textContent = f.name;
  link.rel = 'noopener noreferrer';
  let img = null;
  if (isImage(f)) {
    const open = document.createElement('a');
    open.className = 'thumb-link';
    open.target = '_blank';
    open.rel = 'noopener noreferrer';
    open.title = `${f.name}: open full size`;
    img = document.createElement('img');
    img.className = 'thumb';
    img.alt = f.name;
    img.decoding = 'async';
    open.appendChild(img);
    link.target = '_blank';
    node.append(open, link, ' ', meta);
    // Not a picture after all (the server serves it as a download): the name stays, as a link.
    img.addEventListener('error', () => open.remove());
    node.fileLinked = (url) => {
      open.href = url;
      img.src = url;
      link.href = url;
    };
  } else {
    link.download = f.name;
    node.append(link, ' ', meta);
    node.fileLinked = (url) => {
      link.href = url;
    };
  }
  node.fileFailed = (why) => {
    if (img && img.parentElement) img.parentElement.remove();
    meta.textContent = `${bytes(f.size)}, ${f.type}: ${why}`;
  };
  // A link past its time is renewed first (the page may have been open for a day).
  node.addEventListener('click', (e) => {
    const a = e.target.closest('a');
    if (!a || !a.href || linkFresh(f.id)) return;
    e.preventDefault();
    linkFor(f.id).then((url) => {
      node.fileLinked(url);
      a.click();
    }, () => node.fileFailed('not available'));
  });
  if (observer) observer.observe(node);
  else resolveNode(node);
  return node;
}

function linkFresh(id) {
  const cached = links.get(id);
  return !!cached && cached.expires !== null && cached.expires - LINK_MARGIN_MS > Date.now();
}
