// The browser client. Everything a person sends or receives is put on the page as text
// (textContent), never parsed as HTML; the page's CSP allows no inline script besides.

import { ChatError, Connection } from './connection.js';
import { HELP, MAX_HISTORY, parse } from './commands.js';
import { Unread, position } from './unread.js';

const $ = (id) => document.getElementById(id);
const ui = {
  login: $('login'), loginForm: $('login-form'), loginNick: $('login-nick'),
  loginPassword: $('login-password'), loginRegister: $('login-register'),
  loginConnect: $('login-connect'), loginError: $('login-error'),
  app: $('app'), title: $('title'), topic: $('topic'), status: $('status'), notify: $('notify'),
  rooms: $('rooms'), privates: $('privates'), joinForm: $('join-form'), joinInput: $('join-input'),
  me: $('me'), meAccount: $('me-account'), log: $('log'), composer: $('composer'),
  input: $('composer-input'), members: $('members'), memberList: $('member-list'),
  sidebar: $('sidebar'), toggleRooms: $('toggle-rooms'), toggleMembers: $('toggle-members'),
  menu: $('menu'), dialog: $('password-dialog'), dialogForm: $('password-form'),
  dialogTitle: $('password-title'), dialogFields: $('password-fields'),
  dialogError: $('password-error'), dialogCancel: $('password-cancel'),
};

const HISTORY_PAGE = 50;
const NICK_COLOURS = 12;

/** Names compare ignoring ASCII case, as on the server. */
const fold = (name) => name.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** One room or private conversation and what the page knows of it. */
class Conversation {
  constructor(kind, name) {
    this.kind = kind; // 'room' | 'private'
    this.name = name;
    this.key = fold(name);
    this.entries = [];
    this.seqs = new Set();
    this.msgids = new Set();
    this.reads = new Unread();
    this.more = null; // older history: null unknown, true, false
    this.loading = false;
    this.members = new Map(); // folded nick -> {nick, op, voiced}
    this.topic = '';
    this.joined = false; // rooms: a member now
    this.wanted = false; // rooms: rejoin after a reconnect
    this.roomKey = null; // the +k key it was joined with
    this.seqBeforeDrop = 0; // rooms: the highest seq seen before the connection dropped
  }

  get unread() {
    return this.reads.unread;
  }

  get mentioned() {
    return this.reads.mentions > 0;
  }

  /** Where reading it stops now: the newest seq (a room) or message id (private) seen. */
  newest() {
    if (this.kind === 'room') return this.highestSeq();
    let max = 0;
    for (const id of this.msgids) max = Math.max(max, position(id));
    return max;
  }

  get label() {
    return this.kind === 'room' ? '#' + this.name : this.name;
  }

  /** The lowest room seq or oldest private msgid loaded. */
  oldest() {
    const first = this.entries.find((e) => e.type === 'msg');
    return first ? (this.kind === 'room' ? first.seq : first.msgid) : null;
  }

  highestSeq() {
    let max = 0;
    for (const s of this.seqs) if (s > max) max = s;
    return max;
  }
}

const state = {
  conn: null,
  nick: null,
  account: null,
  password: null, // kept in memory only, to log in again after a reconnect
  wantedNick: null,
  established: false, // a welcome was received on some connection
  ready: false, // the current connection has said hello
  rooms: new Map(),
  privates: new Map(),
  current: null,
  killed: false,
};

// ------------------------------------------------------------------ login

ui.loginForm.addEventListener('submit', (e) => {
  e.preventDefault();
  start({ register: false });
});
ui.loginRegister.addEventListener('click', () => start({ register: true }));

function start({ register }) {
  const nick = ui.loginNick.value.trim();
  const password = ui.loginPassword.value;
  ui.loginError.textContent = '';
  if (register && (nick === '' || password.length < 8)) {
    ui.loginError.textContent = 'To register, choose a nick and a password of at least 8 characters.';
    return;
  }
  ui.loginConnect.disabled = true;
  ui.loginRegister.disabled = true;
  state.wantedNick = nick || null;
  state.pendingLogin = { register, password };
  state.lastError = null;
  state.killed = false;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  state.conn = new Connection(`${scheme}//${location.host}/ws`, {
    onOpen: hello,
    onFrame: onEvent,
    onDown: onDown,
  });
  state.conn.connect();
}

