import { isUiWorkflow } from '../convert/isUiWorkflow';
import { isPlainObject } from '../../util/isPlainObject';

/**
 * The UI workflow run options embed (`extraData.extra_pnginfo.workflow`, see
 * `withEmbeddedWorkflow`), when it is one.
 * @example embeddedUiWorkflow(withEmbeddedWorkflow({}, ui)) === ui // true
 */
export function embeddedUiWorkflow(options: { readonly extraData?: Record<string, unknown> }): Record<string, unknown> | undefined {
  const pngInfo = options.extraData?.extra_pnginfo;
  const workflow = isPlainObject(pngInfo) ? pngInfo.workflow : undefined;
  return isUiWorkflow(workflow) ? workflow : undefined;
}
