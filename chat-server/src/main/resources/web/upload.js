// Sharing files (docs/PROTOCOL.md, "Files"): from the Attach button, a drop on the
// conversation or a pasted image. The SHA-256 comes first (crypto.subtle up to 32 MiB, in
// pieces beyond, so a large file is never held whole); then the chunks go over the WebSocket
// with at most the server's window unconfirmed, so chat goes on between them; after a lost
// connection the upload goes on from what the server has. A row shows each one's progress.

import { ChatError } from './connection.js';
import { Sha256 } from './sha256.js';
import { $, state, ui } from './state.js';
import { info } from './view.js';
import { bytes } from './files.js';

/** Up to this size crypto.subtle hashes the file in one buffer; larger ones go in pieces. */
const SUBTLE_MAX = 32 * 1024 * 1024;
const HASH_PIECE = 4 * 1024 * 1024;
/** The file is read this much at a time and sent a chunk at a time from that. */
const READ_AHEAD = 1024 * 1024;

const fileInput = $('file-input');
const attach = $('attach');
const uploads = $('uploads');

/** The SHA-256 of a File (or Blob), lower-case hex; onProgress(fraction) while it reads. */
export async function sha256(file, onProgress = () => {}) {
  if (globalThis.crypto && crypto.subtle && file.size <= SUBTLE_MAX) {
    const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  }
  const hash = new Sha256();
  for (let at = 0; at < file.size; at += HASH_PIECE) {
    hash.update(new Uint8Array(await file.slice(at, at + HASH_PIECE).arrayBuffer()));
    onProgress(Math.min(1, (at + HASH_PIECE) / file.size));
  }
  return hash.hex();
}

/** A media type the server takes: lower-case type/subtype, else application/octet-stream. */
function mediaType(file) {
  const type = (file.type || '').split(';')[0].trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(type)
    ? type : 'application/octet-stream';
}

/** A row under the messages: the file's name and a progress bar, while it goes up. */
function progressRow(name, conv) {
  const li = document.createElement('li');
  li.className = 'upload';
  const label = document.createElement('span');
  label.className = 'upload-name';
  label.textContent = `${name} → ${conv.label}`;
  const bar = document.createElement('progress');
  bar.max = 1;
  bar.value = 0;
  const status = document.createElement('span');
  status.className = 'upload-status';
  li.append(label, bar, status);
  uploads.appendChild(li);
  uploads.hidden = false;
  return {
    set(what, fraction) {
      bar.value = fraction;
      status.textContent = `${what} ${Math.floor(fraction * 100)}%`;
      bar.setAttribute('aria-label', `${name}: ${what} ${Math.floor(fraction * 100)}%`);
    },
    remove() {
      li.remove();
      uploads.hidden = uploads.children.length === 0;
    },
  };
}

/** Shares files with the conversation in view, one after the other. */
export async function share(files) {
  const conv = state.current;
  if (!conv) return;
  for (const file of files) await upload(file, conv);
}

/** Shares one file with a room or person; failures are shown in the conversation. */
export async function upload(file, conv) {
  const max = state.limits && state.limits['max-file-bytes'];
  if (max && file.size > max) {
    info(conv, `${file.name} is ${bytes(file.size)}; the server takes files up to ${bytes(max)}`, 'error');
    return;
  }
  if (file.size === 0) {
    info(conv, `${file.name} is empty: nothing to share`, 'error');
    return;
  }
  if (!state.ready) {
    info(conv, 'not connected; wait for the reconnect', 'error');
    return;
  }
  const row = progressRow(file.name, conv);
  try {
    row.set('checking', 0);
    const sha = await sha256(file, (f) => row.set('checking', f));
    const target = conv.kind === 'room' ? { room: conv.name } : { to: conv.name };
    const ready = await state.conn.request({
      type: 'upload', ...target, name: file.name, size: file.size, 'media-type': mediaType(file), sha256: sha,
    });
    await sendResuming(ready, file, row);
  } catch (e) {
    info(conv, `could not share ${file.name}: ${e.message}`, 'error');
  } finally {
    row.remove();
  }
}

