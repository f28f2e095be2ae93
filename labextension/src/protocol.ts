/**
 * The reactive_kernel comm protocol, version 1 (docs/protocol.md), on the front end's side.
 *
 * The message types come from `schema.ts`, generated from the JSON Schema that is the protocol's
 * source of truth (reactive_kernel/protocol/schema.json). This module adds what the extension needs
 * at run time: the constants, the list of message types, a light structural check of what the
 * kernel sends (the kernel validates against the full schema before sending; this catches a kernel
 * of another version or a stray message without shipping a schema validator to the browser), and a
 * factory that numbers requests. `__tests__/protocol.spec.ts` checks every table here against
 * schema.json, so that they cannot drift.
 */

import type {
  AbortPlanRequest,
  Change,
  CellRecord,
  EditCellsRequest,
  GetGraphRequest,
  HelloRequest,
  KernelMessage,
  Mode,
  PlanAction,
  Request,
  RequestPlanRequest,
  SetModeRequest,
  SyncNotebookRequest
} from './schema';

export * from './schema';

/** The comm target the kernel registers. */
export const COMM_TARGET = 'reactive_kernel';

/** The protocol version this front end speaks. */
export const PROTOCOL_VERSION = 1;

/** The `implementation` the reactive kernel reports in its kernel_info reply. */
export const KERNEL_IMPLEMENTATION = 'reactive_kernel';

/** Every request type, front end to kernel. */
export const REQUEST_TYPES = [
  'hello',
  'sync_notebook',
  'edit_cells',
  'set_mode',
  'request_plan',
  'abort_plan',
  'get_graph'
] as const;

/**
 * Every kernel message type with the fields it must carry (besides `protocol` and `type`) and the
 * JSON type of each, in schema terms.
 */
export const KERNEL_MESSAGE_FIELDS: Readonly<
  Record<KernelMessage['type'], Readonly<Record<string, JsonType>>>
> = {
  welcome: { reply_to: 'string', kernel_version: 'string', mode: 'string' },
  ack: { reply_to: 'string' },
  error: { code: 'string', message: 'string' },
  cell_states: { states: 'array', complete: 'boolean' },
  graph_snapshot: { cells: 'array', order: 'array', complete: 'boolean' },
  run_plan: { plan_id: 'string', cells: 'array', trigger: 'string' },
  plan_finished: { plan_id: 'string', status: 'string' }
};

/** The JSON types a required field can have. */
export type JsonType = 'string' | 'array' | 'boolean' | 'object';

/** A message the front end could not accept. */
export class ProtocolMismatch extends Error {}

/** A request the kernel refused (an `error` reply). */
export class KernelRefusal extends Error {
  constructor(
    readonly code: string,
    message: string
  ) {
    super(message);
  }
}

/**
 * Check that `data` is a kernel message of protocol 1 with its required fields, and return it
 * typed. Throws `ProtocolMismatch` otherwise.
 */
export function parseKernelMessage(data: unknown): KernelMessage {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ProtocolMismatch('a message must be a JSON object');
  }
  const record = data as Record<string, unknown>;
  if (record.protocol !== PROTOCOL_VERSION) {
    throw new ProtocolMismatch(
      `unsupported protocol ${JSON.stringify(record.protocol)} (this front end speaks ${PROTOCOL_VERSION})`
    );
  }
  const type = record.type;
  if (typeof type !== 'string' || !(type in KERNEL_MESSAGE_FIELDS)) {
    throw new ProtocolMismatch(`unknown message type ${JSON.stringify(type)}`);
  }
  const fields = KERNEL_MESSAGE_FIELDS[type as KernelMessage['type']];
  for (const [name, expected] of Object.entries(fields)) {
    if (jsonType(record[name]) !== expected) {
      throw new ProtocolMismatch(`${type}: $.${name} must be a ${expected}`);
    }
  }
  return record as unknown as KernelMessage;
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) {
    return 'array';
  }
  return value === null ? 'null' : typeof value;
}

/** Builds requests with fresh request ids (`r1`, `r2`, ...). */
export class RequestFactory {
  hello(client: string, mode?: Mode): HelloRequest {
    return mode === undefined
      ? { ...this._head('hello'), client }
      : { ...this._head('hello'), client, mode };
  }

  syncNotebook(cells: CellRecord[]): SyncNotebookRequest {
    return { ...this._head('sync_notebook'), cells };
  }

  editCells(changes: Change[]): EditCellsRequest {
    return { ...this._head('edit_cells'), changes };
  }

  setMode(mode: Mode): SetModeRequest {
    return { ...this._head('set_mode'), mode };
  }

  requestPlan(action: PlanAction, cellIds: string[] = []): RequestPlanRequest {
    return { ...this._head('request_plan'), action, cell_ids: cellIds };
  }

  abortPlan(planId: string): AbortPlanRequest {
    return { ...this._head('abort_plan'), plan_id: planId };
  }

  getGraph(): GetGraphRequest {
    return this._head('get_graph');
  }

  private _head<T extends Request['type']>(type: T): { protocol: 1; type: T; request_id: string } {
    this._count += 1;
    return { protocol: PROTOCOL_VERSION, type, request_id: `r${this._count}` };
  }

  private _count = 0;
}
