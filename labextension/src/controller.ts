/**
 * NotebookController: one per notebook panel. It is the imperative shell around the pure modules:
 * it watches the panel's kernel, opens the `reactive_kernel` comm when the kernel is the reactive
 * kernel, keeps the kernel's view of the notebook in step (sync_notebook, then debounced
 * edit_cells), feeds the kernel's messages into the ReactiveModel and the PlanRunner, and executes
 * planned cells through JupyterLab's public `NotebookActions.runCells`, so that each planned cell is
 * one ordinary execution of its own cell (outputs, `[*]`, execution counts and interrupts native).
 *
 * Activation: a kernel counts as reactive when its kernel_info reply says
 * `implementation: "reactive_kernel"` (ReactiveKernel.implementation). That covers the `reactive`
 * kernelspec and kernelspecs that `reactive-kernel install --name ...` writes under other names,
 * and never opens a comm to a kernel that would not understand it. On any other kernel the
 * controller stays dormant and the notebook looks exactly as without the extension.
 */

import { ISessionContext, ISessionContextDialogs } from '@jupyterlab/apputils';
import { Cell, CodeCellModel } from '@jupyterlab/cells';
import { NotebookActions, NotebookPanel } from '@jupyterlab/notebook';
import { Kernel, KernelMessage } from '@jupyterlab/services';
import { ITranslator } from '@jupyterlab/translation';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { ConnectionClosed, ReactiveConnection } from './connection';
import { ReactiveModel } from './model';
import {
  CellKind,
  CellRecord,
  COMM_TARGET,
  KERNEL_IMPLEMENTATION,
  KernelMessage as ReactiveMessage,
  KernelRefusal,
  Mode,
  PlanAction,
  RequestFactory
} from './protocol';
import { ExecutionResult, PlanRunner } from './runner';
import { Debouncer, diffCells } from './sync';

/** The extension's settings (schema/plugin.json). */
export interface IReactiveSettings {
  debounceMs: number;
  maxWaitMs: number;
  defaultMode: Mode;
  showBadges: boolean;
  highlightDependencies: boolean;
}

export const DEFAULT_SETTINGS: IReactiveSettings = {
  debounceMs: 300,
  maxWaitMs: 2000,
  defaultMode: 'eager',
  showBadges: true,
  highlightDependencies: true
};

/** Where the mode is kept in the notebook's metadata. */
export const METADATA_KEY = 'reactive';

/** The name the front end gives in `hello`. */
export const CLIENT_NAME = 'reactive-kernel-labextension 0.1.0';

export class NotebookController implements IDisposable {
  constructor(
    panel: NotebookPanel,
    settings: IReactiveSettings,
    dialogs?: ISessionContextDialogs | null,
    translator?: ITranslator | null
  ) {
    this.panel = panel;
    this._settings = settings;
    this._dialogs = dialogs ?? undefined;
    this._translator = translator ?? undefined;
    this.runner = new PlanRunner({ execute: id => this._execute(id) }, id => this._abortPlan(id));
    this._debouncer = new Debouncer(
      () => this._flushEdits(),
      settings.debounceMs,
      settings.maxWaitMs
    );
    this.model.mode = this._storedMode() ?? settings.defaultMode;

    const session = panel.sessionContext;
    session.kernelChanged.connect(this._onKernelChanged, this);
    session.statusChanged.connect(this._onStatus, this);
    NotebookActions.executionScheduled.connect(this._onExecutionScheduled, this);
    void panel.context.ready.then(() => {
      if (this._disposed) {
        return;
      }
      const cells = panel.model?.cells;
      cells?.changed.connect(this._onCellsChanged, this);
      for (let i = 0; i < (cells?.length ?? 0); i++) {
        cells?.get(i).sharedModel.changed.connect(this._onCellContent, this);
      }
      void session.ready.then(() => this._onKernelChanged());
    });
  }

  readonly panel: NotebookPanel;
  readonly model = new ReactiveModel();
  readonly runner: PlanRunner;

