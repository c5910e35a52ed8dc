import { createHash } from 'node:crypto';
import { connect as connectTcp, Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { RedisOptions } from 'ioredis';

/** Where to connect: the fields of ioredis's options it needs (build them with redisOptions). */
export type ScriptPipelineTarget = Pick<RedisOptions, 'host' | 'port' | 'db' | 'username' | 'password' | 'tls'>;

/** A RESP2 reply: integers, strings (bulk or simple), nulls and arrays of them. */
export type RespValue = number | string | null | RespValue[];

class RedisReplyError extends Error {
  override name = 'RedisReplyError';
}

interface Pending {
  resolve: (value: RespValue) => void;
  reject: (error: Error) => void;
  sentAt: number;
  /** numkeys, keys and args of a script call: sent again as EVAL when Redis lost the script */
  scriptCall?: string[];
}

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 2000;

/**
 * One pipelined Redis connection that runs one Lua script: the hot path's key check. ioredis
 * spends ~16 µs of CPU on each such call (command objects, argument conversion, its general
 * parser, auto-pipelining's bookkeeping); this spends ~3 (50 calls in flight, same machine),
 * which is about a sixth of the gateway's CPU per API call. It writes every call of a tick in one
 * write and reads RESP2 replies in order. Everything else keeps using ioredis.
 *
 * Calls fail at once with "Connection is closed" while Redis is unreachable (the caller answers
 * 503), and the connection comes back by itself. A call unanswered for `timeoutMs` closes the
 * connection, failing what is in flight rather than letting it hang.
 */
export class ScriptPipeline {
  private readonly sha: string;
  private socket?: Socket;
  private ready = false;
  private closed = false;
  private readonly inFlight: Pending[] = [];
  private head = 0;
  private outgoing: string[] = [];
  private flushScheduled = false;
  private buffer = '';
  private reconnectDelay = RECONNECT_MIN_MS;
  private readonly watchdog: NodeJS.Timeout;

  constructor(private readonly target: ScriptPipelineTarget, private readonly lua: string, private readonly timeoutMs = 2000) {
    this.sha = createHash('sha1').update(lua).digest('hex');
    this.connect();
    this.watchdog = setInterval(() => this.checkTimeouts(), Math.max(50, Math.floor(timeoutMs / 4)));
    this.watchdog.unref();
  }

  /** EVALSHA of the script, falling back to EVAL when Redis does not have it cached. */
  run(keys: readonly string[], args: readonly (string | number)[]): Promise<RespValue> {
    if (!this.ready) return Promise.reject(new Error('Connection is closed: Redis is unreachable'));
    const scriptCall = [String(keys.length), ...keys, ...args.map(String)];
    return new Promise((resolve, reject) => {
      this.inFlight.push({ resolve, reject, sentAt: Date.now(), scriptCall });
      this.send(command(['EVALSHA', this.sha, ...scriptCall]));
    });
  }

  close(): void {
    this.closed = true;
    clearInterval(this.watchdog);
    this.socket?.destroy();
  }

  private connect(): void {
    const { host = '127.0.0.1', port = 6379, tls } = this.target;
    const socket = tls ? connectTls({ host, port, servername: host, ...tls }) : connectTcp({ host, port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.setEncoding('latin1'); // one char per byte, so RESP's byte lengths index the string
    socket.on('data', (chunk: string) => this.receive(chunk));
    socket.on('error', () => undefined); // 'close' follows and does the work
    socket.on('close', () => this.lost(socket));
    socket.once(tls ? 'secureConnect' : 'connect', () => void this.handshake(socket));
  }

  private async handshake(socket: Socket): Promise<void> {
    const { username, password, db } = this.target;
    const steps: string[][] = [];
    if (password) steps.push(username ? ['AUTH', username, password] : ['AUTH', password]);
    if (db) steps.push(['SELECT', String(db)]);
    try {
      for (const step of steps) await this.internal(step);
      this.ready = socket === this.socket;
      this.reconnectDelay = RECONNECT_MIN_MS;
    } catch {
      socket.destroy();
    }
  }

  private internal(args: string[]): Promise<RespValue> {
    return new Promise((resolve, reject) => {
      this.inFlight.push({ resolve, reject, sentAt: Date.now() });
      this.send(command(args));
    });
  }

  private send(data: string): void {
    this.outgoing.push(data);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // After every socket callback of this loop turn: one write for all the calls they made.
    setImmediate(() => {
      this.flushScheduled = false;
      const data = this.outgoing.length === 1 ? this.outgoing[0] : this.outgoing.join('');
      this.outgoing = [];
      this.socket?.write(data, 'utf8');
    });
  }

  private receive(chunk: string): void {
    this.buffer = this.buffer.length === 0 ? chunk : this.buffer + chunk;
    let at = 0;
    try {
      while (at < this.buffer.length) {
        const parsed = parseReply(this.buffer, at);
        if (!parsed) break;
        at = parsed.end;
        this.settle(parsed.value);
      }
    } catch {
      this.socket?.destroy(); // out of step with the server: fail what is in flight, reconnect
      return;
    }
    this.buffer = at === this.buffer.length ? '' : this.buffer.slice(at);
  }

  private settle(value: RespValue | RedisReplyError): void {
    const pending = this.inFlight[this.head];
    this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.inFlight.length) {
      this.inFlight.splice(0, this.head);
      this.head = 0;
    }
    if (!pending) return;
    if (value instanceof RedisReplyError) {
      if (pending.scriptCall && value.message.startsWith('NOSCRIPT')) {
        this.inFlight.push({ ...pending, scriptCall: undefined, sentAt: Date.now() });
        this.send(command(['EVAL', this.lua, ...pending.scriptCall]));
        return;
      }
      pending.reject(value);
      return;
    }
    pending.resolve(value);
  }

  private lost(socket: Socket): void {
    if (socket !== this.socket) return;
    this.ready = false;
    this.socket = undefined;
    this.buffer = '';
    this.outgoing = [];
    const failed = this.inFlight.splice(0).slice(this.head);
    this.head = 0;
    for (const p of failed) p.reject(new Error('Connection is closed: Redis went away during the call'));
    if (this.closed) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(delay * 2, RECONNECT_MAX_MS);
    setTimeout(() => { if (!this.closed) this.connect(); }, delay).unref();
  }

  private checkTimeouts(): void {
    const oldest = this.inFlight[this.head];
    if (oldest && Date.now() - oldest.sentAt > this.timeoutMs) this.socket?.destroy();
  }
}

/** A command in RESP: an array of bulk strings. */
function command(args: readonly string[]): string {
  let out = `*${args.length}\r\n`;
  for (const a of args) out += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
  return out;
}

/** One reply starting at `at`, or undefined when the buffer does not hold all of it yet. */
function parseReply(s: string, at: number): { value: RespValue | RedisReplyError; end: number } | undefined {
  const lineEnd = s.indexOf('\r\n', at);
  if (lineEnd < 0) return undefined;
  const line = s.slice(at + 1, lineEnd);
  const next = lineEnd + 2;
  switch (s[at]) {
    case ':': return { value: Number(line), end: next };
    case '+': return { value: line, end: next };
    case '-': return { value: new RedisReplyError(line), end: next };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, end: next };
      if (s.length < next + length + 2) return undefined;
      return { value: Buffer.from(s.slice(next, next + length), 'latin1').toString('utf8'), end: next + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items: RespValue[] = [];
      let end = next;
      for (let i = 0; i < count; i += 1) {
        const item = parseReply(s, end);
        if (!item) return undefined;
        if (item.value instanceof RedisReplyError) {
          const rest = skipRest(s, item.end, count - i - 1);
          return rest === undefined ? undefined : { value: item.value, end: rest };
        }
        items.push(item.value);
        end = item.end;
      }
      return { value: items, end };
    }
    default:
      throw new Error(`unexpected Redis reply: ${JSON.stringify(s.slice(at, at + 40))}`);
  }
}

function skipRest(s: string, at: number, count: number): number | undefined {
  let end = at;
  for (let i = 0; i < count; i += 1) {
    const item = parseReply(s, end);
    if (!item) return undefined;
    end = item.end;
  }
  return end;
}
