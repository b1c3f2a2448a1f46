import { attributionBench } from './attribution.bench';
import { codegenBench } from './codegen.bench';
import { componentsBench } from './components.bench';
import { concurrentBench } from './concurrent.bench';
import type { BenchConfig } from './config';
import { convertBench } from './convert.bench';
import { dispatchBench } from './dispatch.bench';
import { downloadBench } from './download.bench';
import { uploadBench } from './upload.bench';
import { embeddedBench } from './embedded.bench';
import type { BenchResult } from './harness/report';
import { memoryBench } from './memory.bench';
import { peersBench } from './peers.bench';
import { poolBench } from './pool.bench';
import { queueBench } from './queue.bench';
import { pythonJsonBench } from './pythonJson.bench';
import { sequentialBench } from './sequential.bench';
import { validateBench } from './validate.bench';
import { v2Bench } from './v2.bench';

/** Every benchmark, in run order: the six cases, then where the time of cases 1-2 goes. */
export const BENCHMARKS: readonly { readonly id: string; readonly run: (config: BenchConfig) => Promise<BenchResult> }[] = [
  { id: 'sequential', run: sequentialBench },
  { id: 'concurrent', run: concurrentBench },
  { id: 'dispatch', run: dispatchBench },
  { id: 'memory', run: memoryBench },
  { id: 'download', run: downloadBench },
  { id: 'upload', run: uploadBench },
  { id: 'pool', run: poolBench },
  { id: 'attribution', run: attributionBench },
  { id: 'components', run: componentsBench },
  { id: 'validate', run: validateBench },
  { id: 'codegen', run: codegenBench },
  { id: 'convert', run: convertBench },
  { id: 'embedded', run: embeddedBench },
  { id: 'queue', run: queueBench },
  { id: 'pythonJson', run: pythonJsonBench },
  { id: 'peers', run: peersBench },
  { id: 'v2', run: v2Bench },
];