function loginFailed(message) {
  if (state.conn) state.conn.stop();
  state.conn = null;
  state.pendingLogin = null;
  ui.loginError.textContent = message;
  ui.loginConnect.disabled = false;
  ui.loginRegister.disabled = false;
  ui.loginPassword.value = '';
}

/** Says hello on a fresh socket: first as asked on the login form, later to resume. */
async function hello() {
  state.ready = false;
  const first = !state.established;
  const login = state.pendingLogin;
  const attempts = [];
  if (first) {
    const withPassword = login && !login.register && login.password;
    attempts.push({ nick: state.wantedNick, password: withPassword ? login.password : null });
  } else if (state.account && state.password) {
    attempts.push({ nick: state.account, password: state.password });
    attempts.push({ nick: state.nick + '_', password: null });
  } else {
    const nick = state.nick || state.wantedNick;
    if (nick) {
      // The old connection may still hold the nick until the server notices it is gone.
      attempts.push({ nick, password: null }, { nick: nick + '_', password: null },
        { nick: nick + '__', password: null });
    }
    attempts.push({ nick: null, password: null });
  }
  for (const attempt of attempts) {
    const frame = { type: 'hello', version: 1, client: 'chat-web/0.1' };
    if (attempt.nick) frame.nick = attempt.nick;
    if (attempt.password) frame.password = attempt.password;
    // A guest asks for a token, and comes back with it: the same nick and rooms (a short drop).
    else frame.resume = state.resumeToken || '';
    try {
      const welcome = await state.conn.request(frame);
      await welcomed(welcome, first);
      return;
    } catch (e) {
      if (!(e instanceof ChatError)) return; // the socket went; onDown retries
      if (first) {
        loginFailed(e.message);
        return;
      }
      if (attempt.password && e.code !== 'nick-in-use') {
        state.account = null;
        state.password = null;
        info(null, `could not log in again as ${attempt.nick} (${e.message}); continuing as a guest`, 'error');
      }
    }
  }
}

async function welcomed(welcome, first) {
  state.nick = welcome.header.nick;
  state.account = welcome.header.account || null;
  state.resumeToken = welcome.header['resume-token'] || null;
  state.ready = true;
  state.conn.established();
  if (first) {
    const login = state.pendingLogin;
    state.pendingLogin = null;
    if (state.account && login && login.password) state.password = login.password;
    state.established = true;
    showApp();
    if (login && login.register) {
      try {
        const ok = await state.conn.request({ type: 'register', password: login.password });
        state.account = ok.header.account;
        state.password = login.password;
        info(null, `registered ${state.account}; you are logged in`);
      } catch (e) {
        info(null, `could not register: ${e.message}`, 'error');
      }
    }
    ui.loginPassword.value = '';
    // The server joined us to its default room; the join's reply names the members.
    joinRoom('lobby', null, { quiet: false }).catch((e) => info(null, `lobby: ${e.message}`, 'error'));
  } else {
    setStatus('');
    info(null, 'connected again', 'quiet');
    await restore();
  }
  refreshMarkers();
  renderMe();
}

function onDown({ willRetry, inMs }) {
  const wasReady = state.ready;
  state.ready = false;
  if (!state.established) {
    if (state.pendingLogin) loginFailed(state.lastError || 'Could not reach the server.');
    return;
  }
  if (wasReady || !state.resume) {
    // What to restore: the rooms wanted when the connection was lost (not a failed retry's).
    state.resume = [...state.rooms.values()].filter((c) => c.wanted);
  }
  for (const conv of state.rooms.values()) {
    if (conv.joined) conv.seqBeforeDrop = Math.max(conv.seqBeforeDrop, conv.highestSeq());
    conv.joined = false;
  }
  if (willRetry && !state.killed) {
    setStatus(`connection lost; reconnecting in ${Math.round(inMs / 1000)} s`);
  } else {
    setStatus('disconnected');
  }
  renderRooms();
}

