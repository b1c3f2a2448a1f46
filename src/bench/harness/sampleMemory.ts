/** What {@link sampleMemory} saw, in bytes: growths over the moment sampling started. */
export interface MemoryGrowth {
  readonly rssBefore: number;
  /** Highest sampled RSS minus `rssBefore`. */
  readonly peakRssGrowth: number;
  /** The kernel's RSS high-water mark (`resourceUsage().maxRSS`) growth meanwhile. */
  readonly maxRssGrowth: number;
  /** Highest sampled V8 heap size (`heapTotal`, young generation included) minus its size before. */
  readonly peakHeapTotalGrowth: number;
  /** Highest sampled `arrayBuffers` (Buffer memory: what buffering a file would grow) minus before. */
  readonly peakArrayBuffersGrowth: number;
  readonly samples: number;
}

/** A running {@link sampleMemory}. */
export interface MemorySampler {
  /** Takes a last sample, stops the timer and answers the growths (call it once). */
  stop(): MemoryGrowth;
}

/**
 * Samples this process's memory every `everyMs` ms from now on (a child of the memory benchmarks
 * calls it right after a forced GC, then runs the work it measures).
 * @example const sampler = sampleMemory(2); await work(); const { peakRssGrowth } = sampler.stop();
 */
export function sampleMemory(everyMs: number): MemorySampler {
  const before = process.memoryUsage();
  const maxRssBefore = process.resourceUsage().maxRSS * 1024;
  let peakRss = before.rss;
  let peakHeapTotal = before.heapTotal;
  let peakArrayBuffers = before.arrayBuffers;
  let samples = 0;
  const sample = () => {
    samples++;
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeapTotal = Math.max(peakHeapTotal, now.heapTotal);
    peakArrayBuffers = Math.max(peakArrayBuffers, now.arrayBuffers);
  };
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      sample();
      clearInterval(timer);
      return {
        rssBefore: before.rss,
        peakRssGrowth: peakRss - before.rss,
        maxRssGrowth: Math.max(0, process.resourceUsage().maxRSS * 1024 - maxRssBefore),
        peakHeapTotalGrowth: peakHeapTotal - before.heapTotal,
        peakArrayBuffersGrowth: peakArrayBuffers - before.arrayBuffers,
        samples,
      };
    },
  };
}
