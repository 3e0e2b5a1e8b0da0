// The page: the message log, the side panels, the member menu.

import { ChatError } from './connection.js';
import { Conversation, HISTORY_PAGE, NICK_COLOURS, fold, isMe, state, ui } from './state.js';
import { mentions } from './events.js';
import { run } from './run.js';
import { markRead } from './reading.js';
import { fileNode } from './files.js';

export function room(name, create = true) {
  let conv = state.rooms.get(fold(name));
  if (!conv && create) {
    conv = new Conversation('room', name);
    state.rooms.set(conv.key, conv);
  }
  return conv;
}

export function privateWith(nick, create = true) {
  let conv = state.privates.get(fold(nick));
  if (!conv && create) {
    conv = new Conversation('private', nick);
    conv.more = state.account ? null : false;
    state.privates.set(conv.key, conv);
    renderPrivates();
  }
  return conv;
}

// ------------------------------------------------------------------ the message log

/** Puts an entry in its place (messages by seq or time; notes at the end) and on the page. */
export function insert(conv, entry) {
  const entries = conv.entries;
  let index = entries.length;
  if (entry.type === 'msg') {
    let lastMsg = -1;
    for (let i = entries.length - 1; i >= 0; i--) {
      if (entries[i].type === 'msg') {
        lastMsg = i;
        break;
      }
    }
    if (lastMsg >= 0 && entries[lastMsg].order > entry.order) {
      index = entries.findIndex((e) => e.type === 'msg' && e.order > entry.order);
    }
  }
  entries.splice(index, 0, entry);
  if (entries.length > 5000) entries.splice(0, entries.length - 5000);
  if (conv !== state.current) return;
  const node = nodeFor(entry);
  const next = entries[index + 1];
  const log = ui.log;
  if (next && next.node && next.node.parentNode === log) {
    const height = log.scrollHeight;
    const top = log.scrollTop;
    log.insertBefore(node, next.node);
    log.scrollTop = top + (log.scrollHeight - height); // what was in view stays in view
  } else {
    const atBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
    log.appendChild(node);
    if (atBottom || entry.own) log.scrollTop = log.scrollHeight;
  }
}

export function info(conv, text, cls = '') {
  const target = conv || state.current;
  if (!target) return;
  insert(target, { type: 'info', ts: Date.now(), text, cls });
}

export const two = (n) => String(n).padStart(2, '0');

export function nickClass(nick) {
  let hash = 0;
  for (const c of fold(nick)) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return 'nick-c' + (hash % NICK_COLOURS);
}

export function nodeFor(entry) {
  if (entry.node) return entry.node;
  const row = document.createElement('div');
  row.className = 'entry ' + (entry.type === 'msg' ? 'msg' : 'info');
  if (entry.cls) row.classList.add(entry.cls);
  const d = new Date(entry.ts);
  const time = document.createElement('time');
  time.dateTime = d.toISOString();
  const today = new Date().toDateString() === d.toDateString();
  time.textContent = (entry.history && !today
    ? `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ` : '')
    + `${two(d.getHours())}:${two(d.getMinutes())}`;
  time.title = d.toLocaleString();
  row.appendChild(time);
  if (entry.type === 'msg') {
    if (entry.history) row.classList.add('history');
    if (entry.mention && entry.type === 'msg' && !entry.own) row.classList.add('mention');
    if (entry.own) row.classList.add('own');
    const nick = document.createElement('span');
    nick.className = 'nick ' + nickClass(entry.from);
    nick.textContent = entry.action ? '* ' + entry.from : entry.from;
    row.appendChild(nick);
    if (entry.action) row.classList.add('action');
  }
  if (entry.file) {
    row.classList.add('shared-file');
    row.appendChild(fileNode(entry.file));
  } else {
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = entry.text; // text, never HTML
    row.appendChild(text);
  }
  entry.node = row;
  return row;
}

export function renderLog() {
  const conv = state.current;
  ui.log.replaceChildren(...(conv ? conv.entries.map(nodeFor) : []));
  ui.log.scrollTop = ui.log.scrollHeight;
}

ui.log.addEventListener('scroll', () => {
  if (ui.log.scrollTop < 80) loadOlder(state.current);
});

