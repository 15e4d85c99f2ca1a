/**
 * `ReadIndex` answers "who read this?" from a readers side it builds only when first asked (or
 * when the server prepares it after the first diagnostics are out). Whichever moment it is built
 * at, and whatever was recorded or forgotten before, its answers must be those of the plain model:
 * every document whose last recorded reads include the name.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { ReadIndex, ReadKind, ReadSet } from '../../server/src/service/workspace/readSet';

// More documents than a read keeps listed before it takes a set (ReadIndex's MAX_LISTED_READERS), so both forms are met.
const URIS = Array.from({ length: 12 }, (_, index) => `file:///${String.fromCharCode(0x61 + index)}.md`);
const NAMES = ['OUT-1', 'OUT-2', 'OBJ-1', 'file:///a.md'];
const KINDS = [ReadKind.definitions, ReadKind.references, ReadKind.exists, ReadKind.history];

type Step =
  | { readonly op: 'record'; readonly uri: string; readonly reads: readonly (readonly [ReadKind, string])[] }
  | { readonly op: 'forget'; readonly uri: string }
  | { readonly op: 'prepare' }
  | { readonly op: 'ask'; readonly kind: ReadKind; readonly name: string }
  | { readonly op: 'askAll'; readonly kind: ReadKind }
  | { readonly op: 'clear' };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('record' as const),
      uri: fc.constantFrom(...URIS),
      reads: fc.array(fc.tuple(fc.constantFrom(...KINDS), fc.constantFrom(...NAMES)), { maxLength: 6 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('forget' as const), uri: fc.constantFrom(...URIS) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'prepare' as const }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('ask' as const), kind: fc.constantFrom(...KINDS), name: fc.constantFrom(...NAMES) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('askAll' as const), kind: fc.constantFrom(...KINDS) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
);

function readSetOf(reads: readonly (readonly [ReadKind, string])[]): ReadSet {
  const set = new ReadSet();
  for (const [kind, name] of reads) set.add(kind, name);
  return set;
}

describe('ReadIndex', () => {
  test('answers who read what as the plain model does, whenever its readers side is built', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        const index = new ReadIndex();
        const model = new Map<string, Set<string>>();
        for (const current of steps) {
          switch (current.op) {
            case 'record':
              index.record(current.uri, readSetOf(current.reads));
              model.set(current.uri, new Set(current.reads.map(([kind, name]) => `${kind}:${name}`)));
              break;
            case 'forget':
              index.forget(current.uri);
              model.delete(current.uri);
              break;
            case 'prepare':
              index.prepareReaders();
              break;
            case 'clear':
              index.clear();
              model.clear();
              break;
            case 'ask': {
              const found = new Set<string>();
              index.addReaders(readSetOf([[current.kind, current.name]]), found);
              const expected = [...model].filter(([, reads]) => reads.has(`${current.kind}:${current.name}`)).map(([uri]) => uri);
              assert.deepEqual([...found].sort(), expected.sort());
              break;
            }
            case 'askAll': {
              const found = new Set<string>();
              index.addAllReaders(current.kind, found);
              const expected = [...model].filter(([, reads]) => [...reads].some((read) => read.startsWith(`${current.kind}:`))).map(([uri]) => uri);
              assert.deepEqual([...found].sort(), expected.sort());
              break;
            }
          }
          assert.equal(index.size, model.size);
          for (const uri of URIS) assert.equal(index.has(uri), model.has(uri));
        }
      }),
      { numRuns: 500 },
    );
  });

  test('a document forgotten before the readers side is built is no reader of anything', () => {
    const index = new ReadIndex();
    index.record('file:///a.md', readSetOf([[ReadKind.definitions, 'OUT-1']]));
    index.record('file:///b.md', readSetOf([[ReadKind.definitions, 'OUT-1']]));
    index.forget('file:///a.md');
    const found = new Set<string>();
    index.addReaders(readSetOf([[ReadKind.definitions, 'OUT-1']]), found);
    assert.deepEqual([...found], ['file:///b.md']);
  });

  test('one read by one, three, twelve, then two documents, recorded after the readers side is built', () => {
    const index = new ReadIndex();
    index.prepareReaders();
    const readersOf = () => {
      const found = new Set<string>();
      index.addReaders(readSetOf([[ReadKind.references, 'OUT-1']]), found);
      return [...found].sort();
    };
    const readOut1 = (uri: string) => index.record(uri, readSetOf([[ReadKind.references, 'OUT-1']]));
    readOut1(URIS[0]!);
    assert.deepEqual(readersOf(), URIS.slice(0, 1));
    for (const uri of URIS.slice(1, 3)) readOut1(uri);
    assert.deepEqual(readersOf(), URIS.slice(0, 3));
    for (const uri of URIS.slice(3)) readOut1(uri);
    assert.deepEqual(readersOf(), URIS);
    for (const uri of URIS.slice(2)) index.forget(uri);
    assert.deepEqual(readersOf(), URIS.slice(0, 2));
    index.forget(URIS[0]!);
    index.forget(URIS[1]!);
    assert.deepEqual(readersOf(), []);
  });
});
