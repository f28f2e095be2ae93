/**
 * PlanRunner: carries out the kernel's run plans, one cell at a time, each as an ordinary execution
 * of its own cell (the executor is JupyterLab's, injected, so that jest can drive this with a fake).
 *
 * The rules follow the kernel's (reactive_kernel/kernel/session.py): the kernel has at most one
 * active plan, and starting a new one abandons the old. So a newly received plan replaces the one
 * being carried out (after the cell now executing), a user-run cell cancels it (the kernel aborts
 * it on that execute_request), a failing cell stops it (the kernel has already finished it with
 * status error), a `plan_finished` that is not ok stops it, and an interrupt stops it and tells the
 * kernel with `abort_plan`.
 */

import { ISignal, Signal } from '@lumino/signaling';

import type { PlanFinished, RunPlan } from './protocol';

/** How one cell's execution ended. */
export type ExecutionResult =
  /** It ran and succeeded. */
  | 'ok'
  /** It ran and failed, was interrupted, or the kernel refused it. */
  | 'error'
  /** The cell is not in the notebook (deleted meanwhile) or is not a code cell. */
  | 'missing';

/** Executes one cell the way the user would (JupyterLab: NotebookActions.runCells). */
export interface ICellExecutor {
  execute(cellId: string): Promise<ExecutionResult>;
}

/** Tells the kernel to stop a plan (`abort_plan`). */
export type AbortSender = (planId: string) => void;

/** What the runner is doing, for views and tests. */
export interface IRunnerStatus {
  readonly planId: string | null;
  readonly running: string | null;
  readonly remaining: readonly string[];
}

const IDLE: IRunnerStatus = { planId: null, running: null, remaining: [] };

export class PlanRunner {
  constructor(executor: ICellExecutor, abort: AbortSender) {
    this._executor = executor;
    this._sendAbort = abort;
  }

  get status(): IRunnerStatus {
    return this._status;
  }

  get statusChanged(): ISignal<this, IRunnerStatus> {
    return this._statusChanged;
  }

  /** True while a plan is being carried out. */
  get busy(): boolean {
    return this._loop !== null;
  }

  /** Resolves when the runner is idle (tests, and callers that must wait). */
  idle(): Promise<void> {
    return this._loop ?? Promise.resolve();
  }

  /** A plan arrived (the reply to request_plan, or pushed): it replaces any plan in progress. */
  enqueue(plan: RunPlan): void {
    if (this._disposed) {
      return;
    }
    if (this._active !== null) {
      this._active.cancelled = true;
    }
    this._next = plan;
    if (this._loop === null) {
      this._loop = this._run().finally(() => {
        this._loop = null;
      });
    }
  }

  /** The kernel says a plan is over. Not ok: run none of the rest. */
  finished(message: PlanFinished): void {
    if (this._next?.plan_id === message.plan_id) {
      this._next = null;
    }
    if (this._active?.plan.plan_id === message.plan_id && message.status !== 'ok') {
      this._active.cancelled = true;
    }
  }

  /** The user interrupted: stop, and tell the kernel. */
  abort(): void {
    this._next = null;
    if (this._active !== null && !this._active.cancelled) {
      this._active.cancelled = true;
      this._sendAbort(this._active.plan.plan_id);
    }
  }

  /**
   * Stop without telling the kernel: it already knows (the user ran another cell, the kernel
   * restarted, the comm closed).
   */
  cancel(): void {
    this._next = null;
    if (this._active !== null) {
      this._active.cancelled = true;
    }
  }

  /** Is `cellId` the cell the runner is executing now? (Its execution is not a user run.) */
  isRunning(cellId: string): boolean {
    return this._status.running === cellId;
  }

  dispose(): void {
    this.cancel();
    this._disposed = true;
    Signal.clearData(this);
  }

  private async _run(): Promise<void> {
    while (this._next !== null && !this._disposed) {
      const active = { plan: this._next, cancelled: false };
      this._next = null;
      this._active = active;
      await this._carryOut(active);
      this._active = null;
    }
    this._setStatus(IDLE);
  }

  private async _carryOut(active: { plan: RunPlan; cancelled: boolean }): Promise<void> {
    const cells = active.plan.cells;
    for (let i = 0; i < cells.length; i++) {
      if (active.cancelled) {
        return;
      }
      this._setStatus({
        planId: active.plan.plan_id,
        running: cells[i],
        remaining: cells.slice(i + 1)
      });
      let result: ExecutionResult;
      try {
        result = await this._executor.execute(cells[i]);
      } catch (error) {
        console.error('reactive: executing a planned cell failed', error);
        result = 'error';
      }
      if (result === 'missing' && !active.cancelled) {
        // The kernel still expects this cell: the plan cannot go on, say so.
        active.cancelled = true;
        this._sendAbort(active.plan.plan_id);
      }
      if (result !== 'ok') {
        // A failed cell: the kernel finished the plan with status error and blocked the rest.
        return;
      }
    }
  }

  private _setStatus(status: IRunnerStatus): void {
    this._status = status;
    this._statusChanged.emit(status);
  }

  private _executor: ICellExecutor;
  private _sendAbort: AbortSender;
  private _active: { plan: RunPlan; cancelled: boolean } | null = null;
  private _next: RunPlan | null = null;
  private _loop: Promise<void> | null = null;
  private _status: IRunnerStatus = IDLE;
  private _statusChanged = new Signal<this, IRunnerStatus>(this);
  private _disposed = false;
}