/** After a reconnect: rejoin the rooms and fetch what was missed, by seq. */
async function restore() {
  const rooms = state.resume || [];
  state.resume = null;
  if (!rooms.some((c) => c.key === 'lobby')) {
    state.conn.request({ type: 'leave', room: 'lobby' }).catch(() => {});
  }
  await Promise.all(rooms.map(async (conv) => {
    try {
      await joinRoom(conv.name, conv.roomKey, { quiet: true });
      await fillGap(conv);
    } catch (e) {
      info(conv, `could not rejoin ${conv.label}: ${e.message}`, 'error');
    }
  }));
}

/** Fetches the messages between the last one seen before the drop and the replay. */
async function fillGap(conv) {
  const since = conv.seqBeforeDrop;
  if (since <= 0) return;
  for (let round = 0; round < 20; round++) {
    const top = conv.highestSeq();
    let missing = 0;
    for (let s = top; s > since; s--) {
      if (!conv.seqs.has(s)) {
        missing = s;
        break;
      }
    }
    if (missing === 0) break;
    let lowMissing = missing;
    while (lowMissing - 1 > since && !conv.seqs.has(lowMissing - 1)) lowMissing--;
    const limit = Math.min(MAX_HISTORY, missing - lowMissing + 1);
    await state.conn.request({ type: 'history', room: conv.name, before: missing + 1, limit });
  }
  conv.seqBeforeDrop = 0;
}

function showApp() {
  ui.login.hidden = true;
  ui.app.hidden = false;
  if ('Notification' in window && Notification.permission === 'default') ui.notify.hidden = false;
  ui.input.focus();
}

// ------------------------------------------------------------------ events

function onEvent(frame) {
  const h = frame.header;
  switch (h.type) {
    case 'message': return onRoomMessage(frame);
    case 'privmsg': return onPrivateMessage(frame);
    case 'joined': return onJoined(h);
    case 'left': return onLeft(h);
    case 'quit': return onQuit(h);
    case 'nick': return onNick(h);
    case 'topic': return onTopic(h);
    case 'mode': return onMode(h);
    case 'kicked': return onKicked(h);
    case 'marker': return onMarker(h);
    case 'invited':
      return info(null, `${h.by} invites you to #${h.room} (/join ${h.room})`);
    case 'killed':
      state.killed = true;
      state.conn.stop();
      setStatus('disconnected by an admin');
      return info(null, `${h.by} disconnected you from the server: ${h.reason}`, 'error');
    case 'notice':
      return info(h.room ? state.rooms.get(fold(h.room)) : null, frame.text, 'notice');
    case 'error':
      if (!state.established) state.lastError = h.message || h.code; // said before closing
      return info(null, `${h.message || h.code}`, 'error');
    case 'ok': case 'welcome': case 'pong':
      return undefined;
    default:
      return undefined;
  }
}

function room(name, create = true) {
  let conv = state.rooms.get(fold(name));
  if (!conv && create) {
    conv = new Conversation('room', name);
    state.rooms.set(conv.key, conv);
  }
  return conv;
}

function privateWith(nick, create = true) {
  let conv = state.privates.get(fold(nick));
  if (!conv && create) {
    conv = new Conversation('private', nick);
    conv.more = state.account ? null : false;
    state.privates.set(conv.key, conv);
    renderPrivates();
  }
  return conv;
}

const isMe = (nick) => state.nick != null && fold(nick) === fold(state.nick);

function mentions(text) {
  if (!state.nick) return false;
  const escaped = state.nick.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_\\-\\[\\]{}\\\\|^])${escaped}($|[^A-Za-z0-9_\\-\\[\\]{}\\\\|^])`, 'i').test(text);
}

function onRoomMessage(frame) {
  const h = frame.header;
  const conv = room(h.room);
  if (conv.seqs.has(h.seq)) return;
  conv.seqs.add(h.seq);
  const own = isMe(h.from);
  const entry = {
    type: 'msg', seq: h.seq, msgid: h.msgid, order: h.seq, ts: h.ts, from: h.from,
    text: frame.text, action: h.kind === 'action', history: !!h.history, own,
    mention: !own && mentions(frame.text),
  };
  insert(conv, entry);
  if (!entry.history) arrived(conv, entry, `${h.from} in #${conv.name}`);
  else if (conv === state.current && !document.hidden) markSoon(conv);
}

