// The composer's /commands: the same as the terminal client's (chat-cli CommandParser), so
// what works in one works in the other. parse() only reads the line; app.js carries it out.

export const MAX_HISTORY = 200;

export const HELP = [
  '/join ROOM [KEY]      join a room (with its KEY if it has one), make it current',
  '/leave [ROOM [REASON]] leave a room (default: the current one)',
  '/who [ROOM]           list the members of a room (default: the current one)',
  '/rooms                list the server\'s rooms',
  '/msg NICK TEXT        send a private message',
  '/me TEXT              act in the current room, e.g. /me waves',
  '/nick NEWNICK         change your nick',
  '/history [N]          N older messages of the current room (repeat for more)',
  '/history NICK [N]     N older private messages with NICK (repeat for more)',
  '/register             register your nick as an account; asks for a password',
  '/login [ACCOUNT]      log in to ACCOUNT, default your nick; asks the password',
  '/passwd               change your password (old once, new twice)',
  '/topic [TEXT | -]     show the current room\'s topic, set it, or clear it with -',
  '/kick NICK [REASON]   remove someone from the current room',
  '/ban NICK [REASON]    ban from the current room (NICK\'s account if logged in)',
  '/unban NICK           lift a ban (NICK or account:NAME; /ban takes both too)',
  '/mute NICK [REASON]   let someone read but not speak in the current room',
  '/unmute NICK          lift a mute',
  '/op NICK              make a member an operator of the current room',
  '/deop NICK            take operator status away',
  '/invite NICK          invite someone to the current room (passes +i, +k and +l)',
  '/mode [+-MODES ARGS]  show or change modes: +i, +k KEY, -k, +l N, +m, +t, +v NICK, +b/+q/+I NICK',
  '/kill NICK [REASON]   disconnect someone from the server (server admins)',
  '/typing [on|off]      show and send "is typing" notices, or not (default on)',
  '/quit [REASON]        leave the chat',
  '/help                 this list',
  '/topic to /mode act on the current room; put #ROOM first for another room',
  'text without a leading / goes to the current conversation; //text sends /text',
  'Enter sends, Shift+Enter starts a new line',
];

const LETTERS = 'iklmnstovbqI';

function takesArgument(letter, add) {
  if (letter === 'k' || letter === 'l') return add;
  return 'ovbqI'.includes(letter);
}

/** {@code +ik-m} and its arguments as [{mode, arg}]; throws naming what is wrong. */
export function parseModes(modes, args) {
  if (!modes || (modes[0] !== '+' && modes[0] !== '-')) {
    throw new Error('modes start with + or -, e.g. +i or -k');
  }
  const changes = [];
  let add = true;
  let next = 0;
  for (const c of modes) {
    if (c === '+' || c === '-') {
      add = c === '+';
      continue;
    }
    if (!LETTERS.includes(c)) {
      throw new Error(`unknown mode ${c} (known: ${LETTERS})`);
    }
    const change = { mode: (add ? '+' : '-') + c };
    if (takesArgument(c, add)) {
      if (next >= args.length) throw new Error(`${add ? '+' : '-'}${c} needs an argument`);
      change.arg = args[next++];
    }
    changes.push(change);
  }
  if (changes.length === 0) throw new Error('no mode letter after the sign');
  if (next < args.length) throw new Error(`too many arguments for ${modes}`);
  return changes;
}

const words = (s) => s.trim().split(/\s+/).filter((w) => w.length > 0);
const room = (typed) => (typed.startsWith('#') ? typed.slice(1) : typed);
const usage = (u) => ({ cmd: 'invalid', message: 'usage: ' + u });
const oneWord = (s) => s.length > 0 && !/\s/.test(s) && s !== '#';

function splitFirst(s) {
  const m = /\s/.exec(s);
  return m ? [s.slice(0, m.index), s.slice(m.index + 1).trim()] : [s, null];
}

/** An optional leading #ROOM (nicks never start with '#'), and the rest. */
function roomFirst(args) {
  if (!args.startsWith('#') || args === '#') return [null, args];
  const [first, rest] = splitFirst(args);
  return [room(first), rest ?? ''];
}

function targeted(args, use, reasoned, make) {
  const [r, rest] = roomFirst(args);
  if (rest === '') return usage(use);
  const [target, reason] = splitFirst(rest);
  if (reason !== null && !reasoned) return usage(use);
  return make(r, target, reason);
}

