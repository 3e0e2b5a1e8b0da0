// Typing notices (IRCv3 +typing, the native `tags` request): "alice is typing" under the
// messages, and ours sent while the composer has text. Never stored by the server; sent at most
// once every SEND_EVERY ms while typing, `done` when the line is sent or emptied; another's
// notice is dropped after SHOWN_FOR ms without a new one (the IRCv3 rule) or at their message.
// `/typing off` stops both sending and showing, remembered by the browser.

import { fold, isMe, state, ui } from './state.js';

const SEND_EVERY = 3000;
const SHOWN_FOR = 6000;
const SETTING = 'chat.typing';

let sentTo = null; // the conversation our last `active` went to
let sentAt = 0;

export function typingOn() {
  try {
    return localStorage.getItem(SETTING) !== 'off';
  } catch {
    return true;
  }
}

export function setTyping(on) {
  try {
    localStorage.setItem(SETTING, on ? 'on' : 'off');
  } catch {
    // a page without storage keeps the default
  }
  if (!on) {
    stopped();
    for (const conv of [...state.rooms.values(), ...state.privates.values()]) conv.typing.clear();
  }
  renderTyping();
}

function target(conv) {
  return conv.kind === 'room' ? { room: conv.name } : { to: conv.name };
}

function notify(conv, value) {
  if (!state.ready || !state.conn) return;
  state.conn.send({ type: 'tags', ...target(conv), tags: { typing: value } });
}

/** The composer changed: tell the current conversation we type, or that we stopped. */
export function composerChanged() {
  const conv = state.current;
  const text = ui.input.value;
  if (!typingOn() || !conv) return;
  if (text.trim() === '' || text.startsWith('/')) {
    stopped();
    return;
  }
  const now = Date.now();
  if (sentTo !== conv || now - sentAt >= SEND_EVERY) {
    if (sentTo && sentTo !== conv) notify(sentTo, 'done');
    notify(conv, 'active');
    sentTo = conv;
    sentAt = now;
  }
}

/** The line was sent or emptied, or the conversation changed: we are no longer typing. */
export function stopped() {
  if (sentTo) notify(sentTo, 'done');
  sentTo = null;
  sentAt = 0;
}

/** A `tags` event: someone's typing notice in a room or to us. */
export function onTags(h, conv) {
  const value = h.tags && h.tags.typing;
  if (!value || !h.from || isMe(h.from) || !typingOn()) return;
  if (value === 'active') {
    conv.typing.set(fold(h.from), { nick: h.from, until: Date.now() + SHOWN_FOR });
  } else { // paused or done
    conv.typing.delete(fold(h.from));
  }
  renderTyping();
}

/** Someone's message ends their typing notice. */
export function spoke(conv, nick) {
  if (conv.typing.delete(fold(nick))) renderTyping();
}

export function typingLine(conv, now = Date.now()) {
  for (const [key, t] of conv.typing) if (t.until <= now) conv.typing.delete(key);
  const nicks = [...conv.typing.values()].map((t) => t.nick);
  if (nicks.length === 0) return '';
  if (nicks.length === 1) return `${nicks[0]} is typing…`;
  if (nicks.length <= 3) return `${nicks.slice(0, -1).join(', ')} and ${nicks[nicks.length - 1]} are typing…`;
  return 'several people are typing…';
}

export function renderTyping() {
  const line = state.current ? typingLine(state.current) : '';
  if (ui.typing.textContent !== line) ui.typing.textContent = line;
}

setInterval(renderTyping, 500); // notices expire; a switch of conversation shows its own
