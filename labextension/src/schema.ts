/* eslint-disable */
/**
 * Generated from reactive_kernel/protocol/schema.json by scripts/generate-types.js (jlpm generate:types). Do not edit by hand.
 */

/**
 * Messages of the reactive_kernel comm, protocol version 1 (docs/protocol.md). This file is the source of truth: the Python dataclasses in reactive_kernel/protocol and the TypeScript types of the lab extension follow it. Every object is closed (additionalProperties: false) so that typos are rejected, except ErrorReply.details.
 */
export type ReactiveMessage = Request | KernelMessage;
/**
 * A message from the front end to the kernel. The kernel answers each with exactly one reply whose reply_to is its request_id: the reply named in the request's description, or an ErrorReply.
 */
export type Request =
  | HelloRequest
  | SyncNotebookRequest
  | EditCellsRequest
  | SetModeRequest
  | RequestPlanRequest
  | AbortPlanRequest
  | GetGraphRequest;
/**
 * The protocol version; a kernel answers any other value with an unsupported_protocol error.
 */
export type ProtocolVersion = 1;
/**
 * Chosen by the sender of a request; the reply carries it back as reply_to.
 */
export type RequestId = string;
/**
 * eager: running a cell runs its downstream too. lazy: the downstream is only marked stale.
 */
export type Mode = 'eager' | 'lazy';
/**
 * A cell's id (JupyterLab's cell id).
 */
export type CellId = string;
export type CellKind = 'code' | 'markdown' | 'raw';
/**
 * One edit of the notebook, tagged by op.
 */
export type Change = UpdateChange | InsertChange | DeleteChange | MoveChange;
export type CellIdList = CellId[];
/**
 * run: the given cells (and what they need); run_stale: every stale cell; run_all: every code cell.
 */
export type PlanAction = 'run' | 'run_stale' | 'run_all';
/**
 * A message from the kernel to the front end: a reply (carries reply_to) or a notification.
 */
export type KernelMessage =
  WelcomeReply | AckReply | ErrorReply | CellStates | GraphSnapshot | RunPlan | PlanFinished;
/**
 * malformed: not a valid message (shape, types, values, duplicate ids). unknown_type: no such message type. unsupported_protocol: protocol is not 1. unknown_cell: a cell id the kernel does not know. invalid_change: an edit that does not fit the notebook (index out of range, id already taken). internal: a bug in the kernel.
 */
export type ErrorCode =
  | 'malformed'
  | 'unknown_type'
  | 'unsupported_protocol'
  | 'unknown_cell'
  | 'invalid_change'
  | 'internal';
/**
 * What the front end shows for a code cell (reactive_kernel/types.py CellState).
 */
export type CellState =
  'fresh' | 'stale' | 'queued' | 'running' | 'error' | 'blocked' | 'graph-error';
/**
 * Python variable names.
 */
export type NameList = string[];
export type GraphErrorKind = 'syntax' | 'star-import' | 'ambiguous' | 'cycle';
/**
 * Cell ids in a meaningful order, each at most once.
 */
export type UniqueCellIdList = CellId[];
/**
 * Why a run plan exists: a request_plan action, or upstream (a cell ran and its downstream cascades), widget (a widget changed a value), file (a watched file changed), delete (eager mode: a deleted cell's readers re-run and meet the missing names).
 */
export type Trigger = 'run' | 'run_stale' | 'run_all' | 'upstream' | 'widget' | 'file' | 'delete';
export type PlanStatus = 'ok' | 'error' | 'aborted';

/**
 * Opens the conversation; the front end will carry out run plans from now on. Reply: WelcomeReply.
 */
export interface HelloRequest {
  protocol: ProtocolVersion;
  type: 'hello';
  request_id: RequestId;
  /**
   * Name and version of the front end, e.g. "jupyterlab-reactive 0.1.0".
   */
  client: string;
  mode?: Mode;
}
/**
 * The whole notebook, in display order; replaces the kernel's view of it. Ids must be unique. Reply: AckReply.
 */
export interface SyncNotebookRequest {
  protocol: ProtocolVersion;
  type: 'sync_notebook';
  request_id: RequestId;
  cells: CellRecord[];
}
/**
 * A cell as the front end has it.
 */
export interface CellRecord {
  id: CellId;
  kind: CellKind;
  source: string;
}
/**
 * A batch of edits, applied in order. The kernel checks the whole batch first: a bad batch changes nothing. Reply: AckReply.
 */
export interface EditCellsRequest {
  protocol: ProtocolVersion;
  type: 'edit_cells';
  request_id: RequestId;
  changes: Change[];
}
/**
 * The cell's source is now source.
 */
export interface UpdateChange {
  op: 'update';
  id: CellId;
  source: string;
}
/**
 * A new cell now sits at index (0-based over all cells, markdown and raw included).
 */
export interface InsertChange {
  op: 'insert';
  index: number;
  cell: CellRecord;
}
/**
 * The cell is gone.
 */
export interface DeleteChange {
  op: 'delete';
  id: CellId;
}
/**
 * The cell now sits at index (0-based, counted after removing it from its old place).
 */
export interface MoveChange {
  op: 'move';
  id: CellId;
  index: number;
}
/**
 * Switch between eager and lazy. Reply: AckReply.
 */
