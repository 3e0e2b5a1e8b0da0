// What is unread in one room or conversation, and how far it was read (docs/PROTOCOL.md, "Read
// markers"). Positions are a room's seq, or a private message's id read as a base-36 number
// (ids only grow). The server's count after the account's marker covers entries up to
// `counted`; live messages of others after both are added here. A guest has no server count:
// only what arrived live since it last looked.

export const position = (msgid) => (msgid ? parseInt(msgid, 36) : 0);

export class Unread {
  constructor() {
    this.marker = 0;
    this.counted = 0;
    this.server = { unread: 0, mentions: 0, more: false };
    this.live = new Map(); // position -> mentions us
    this.sent = 0; // the position last sent to the server as read
  }

  /** The server's count after the marker at `marker`, up to `upTo`. */
  setCounted(marker, upTo, unread, mentions, more) {
    const fresh = marker >= this.marker;
    this.marker = Math.max(this.marker, marker);
    this.counted = upTo;
    this.server = fresh ? { unread, mentions, more } : { unread: 0, mentions: 0, more: false };
    const floor = Math.max(this.marker, upTo);
    for (const p of this.live.keys()) if (p <= floor) this.live.delete(p);
  }

  /** A live message of someone else, not looked at. */
  arrived(at, mention) {
    if (at > Math.max(this.marker, this.counted)) this.live.set(at, mention);
  }

  /** The marker moved (another device); true when the server's count must be asked again. */
  marked(at) {
    if (at <= this.marker) return false;
    this.marker = at;
    for (const p of this.live.keys()) if (p <= at) this.live.delete(p);
    if (at >= this.counted) {
      this.server = { unread: 0, mentions: 0, more: false };
      return false;
    }
    return this.server.unread > 0;
  }

  /** Looked at: everything up to `newest` is read. */
  read(newest) {
    this.marker = Math.max(this.marker, newest);
    this.server = { unread: 0, mentions: 0, more: false };
    this.live.clear();
  }

  get unread() {
    return this.server.unread + this.live.size;
  }

  get mentions() {
    let n = this.server.mentions;
    for (const m of this.live.values()) if (m) n++;
    return n;
  }

  get more() {
    return this.server.more;
  }
}
