import type { CliContext } from './CliContext';
import { BarsRenderer } from './render/BarsRenderer';
import type { JobRenderer } from './render/JobRenderer';
import { JsonRenderer } from './render/JsonRenderer';
import { LinesRenderer } from './render/LinesRenderer';

/** Bars on a terminal, JSON lines with `--json`, plain lines otherwise (CI, pipes). */
export function createRenderer(ctx: CliContext, outDir?: string): JobRenderer {
  if (ctx.json) return new JsonRenderer((text) => ctx.out(text));
  if (ctx.bars) return new BarsRenderer(ctx.stdout, ctx.sink, outDir);
  return new LinesRenderer((text) => ctx.out(text), outDir);
}
