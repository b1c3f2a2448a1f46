import type { DeclaredInput, NodeClass } from '../objectInfoIndex';
import { CORE_WIDGET_TYPES, DYNAMIC_COMBO_TYPE, SEED_NAMES, UPLOAD_AT_QUEUE_WIDGET_TYPES, UPLOAD_BY_NAME, UPLOAD_FLAGS } from './widgetTypes';

/** One widget the frontend creates for an input, with the companion widgets that follow it. */
export interface PlannedWidget {
  readonly name: string;
  readonly input?: DeclaredInput;
  /** `value` widgets are sent; `upload` is the button the frontend adds to loaders (saved, never sent). */
  readonly kind: 'value' | 'upload';
  /** The widget constructor's type (`INT`, `COMBO`, `COMFY_DYNAMICCOMBO_V3`, a pack's own). */
  readonly widgetType: string;
  /** Saved-but-never-sent companions right after it: `control_after_generate`, `control_filter_list`. */
  readonly companions: readonly ('control_after_generate' | 'control_filter_list')[];
  /** A widget kind only a node pack's browser code knows. */
  readonly unknownKind?: boolean;
  /** Made at queue time in the browser (painter, webcam, 3D). */
  readonly uploadsAtQueue?: boolean;
}

/**
 * The frontend's widget list for a node class, in creation order (docs/conversion.md §2.3): inputs in
 * `input_order`, a widget for every input whose type has a widget constructor (or that is
 * `socketless`, as newer servers' dict-valued widgets are) and is not `forceInput`, companions after their target, and the loaders' `upload` button after the optional
 * inputs (or after the required ones without `input_order`). `sockets` are the names of the node's
 * serialised widget sockets: an input of an unknown type that has one is a pack widget.
 */
export function planWidgets(nodeClass: NodeClass, widgetSockets: ReadonlySet<string>): PlannedWidget[] {
  return planInputs(nodeClass.inputs, widgetSockets, uploadPosition(nodeClass));
}

/** Plans the widgets of a list of inputs (a class's, or a DynamicCombo option's sub-inputs). */
export function planInputs(inputs: readonly DeclaredInput[], widgetSockets: ReadonlySet<string>, upload?: 'end' | 'afterRequired'): PlannedWidget[] {
  const plan: PlannedWidget[] = [];
  const uploadButton: PlannedWidget = { name: 'upload', kind: 'upload', widgetType: 'IMAGEUPLOAD', companions: [] };
  let required = true;
  for (const input of inputs) {
    if (upload === 'afterRequired' && required && input.category === 'optional') {
      plan.push(uploadButton);
      required = false;
    }
    const widget = planInput(input, widgetSockets);
    if (widget) plan.push(widget);
  }
  if ((upload === 'afterRequired' && required) || upload === 'end') plan.push(uploadButton);
  return plan;
}

function planInput(input: DeclaredInput, widgetSockets: ReadonlySet<string>): PlannedWidget | undefined {
  if (input.options.forceInput === true) return undefined;
  const declared = typeof input.options['widgetType'] === 'string' ? input.options['widgetType'] : input.type;
  // A socketless input (a V3 widget such as CAMERA_INFO_STATE) can only be a widget: its value is plain JSON.
  const known = CORE_WIDGET_TYPES.has(declared) || UPLOAD_AT_QUEUE_WIDGET_TYPES.has(declared) || input.options['socketless'] === true;
  if (!known && !widgetSockets.has(input.name)) return undefined;
  return {
    name: input.name,
    input,
    kind: 'value',
    widgetType: declared,
    companions: companionsOf(input, declared),
    ...(known ? {} : { unknownKind: true }),
    ...(UPLOAD_AT_QUEUE_WIDGET_TYPES.has(declared) ? { uploadsAtQueue: true } : {}),
  };
}

/** INT: a control when the spec says so, or (no key) for `seed`/`noise_seed`; COMBO: control + filter list. */
function companionsOf(input: DeclaredInput, widgetType: string): PlannedWidget['companions'] {
  const flag = input.options.control_after_generate;
  if (widgetType === 'INT') {
    const control = flag === undefined ? SEED_NAMES.has(input.name) : Boolean(flag);
    return control ? ['control_after_generate'] : [];
  }
  if (widgetType === 'COMBO' && flag) return ['control_after_generate', 'control_filter_list'];
  return [];
}

/** Where the frontend's upload extension puts the `upload` button of this class, if it adds one. */
function uploadPosition(nodeClass: NodeClass): 'end' | 'afterRequired' | undefined {
  const flagged = nodeClass.inputs.some((input) => input.type === 'COMBO' && UPLOAD_FLAGS.some((flag) => input.options[flag] === true));
  const anyFlag = nodeClass.inputs.some((input) => UPLOAD_FLAGS.some((flag) => input.options[flag] !== undefined));
  if (!flagged && (anyFlag || !UPLOAD_BY_NAME.has(nodeClass.name))) return undefined;
  return nodeClass.definition.input_order ? 'end' : 'afterRequired';
}

/** Is `type` a dynamic combo (its selected option decides the widgets that follow)? */
export function isDynamicCombo(widget: PlannedWidget): boolean {
  return widget.widgetType === DYNAMIC_COMBO_TYPE;
}
