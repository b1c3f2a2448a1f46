import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import objectInfo from '../__fixtures__/object_info-0.8.0.json';
import { ObjectInfoIndex } from '../objectInfoIndex';
import { validatePrompt } from './validatePrompt';

/** One recorded `POST /prompt` of ComfyUI 0.8.0 (`../__fixtures__/validation.jsonl`; what it shows: docs/protocol.md §6.1). */
interface RecordedCase {
  case: string;
  request: { prompt: unknown; partial_execution_targets?: unknown };
  status: 200 | 400;
  body: { error?: unknown; node_errors: Record<string, { errors: unknown[]; dependent_outputs: string[]; class_type: string }> };
}

const cases: RecordedCase[] = readFileSync(join(__dirname, '../__fixtures__/validation.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as RecordedCase);

/** The recorder wrote Python's bare `Infinity` / `NaN` as strings; JSON has no other spelling. */
const nonFiniteAsText = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));

/** Order aside (Python's set order changes per process): reasons, dependent outputs and detail lines sorted. */
function normalised(body: { error?: unknown; node_errors: RecordedCase['body']['node_errors'] }) {
  const sortJson = <T>(items: readonly T[]) => [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const nodeErrors = Object.fromEntries(
    Object.entries(body.node_errors).map(([id, entry]) => [id, { ...entry, errors: sortJson(entry.errors), dependent_outputs: [...entry.dependent_outputs].sort() }]),
  );
  const error = body.error as { details?: string } | undefined;
  return nonFiniteAsText({
    error: error ? { ...error, details: (error.details ?? '').split('\n').sort().join('\n') } : undefined,
    node_errors: nodeErrors,
  });
}

describe('validatePrompt against the 53 answers of the real ComfyUI 0.8.0', () => {
  const index = ObjectInfoIndex.from(objectInfo);

  it('has all 53 recorded cases', () => {
    expect(cases).toHaveLength(53);
  });

  it.each(cases.map((recorded) => [recorded.case, recorded] as const))('%s', (_name, recorded) => {
    const answer = validatePrompt(recorded.request.prompt, index, { partialExecutionTargets: recorded.request.partial_execution_targets });
    expect(answer.status).toBe(recorded.status);
    const ours = answer.status === 200 ? { node_errors: answer.node_errors } : { error: answer.error, node_errors: answer.node_errors };
    const theirs = recorded.status === 200 ? { node_errors: recorded.body.node_errors } : recorded.body;
    expect(normalised(ours)).toEqual(normalised(theirs));
  });

  it('reproduces the recorded dependent_outputs order of a node shared by failing outputs (ours follow key order)', () => {
    const recorded = cases.find((c) => c.case === 'two_outputs_both_invalid')!;
    const answer = validatePrompt(recorded.request.prompt, index);
    expect(answer.node_errors['2']?.dependent_outputs).toEqual(recorded.body.node_errors['2']?.dependent_outputs);
  });
});
