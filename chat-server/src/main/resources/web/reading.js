// Read markers and unread counts (docs/PROTOCOL.md, "Read markers").

import { ChatError } from './connection.js';
import { position } from './unread.js';
import { fold, lists, state } from './state.js';
import { info, privateWith, renderPrivates, renderRooms, room, updateTitle } from './view.js';

// ------------------------------------------------------------------ read markers

/** Asks for the account's markers and what is unread after each (logged in only). */
export async function refreshMarkers() {
  if (!state.account || !state.ready) return;
  try {
    const ok = await state.conn.request({ type: 'markers' });
    for (const m of lists(ok).markers || []) {
      if (m.room) {
        room(m.room).reads.setCounted(m.seq, Math.max(m.seq, m['last-seq'] || 0), m.unread || 0, m.mentions || 0, !!m.more);
      } else if (m.with) {
        if (!m.unread && !state.privates.has(fold(m.with))) continue;
        const p = position(m.msgid);
        privateWith(m.with).reads.setCounted(p, p, m.unread || 0, m.mentions || 0, !!m.more);
      }
    }
  } catch (e) {
    if (e instanceof ChatError) info(null, `unread counts: ${e.message}`, 'quiet');
    return;
  }
  if (state.current && !document.hidden) markRead(state.current);
  renderRooms();
  renderPrivates();
  updateTitle();
}

/** Another connection of the account read up to here. */
export function onMarker(h) {
  const conv = h.room ? room(h.room, false) : privateWith(h.with, !!state.privates.has(fold(h.with || '')));
  if (!conv) return;
  if (conv.reads.marked(h.room ? h.seq : position(h.msgid))) refreshMarkers();
  renderRooms();
  renderPrivates();
  updateTitle();
}

/** What is shown of `conv` is read: locally at once, on the server for the account. */
export function markRead(conv) {
  const newest = conv.newest();
  conv.reads.read(newest);
  if (!state.account || !state.ready || newest <= conv.reads.sent) return;
  conv.reads.sent = newest;
  let req;
  if (conv.kind === 'room') {
    req = { type: 'mark', room: conv.name, seq: newest };
  } else {
    const msgid = [...conv.msgids].find((id) => position(id) === newest);
    req = { type: 'mark', with: conv.name, msgid };
  }
  state.conn.request(req).catch(() => { conv.reads.sent = 0; });
}

/** The room in view got a line: marks it read within a second, not once per line. */
export function markSoon(conv) {
  if (conv.markTimer) return;
  conv.markTimer = setTimeout(() => {
    conv.markTimer = null;
    if (conv === state.current && !document.hidden) markRead(conv);
  }, 1000);
}
