import type { ServerValidationReason } from '../../protocol/validation';
import type { CheckedInput } from './classInputs';
import { PyException } from './pyException';
import { pyBool, pyCompare, pyContains, pyFloat, pyFloatText, pyInt, pyRepr, pyStr } from './python';
import type { ServerDialect } from '../server/serverTraits';
import { BOUND_CHECK_FRAME } from './tracebacks';
import { isPlainObject } from '../../util/isPlainObject';

/** ComfyUI prints a combo's values only up to this many; longer lists read `(list of length N)`. */
const MAX_LISTED_COMBO_VALUES = 20;


/** `input_config` of a reason: the declared `[type, options]`. */
export const inputConfig = (input: CheckedInput): readonly unknown[] => [input.type, input.options];

/**
 * A literal (non-link) value as `validate_inputs` converts it: `{"__value__": v}` unwrapped, then
 * `int()` / `float()` / `str()` / `bool()` for INT / FLOAT / STRING / BOOLEAN inputs. Other types
 * keep the value. A failed conversion is an `invalid_input_type` reason; `write` tells whether
 * the server stores the new value in the prompt.
 */
export function coerceLiteral(input: CheckedInput, raw: unknown): { value: unknown; write: boolean } | { reason: ServerValidationReason } {
  let value = raw;
  let unwrapped = false;
  if (isPlainObject(value) && Object.prototype.hasOwnProperty.call(value, '__value__')) {
    value = value.__value__;
    unwrapped = true;
  }
  try {
    switch (input.type) {
      case 'INT':
        return { value: pyInt(value), write: true };
      case 'FLOAT':
        return { value: pyFloat(value), write: true };
      case 'STRING':
        return { value: pyStr(value), write: true };
      case 'BOOLEAN':
        return { value: pyBool(value), write: true };
      default:
        return { value, write: unwrapped };
    }
  } catch (error) {
    const text = error instanceof PyException ? error.text : String(error);
    return {
      reason: {
        type: 'invalid_input_type',
        message: `Failed to convert an input value to a ${pyStr(input.type)} value`,
        details: `${input.name}, ${pyStr(value)}, ${text}`,
        extra_info: { input_name: input.name, input_config: inputConfig(input), received_value: value, exception_message: text },
      },
    };
  }
}

/** `str()` of a value in a bound message: FLOAT inputs and their bounds print as Python floats. */
function boundText(value: unknown, input: CheckedInput): string {
  return input.type === 'FLOAT' && typeof value === 'number' ? pyFloatText(value) : pyStr(value);
}

/** The two bounds, as ComfyUI checks them: `val < min`, then `val > max`. */
const BOUNDS = [
  { key: 'min', greater: false, type: 'value_smaller_than_min', words: 'smaller than min' },
  { key: 'max', greater: true, type: 'value_bigger_than_max', words: 'bigger than max' },
] as const;

/**
 * The min, max and combo checks of a converted literal, in ComfyUI's order (the first failure
 * only), as the server of `dialect` words them. Raises (a PyException) where Python cannot
 * compare the value with a bound.
 */
export function checkLiteral(input: CheckedInput, value: unknown, dialect: ServerDialect = '0.8.0'): ServerValidationReason | undefined {
  const { name, options } = input;
  for (const bound of BOUNDS) {
    if (!(bound.key in options)) continue;
    let outside: boolean;
    try {
      outside = pyCompare(value, options[bound.key], bound.greater);
    } catch (error) {
      throw error instanceof PyException ? new PyException(error.pyType, error.text, [BOUND_CHECK_FRAME]) : error;
    }
    if (outside) {
      return {
        type: bound.type,
        message: `Value ${boundText(value, input)} ${bound.words} of ${boundText(options[bound.key], input)}`,
        details: name,
        extra_info: { input_name: name, input_config: inputConfig(input), received_value: value },
      };
    }
  }
  if (Array.isArray(input.type) || input.type === 'COMBO') {
    // Newer servers skip combos whose options the frontend fetches (`remote_combo`).
    if (dialect !== '0.8.0' && !Array.isArray(input.type) && pyBool(options.remote_combo ?? false)) return undefined;
    const values: unknown = Array.isArray(input.type) ? input.type : (options.options ?? []);
    const invalid = dialect === '0.8.0' ? (pyContains(values, value) ? [] : [value]) : invalidComboValues(values, value, options.multiselect ?? false);
    if (invalid.length > 0) {
      const length = Array.isArray(values) || typeof values === 'string' ? values.length : 0;
      const long = length > MAX_LISTED_COMBO_VALUES;
      // 0.8.0 quoted str(value); newer servers join the repr() of each invalid value.
      const shown = dialect === '0.8.0' ? `'${pyStr(value)}'` : invalid.map(pyRepr).join(', ');
      return {
        type: 'value_not_in_list',
        message: 'Value not in list',
        details: `${name}: ${shown} not in ${long ? `(list of length ${length})` : pyStr(values)}`,
        extra_info: { input_name: name, input_config: long ? null : inputConfig(input), received_value: value },
      };
    }
  }
  return undefined;
}

/** Newer servers: a multiselect combo's list value reports each value not offered; any other value itself. */
function invalidComboValues(values: unknown, value: unknown, multiselect: unknown): unknown[] {
  if (pyBool(multiselect) && Array.isArray(value)) return value.filter((each) => !pyContains(values, each));
  return pyContains(values, value) ? [] : [value];
}

