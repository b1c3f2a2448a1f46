/**
 * quick-draw: a small menu. Pick a single character image, a few descriptions, or a short video;
 * watch the progress; find the files in ./output/quick-draw.
 *
 *   npx tsx examples/quick-draw.ts          # asks
 *   npx tsx examples/quick-draw.ts 2        # no questions: choice 2
 *   npx tsx examples/quick-draw.ts 1 "a wizard frog with a tiny hat"
 */
import { createInterface } from 'node:readline';
import {
  type BatchEvent,
  type ComfyClient,
  type Workflow,
  formatProgressLine,
  generate,
  progressMilestones,
  progressView,
  saveOutputs,
} from 'comfyui-rx';
import { connect, filter, ignoreElements, lastValueFrom, map, merge, mergeMap, tap, toArray } from 'rxjs';
import { loadWorkflow, openTarget, outputDir } from './_target';

const CHOICES = {
  '1': 'a single character image',
  '2': 'several descriptions (a small batch)',
  '3': 'a short video',
} as const;
type Choice = keyof typeof CHOICES;

const DEFAULT_CHARACTER = 'a knight in shining armour, full body, character sheet';
const BATCH = ['a lighthouse in a snow globe', 'a fox reading a map by lantern light', 'a teapot spaceship landing on the moon'];
const VIDEO = 'waves rolling onto a beach at sunset, gentle camera pan';

const isChoice = (value: string | undefined): value is Choice => value !== undefined && Object.hasOwn(CHOICES, value);

/** Asks on stdin (a terminal, or piped answers: lines are read in order, none is lost). */
async function ask(): Promise<{ choice: Choice; text?: string }> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY === true });
  const lines = rl[Symbol.asyncIterator]();
  const question = async (prompt: string): Promise<string> => {
    process.stdout.write(prompt);
    const next = await lines.next();
    if (next.done) throw new Error('no answer (stdin ended)');
    return String(next.value).trim();
  };
  try {
    console.log('What shall we draw?');
    for (const [key, label] of Object.entries(CHOICES)) console.log(`  ${key}) ${label}`);
    const answer = await question('Your choice (1-3): ');
    if (!isChoice(answer)) throw new Error(`no such choice: ${JSON.stringify(answer)}`);
    const text = answer === '1' ? await question(`Describe the character [${DEFAULT_CHARACTER}]: `) : '';
    return { choice: answer, text: text || undefined };
  } finally {
    rl.close();
  }
}

/**
 * Choice 1, with the building blocks: one `run` shared (`connect`) by its progress (printed as
 * lines) and by the download of its outputs once it is done.
 */
async function drawOne(client: ComfyClient, text: string): Promise<void> {
  const workflow: Workflow = loadWorkflow('text2image');
  workflow['6'].inputs.text = text;
  console.log(`Drawing "${text}"`);
  const saved = await lastValueFrom(
    client.run(workflow).pipe(
      connect((events$) =>
        merge(
          events$.pipe(
            progressView({ workflow }),
            progressMilestones(),
            tap((view) => console.log(formatProgressLine(view))),
            ignoreElements(),
          ),
          events$.pipe(
            filter((event) => event.type === 'done'),
            mergeMap((done) => saveOutputs(client.http, done.outputs, { dir: outputDir('quick-draw') })),
          ),
        ),
      ),
      toArray(),
    ),
  );
  for (const file of saved) console.log(`saved ${file.path}`);
}

/** Choices 2 and 3: a batch with `generate`, printed as it goes. */
async function drawBatch(client: ComfyClient, workflow: Workflow, descriptions: string[]): Promise<void> {
  let failed = 0;
  const lines$ = generate({ target: client, workflow, descriptions, out: { dir: outputDir('quick-draw') } }).pipe(
    map((event: BatchEvent) => {
      switch (event.type) {
        case 'item-start':
          return `${event.item.label}: "${event.item.description}"`;
        case 'prompt':
          return event.event.type === 'progress' && event.event.value === event.event.max ? `${event.item.label} sampling done` : undefined;
        case 'saved':
          return `${event.item.label} saved ${event.file.path}`;
        case 'item-failed':
          failed++;
          return `${event.item.label} failed: ${event.error.message}`;
        case 'item-done':
          return undefined;
        case 'summary':
          return `${event.summary.done}/${event.summary.total} done in ${(event.summary.elapsedMs / 1000).toFixed(1)}s`;
      }
    }),
    filter((line): line is string => line !== undefined),
    tap((line) => console.log(line)),
  );
  await lastValueFrom(lines$);
  if (failed) process.exitCode = 1;
}

async function main(): Promise<void> {
  const fromArgs = process.argv[2];
  if (fromArgs !== undefined && !isChoice(fromArgs)) throw new Error(`usage: quick-draw [1|2|3] [description] (got ${JSON.stringify(fromArgs)})`);
  const { choice, text } = fromArgs ? { choice: fromArgs, text: process.argv[3] } : await ask();
  console.log(`-> ${CHOICES[choice]}`);
  const target = await openTarget();
  try {
    if (choice === '1') await drawOne(target.client, text ?? DEFAULT_CHARACTER);
    if (choice === '2') await drawBatch(target.client, loadWorkflow('text2image'), BATCH);
    if (choice === '3') await drawBatch(target.client, loadWorkflow('text2video'), [VIDEO]);
  } finally {
    await target.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
