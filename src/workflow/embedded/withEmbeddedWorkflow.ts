import { isPlainObject } from '../../util/isPlainObject';

/**
 * `options` with the UI workflow in `extraData.extra_pnginfo.workflow` (other keys kept), as the
 * editor sends it: the server's savers write it into every output file, which then reopens in the
 * editor (see docs/conversion.md, "Workflows embedded in outputs").
 * @example comfy.run(prompt, withEmbeddedWorkflow({}, uiWorkflow))
 */
export function withEmbeddedWorkflow<O extends { readonly extraData?: Record<string, unknown> }>(options: O, workflow: unknown): O {
  const extraData = options.extraData ?? {};
  const pngInfo = extraData['extra_pnginfo'];
  const extraPngInfo = isPlainObject(pngInfo) ? pngInfo : {};
  return { ...options, extraData: { ...extraData, extra_pnginfo: { ...extraPngInfo, workflow } } };
}