function onPrivateMessage(frame) {
  const h = frame.header;
  const other = isMe(h.from) ? h.to : h.from;
  const conv = privateWith(other);
  if (conv.msgids.has(h.msgid)) return;
  conv.msgids.add(h.msgid);
  const own = isMe(h.from);
  const entry = {
    type: 'msg', msgid: h.msgid, order: h.ts, ts: h.ts, from: h.from, text: frame.text,
    action: h.kind === 'action', history: !!h.history, own, mention: !own,
  };
  insert(conv, entry);
  if (!entry.history) arrived(conv, entry, `${h.from} (private)`);
  else if (conv === state.current && !document.hidden) markSoon(conv);
}

/** A live message: unread counts, and a notification when the page is not being looked at. */
function arrived(conv, entry, title) {
  const looking = conv === state.current && !document.hidden;
  if (looking) {
    markSoon(conv);
  } else if (!entry.own) {
    conv.reads.arrived(conv.kind === 'room' ? entry.seq : position(entry.msgid), entry.mention);
    conv.kind === 'room' ? renderRooms() : renderPrivates();
    updateTitle();
  }
  if (entry.mention && document.hidden && 'Notification' in window
      && Notification.permission === 'granted') {
    const n = new Notification(title, { body: entry.text.slice(0, 200), tag: conv.kind + ':' + conv.key });
    n.onclick = () => {
      window.focus();
      select(conv);
      n.close();
    };
  }
}

function onJoined(h) {
  const conv = room(h.room);
  if (isMe(h.nick)) {
    conv.name = h.room;
    conv.joined = true;
    conv.wanted = true;
    if (!state.current) select(conv);
    renderRooms();
    return;
  }
  conv.members.set(fold(h.nick), { nick: h.nick, op: false, voiced: false });
  info(conv, `${h.nick} joined`, 'quiet');
  if (conv === state.current) renderMembers();
}

function onLeft(h) {
  const conv = room(h.room, false);
  if (!conv) return;
  if (isMe(h.nick)) {
    conv.joined = false;
    conv.wanted = false;
    info(conv, `you left ${conv.label}`, 'quiet');
    renderRooms();
    return;
  }
  conv.members.delete(fold(h.nick));
  info(conv, `${h.nick} left${h.reason ? ' (' + h.reason + ')' : ''}`, 'quiet');
  if (conv === state.current) renderMembers();
}

function onQuit(h) {
  for (const conv of state.rooms.values()) {
    if (conv.members.delete(fold(h.nick))) {
      info(conv, `${h.nick} quit${h.reason ? ' (' + h.reason + ')' : ''}`, 'quiet');
    }
  }
  renderMembers();
}

function onNick(h) {
  const mine = state.nick != null && fold(h.old) === fold(state.nick);
  if (mine) {
    state.nick = h.nick;
    renderMe();
  }
  for (const conv of state.rooms.values()) {
    const m = conv.members.get(fold(h.old));
    if (m) {
      conv.members.delete(fold(h.old));
      conv.members.set(fold(h.nick), { ...m, nick: h.nick });
      info(conv, mine ? `you are now known as ${h.nick}` : `${h.old} is now known as ${h.nick}`, 'quiet');
    }
  }
  renderMembers();
}

function onTopic(h) {
  const conv = room(h.room);
  conv.topic = h.topic;
  info(conv, h.topic ? `${h.by} set the topic: ${h.topic}` : `${h.by} cleared the topic`);
  if (conv === state.current) renderHeader();
}

function onMode(h) {
  const conv = room(h.room);
  const changes = (h.changes || []).map((c) => c.mode + (c.arg != null ? ' ' + c.arg : ''));
  for (const c of h.changes || []) {
    const letter = c.mode[1];
    if ((letter === 'o' || letter === 'v') && c.arg) {
      const m = conv.members.get(fold(c.arg));
      if (m) m[letter === 'o' ? 'op' : 'voiced'] = c.mode[0] === '+';
    }
  }
  info(conv, `${h.by || 'the server'} sets ${changes.join(' ')}${h.reason ? ' (' + h.reason + ')' : ''}`, 'quiet');
  if (conv === state.current) renderMembers();
}

