import type { Workflow } from '../protocol/api';

/**
 * Workflows the benchmarks submit. `color` makes each prompt unique (no cache hit on the fake),
 * so every prompt costs the server the same work on both sides of a comparison.
 */

/** EmptyImage -> SaveImage (2 nodes, one output file). */
export function twoNodeImage(color: number): Workflow {
  return {
    '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color } },
    '2': { class_type: 'SaveImage', inputs: { images: ['1', 0], filename_prefix: 'bench' } },
  };
}

/** EmptyImage -> ImageInvert -> SaveImage (3 nodes: the recorded `success` scenario). */
export function threeNodeImage(color: number): Workflow {
  return {
    '1': { class_type: 'EmptyImage', inputs: { width: 8, height: 8, batch_size: 1, color } },
    '2': { class_type: 'ImageInvert', inputs: { image: ['1', 0] } },
    '3': { class_type: 'SaveImage', inputs: { images: ['2', 0], filename_prefix: 'bench' } },
  };
}

/** A source of distinct colors (EmptyImage takes 0..0xFFFFFF). */
export function colors(start = 1): () => number {
  let next = start;
  return () => {
    const color = next;
    next = next >= 0xffffff ? 1 : next + 1;
    return color;
  };
}
