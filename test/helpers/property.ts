/**
 * Runs a fast-check property and, when it fails, throws an error whose message holds both the
 * shrunk counterexample (long runs of repeated characters abbreviated) and the failing assertion's
 * own message, which the node:test reporter would otherwise hide in the error's `cause`.
 *
 * Replay a failure with THROUGHLINE_FC_SEED=<seed> THROUGHLINE_FC_PATH=<path>.
 */
import fc from 'fast-check';

export function replayParameters(): Partial<fc.Parameters<unknown>> {
  const seed = process.env['THROUGHLINE_FC_SEED'];
  return seed ? { seed: Number(seed), path: process.env['THROUGHLINE_FC_PATH'], endOnFailure: true } : {};
}

function describeFailure(details: fc.RunDetails<unknown>): Error {
  const counterexample = JSON.stringify(details.counterexample, (_, value: unknown) => (value === undefined ? '<undefined>' : value)) ?? '';
  const shortened = counterexample.replace(/(.)\1{40,}/g, (run, character: string) => `<${character} ×${run.length}>`);
  const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  return new Error(
    `Property failed after ${details.numRuns} runs (seed ${details.seed}, path "${details.counterexamplePath}")\n` +
      `Counterexample: ${shortened.length > 4000 ? `${shortened.slice(0, 4000)}…` : shortened}\n` +
      `Failure: ${cause}`,
  );
}

export function assertProperty<T>(property: fc.IProperty<T>, parameters: fc.Parameters<T> = {}): void {
  const details = fc.check(property, { ...parameters, ...(replayParameters() as fc.Parameters<T>) }) as fc.RunDetails<T>;
  if (details.failed) throw describeFailure(details as fc.RunDetails<unknown>);
}

export async function assertAsyncProperty<T>(property: fc.IAsyncProperty<T>, parameters: fc.Parameters<T> = {}): Promise<void> {
  const details = (await fc.check(property, { ...parameters, ...(replayParameters() as fc.Parameters<T>) })) as fc.RunDetails<T>;
  if (details.failed) throw describeFailure(details as fc.RunDetails<unknown>);
}
