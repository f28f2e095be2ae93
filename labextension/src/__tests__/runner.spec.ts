/** PlanRunner: carries out plans cell by cell, stops on failure, interrupt and plan_finished. */
import { PlanFinished, RunPlan } from '../protocol';
import { ExecutionResult, ICellExecutor, PlanRunner } from '../runner';

const plan = (id: string, cells: string[], trigger: RunPlan['trigger'] = 'run'): RunPlan => ({
  protocol: 1,
  type: 'run_plan',
  plan_id: id,
  cells,
  trigger
});

const finished = (id: string, status: PlanFinished['status']): PlanFinished => ({
  protocol: 1,
  type: 'plan_finished',
  plan_id: id,
  status
});

/** Executes cells when the test says so, recording the order. */
class ManualExecutor implements ICellExecutor {
  started: string[] = [];
  private waiting: ((r: ExecutionResult) => void)[] = [];
  execute(cellId: string): Promise<ExecutionResult> {
    this.started.push(cellId);
    return new Promise(resolve => this.waiting.push(resolve));
  }
  /** Finish the oldest running cell, then let the runner move on. */
  async finish(result: ExecutionResult = 'ok'): Promise<void> {
    const resolve = this.waiting.shift();
    if (resolve === undefined) {
      throw new Error('no cell is running');
    }
    resolve(result);
    await new Promise(r => setTimeout(r, 0));
  }
}

/** Succeeds or fails per cell at once. */
class ScriptedExecutor implements ICellExecutor {
  ran: string[] = [];
  constructor(private results: Record<string, ExecutionResult> = {}) {}
  async execute(cellId: string): Promise<ExecutionResult> {
    this.ran.push(cellId);
    return this.results[cellId] ?? 'ok';
  }
}

describe('PlanRunner', () => {
  it('runs each planned cell in order, one at a time', async () => {
    const executor = new ManualExecutor();
    const runner = new PlanRunner(executor, () => undefined);
    runner.enqueue(plan('p1', ['b', 'c', 'd']));
    expect(runner.status).toEqual({ planId: 'p1', running: 'b', remaining: ['c', 'd'] });
    expect(executor.started).toEqual(['b']);
    await executor.finish();
    expect(executor.started).toEqual(['b', 'c']);
    expect(runner.isRunning('c')).toBe(true);
    await executor.finish();
    await executor.finish();
    await runner.idle();
    expect(executor.started).toEqual(['b', 'c', 'd']);
    expect(runner.busy).toBe(false);
    expect(runner.status.planId).toBeNull();
  });

  it('stops at the first failing cell without telling the kernel (it knows)', async () => {
    const executor = new ScriptedExecutor({ c: 'error' });
    const aborted: string[] = [];
    const runner = new PlanRunner(executor, id => aborted.push(id));
    runner.enqueue(plan('p1', ['b', 'c', 'd']));
    await runner.idle();
    expect(executor.ran).toEqual(['b', 'c']);
    expect(aborted).toEqual([]);
  });

  it('aborts the plan when a planned cell is missing from the notebook', async () => {
    const executor = new ScriptedExecutor({ c: 'missing' });
    const aborted: string[] = [];
    const runner = new PlanRunner(executor, id => aborted.push(id));
    runner.enqueue(plan('p1', ['b', 'c', 'd']));
    await runner.idle();
    expect(executor.ran).toEqual(['b', 'c']);
    expect(aborted).toEqual(['p1']);
  });

  it('on interrupt, runs nothing more and sends abort_plan once', async () => {
    const executor = new ManualExecutor();
    const aborted: string[] = [];
    const runner = new PlanRunner(executor, id => aborted.push(id));
    runner.enqueue(plan('p1', ['b', 'c', 'd']));
    runner.abort();
    runner.abort();
    await executor.finish('error');
    await runner.idle();
    expect(executor.started).toEqual(['b']);
    expect(aborted).toEqual(['p1']);
  });

  it('a plan_finished that is not ok stops the plan', async () => {
    const executor = new ManualExecutor();
    const runner = new PlanRunner(executor, () => undefined);
    runner.enqueue(plan('p1', ['b', 'c']));
    runner.finished(finished('other', 'aborted'));
    runner.finished(finished('p1', 'aborted'));
    await executor.finish('ok');
    await runner.idle();
    expect(executor.started).toEqual(['b']);
  });

  it('plan_finished ok for the running plan does not cut it short', async () => {
    const executor = new ManualExecutor();
    const runner = new PlanRunner(executor, () => undefined);
    runner.enqueue(plan('p1', ['b', 'c']));
    await executor.finish();
    runner.finished(finished('p1', 'ok'));
    await executor.finish();
    await runner.idle();
    expect(executor.started).toEqual(['b', 'c']);
  });

  it('a new plan replaces the one in progress, after the running cell', async () => {
    const executor = new ManualExecutor();
    const runner = new PlanRunner(executor, () => undefined);
    runner.enqueue(plan('p1', ['b', 'c']));
    runner.enqueue(plan('p2', ['x', 'y'], 'delete'));
    runner.enqueue(plan('p3', ['z'], 'delete'));
    expect(executor.started).toEqual(['b']);
    await executor.finish();
    await executor.finish();
    await runner.idle();
    expect(executor.started).toEqual(['b', 'z']);
  });

  it('an unprompted widget plan replaces the one it supersedes (a slider dragged on)', async () => {
    // The kernel's order: plan_finished aborted for the old plan, then the new plan.
    const executor = new ManualExecutor();
    const runner = new PlanRunner(executor, () => undefined);
    runner.enqueue(plan('p1', ['b', 'c'], 'widget'));
    runner.finished(finished('p1', 'aborted'));
    runner.enqueue(plan('p2', ['b', 'c'], 'widget'));
    await executor.finish();
    await executor.finish();
    await executor.finish();
    await runner.idle();
    expect(executor.started).toEqual(['b', 'b', 'c']);
  });

  it('cancel stops silently; a later plan runs again', async () => {
    const executor = new ScriptedExecutor();
    const aborted: string[] = [];
    const runner = new PlanRunner(executor, id => aborted.push(id));
    runner.enqueue(plan('p1', ['b', 'c']));
    runner.cancel();
    await runner.idle();
    expect(executor.ran).toEqual(['b']);
    runner.enqueue(plan('p2', ['d']));
    await runner.idle();
    expect(executor.ran).toEqual(['b', 'd']);
    expect(aborted).toEqual([]);
  });

  it('an executor that throws counts as a failure', async () => {
    const runner = new PlanRunner(
      { execute: () => Promise.reject(new Error('boom')) },
      () => undefined
    );
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    runner.enqueue(plan('p1', ['b', 'c']));
    await runner.idle();
    expect(errors).toHaveBeenCalledTimes(1);
    errors.mockRestore();
  });

  it('does nothing once disposed', async () => {
    const executor = new ScriptedExecutor();
    const runner = new PlanRunner(executor, () => undefined);
    runner.dispose();
    runner.enqueue(plan('p1', ['b']));
    await runner.idle();
    expect(executor.ran).toEqual([]);
  });
});
