import type { DeclaredInput, NodeClass } from '../objectInfoIndex';
import type { FittingTypes } from './linkTypes';
import { literalType, union } from './tsSource';
import { CORE_WIDGET_TYPES } from '../convert/widgetTypes';

/** The TypeScript of one declared input: its property type, whether it may be left out, its JSDoc. */
export interface InputMember {
  readonly name: string;
  readonly type: string;
  readonly optional: boolean;
  readonly doc: readonly string[];
  /** A pattern key for the dotted children of a V3 dynamic input (`resize_type.${string}`). */
  readonly childrenKey?: string;
}

const VALUE_TYPES: Readonly<Record<string, string>> = { INT: 'number', FLOAT: 'number', STRING: 'string', BOOLEAN: 'boolean' };
const UPLOAD_FLAGS = ['image_upload', 'video_upload', 'audio_upload', 'file_upload'] as const;
/** Combos listed in JSDoc up to this many values (the union type always has them all). */
const DOC_COMBO_VALUES = 12;

/**
 * Types an input as the server takes it: a value of its kind (numbers, strings, booleans, a combo's
 * listed values) or a link of a fitting output type; link-only types (`MODEL`, a node pack's own
 * type) take a link; `*` takes anything. An input with a default may be left out (the builder fills
 * it in); so may every optional one. Upload combos take any file name (the file may be uploaded
 * after the types were generated).
 */
export function inputMember(nodeClass: NodeClass, input: DeclaredInput, fittingTypes: FittingTypes): InputMember {
  const declared = nodeClass.definition.input[input.category]?.[input.name]?.[0];
  const { options } = input;
  const doc = [...(options.tooltip ? [options.tooltip] : []), ...boundsDoc(input)];
  const optional = input.category === 'optional' || options.default !== undefined;
  const link = (types: readonly string[]) => `Link<${union(types.map((type) => JSON.stringify(type)))}>`;
  const fits = fittingTypes(declared);
  const orLink = (value: string) => (fits.length ? `${value} | ${link(fits)}` : value); // no link fits a legacy combo
  switch (input.type) {
    case '*':
      return { name: input.name, type: 'unknown', optional, doc };
    case 'COMBO':
      return { name: input.name, type: orLink(comboValues(input)), optional, doc: [...doc, ...comboDoc(input)] };
    case 'COMFY_MATCHTYPE_V3': {
      const allowed = (options as { template?: { allowed_types?: unknown } }).template?.allowed_types;
      if (allowed === '*') return { name: input.name, type: 'unknown', optional, doc };
      return { name: input.name, type: typeof allowed === 'string' ? link(fittingTypes(allowed)) : 'Link', optional, doc };
    }
    case 'COMFY_DYNAMICCOMBO_V3': {
      const keys = ((options as { options?: { key?: unknown }[] }).options ?? []).map((option) => literalType(option.key)).filter((key) => key !== undefined);
      return { name: input.name, type: keys.length ? union(keys) : 'string', optional, doc: [...doc, `Its inputs go in \`${input.name}.<name>\`.`], childrenKey: `${input.name}.` };
    }
    case 'COMFY_AUTOGROW_V3':
      return { name: input.name, type: 'unknown', optional: true, doc: [...doc, `Its inputs go in \`${input.name}.<name>\`.`], childrenKey: `${input.name}.` };
    default: {
      const value = VALUE_TYPES[input.type];
      if (value) return { name: input.name, type: orLink(value), optional, doc };
      // A widget of another kind (COLOR, CURVE, BOUNDING_BOX, a socketless dict such as CAMERA_INFO_STATE) takes its JSON value.
      if (CORE_WIDGET_TYPES.has(input.type) || options['socketless'] === true) return { name: input.name, type: 'unknown', optional, doc };
      return { name: input.name, type: link(fits), optional, doc };
    }
  }
}

function comboValues(input: DeclaredInput): string {
  if (UPLOAD_FLAGS.some((flag) => input.options[flag] === true)) return 'string';
  const literals = (input.combo ?? []).map(literalType);
  return literals.every((literal) => literal !== undefined) ? union(literals as string[]) : 'unknown';
}

function comboDoc(input: DeclaredInput): string[] {
  const values = input.combo ?? [];
  if (UPLOAD_FLAGS.some((flag) => input.options[flag] === true)) return [`A file name (the server listed ${values.length} when these types were generated).`];
  if (!values.length) return ['The server listed no values.'];
  if (values.length > DOC_COMBO_VALUES) return [`One of ${values.length} values.`];
  return [];
}

function boundsDoc(input: DeclaredInput): string[] {
  const { options } = input;
  const tags: string[] = [];
  if (options.default !== undefined) tags.push(`@default ${JSON.stringify(options.default)}`);
  if (options.min !== undefined) tags.push(`@minimum ${options.min}`);
  if (options.max !== undefined) tags.push(`@maximum ${options.max}`);
  if (options.step !== undefined) tags.push(`@step ${options.step}`);
  return tags;
}
