import { InvalidArgumentError } from 'commander';
import { type SetAssignment, parseSetAssignment } from './setAssignment';

const nonNegativeInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number >= 0.');
  return n;
};

/**
 * Parsers of option values shared by the commands (commander calls them with the text typed; a
 * bad value becomes a usage error naming the option), and the help of the options several
 * commands share.
 *
 * @example
 * command.option('--count <n>', 'run it N times', optionValues.positiveInt, 1);
 */
export const optionValues = {
  positiveInt: (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number >= 1.');
    return n;
  },
  nonNegativeInt,
  port: (value: string): number => {
    const n = nonNegativeInt(value);
    if (n > 65_535) throw new InvalidArgumentError('expected a port number from 0 to 65535.');
    return n;
  },
  /** Seconds as typed (`--timeout 1.5`); see {@link optionValues.msOf}. */
  seconds: (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number of seconds > 0.');
    return n;
  },
  /** Milliseconds of an optional seconds option. */
  msOf: (seconds: number | undefined): number | undefined => (seconds === undefined ? undefined : seconds * 1000),
  /** Repeatable `--set path=value`. */
  collectSet: (value: string, previous: SetAssignment[] | undefined): SetAssignment[] => [...(previous ?? []), parseSetAssignment(value)],
  SET_HELP:
    'set an input before running, e.g. 6.inputs.text="a red fox", 3.inputs.steps=30, "Positive Prompt.inputs.text=a fox", or "Load Image.inputs.image=@photo.png" to upload a file (@ and an http(s) URL works too); node by id or title, the path must name one of its inputs; JSON when it parses, else a string; repeatable',
} as const;
