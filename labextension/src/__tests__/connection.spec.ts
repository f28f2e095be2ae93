/** ReactiveConnection: requests and replies over a comm. */
import { ConnectionClosed, ReactiveConnection } from '../connection';
import {
  KernelMessage,
  KernelRefusal,
  ProtocolMismatch,
  Request,
  RequestFactory
} from '../protocol';

function setup() {
  const sent: Request[] = [];
  const received: KernelMessage[] = [];
  const mismatches: unknown[] = [];
  const connection = new ReactiveConnection(
    { send: data => sent.push(data) },
    { message: m => received.push(m), mismatch: (_e, data) => mismatches.push(data) }
  );
  return { sent, received, mismatches, connection, factory: new RequestFactory() };
}

describe('ReactiveConnection', () => {
  it('resolves a request with its reply and passes every message on', async () => {
    const { sent, received, connection, factory } = setup();
    const reply = connection.request(factory.hello('test'));
    expect(sent).toHaveLength(1);
    const states: KernelMessage = { protocol: 1, type: 'cell_states', states: [], complete: true };
    connection.receive(states);
    const welcome: KernelMessage = {
      protocol: 1,
      type: 'welcome',
      reply_to: sent[0].request_id,
      kernel_version: '0.1.0',
      mode: 'eager'
    };
    connection.receive(welcome);
    await expect(reply).resolves.toEqual(welcome);
    expect(received).toEqual([states, welcome]);
    expect(connection.pending).toBe(0);
  });

  it('rejects with KernelRefusal on an error reply', async () => {
    const { sent, connection, factory } = setup();
    const reply = connection.request(factory.editCells([{ op: 'delete', id: 'x' }]));
    connection.receive({
      protocol: 1,
      type: 'error',
      reply_to: sent[0].request_id,
      code: 'unknown_cell',
      message: 'no cell with id x'
    });
    await expect(reply).rejects.toBeInstanceOf(KernelRefusal);
    await expect(reply).rejects.toHaveProperty('code', 'unknown_cell');
  });

  it('reports messages of another protocol instead of acting on them', () => {
    const { received, mismatches, connection } = setup();
    connection.receive({ protocol: 2, type: 'ack', reply_to: 'r1' });
    expect(received).toEqual([]);
    expect(mismatches).toHaveLength(1);
    expect(new ProtocolMismatch('x')).toBeInstanceOf(Error);
  });

  it('rejects pending requests when closed, and refuses new ones', async () => {
    const { connection, factory, sent } = setup();
    const reply = connection.request(factory.getGraph());
    connection.dispose();
    await expect(reply).rejects.toBeInstanceOf(ConnectionClosed);
    await expect(connection.request(factory.getGraph())).rejects.toBeInstanceOf(ConnectionClosed);
    connection.notify(factory.getGraph());
    expect(sent).toHaveLength(1);
  });
});