/** The page of history before the oldest message shown (scrolling up, /history). */
export async function loadOlder(conv, limit = HISTORY_PAGE, announce = false) {
  if (!conv || conv.loading || conv.more === false || !state.ready) return;
  if (conv.kind === 'room' && !conv.joined) return;
  const oldest = conv.oldest();
  const req = { type: 'history', limit };
  if (conv.kind === 'room') {
    if (oldest === 1) {
      conv.more = false;
      if (announce) info(conv, 'no older messages', 'quiet');
      return;
    }
    req.room = conv.name;
    if (oldest != null) req.before = oldest;
  } else {
    if (!state.account) {
      conv.more = false;
      if (announce) info(conv, 'private history is kept for accounts only (/register or /login)', 'quiet');
      return;
    }
    req.with = conv.name;
    if (oldest != null) req['before-msgid'] = oldest;
  }
  conv.loading = true;
  try {
    const ok = await state.conn.request(req);
    conv.more = !!ok.header.more;
    if (announce) {
      info(conv, `${ok.header.count} older message${ok.header.count === 1 ? '' : 's'}; ${conv.more ? 'more remain (/history again)' : 'no more'}`, 'quiet');
    }
  } catch (e) {
    if (announce || e instanceof ChatError) info(conv, `history: ${e.message}`, 'error');
    if (e instanceof ChatError) conv.more = false;
  } finally {
    conv.loading = false;
  }
}

// ------------------------------------------------------------------ the side panels

export function select(conv) {
  state.current = conv;
  markRead(conv);
  renderRooms();
  renderPrivates();
  renderHeader();
  renderMembers();
  renderLog();
  updateTitle();
  closePanels();
  if (conv.kind === 'private' && conv.more === null && conv.entries.length === 0) loadOlder(conv);
  // A short room: fill the view so that scrolling up has something to ask for.
  if (conv.kind === 'room' && conv.more === null) {
    requestAnimationFrame(() => {
      if (state.current === conv && ui.log.scrollHeight <= ui.log.clientHeight) loadOlder(conv);
    });
  }
}

export function conversationItem(conv) {
  const li = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'conversation-button';
  if (conv === state.current) button.setAttribute('aria-current', 'true');
  if (conv.kind === 'room' && !conv.joined) button.classList.add('parted');
  const name = document.createElement('span');
  name.className = 'name';
  name.textContent = conv.label;
  button.appendChild(name);
  if (conv.unread > 0) {
    const badge = document.createElement('span');
    const more = conv.reads.more ? '+' : '';
    // Every private message is for us: a mention count there would say nothing more.
    const mentions = conv.kind === 'room' ? conv.reads.mentions : 0;
    badge.className = 'unread' + (conv.mentioned ? ' mentioned' : '');
    badge.textContent = conv.unread + more + (mentions ? ` @${mentions}${more}` : '');
    badge.setAttribute('aria-label', `${conv.unread}${more} unread`
      + (mentions ? `, ${mentions}${more} mentioning you` : ''));
    button.appendChild(badge);
  }
  button.addEventListener('click', () => select(conv));
  li.appendChild(button);
  return li;
}

export function renderRooms() {
  ui.rooms.replaceChildren(...[...state.rooms.values()]
    .filter((c) => c.joined || c.wanted || c === state.current)
    .map(conversationItem));
}

export function renderPrivates() {
  ui.privates.replaceChildren(...[...state.privates.values()].map(conversationItem));
}

export function renderHeader() {
  const conv = state.current;
  ui.title.textContent = conv ? conv.label : 'chat';
  ui.topic.textContent = conv && conv.kind === 'room' ? conv.topic : conv ? 'private conversation' : '';
  ui.input.placeholder = conv ? `Message ${conv.label} (/help for commands)` : '';
}

export function renderMe() {
  ui.me.textContent = state.nick || '';
  ui.meAccount.textContent = state.account ? ' (logged in)' : ' (guest)';
}

export function amOp(conv) {
  const me = state.nick && conv ? conv.members.get(fold(state.nick)) : null;
  return !!(me && me.op);
}