/** Turns a typed line into {cmd, ...}; 'say' for plain text. */
export function parse(line) {
  const text = line.replace(/[\r\n]+$/, '');
  if (text.trim() === '') return { cmd: 'empty' };
  if (!text.startsWith('/')) return { cmd: 'say', text };
  if (text.startsWith('//')) return { cmd: 'say', text: text.slice(1) };
  const body = text.slice(1).trim();
  const [rawName, restOrNull] = splitFirst(body);
  const name = rawName.toLowerCase();
  const args = restOrNull ?? '';
  switch (name) {
    case 'help': case '?':
      return { cmd: 'help' };
    case 'nick':
      return oneWord(args) ? { cmd: 'nick', nick: args } : usage('/nick NEWNICK');
    case 'join': case 'j': {
      const w = words(args);
      if (w.length === 0 || w.length > 2 || w[0] === '#') return usage('/join ROOM [KEY]');
      return { cmd: 'join', room: room(w[0]), key: w[1] ?? null };
    }
    case 'leave': case 'part': {
      if (args === '') return { cmd: 'leave', room: null, reason: null };
      const [r, reason] = splitFirst(args);
      return { cmd: 'leave', room: room(r), reason };
    }
    case 'rooms': case 'list':
      return args === '' ? { cmd: 'rooms' } : usage('/rooms');
    case 'who': case 'names':
      if (args === '') return { cmd: 'who', room: null };
      return oneWord(args) ? { cmd: 'who', room: room(args) } : usage('/who [ROOM]');
    case 'msg': case 'query': {
      const [nick, rest] = splitFirst(args);
      if (!rest) return usage('/msg NICK TEXT');
      return { cmd: 'msg', nick, text: rest };
    }
    case 'me':
      return args === '' ? usage('/me TEXT') : { cmd: 'me', text: args };
    case 'typing':
      if (args === '') return { cmd: 'typing', on: null };
      if (args === 'on' || args === 'off') return { cmd: 'typing', on: args === 'on' };
      return usage('/typing [on|off]');
    case 'quit': case 'exit':
      return { cmd: 'quit', reason: args === '' ? null : args };
    case 'register':
      return args === '' ? { cmd: 'register' }
        : usage('/register (the password is asked for, never typed on the command line)');
    case 'login':
      if (args === '') return { cmd: 'login', account: null };
      return oneWord(args) ? { cmd: 'login', account: args }
        : usage('/login [ACCOUNT] (the password is asked for)');
    case 'passwd':
      return args === '' ? { cmd: 'passwd' } : usage('/passwd (the passwords are asked for)');
    case 'history': {
      const w = words(args);
      if (w.length > 2) return usage('/history [NICK] [N]');
      let nick = null;
      let limit = 0;
      for (let i = 0; i < w.length; i++) {
        if (/^[0-9]/.test(w[i])) {
          const n = /^\d{1,9}$/.test(w[i]) ? Number(w[i]) : -1;
          if (i !== w.length - 1 || n < 1 || n > MAX_HISTORY) {
            return usage(`/history [NICK] [N], N from 1 to ${MAX_HISTORY}`);
          }
          limit = n;
        } else if (i === 0) {
          nick = w[i];
        } else {
          return usage('/history [NICK] [N]');
        }
      }
      return { cmd: 'history', nick, limit };
    }
    case 'topic': {
      const [r, rest] = roomFirst(args);
      if (rest === '') return { cmd: 'topic', room: r, topic: null };
      return { cmd: 'topic', room: r, topic: rest === '-' ? '' : rest };
    }
    case 'kick':
      return targeted(args, '/kick [#ROOM] NICK [REASON]', true,
        (r, nick, reason) => ({ cmd: 'kick', room: r, nick, reason }));
    case 'ban': case 'unban': case 'mute': case 'unmute': {
      const undo = name.startsWith('un');
      return targeted(args, `/${name} [#ROOM] NICK${undo ? '' : ' [REASON]'}`, !undo,
        (r, target, reason) => ({ cmd: 'moderate', what: name, room: r, target, reason }));
    }
    case 'op': case 'deop': case 'invite':
      return targeted(args, `/${name} [#ROOM] NICK`, false,
        (r, target) => ({ cmd: 'moderate', what: name, room: r, target, reason: null }));
    case 'mode': {
      const [r, rest] = roomFirst(args);
      const w = words(rest);
      if (w.length === 0) return { cmd: 'mode', room: r, changes: [] };
      try {
        return { cmd: 'mode', room: r, changes: parseModes(w[0], w.slice(1)) };
      } catch (e) {
        return { cmd: 'invalid', message: e.message + '; usage: /mode [#ROOM] [+-MODES [ARGS]]' };
      }
    }
    case 'kill': {
      if (args === '') return usage('/kill NICK [REASON]');
      const [nick, reason] = splitFirst(args);
      return { cmd: 'kill', nick, reason };
    }
    case '':
      return { cmd: 'invalid', message: 'a command name must follow the / (/help lists the commands)' };
    default:
      return { cmd: 'invalid', message: `unknown command /${name} (/help lists the commands, //text sends /text)` };
  }
}