export interface SetModeRequest {
  protocol: ProtocolVersion;
  type: 'set_mode';
  request_id: RequestId;
  mode: Mode;
}
/**
 * Ask which cells to run for an action. cell_ids must be non-empty for action run (it is ignored otherwise). Reply: RunPlan.
 */
export interface RequestPlanRequest {
  protocol: ProtocolVersion;
  type: 'request_plan';
  request_id: RequestId;
  cell_ids: CellIdList;
  action: PlanAction;
}
/**
 * Stop a plan (the user interrupted, or gave up). Reply: AckReply, and a PlanFinished with status aborted if the plan was running.
 */
export interface AbortPlanRequest {
  protocol: ProtocolVersion;
  type: 'abort_plan';
  request_id: RequestId;
  plan_id: string;
}
/**
 * Ask for the dependency graph. Reply: GraphSnapshot.
 */
export interface GetGraphRequest {
  protocol: ProtocolVersion;
  type: 'get_graph';
  request_id: RequestId;
}
/**
 * The reply to HelloRequest.
 */
export interface WelcomeReply {
  protocol: ProtocolVersion;
  type: 'welcome';
  reply_to: RequestId;
  kernel_version: string;
  mode: Mode;
}
/**
 * The request was applied.
 */
export interface AckReply {
  protocol: ProtocolVersion;
  type: 'ack';
  reply_to: RequestId;
}
/**
 * The request was refused and changed nothing. reply_to is absent when the request's id could not be read.
 */
export interface ErrorReply {
  protocol: ProtocolVersion;
  type: 'error';
  reply_to?: RequestId;
  code: ErrorCode;
  /**
   * What was wrong and where (the JSON path), for people.
   */
  message: string;
  details?: ErrorDetails;
}
/**
 * Machine-readable specifics, e.g. path, keyword, allowed. Open: fields may be added.
 */
export interface ErrorDetails {
  [k: string]: unknown;
}
/**
 * Code cells' states. complete: true means every code cell is listed; false means only these changed.
 */
export interface CellStates {
  protocol: ProtocolVersion;
  type: 'cell_states';
  states: CellStateRecord[];
  complete: boolean;
}
/**
 * One code cell's state and, for a tooltip, why: reason (text naming cells and variables), cells (the cells involved, e.g. the failing ancestor) and names (the variables involved).
 */
export interface CellStateRecord {
  id: CellId;
  state: CellState;
  /**
   * Why the cell is stale, blocked or in error, naming cells and variables.
   */
  reason?: string;
  cells?: CellIdList;
  names?: NameList;
}
/**
 * The dependency graph: the reply to GetGraphRequest (with reply_to) or sent unprompted after the notebook changed. order: code cell ids in execution order. complete: true when every code cell is listed, false when only these changed. mode: the kernel's mode, set when it changed from inside the kernel (the %reactive magic).
 */
export interface GraphSnapshot {
  protocol: ProtocolVersion;
  type: 'graph_snapshot';
  reply_to?: RequestId;
  cells: CellGraphRecord[];
  order: UniqueCellIdList;
  complete: boolean;
  mode?: Mode;
}
/**
 * One code cell in the dependency graph.
 */
export interface CellGraphRecord {
  id: CellId;
  defines: NameList;
  references: NameList;
  mutates: NameList;
  deletes: NameList;
  bindings: Bindings;
  parents: CellIdList;
  children: CellIdList;
  errors: GraphError[];
  warnings?: WarningRecord[];
}
/**
 * For each referenced name, the cell whose version it reads, or null (undefined, or a builtin).
 */
export interface Bindings {
  [k: string]: string | null;
}
/**
 * A graph error of one cell (reactive_kernel/types.py GraphError); a cell with one never runs. cells: the other cells involved (definers of an ambiguous name, the cells of a cycle); names: the variables involved; line and column: 1-based, in the cell's source.
 */
export interface GraphError {
  kind: GraphErrorKind;
  message: string;
  cells?: CellIdList;
  names?: NameList;
  /**
   * 1-based, in the cell's source.
   */
  line?: number;
  /**
   * 1-based.
   */
  column?: number;
}
/**
 * Something the analysis cannot see through (%run, %store -r); it does not stop the cell.
 */
export interface WarningRecord {
  message: string;
  line?: number;
  column?: number;
}
/**
 * Cells the front end should execute, in order, each by an ordinary execute_request with cellId in its metadata. The reply to RequestPlanRequest (with reply_to) or sent unprompted (a cell ran and its downstream cascades, a widget changed).
 */
export interface RunPlan {
  protocol: ProtocolVersion;
  type: 'run_plan';
  reply_to?: RequestId;
  plan_id: string;
  cells: UniqueCellIdList;
  trigger: Trigger;
  /**
   * The cell or widget that caused the plan.
   */
  origin?: string;
}
/**
 * A plan is over: every cell ran (ok), one raised (error, failed_cell says which), or it was stopped (aborted).
 */
export interface PlanFinished {
  protocol: ProtocolVersion;
  type: 'plan_finished';
  plan_id: string;
  status: PlanStatus;
  failed_cell?: CellId;
}