/** Sends the chunks; after a lost connection, goes on from what the server has (three times). */
async function sendResuming(ready, file, row) {
  let reply = ready;
  for (let attempt = 0; ; attempt++) {
    try {
      return await send(reply.header, file, row);
    } catch (e) {
      if (e instanceof ChatError || attempt >= 3) throw e;
      row.set('waiting for the connection', 0);
      await connected(60000);
      reply = await state.conn.request({ type: 'upload', file: reply.header.file });
    }
  }
}

function connected(withinMs) {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const check = () => {
      if (state.ready) resolve();
      else if (Date.now() - start > withinMs) reject(new Error('the connection did not come back'));
      else setTimeout(check, 250);
    };
    check();
  });
}

/** Chunks from the server's offset, at most `window` unconfirmed; resolves with the last reply. */
async function send(h, file, row) {
  const id = h.file;
  const size = h.size;
  const chunk = Math.max(1, h['chunk-bytes'] || 65536);
  const window = Math.max(1, h.window || 8);
  let offset = h.offset || 0;
  let confirmed = offset;
  let inFlight = 0;
  let failed = null;
  let wake = null;
  let last = null;
  let block = null; // bytes read ahead from the file, from blockStart
  let blockStart = 0;
  row.set('sending', confirmed / size);
  while (offset < size && !failed) {
    while (inFlight >= window && !failed) await new Promise((resolve) => { wake = resolve; });
    if (failed) break;
    const end = Math.min(size, offset + chunk);
    if (!block || end > blockStart + block.length) {
      blockStart = offset;
      block = new Uint8Array(await file.slice(offset, Math.min(size, offset + READ_AHEAD)).arrayBuffer());
    }
    const piece = block.subarray(offset - blockStart, end - blockStart);
    const reply = state.conn.request({ type: 'chunk', file: id, offset, 'content-type': 'application/octet-stream' }, piece);
    inFlight++;
    reply.then(() => {
      confirmed = Math.max(confirmed, end);
      row.set('sending', confirmed / size);
    }, (e) => {
      failed = failed || e;
    }).finally(() => {
      inFlight--;
      if (wake) {
        const w = wake;
        wake = null;
        w();
      }
    });
    last = reply;
    offset = end;
  }
  if (failed) throw failed;
  if (!last) throw new Error('the server has the whole file already');
  return last;
}

attach.addEventListener('click', () => fileInput.click());
fileInput.addEventListener('change', () => {
  const files = [...fileInput.files];
  fileInput.value = '';
  share(files);
});

// A drop of files anywhere on the conversation (messages and composer).
const dropZone = ui.log.parentElement;
const carriesFiles = (e) => e.dataTransfer && [...e.dataTransfer.types].includes('Files');
dropZone.addEventListener('dragover', (e) => {
  if (!carriesFiles(e)) return;
  e.preventDefault();
  e.dataTransfer.dropEffect = 'copy';
  ui.log.classList.add('dropping');
});
dropZone.addEventListener('dragleave', (e) => {
  if (!dropZone.contains(e.relatedTarget)) ui.log.classList.remove('dropping');
});
dropZone.addEventListener('drop', (e) => {
  ui.log.classList.remove('dropping');
  if (!carriesFiles(e)) return;
  e.preventDefault();
  share([...e.dataTransfer.files]);
});

// A pasted image (a screenshot has no name of its own: it gets one from the time).
ui.input.addEventListener('paste', (e) => {
  const files = [...(e.clipboardData ? e.clipboardData.files : [])];
  if (files.length === 0) return;
  e.preventDefault();
  const d = new Date();
  const stamp = d.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  share(files.map((f, i) => {
    if (f.name && f.name !== 'image.png') return f;
    const ext = (mediaType(f).split('/')[1] || 'bin').replace('jpeg', 'jpg').replace(/[^a-z0-9]/g, '');
    return new File([f], `pasted-${stamp}${i ? '-' + i : ''}.${ext}`, { type: f.type });
  }));
});

