/**
 * One conversation with the kernel over the `reactive_kernel` comm: sends requests, matches
 * replies to them by `reply_to`, and hands every message (replies included) to a listener.
 * Knows nothing of JupyterLab: the comm is anything with `send`, so jest drives it with a fake.
 */

import {
  KernelMessage,
  KernelRefusal,
  ProtocolMismatch,
  Request,
  parseKernelMessage
} from './protocol';

/** The part of a Jupyter comm this needs. */
export interface ICommLike {
  send(data: Request): void;
}

/** What the connection tells its owner. */
export interface IConnectionListener {
  /** Every valid message from the kernel, in arrival order (replies too). */
  message(message: KernelMessage): void;
  /** A message that is not protocol 1: shown in the console, never acted on. */
  mismatch?(error: ProtocolMismatch, data: unknown): void;
}

/** The connection was closed before the reply came. */
export class ConnectionClosed extends Error {}

/** Sends requests and routes what the kernel sends back. */
export class ReactiveConnection {
  constructor(comm: ICommLike, listener: IConnectionListener) {
    this._comm = comm;
    this._listener = listener;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Requests sent and not answered yet. */
  get pending(): number {
    return this._pending.size;
  }

  /**
   * Send `request`; the promise resolves with its reply, or rejects with `KernelRefusal` when the
   * kernel answers with an error, or `ConnectionClosed` when the comm goes away first.
   */
  request(request: Request): Promise<KernelMessage> {
    if (this._disposed) {
      return Promise.reject(new ConnectionClosed('the reactive comm is closed'));
    }
    return new Promise<KernelMessage>((resolve, reject) => {
      this._pending.set(request.request_id, { resolve, reject });
      this._comm.send(request);
    });
  }

  /** Send without waiting for the reply (it still reaches the listener). */
  notify(request: Request): void {
    if (!this._disposed) {
      this._comm.send(request);
    }
  }

  /** Feed one comm message's data in (from `comm.onMsg`). */
  receive(data: unknown): void {
    if (this._disposed) {
      return;
    }
    let message: KernelMessage;
    try {
      message = parseKernelMessage(data);
    } catch (error) {
      if (error instanceof ProtocolMismatch) {
        this._listener.mismatch?.(error, data);
        return;
      }
      throw error;
    }
    this._listener.message(message);
    const replyTo = 'reply_to' in message ? message.reply_to : undefined;
    const waiter = replyTo === undefined ? undefined : this._pending.get(replyTo);
    if (replyTo !== undefined && waiter !== undefined) {
      this._pending.delete(replyTo);
      if (message.type === 'error') {
        waiter.reject(new KernelRefusal(message.code, message.message));
      } else {
        waiter.resolve(message);
      }
    }
  }

  /** Close: pending requests reject with `ConnectionClosed`. */
  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    for (const waiter of this._pending.values()) {
      waiter.reject(new ConnectionClosed('the reactive comm closed'));
    }
    this._pending.clear();
  }

  private _comm: ICommLike;
  private _listener: IConnectionListener;
  private _pending = new Map<
    string,
    { resolve: (m: KernelMessage) => void; reject: (e: Error) => void }
  >();
  private _disposed = false;
}
