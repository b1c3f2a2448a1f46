/**
 * chain: text to image, then image to video. Stage 1 draws a still per description; `stageOutputs`
 * turns each saved still into an input of stage 2, which animates it with LTX-Video's
 * image-to-video graph. On the same server the stills are used where they are (their annotated
 * name, `"ComfyUI_00001_.png [output]"`: no upload); with a pool, a still made on one server is
 * downloaded and uploaded to the server that animates it. Then one of your own pictures is
 * animated too: a local file goes through `inputs` and is uploaded once (content-addressed).
 *
 *   npx tsx examples/chain.ts [picture.png]
 */
import { generate, image2video, stageOutputs, text2image } from 'comfyui-rx';
import { lastValueFrom, tap, toArray } from 'rxjs';
import { loadWorkflow, openTarget, outputDir } from './_target';

const DESCRIPTIONS = ['a lighthouse on a cliff at dusk', 'a paper boat on a puddle'];

async function main(): Promise<void> {
  const { client, fake, close } = await openTarget();
  try {
    // 1. text to image: one still per description
    const stills = await lastValueFrom(
      generate({ target: client, workflow: loadWorkflow('text2image'), descriptions: DESCRIPTIONS, strategy: text2image({ width: 512, height: 512 }), out: { dir: outputDir('chain/stills') } }).pipe(
        tap((event) => event.type === 'saved' && console.log(`still: ${event.file.path}`)),
        stageOutputs(client, { kinds: ['images'] }), // each saved still, as an input handle for the next stage
        toArray(),
      ),
    );
    console.log(`stage 1: ${stills.length} stills`);

    // 2. image to video: each still animated (one item per input; the template's own motion prompt is kept)
    const own = process.argv[2];
    const inputs = own ? [...stills, own] : stills;
    const summary = await lastValueFrom(
      generate({ target: client, workflow: loadWorkflow('image2video'), inputs, strategy: image2video({ length: 25, width: 512, height: 512 }), out: { dir: outputDir('chain/videos') } }).pipe(
        tap((event) => {
          if (event.type === 'prompt' && event.event.type === 'queued') console.log(`${event.item.label}: queued with ${JSON.stringify(event.event.inputs)}`);
          if (event.type === 'saved') console.log(`video: ${event.file.path}`);
        }),
      ),
    );
    if (summary.type === 'summary') console.log(`stage 2: ${summary.summary.done}/${summary.summary.total} videos`);
    if (fake) console.log(`uploads to the server: ${fake.listFiles('input').length}`);
  } finally {
    await close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
