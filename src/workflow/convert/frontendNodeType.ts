/**
 * The renames the frontend applies to every node type of a workflow it loads (root and subgraph
 * definitions), before it looks for missing types: classes that were merged or had a typo
 * [FE app.ts loadGraphData]. A workflow saved with an old name converts as the editor would load it.
 */
const FRONTEND_RENAMES: Readonly<Record<string, string>> = {
  T2IAdapterLoader: 'ControlNetLoader',
  'ConditioningAverage ': 'ConditioningAverage',
  SDV_img2vid_Conditioning: 'SVD_img2vid_Conditioning',
  Load3DAnimation: 'Load3D',
  Preview3DAnimation: 'Preview3D',
};

/**
 * A node's type as the frontend loads it (the fixed renames applied).
 * @example frontendNodeType('T2IAdapterLoader') // 'ControlNetLoader'
 */
export function frontendNodeType(type: string): string {
  return Object.prototype.hasOwnProperty.call(FRONTEND_RENAMES, type) ? FRONTEND_RENAMES[type]! : type;
}
