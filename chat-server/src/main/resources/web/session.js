// The connection's life: logging in, saying hello again after a drop (a guest with its
// resume token), and rejoining rooms with what was missed.

import { ChatError, Connection } from './connection.js';
import { MAX_HISTORY } from './commands.js';
import { state, ui } from './state.js';
import { onEvent } from './events.js';
import { info, renderMe, renderRooms, room, setStatus } from './view.js';
import { attempt, joinRoom } from './run.js';
import { refreshMarkers } from './reading.js';

// ------------------------------------------------------------------ login

ui.loginForm.addEventListener('submit', (e) => {
  e.preventDefault();
  start({ register: false });
});
ui.loginRegister.addEventListener('click', () => start({ register: true }));

export function start({ register }) {
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

export function loginFailed(message) {
  if (state.conn) state.conn.stop();
  state.conn = null;
  state.pendingLogin = null;
  ui.loginError.textContent = message;
  ui.loginConnect.disabled = false;
  ui.loginRegister.disabled = false;
  ui.loginPassword.value = '';
}

/** Says hello on a fresh socket: first as asked on the login form, later to resume. */
export async function hello() {
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

export async function welcomed(welcome, first) {
  state.nick = welcome.header.nick;
  state.account = welcome.header.account || null;
  state.resumeToken = welcome.header['resume-token'] || null;
  state.limits = welcome.header.limits || null;
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

export function onDown({ willRetry, inMs }) {
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
export async function restore() {
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
export async function fillGap(conv) {
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

export function showApp() {
  ui.login.hidden = true;
  ui.app.hidden = false;
  if ('Notification' in window && Notification.permission === 'default') ui.notify.hidden = false;
  ui.input.focus();
}