function onKicked(h) {
  const conv = room(h.room);
  if (isMe(h.nick)) {
    conv.joined = false;
    conv.wanted = false;
    info(conv, `you were removed from ${conv.label} by ${h.by}${h.reason ? ': ' + h.reason : ''}`, 'error');
    renderRooms();
  } else {
    conv.members.delete(fold(h.nick));
    info(conv, `${h.nick} was removed by ${h.by}${h.reason ? ': ' + h.reason : ''}`, 'quiet');
  }
  if (conv === state.current) renderMembers();
}

// ------------------------------------------------------------------ the message log

/** Puts an entry in its place (messages by seq or time; notes at the end) and on the page. */
function insert(conv, entry) {
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

function info(conv, text, cls = '') {
  const target = conv || state.current;
  if (!target) return;
  insert(target, { type: 'info', ts: Date.now(), text, cls });
}

const two = (n) => String(n).padStart(2, '0');

function nickClass(nick) {
  let hash = 0;
  for (const c of fold(nick)) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return 'nick-c' + (hash % NICK_COLOURS);
}

function nodeFor(entry) {
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
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = entry.text; // text, never HTML
  row.appendChild(text);
  entry.node = row;
  return row;
}

function renderLog() {
  const conv = state.current;
  ui.log.replaceChildren(...(conv ? conv.entries.map(nodeFor) : []));
  ui.log.scrollTop = ui.log.scrollHeight;
}

ui.log.addEventListener('scroll', () => {
  if (ui.log.scrollTop < 80) loadOlder(state.current);
});

/** The page of history before the oldest message shown (scrolling up, /history). */
async function loadOlder(conv, limit = HISTORY_PAGE, announce = false) {
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

function select(conv) {
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

function conversationItem(conv) {
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

function renderRooms() {
  ui.rooms.replaceChildren(...[...state.rooms.values()]
    .filter((c) => c.joined || c.wanted || c === state.current)
    .map(conversationItem));
}

function renderPrivates() {
  ui.privates.replaceChildren(...[...state.privates.values()].map(conversationItem));
}

function renderHeader() {
  const conv = state.current;
  ui.title.textContent = conv ? conv.label : 'chat';
  ui.topic.textContent = conv && conv.kind === 'room' ? conv.topic : conv ? 'private conversation' : '';
  ui.input.placeholder = conv ? `Message ${conv.label} (/help for commands)` : '';
}

function renderMe() {
  ui.me.textContent = state.nick || '';
  ui.meAccount.textContent = state.account ? ' (logged in)' : ' (guest)';
}

function amOp(conv) {
  const me = state.nick && conv ? conv.members.get(fold(state.nick)) : null;
  return !!(me && me.op);
}

function renderMembers() {
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
  ui.members.querySelector('h2').textContent = `Members (${members.length})`;
}

function updateTitle() {
  let unread = 0;
  for (const c of [...state.rooms.values(), ...state.privates.values()]) unread += c.unread;
  document.title = (unread ? `(${unread}) ` : '') + (state.current ? state.current.label + ' – ' : '') + 'chat';
}

function setStatus(text) {
  ui.status.textContent = text;
}

// ------------------------------------------------------------------ member menu

function openMenu(anchor, conv, nick) {
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

function closeMenu() {
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

// ------------------------------------------------------------------ composer and commands

ui.input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    ui.composer.requestSubmit();
  }
});
ui.input.addEventListener('input', () => {
  ui.input.rows = Math.min(6, Math.max(1, ui.input.value.split('\n').length));
});
ui.composer.addEventListener('submit', (e) => {
  e.preventDefault();
  const line = ui.input.value;
  if (line.trim() === '') return;
  ui.input.value = '';
  ui.input.rows = 1;
  run(parse(line));
});

ui.joinForm.addEventListener('submit', (e) => {
  e.preventDefault();
  const name = ui.joinInput.value.trim();
  if (name === '') return;
  ui.joinInput.value = '';
  run({ cmd: 'join', room: name.replace(/^#/, ''), key: null });
});

/** Carries out a parsed command; failures are shown in the conversation. */
async function run(c) {
  const conv = state.current;
  switch (c.cmd) {
    case 'empty': return;
    case 'help':
      for (const line of HELP) info(conv, line, 'help');
      return;
    case 'invalid':
      info(conv, c.message, 'error');
      return;
    case 'quit':
      await attempt(state.conn.request({ type: 'quit', ...(c.reason ? { reason: c.reason } : {}) }));
      state.conn.stop();
      setStatus('you left the chat; reload the page to come back');
      return;
    default:
  }
  if (!state.ready) {
    info(conv, 'not connected; wait for the reconnect', 'error');
    return;
  }
  const roomOf = (name) => name || (conv && conv.kind === 'room' ? conv.name : null);
  const needRoom = (name) => {
    const r = roomOf(name);
    if (!r) info(conv, 'this needs a room: switch to one, or put #ROOM first', 'error');
    return r;
  };
  switch (c.cmd) {
    case 'say':
    case 'me': {
      if (!conv) return;
      const type = c.cmd === 'me' ? 'action' : conv.kind === 'room' ? 'msg' : 'privmsg';
      const target = conv.kind === 'room' ? { room: conv.name } : { to: conv.name };
      await attempt(state.conn.request({ type, ...target }, c.text), conv);
      return;
    }
    case 'msg': {
      const p = privateWith(c.nick);
      const ok = await attempt(state.conn.request({ type: 'privmsg', to: c.nick }, c.text), conv);
      if (ok) select(p);
      return;
    }
    case 'nick':
      await attempt(state.conn.request({ type: 'nick', nick: c.nick }), conv);
      return;
    case 'join':
      try {
        await joinRoom(c.room, c.key, { select: true });
      } catch (e) {
        info(conv, `could not join #${c.room}: ${e.message}`, 'error');
      }
      return;
    case 'leave': {
      const r = needRoom(c.room);
      if (!r) return;
      await attempt(state.conn.request({ type: 'leave', room: r, ...(c.reason ? { reason: c.reason } : {}) }), conv);
      return;
    }
    case 'rooms': {
      const ok = await attempt(state.conn.request({ type: 'rooms' }), conv);
      if (ok) {
        const list = (lists(ok).rooms || []).map((r) => `#${r.room} (${r.members})`).join(', ');
        info(conv, `rooms: ${list || 'none'}`);
      }
      return;
    }
    case 'who': {
      const r = needRoom(c.room);
      if (!r) return;
      const ok = await attempt(state.conn.request({ type: 'who', room: r }), conv);
      if (ok) {
        const l = lists(ok);
        const ops = new Set((l.ops || []).map(fold));
        const voiced = new Set((l.voiced || []).map(fold));
        const names = (l.members || []).map((n) => (ops.has(fold(n)) ? '@' : voiced.has(fold(n)) ? '+' : '') + n);
        info(conv, `#${ok.header.room}: ${names.join(' ')}`);
      }
      return;
    }
    case 'history':
      if (c.nick) {
        const p = privateWith(c.nick);
        select(p);
        await loadOlder(p, c.limit || HISTORY_PAGE, true);
      } else if (conv) {
        await loadOlder(conv, c.limit || HISTORY_PAGE, true);
      }
      return;
    case 'register': {
      const pw = await askPasswords(`Register ${state.nick}`, [
        ['New password', 'new-password'], ['The same again', 'new-password']], true);
      if (!pw) return;
      const ok = await attempt(state.conn.request({ type: 'register', password: pw[0] }), conv);
      if (ok) {
        state.account = ok.header.account;
        state.password = pw[0];
        info(conv, `registered ${state.account}; you are logged in`);
        renderMe();
      }
      return;
    }
    case 'login': {
      const account = c.account || state.nick;
      const pw = await askPasswords(`Log in as ${account}`, [['Password', 'current-password']], false);
      if (!pw) return;
      const ok = await attempt(state.conn.request({ type: 'login', account, password: pw[0] }), conv);
      if (ok) {
        state.account = ok.header.account;
        state.nick = ok.header.nick;
        state.password = pw[0];
        info(conv, `logged in as ${state.account}`);
        renderMe();
      }
      return;
    }
    case 'passwd': {
      if (!state.account) {
        info(conv, 'log in first (/login, or /register your nick)', 'error');
        return;
      }
      const pw = await askPasswords('Change your password', [
        ['Current password', 'current-password'], ['New password', 'new-password'],
        ['The new one again', 'new-password']], true, 1);
      if (!pw) return;
      const ok = await attempt(state.conn.request({ type: 'passwd', 'old-password': pw[0], 'new-password': pw[1] }), conv);
      if (ok) {
        state.password = pw[1];
        info(conv, 'password changed');
      }
      return;
    }
    case 'topic': {
      const r = needRoom(c.room);
      if (!r) return;
      const req = { type: 'topic', room: r };
      if (c.topic !== null) req.topic = c.topic;
      const ok = await attempt(state.conn.request(req), conv);
      if (ok && c.topic === null) {
        info(conv, ok.header.topic ? `topic of #${ok.header.room}: ${ok.header.topic} (set by ${ok.header['topic-by']})` : `#${ok.header.room} has no topic`);
      }
      return;
    }
    case 'kick': {
      const r = needRoom(c.room);
      if (!r) return;
      await attempt(state.conn.request({ type: 'kick', room: r, nick: c.nick, ...(c.reason ? { reason: c.reason } : {}) }), conv);
      return;
    }
    case 'moderate': {
      const r = needRoom(c.room);
      if (!r) return;
      const req = { type: c.what, room: r };
      if (/^account:/i.test(c.target)) req.account = c.target.slice(8);
      else req.nick = c.target;
      if (c.reason) req.reason = c.reason;
      const ok = await attempt(state.conn.request(req), conv);
      if (ok && ['ban', 'unban', 'mute', 'unmute', 'invite'].includes(c.what) && (ok.header.changes || []).length === 0) {
        info(conv, 'nothing changed', 'quiet');
      } else if (ok && c.what === 'invite') {
        info(conv, `invited ${c.target} to #${r}`, 'quiet');
      }
      return;
    }
    case 'mode': {
      const r = needRoom(c.room);
      if (!r) return;
      const req = { type: 'mode', room: r };
      if (c.changes.length) req.changes = c.changes;
      const ok = await attempt(state.conn.request(req), conv);
      if (ok && !c.changes.length) {
        const h = ok.header;
        const parts = [`#${h.room} modes ${h.modes}`];
        if (h.key) parts.push(`key ${h.key}`);
        if (h.limit) parts.push(`limit ${h.limit}`);
        for (const k of ['bans', 'mutes', 'invites']) if ((h[k] || []).length) parts.push(`${k}: ${h[k].join(' ')}`);
        info(conv, parts.join('; '));
      }
      return;
    }
    case 'kill': {
      const ok = await attempt(state.conn.request({ type: 'kill', nick: c.nick, ...(c.reason ? { reason: c.reason } : {}) }), conv);
      if (ok) info(conv, `disconnected ${c.nick} from the server`);
      return;
    }
    default:
      info(conv, `cannot do ${c.cmd} here`, 'error');
  }
}

/** A reply's lists (members, ops, voiced, rooms): in its JSON content. */
function lists(reply) {
  return reply.json || reply.header;
}

/** Waits for a reply; an error is shown where the user is, and null returned. */
async function attempt(promise, conv) {
  try {
    return await promise;
  } catch (e) {
    info(conv || state.current, e.message, 'error');
    return null;
  }
}

async function joinRoom(name, key, { select: show = false, quiet = false } = {}) {
  const req = { type: 'join', room: name };
  if (key) req.key = key;
  const ok = await state.conn.request(req);
  const h = ok.header;
  const conv = room(h.room);
  conv.name = h.room;
  conv.joined = true;
  conv.wanted = true;
  conv.roomKey = key || null;
  conv.topic = h.topic || '';
  const l = lists(ok);
  const ops = new Set((l.ops || []).map(fold));
  const voiced = new Set((l.voiced || []).map(fold));
  conv.members = new Map((l.members || []).map((n) => [fold(n), { nick: n, op: ops.has(fold(n)), voiced: voiced.has(fold(n)) }]));
  if (show || !state.current) select(conv);
  else if (conv === state.current) {
    renderHeader();
    renderMembers();
  }
  if (!quiet && h.topic) info(conv, `topic: ${h.topic}`, 'quiet');
  renderRooms();
  return conv;
}

// ------------------------------------------------------------------ read markers

/** Asks for the account's markers and what is unread after each (logged in only). */
async function refreshMarkers() {
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
function onMarker(h) {
  const conv = h.room ? room(h.room, false) : privateWith(h.with, !!state.privates.has(fold(h.with || '')));
  if (!conv) return;
  if (conv.reads.marked(h.room ? h.seq : position(h.msgid))) refreshMarkers();
  renderRooms();
  renderPrivates();
  updateTitle();
}

/** What is shown of `conv` is read: locally at once, on the server for the account. */
function markRead(conv) {
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
function markSoon(conv) {
  if (conv.markTimer) return;
  conv.markTimer = setTimeout(() => {
    conv.markTimer = null;
    if (conv === state.current && !document.hidden) markRead(conv);
  }, 1000);
}

// ------------------------------------------------------------------ password dialog

/**
 * Asks for passwords in a modal dialog; resolves with them, or null if cancelled. With
 * {@code confirm}, the last field must repeat the one before it; {@code minIndex} is the
 * first field that must have at least 8 characters.
 */
function askPasswords(title, fields, confirm, minIndex = 0) {
  return new Promise((resolve) => {
    ui.dialogTitle.textContent = title;
    ui.dialogError.textContent = '';
    const inputs = fields.map(([label, autocomplete], i) => {
      const id = `password-field-${i}`;
      const l = document.createElement('label');
      l.htmlFor = id;
      l.textContent = label;
      const input = document.createElement('input');
      input.type = 'password';
      input.id = id;
      input.autocomplete = autocomplete;
      return [l, input];
    });
    ui.dialogFields.replaceChildren(...inputs.flat());
    const finish = (value) => {
      ui.dialogForm.onsubmit = null;
      ui.dialogCancel.onclick = null;
      ui.dialog.onclose = null;
      if (ui.dialog.open) ui.dialog.close();
      for (const [, input] of inputs) input.value = '';
      ui.input.focus();
      resolve(value);
    };
    ui.dialogForm.onsubmit = (e) => {
      e.preventDefault();
      const values = inputs.map(([, input]) => input.value);
      if (confirm && values[values.length - 1] !== values[values.length - 2]) {
        ui.dialogError.textContent = 'The passwords differ.';
        return;
      }
      if (values.slice(minIndex).some((v) => v.length < 8)) {
        ui.dialogError.textContent = 'A password has at least 8 characters.';
        return;
      }
      finish(confirm ? values.slice(0, values.length - 1) : values);
    };
    ui.dialogCancel.onclick = () => finish(null);
    ui.dialog.onclose = () => finish(null);
    ui.dialog.showModal();
    inputs[0][1].focus();
  });
}

// ------------------------------------------------------------------ notifications, panels

ui.notify.addEventListener('click', async () => {
  const permission = await Notification.requestPermission();
  ui.notify.hidden = true;
  info(null, permission === 'granted'
    ? 'you will be notified of mentions and private messages while this tab is hidden'
    : 'notifications are off (the browser\'s site settings can turn them on)', 'quiet');
});

document.addEventListener('visibilitychange', () => {
  if (!document.hidden && state.current) {
    markRead(state.current);
    renderRooms();
    renderPrivates();
    updateTitle();
  }
});

function togglePanel(panel, button) {
  const open = !panel.classList.contains('open');
  closePanels();
  if (open) {
    panel.classList.add('open');
    button.setAttribute('aria-expanded', 'true');
    const first = panel.querySelector('button, input');
    if (first) first.focus();
  }
}

function closePanels() {
  for (const [panel, button] of [[ui.sidebar, ui.toggleRooms], [ui.members, ui.toggleMembers]]) {
    panel.classList.remove('open');
    button.setAttribute('aria-expanded', 'false');
  }
}

ui.toggleRooms.addEventListener('click', () => togglePanel(ui.sidebar, ui.toggleRooms));
ui.toggleMembers.addEventListener('click', () => togglePanel(ui.members, ui.toggleMembers));
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') {
    closeMenu();
    closePanels();
  }
});

ui.loginNick.focus();