export function renderMembers() {
  const conv = state.current;
  if (!conv || conv.kind !== 'room') {
    ui.memberList.replaceChildren();
    return;
  }
  const members = [...conv.members.values()].sort((a, b) =>
    (b.op - a.op) || (b.voiced - a.voiced) || fold(a.nick).localeCompare(fold(b.nick)));
  ui.memberList.replaceChildren(...members.map((m) => {
    const li = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'member ' + nickClass(m.nick);
    button.setAttribute('aria-haspopup', 'menu');
    const prefix = m.op ? '@' : m.voiced ? '+' : '';
    button.textContent = prefix + m.nick;
    if (m.op) button.setAttribute('aria-label', `${m.nick}, operator`);
    button.addEventListener('click', () => openMenu(button, conv, m.nick));
    button.addEventListener('contextmenu', (e) => {
      e.preventDefault();
      openMenu(button, conv, m.nick);
    });
    li.appendChild(button);
    return li;
  }));
  // A quiet room's list holds who was asked for (or only us): the count is the server's.
  ui.members.querySelector('h2').textContent = `Members (${conv.quiet ? conv.count : members.length})`;
  ui.membersNote.hidden = !conv.quiet;
  ui.listEveryone.hidden = !conv.quiet;
  ui.membersNote.textContent = conv.listed
    ? 'A big room: this list is as of when it was asked for.'
    : 'A big room: arrivals and departures are not shown.';
  ui.listEveryone.textContent = conv.listed ? 'List again' : 'List everyone';
}

export function updateTitle() {
  let unread = 0;
  for (const c of [...state.rooms.values(), ...state.privates.values()]) unread += c.unread;
  document.title = (unread ? `(${unread}) ` : '') + (state.current ? state.current.label + ' – ' : '') + 'chat';
}

export function setStatus(text) {
  ui.status.textContent = text;
}

// ------------------------------------------------------------------ member menu

export function openMenu(anchor, conv, nick) {
  const items = [];
  if (!isMe(nick)) items.push(['Message privately', () => { select(privateWith(nick)); ui.input.focus(); }]);
  if (amOp(conv)) {
    const m = conv.members.get(fold(nick)) || {};
    items.push(['Kick', () => run({ cmd: 'kick', room: conv.name, nick, reason: null })]);
    items.push(['Ban', () => run({ cmd: 'moderate', what: 'ban', room: conv.name, target: nick, reason: null })]);
    items.push(['Mute', () => run({ cmd: 'moderate', what: 'mute', room: conv.name, target: nick, reason: null })]);
    items.push([m.op ? 'Remove operator' : 'Make operator',
      () => run({ cmd: 'moderate', what: m.op ? 'deop' : 'op', room: conv.name, target: nick, reason: null })]);
  }
  if (items.length === 0) return;
  ui.menu.replaceChildren(...items.map(([label, action]) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.setAttribute('role', 'menuitem');
    b.textContent = label;
    b.addEventListener('click', () => {
      closeMenu();
      action();
    });
    return b;
  }));
  ui.menu.setAttribute('aria-label', `Actions for ${nick}`);
  const r = anchor.getBoundingClientRect();
  ui.menu.hidden = false;
  const top = Math.min(r.bottom, window.innerHeight - ui.menu.offsetHeight - 4);
  const left = Math.min(r.left, window.innerWidth - ui.menu.offsetWidth - 4);
  ui.menu.style.top = `${Math.max(0, top)}px`;
  ui.menu.style.left = `${Math.max(0, left)}px`;
  ui.menu.anchor = anchor;
  ui.menu.querySelector('button').focus();
}

export function closeMenu() {
  if (ui.menu.hidden) return;
  ui.menu.hidden = true;
  if (ui.menu.anchor && document.body.contains(ui.menu.anchor)) ui.menu.anchor.focus();
}

ui.menu.addEventListener('keydown', (e) => {
  const items = [...ui.menu.querySelectorAll('button')];
  const i = items.indexOf(document.activeElement);
  if (e.key === 'Escape' || e.key === 'Tab') {
    e.preventDefault();
    closeMenu();
  } else if (e.key === 'ArrowDown') {
    e.preventDefault();
    items[(i + 1) % items.length].focus();
  } else if (e.key === 'ArrowUp') {
    e.preventDefault();
    items[(i - 1 + items.length) % items.length].focus();
  }
});
document.addEventListener('click', (e) => {
  if (!ui.menu.hidden && !ui.menu.contains(e.target) && e.target !== ui.menu.anchor) closeMenu();
});

export function togglePanel(panel, button) {
  const open = !panel.classList.contains('open');
  closePanels();
  if (open) {
    panel.classList.add('open');
    button.setAttribute('aria-expanded', 'true');
    const first = panel.querySelector('button, input');
    if (first) first.focus();
  }
}

export function closePanels() {
  for (const [panel, button] of [[ui.sidebar, ui.toggleRooms], [ui.members, ui.toggleMembers]]) {
    panel.classList.remove('open');
    button.setAttribute('aria-expanded', 'false');
  }
}
