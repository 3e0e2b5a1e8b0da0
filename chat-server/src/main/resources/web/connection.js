// One WebSocket to the server's /ws, speaking native frames: requests with ids and their
// replies as promises, everything else as events, pings answered, and reconnects with backoff
// after a drop (the app says hello again and restores its rooms).

import { decodeFrame, encodeFrame } from './frames.js';

/** An error frame answering a request. */
export class ChatError extends Error {
  constructor(frame) {
    super(frame.header.message || frame.header.code);
    this.code = frame.header.code;
    this.frame = frame;
  }
}

export class Connection {
  /**
   * handlers: onOpen() when a socket opens (say hello there), onFrame(frame) for every frame
   * that is not only a reply, onDown(info) when the socket is lost, {willRetry, inMs}.
   */
  constructor(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    this.socket = null;
    this.pending = new Map();
    this.nextId = 1;
    this.retries = 0;
    this.stopped = false;
    this.timer = null;
  }

  connect() {
    this.stopped = false;
    clearTimeout(this.timer);
    const socket = new WebSocket(this.url);
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.handlers.onOpen();
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket || !(event.data instanceof ArrayBuffer)) return;
      let frame;
      try {
        frame = decodeFrame(event.data);
      } catch (e) {
        console.warn('unreadable frame from the server', e);
        return;
      }
      this.dispatch(frame);
    };
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.failPending(new Error('connection lost'));
      const willRetry = !this.stopped;
      let inMs = 0;
      if (willRetry) {
        // 0.5 s doubling to 15 s, with jitter so that a restarted server is not stormed.
        inMs = Math.min(15000, 500 * 2 ** Math.min(this.retries, 5)) * (0.75 + Math.random() / 2);
        this.retries++;
        this.timer = setTimeout(() => this.connect(), inMs);
      }
      this.handlers.onDown({ willRetry, inMs });
    };
  }

  /** The session is established (welcome received): the next drop retries quickly again. */
  established() {
    this.retries = 0;
  }

  get open() {
    return this.socket !== null && this.socket.readyState === WebSocket.OPEN;
  }

  dispatch(frame) {
    const h = frame.header;
    if (h.type === 'ping') {
      this.send({ type: 'pong', ...(h.id ? { id: h.id } : {}) });
      return;
    }
    const waiting = h.id != null ? this.pending.get(h.id) : undefined;
    if (waiting) {
      this.pending.delete(h.id);
      if (h.type === 'error') {
        waiting.reject(new ChatError(frame));
        return;
      }
      waiting.resolve(frame);
      // A message confirming one's own msg is also the message itself.
      if (h.type !== 'message' && h.type !== 'privmsg') {
        return;
      }
    }
    this.handlers.onFrame(frame);
  }

  /** Sends a frame; its content is text or bytes (a Uint8Array). */
  send(header, body) {
    if (!this.open) {
      throw new Error('not connected');
    }
    this.socket.send(encodeFrame(header, body));
  }

  /** Sends a request; resolves with its reply frame, rejects with a ChatError. */
  request(header, body) {
    const id = 'w' + this.nextId++;
    return new Promise((resolve, reject) => {
      try {
        this.send({ ...header, id }, body);
      } catch (e) {
        reject(e);
        return;
      }
      this.pending.set(id, { resolve, reject });
    });
  }

  failPending(error) {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) p.reject(error);
  }

  /** Closes for good (quit, killed, logged out): no reconnect. */
  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.socket) {
      this.socket.close(1000);
    }
  }
}
