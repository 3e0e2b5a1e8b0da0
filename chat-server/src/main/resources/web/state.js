// What the page knows: its elements, the connection, and every room and conversation.

import { Unread, position } from './unread.js';

export const $ = (id) => document.getElementById(id);
export const ui = {
  login: $('login'), loginForm: $('login-form'), loginNick: $('login-nick'),
  loginPassword: $('login-password'), loginRegister: $('login-register'),
  loginConnect: $('login-connect'), loginError: $('login-error'),
  app: $('app'), title: $('title'), topic: $('topic'), status: $('status'), notify: $('notify'),
  rooms: $('rooms'), privates: $('privates'), joinForm: $('join-form'), joinInput: $('join-input'),
  me: $('me'), meAccount: $('me-account'), log: $('log'), composer: $('composer'),
  input: $('composer-input'), members: $('members'), memberList: $('member-list'),
  membersNote: $('members-note'), typing: $('typing'), listEveryone: $('list-everyone'),
  sidebar: $('sidebar'), toggleRooms: $('toggle-rooms'), toggleMembers: $('toggle-members'),
  menu: $('menu'), dialog: $('password-dialog'), dialogForm: $('password-form'),
  dialogTitle: $('password-title'), dialogFields: $('password-fields'),
  dialogError: $('password-error'), dialogCancel: $('password-cancel'),
};

export const HISTORY_PAGE = 50;
export const NICK_COLOURS = 12;

/** Names compare ignoring ASCII case, as on the server. */
export const fold = (name) => name.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** One room or private conversation and what the page knows of it. */
export class Conversation {
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
    this.quiet = false; // rooms: too many people to hear of arrivals; members on demand
    this.typing = new Map(); // folded nick -> {nick, until}: who is typing here (typing.js)
    this.count = 0; // rooms: how many people, as the server last said
    this.listed = false; // rooms: quiet, and everyone was listed on demand
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

export const state = {
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
  limits: null, // the welcome's limits (max-file-bytes...)
};

export const isMe = (nick) => state.nick != null && fold(nick) === fold(state.nick);

/** A folded nick -> member map from a frame's lists (members, ops, voiced). */
export function memberMap(l) {
  const ops = new Set((l.ops || []).map(fold));
  const voiced = new Set((l.voiced || []).map(fold));
  return new Map((l.members || []).map((n) => [fold(n), { nick: n, op: ops.has(fold(n)), voiced: voiced.has(fold(n)) }]));
}

/** A reply's lists (members, ops, voiced, rooms): in its JSON content. */
export function lists(reply) {
  return reply.json || reply.header;
}
