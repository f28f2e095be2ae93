/**
 * The TypeScript side of the protocol must match schema.json: the generated types are current,
 * and every hand-written table and check agrees with the schema.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

import {
  KERNEL_MESSAGE_FIELDS,
  KernelMessage,
  PROTOCOL_VERSION,
  ProtocolMismatch,
  REQUEST_TYPES,
  RequestFactory,
  parseKernelMessage
} from '../protocol';
import { check, members, schema } from './schema';

const GENERATOR = path.resolve(__dirname, '..', '..', 'scripts', 'generate-types.js');
const GENERATED = path.resolve(__dirname, '..', 'schema.ts');

function typeOf(def: string): string {
  return schema.$defs[def].properties.type.const;
}

/** The JSON type of a property, following $ref. */
function jsonTypeOf(property: {
  $ref?: string;
  type?: string;
  enum?: unknown[];
}): string | undefined {
  if (property.$ref !== undefined) {
    return jsonTypeOf(schema.$defs[property.$ref.split('/').pop() as string]);
  }
  if (property.enum !== undefined && property.enum.every(v => typeof v === 'string')) {
    return 'string';
  }
  return property.type;
}

/** One valid example of each kernel message, checked against the schema below. */
const SAMPLES: KernelMessage[] = [
  { protocol: 1, type: 'welcome', reply_to: 'r1', kernel_version: '0.1.0', mode: 'eager' },
  { protocol: 1, type: 'ack', reply_to: 'r2' },
  {
    protocol: 1,
    type: 'error',
    reply_to: 'r3',
    code: 'malformed',
    message: 'set_mode: $.mode: "sideways" is not one of "eager", "lazy"',
    details: { path: '$.mode' }
  },
  { protocol: 1, type: 'error', code: 'malformed', message: 'a message must be a JSON object' },
  {
    protocol: 1,
    type: 'cell_states',
    complete: false,
    states: [
      { id: 'a', state: 'fresh' },
      { id: 'b', state: 'blocked', reason: 'cell [1] (x = 1/0), upstream, failed', cells: ['a'] }
    ]
  },
  {
    protocol: 1,
    type: 'graph_snapshot',
    complete: true,
    order: ['a', 'b'],
    mode: 'lazy',
    cells: [
      {
        id: 'a',
        defines: ['x'],
        references: [],
        mutates: [],
        deletes: [],
        bindings: {},
        parents: [],
        children: ['b'],
        errors: []
      },
      {
        id: 'b',
        defines: ['y'],
        references: ['print', 'x'],
        mutates: [],
        deletes: [],
        bindings: { x: 'a', print: null },
        parents: ['a'],
        children: [],
        errors: [{ kind: 'ambiguous', message: 'x is defined twice', cells: ['a'], line: 1 }],
        warnings: [{ message: '%run is not analysed', line: 2, column: 1 }]
      }
    ]
  },
  { protocol: 1, type: 'run_plan', plan_id: 'p1', cells: ['b'], trigger: 'run', origin: 'a' },
  { protocol: 1, type: 'run_plan', plan_id: 'p2', cells: [], trigger: 'run_stale', reply_to: 'r9' },
  { protocol: 1, type: 'plan_finished', plan_id: 'p1', status: 'error', failed_cell: 'b' }
];

describe('generated types', () => {
  it('src/schema.ts is what scripts/generate-types.js makes from schema.json', () => {
    const expected = execFileSync(process.execPath, [GENERATOR, '--stdout'], { encoding: 'utf8' });
    const actual = fs.readFileSync(GENERATED, 'utf8');
    expect(actual).toEqual(expected); // if this fails: jlpm generate:types
  });
});

describe('tables agree with schema.json', () => {
  it('speaks the schema version', () => {
    expect(schema.$defs.ProtocolVersion.const).toBe(PROTOCOL_VERSION);
  });

  it('knows every request type', () => {
    expect([...REQUEST_TYPES].sort()).toEqual(members('Request').map(typeOf).sort());
  });

  it('knows every kernel message type and its required fields with their JSON types', () => {
    const fromSchema: Record<string, Record<string, string | undefined>> = {};
    for (const def of members('KernelMessage')) {
      const { required, properties } = schema.$defs[def];
      const fields: Record<string, string | undefined> = {};
      for (const name of required) {
        if (name !== 'protocol' && name !== 'type') {
          fields[name] = jsonTypeOf(properties[name]);
        }
      }
      fromSchema[typeOf(def)] = fields;
    }
    expect(KERNEL_MESSAGE_FIELDS).toEqual(fromSchema);
  });
});

describe('requests', () => {
  const factory = new RequestFactory();
  const requests = [
    ['HelloRequest', factory.hello('reactive-kernel-labextension 0.1.0')],
    ['HelloRequest', factory.hello('x', 'lazy')],
    ['SyncNotebookRequest', factory.syncNotebook([{ id: 'a', kind: 'code', source: 'x = 1' }])],
    [
      'EditCellsRequest',
      factory.editCells([
        { op: 'update', id: 'a', source: 'x = 2' },
        { op: 'insert', index: 1, cell: { id: 'b', kind: 'markdown', source: '# b' } },
        { op: 'move', id: 'b', index: 0 },
        { op: 'delete', id: 'b' }
      ])
    ],
    ['SetModeRequest', factory.setMode('lazy')],
    ['RequestPlanRequest', factory.requestPlan('run', ['a'])],
    ['RequestPlanRequest', factory.requestPlan('run_stale')],
    ['AbortPlanRequest', factory.abortPlan('p1')],
    ['GetGraphRequest', factory.getGraph()]
  ] as const;

  it.each(requests)('%s built by RequestFactory is valid', (def, request) => {
    expect(check(def, request)).toBeNull();
    expect(check('Request', request)).toBeNull();
  });

  it('numbers requests uniquely', () => {
    const ids = requests.map(([, r]) => r.request_id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('parseKernelMessage', () => {
  it.each(SAMPLES.map(s => [s.type, s] as const))('accepts a valid %s', (_type, sample) => {
    expect(check('KernelMessage', sample)).toBeNull();
    expect(parseKernelMessage(sample)).toBe(sample);
  });

  it('rejects what the schema rejects for a missing required field', () => {
    for (const sample of SAMPLES) {
      for (const field of Object.keys(KERNEL_MESSAGE_FIELDS[sample.type])) {
        const broken: Record<string, unknown> = { ...sample };
        delete broken[field];
        expect(check('KernelMessage', broken)).not.toBeNull();
        expect(() => parseKernelMessage(broken)).toThrow(ProtocolMismatch);
      }
    }
  });

  it.each([
    ['an array', ['not', 'an', 'object']],
    ['null', null],
    ['another protocol', { protocol: 2, type: 'ack', reply_to: 'r1' }],
    ['a request type', { protocol: 1, type: 'hello', request_id: 'r1', client: 'x' }],
    ['an unknown type', { protocol: 1, type: 'hello_there' }],
    ['a mistyped field', { protocol: 1, type: 'cell_states', states: {}, complete: true }]
  ])('rejects %s', (_what, data) => {
    expect(check('KernelMessage', data)).not.toBeNull();
    expect(() => parseKernelMessage(data)).toThrow(ProtocolMismatch);
  });
});