  /** Attached to a reactive kernel: states are live and commands apply. */
  get active(): boolean {
    return this._connection !== null && this._synced;
  }

  /** Emitted when `active` changes. */
  get activeChanged(): ISignal<this, boolean> {
    return this._activeChanged;
  }

  get settings(): IReactiveSettings {
    return this._settings;
  }

  set settings(settings: IReactiveSettings) {
    this._settings = settings;
    this._debouncer.delay = settings.debounceMs;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** A cell's current source, for labels and tooltips. */
  sourceOf = (cellId: string): string | undefined => {
    return this.cellModel(cellId)?.sharedModel.getSource();
  };

  cellModel(cellId: string): Cell['model'] | undefined {
    if (this._cellIndex === null) {
      // Built on demand and dropped on any structural change: labels for a whole graph stay O(n).
      this._cellIndex = new Map();
      const cells = this.panel.model?.cells;
      if (cells) {
        for (let i = 0; i < cells.length; i++) {
          this._cellIndex.set(cells.get(i).id, cells.get(i));
        }
      }
    }
    return this._cellIndex.get(cellId);
  }

  cellWidget(cellId: string): Cell | undefined {
    return this.panel.content.widgets.find(cell => cell.model.id === cellId);
  }

  /** Switch eager/lazy: kept in the notebook's metadata and sent to the kernel. */
  async setMode(mode: Mode): Promise<void> {
    this._storeMode(mode);
    if (this._connection !== null) {
      await this._connection.request(this._requests.setMode(mode));
    }
  }

  toggleMode(): Promise<void> {
    return this.setMode(this.model.mode === 'eager' ? 'lazy' : 'eager');
  }

  /** Ask the kernel for a plan (run_stale, run_all, or run given cells); the runner carries it out. */
  async requestPlan(action: PlanAction, cellIds: string[] = []): Promise<void> {
    if (this._connection === null) {
      return;
    }
    this._debouncer.flush();
    await this._connection.request(this._requests.requestPlan(action, cellIds));
  }

  /** Stop the plan in progress (the user interrupted). */
  abort(): void {
    this.runner.abort();
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._detach();
    this._debouncer.cancel();
    this.runner.dispose();
    Signal.disconnectReceiver(this);
    NotebookActions.executionScheduled.disconnect(this._onExecutionScheduled, this);
    Signal.clearData(this);
  }

  // -- kernel lifetime ---------------------------------------------------------------------------

  private async _onKernelChanged(): Promise<void> {
    this._reattach = false;
    this._detach();
    const kernel = this.panel.sessionContext.session?.kernel ?? null;
    if (kernel === null || this._disposed) {
      return;
    }
    let info: KernelMessage.IInfoReply;
    try {
      info = await kernel.info;
    } catch {
      return;
    }
    if (this._disposed || this.panel.sessionContext.session?.kernel !== kernel) {
      return; // another kernel meanwhile
    }
    if (info.implementation === KERNEL_IMPLEMENTATION) {
      await this._attach(kernel);
    }
  }

  private _onStatus(_: ISessionContext, status: Kernel.Status): void {
    if (status === 'restarting' || status === 'autorestarting' || status === 'dead') {
      if (this._connection !== null) {
        this._detach();
        this._reattach = true;
        this.model.markAllStale('the kernel restarted: nothing has run in it yet');
      }
    } else if (this._reattach && status === 'idle') {
      // JupyterLab 4 replaces the kernel connection on restart (kernelChanged, which re-attaches);
      // the old connection may still report idle first. Only if no new connection came after a
      // moment is the restarted kernel on the same connection: attach to it then.
      setTimeout(() => {
        if (this._reattach && !this._disposed) {
          this._reattach = false;
          void this._onKernelChanged();
        }
      }, 1500);
    }
  }

  private async _attach(kernel: Kernel.IKernelConnection): Promise<void> {
    const comm = kernel.createComm(COMM_TARGET);
    const connection = new ReactiveConnection(
      { send: data => void comm.send(data as never) },
      {
        message: message => this._onMessage(message),
        mismatch: (error, data) => console.warn('reactive: ignored a message:', error.message, data)
      }
    );
    comm.onMsg = msg => connection.receive(msg.content.data);
    comm.onClose = () => {
      if (this._connection === connection) {
        this._detach();
      }
    };
    this._comm = comm;
    this._connection = connection;
    try {
      comm.open({});
      const hello = this._requests.hello(
        CLIENT_NAME,
        this._storedMode() ?? this._settings.defaultMode
      );
      const welcome = await connection.request(hello);
      if (welcome.type === 'welcome') {
        this.model.mode = welcome.mode;
      }
      await this._sync();
    } catch (error) {
      if (!(error instanceof ConnectionClosed)) {
        console.error('reactive: could not start the conversation with the kernel', error);
      }
    }
  }

  private _detach(): void {
    const wasActive = this.active;
    this.runner.cancel();
    this._connection?.dispose();
    this._connection = null;
    this._synced = false;
    if (this._comm !== null && !this._comm.isDisposed) {
      try {
        this._comm.close();
      } catch {
        // the kernel is gone already
      }
    }
    this._comm = null;
    if (wasActive) {
      this._activeChanged.emit(false);
    }
  }

  // -- messages from the kernel -------------------------------------------------------------------

  private _onMessage(message: ReactiveMessage): void {
    switch (message.type) {
      case 'cell_states':
        this.model.applyStates(message);
        break;
      case 'graph_snapshot':
        if (message.mode !== undefined) {
          this._storeMode(message.mode); // changed inside the kernel (%reactive mode)
        }
        this.model.applyGraph(message);
        break;
      case 'run_plan':
        this.runner.enqueue(message);
        break;
      case 'plan_finished':
        this.runner.finished(message);
        break;
      case 'error':
        if (message.reply_to === undefined) {
          console.warn('reactive: the kernel refused a message:', message.message);
        }
        break;
      default:
        break;
    }
  }

  // -- the notebook's cells -----------------------------------------------------------------------

  /** The notebook as it is now. Sources are read only for cells edited since the last send. */
  private _records(): CellRecord[] {
    const cells = this.panel.model?.cells;
    const records: CellRecord[] = [];
    if (!cells) {
      return records;
    }
    for (let i = 0; i < cells.length; i++) {
      const cell = cells.get(i);
      const old = this._sentById.get(cell.id);
      const source =
        old !== undefined && !this._dirty.has(cell.id) ? old.source : cell.sharedModel.getSource();
      records.push({ id: cell.id, kind: cell.type as CellKind, source });
    }
    return records;
  }

  private async _sync(): Promise<void> {
    const connection = this._connection;
    if (connection === null) {
      return;
    }
    this._debouncer.cancel();
    this._dirty.clear();
    this._sentById.clear();
    const records = this._records();
    this._remember(records);
    await connection.request(this._requests.syncNotebook(records));
    if (this._connection === connection && !this._synced) {
      this._synced = true;
      this._activeChanged.emit(true);
    }
  }

  private _flushEdits(): void {
    const connection = this._connection;
    if (connection === null || !this._synced) {
      return;
    }
    const records = this._records();
    const changes = diffCells(this._sent, records);
    this._dirty.clear();
    if (changes.length === 0) {
      return;
    }
    this._remember(records);
    connection.request(this._requests.editCells(changes)).catch(error => {
      if (error instanceof KernelRefusal && this._connection === connection) {
        // Our view and the kernel's differ (a bug somewhere): start again from the whole notebook.
        console.warn('reactive: the kernel refused an edit, re-syncing:', error.message);
        void this._sync();
      }
    });
  }

  private _remember(records: CellRecord[]): void {
    this._sent = records;
    this._sentById = new Map(records.map(record => [record.id, record]));
  }

  private _onCellsChanged(
    _: unknown,
    change: { type: string; newValues: readonly Cell['model'][] }
  ): void {
    this._cellIndex = null;
    if (change.type === 'add' || change.type === 'set') {
      for (const cell of change.newValues) {
        cell.sharedModel.changed.connect(this._onCellContent, this);
        this._dirty.add(cell.id);
      }
    }
    this._debouncer.schedule();
  }

  private _onCellContent(sender: { getId(): string }, change: { sourceChange?: unknown }): void {
    if (change.sourceChange !== undefined) {
      this._dirty.add(sender.getId());
      this._debouncer.schedule();
    }
  }

  private _onExecutionScheduled(_: unknown, args: { notebook: unknown; cell: Cell }): void {
    if (args.notebook !== this.panel.content) {
      return;
    }
    // Comm messages travel on the shell channel like execute requests, so edits flushed now reach
    // the kernel before this execution.
    this._debouncer.flush();
    if (!this.runner.isRunning(args.cell.model.id)) {
      this.runner.cancel(); // the user ran a cell: the kernel abandons its plan, so do we
    }
  }

  // -- executing planned cells --------------------------------------------------------------------

  private async _execute(cellId: string): Promise<ExecutionResult> {
    const cell = this.cellWidget(cellId);
    if (cell === undefined || cell.model.type !== 'code' || this._connection === null) {
      return 'missing';
    }
    if ((cell.model as CodeCellModel).executionState === 'running') {
      // Already queued or running, started by the user (JupyterLab's Run All queues every cell
      // at once): the kernel checks that execution off the plan, so wait for it, not run it twice.
      return this._finished(cell);
    }
    const notebook = this.panel.content;
    const mode = notebook.mode;
    const ran = NotebookActions.runCells(
      notebook,
      [cell],
      this.panel.sessionContext,
      this._dialogs,
      this._translator
    );
    // runCells puts the notebook in command mode; a cascade must not pull the user out of the
    // editor they are typing in.
    if (mode === 'edit' && notebook.mode !== 'edit') {
      notebook.mode = 'edit';
    }
    return (await ran) ? 'ok' : 'error';
  }

  /** Resolves when `cell`'s current execution ends: 'error' when it left an error output. */
  private _finished(cell: Cell): Promise<ExecutionResult> {
    const model = cell.model as CodeCellModel;
    return new Promise(resolve => {
      const done = (_: unknown, change: { name: string; newValue: unknown }) => {
        if (change.name === 'executionState' && change.newValue === 'idle') {
          model.stateChanged.disconnect(done);
          const outputs = model.outputs.toJSON();
          resolve(outputs.some(output => output.output_type === 'error') ? 'error' : 'ok');
        }
      };
      model.stateChanged.connect(done);
    });
  }

  private _abortPlan(planId: string): void {
    this._connection?.request(this._requests.abortPlan(planId)).catch(() => undefined);
  }

  private _storeMode(mode: Mode): void {
    this.model.mode = mode;
    const stored = (this.panel.model?.getMetadata(METADATA_KEY) ?? {}) as Record<string, unknown>;
    if (stored.mode !== mode) {
      this.panel.model?.setMetadata(METADATA_KEY, { ...stored, mode });
    }
  }

  private _storedMode(): Mode | undefined {
    const stored = this.panel.model?.getMetadata(METADATA_KEY) as { mode?: unknown } | undefined;
    return stored?.mode === 'eager' || stored?.mode === 'lazy' ? stored.mode : undefined;
  }

  private _settings: IReactiveSettings;
  private _dialogs: ISessionContextDialogs | undefined;
  private _translator: ITranslator | undefined;
  private _requests = new RequestFactory();
  private _debouncer: Debouncer;
  private _comm: Kernel.IComm | null = null;
  private _connection: ReactiveConnection | null = null;
  private _synced = false;
  private _reattach = false;
  private _sent: CellRecord[] = [];
  private _sentById = new Map<string, CellRecord>();
  private _dirty = new Set<string>();
  private _cellIndex: Map<string, Cell['model']> | null = null;
  private _activeChanged = new Signal<this, boolean>(this);
  private _disposed = false;
}
