/**
 * What the run section does with the text of its input fields before a run:
 * read each as JSON or as a string, and say why a value cannot go to the run.
 * The run itself is planned by the library (`describeRun`), as the kernel runs it.
 */
import type { NeededInput } from 'dagcells/notebook';
import { describeValue, valueMatchesType } from 'dagcells/kernel';

export type { NeededInput };

/**
 * An input field's value: JSON when it parses, the text itself otherwise
 * (`[1, 2]` is an array, `US` is the string "US"); undefined when empty.
 */
export function parseInputValue(text: string): { value: unknown } | undefined {
  if (text.trim() === '') {
    return undefined;
  }
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { value: text };
  }
}

/** A check in depth of a value against type text: the first element or field at fault. */
export type DeepCheck = (value: unknown, type: string) => { path: string; message: string } | undefined;

/**
 * Why a field's value cannot go to the run, or undefined: its declared type
 * certainly rejects it. Text that is not JSON is read as a string, so for a
 * type that takes no string the message says what kept it from being JSON.
 * With `deep`, records, elements and unions are followed and the message
 * names the first element and field at fault.
 */
export function inputValueProblem(input: NeededInput, text: string, value: unknown, deep?: DeepCheck): string | undefined {
  if (input.type === undefined) {
    return undefined;
  }
  const fault = deep?.(value, input.type);
  if (!fault && (deep || valueMatchesType(value, input.type))) {
    return undefined;
  }
  const declares = `${input.consumers.join(', ') || 'its consumer'} declare${input.consumers.length > 1 ? '' : 's'} ${input.name}: ${input.type}`;
  if (typeof value === 'string' && value === text) {
    let reason = 'not JSON';
    try {
      JSON.parse(text);
    } catch (error) {
      reason = `not JSON: ${(error as Error).message}`;
    }
    return `${declares}, but ${JSON.stringify(text.length > 40 ? `${text.slice(0, 39)}…` : text)} is ${reason}.`;
  }
  return fault ? `${declares}, but ${fault.message}.` : `${declares}, but the value given is ${describeValue(value)}.`;
}
