// The composer: typed lines and commands, and the requests they make.

import { HELP, parse } from './commands.js';
import { HISTORY_PAGE, fold, lists, memberMap, state, ui } from './state.js';
import { composerChanged, setTyping, stopped, typingOn } from './typing.js';
import { info, loadOlder, privateWith, renderHeader, renderMe, renderMembers, renderRooms, room, select, setStatus } from './view.js';

// ------------------------------------------------------------------ composer and commands

ui.input.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    ui.composer.requestSubmit();
  }
});
ui.input.addEventListener('input', () => {
  ui.input.rows = Math.min(6, Math.max(1, ui.input.value.split('\n').length));
  composerChanged();
});
ui.composer.addEventListener('submit', (e) => {
  e.preventDefault();
  const line = ui.input.value;
  if (line.trim() === '') return;
  ui.input.value = '';
  ui.input.rows = 1;
  stopped();
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
export async function run(c) {
  const conv = state.current;
  switch (c.cmd) {
    case 'empty': return;
    case 'help':
      for (const line of HELP) info(conv, line, 'help');
      return;
    case 'invalid':
      info(conv, c.message, 'error');
      return;
    case 'typing':
      if (c.on !== null) setTyping(c.on);
      info(conv, `typing notices are ${typingOn() ? 'on' : 'off'} (/typing on|off)`, 'quiet');
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

/** Waits for a reply; an error is shown where the user is, and null returned. */
export async function attempt(promise, conv) {
  try {
    return await promise;
  } catch (e) {
    info(conv || state.current, e.message, 'error');
    return null;
  }
}

/** Every member of a quiet room, asked for (who): the list as of now, not kept up to date. */
export async function listEveryone(conv) {
  const ok = await state.conn.request({ type: 'who', room: conv.name });
  conv.members = memberMap(lists(ok));
  conv.count = conv.members.size;
  conv.listed = true;
  if (conv === state.current) renderMembers();
}

export async function joinRoom(name, key, { select: show = false, quiet = false } = {}) {
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
  conv.members = memberMap(lists(ok));
  // A quiet room (too many people to hear of each arrival) names only us; who lists everyone.
  conv.quiet = !!h.quiet;
  conv.listed = false;
  conv.count = h['member-count'] ?? conv.members.size;
  if (show || !state.current) select(conv);
  else if (conv === state.current) {
    renderHeader();
    renderMembers();
  }
  if (!quiet && h.topic) info(conv, `topic: ${h.topic}`, 'quiet');
  renderRooms();
  return conv;
}

// ------------------------------------------------------------------ password dialog

/**
 * Asks for passwords in a modal dialog; resolves with them, or null if cancelled. With
 * {@code confirm}, the last field must repeat the one before it; {@code minIndex} is the
 * first field that must have at least 8 characters.
 */
export function askPasswords(title, fields, confirm, minIndex = 0) {
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
