// Events from the server, each put where it belongs.

import { position } from './unread.js';
import { fold, isMe, lists, memberMap, state } from './state.js';
import { info, insert, privateWith, renderHeader, renderMe, renderMembers, renderPrivates, renderRooms, room, select, setStatus, updateTitle } from './view.js';
import { markSoon, onMarker } from './reading.js';
import { onTags, spoke } from './typing.js';

// ------------------------------------------------------------------ events

export function onEvent(frame) {
  const h = frame.header;
  switch (h.type) {
    case 'message': return onRoomMessage(frame);
    case 'privmsg': return onPrivateMessage(frame);
    case 'joined': return onJoined(h);
    case 'left': return onLeft(h);
    case 'presence': return onPresence(frame);
    case 'quit': return onQuit(h);
    case 'nick': return onNick(h);
    case 'topic': return onTopic(h);
    case 'mode': return onMode(h);
    case 'kicked': return onKicked(h);
    case 'marker': return onMarker(h);
    case 'tags': return onTagEvent(h);
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

function onTagEvent(h) {
  if (h.room) {
    const conv = state.rooms.get(fold(h.room));
    if (conv) onTags(h, conv);
  } else if (h.from && !isMe(h.from)) {
    const conv = state.privates.get(fold(h.from));
    if (conv) onTags(h, conv); // a notice does not open a conversation
  }
}

export function mentions(text) {
  if (!state.nick) return false;
  const escaped = state.nick.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_\\-\\[\\]{}\\\\|^])${escaped}($|[^A-Za-z0-9_\\-\\[\\]{}\\\\|^])`, 'i').test(text);
}

export function onRoomMessage(frame) {
  const h = frame.header;
  const conv = room(h.room);
  if (conv.seqs.has(h.seq)) return;
  conv.seqs.add(h.seq);
  const own = isMe(h.from);
  const entry = {
    type: 'msg', seq: h.seq, msgid: h.msgid, order: h.seq, ts: h.ts, from: h.from,
    text: frame.text, action: h.kind === 'action', history: !!h.history, own,
    mention: !own && mentions(frame.text), file: sharedFile(h),
  };
  insert(conv, entry);
  if (!entry.history) spoke(conv, h.from);
  if (!entry.history) arrived(conv, entry, `${h.from} in #${conv.name}`);
  else if (conv === state.current && !document.hidden) markSoon(conv);
}

export function onPrivateMessage(frame) {
  const h = frame.header;
  const other = isMe(h.from) ? h.to : h.from;
  const conv = privateWith(other);
  if (conv.msgids.has(h.msgid)) return;
  conv.msgids.add(h.msgid);
  const own = isMe(h.from);
  const entry = {
    type: 'msg', msgid: h.msgid, order: h.ts, ts: h.ts, from: h.from, text: frame.text,
    action: h.kind === 'action', history: !!h.history, own, mention: !own, file: sharedFile(h),
  };
  insert(conv, entry);
  if (!entry.history) spoke(conv, h.from);
  if (!entry.history) arrived(conv, entry, `${h.from} (private)`);
  else if (conv === state.current && !document.hidden) markSoon(conv);
}

/** A file message's file (its fields are in the header), or null. */
export function sharedFile(h) {
  if (h.kind !== 'file' || typeof h.file !== 'string') return null;
  return { id: h.file, name: String(h.name || 'file'), size: Number(h.size) || 0, type: String(h['media-type'] || 'application/octet-stream') };
}

/** A live message: unread counts, and a notification when the page is not being looked at. */
export function arrived(conv, entry, title) {
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

export function onJoined(h) {
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
  conv.count = conv.members.size;
  info(conv, `${h.nick} joined`, 'quiet');
  if (conv === state.current) renderMembers();
}

/** A room went quiet (arrivals no longer told; members on demand) or speaks again. */
export function onPresence(frame) {
  const h = frame.header;
  const conv = room(h.room, false);
  if (!conv) return;
  conv.quiet = !!h.quiet;
  conv.count = h['member-count'] ?? conv.count;
  conv.listed = false;
  if (conv.quiet) {
    const me = state.nick ? conv.members.get(fold(state.nick)) : null;
    conv.members = new Map(me ? [[fold(state.nick), me]] : []);
    info(conv, `${conv.label} has ${conv.count} people: arrivals and departures are no longer shown`, 'quiet');
  } else {
    conv.members = memberMap(lists(frame));
    info(conv, `${conv.label} has ${conv.count} people: arrivals and departures are shown again`, 'quiet');
  }
  if (conv === state.current) renderMembers();
}

export function onLeft(h) {
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
  conv.count = conv.members.size;
  info(conv, `${h.nick} left${h.reason ? ' (' + h.reason + ')' : ''}`, 'quiet');
  if (conv === state.current) renderMembers();
}

export function onQuit(h) {
  for (const conv of state.rooms.values()) {
    if (conv.members.delete(fold(h.nick))) {
      info(conv, `${h.nick} quit${h.reason ? ' (' + h.reason + ')' : ''}`, 'quiet');
    }
  }
  renderMembers();
}

export function onNick(h) {
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

export function onTopic(h) {
  const conv = room(h.room);
  conv.topic = h.topic;
  info(conv, h.topic ? `${h.by} set the topic: ${h.topic}` : `${h.by} cleared the topic`);
  if (conv === state.current) renderHeader();
}

export function onMode(h) {
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

export function onKicked(h) {
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
