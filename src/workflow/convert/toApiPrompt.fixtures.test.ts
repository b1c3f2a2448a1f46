import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import objectInfo from '../__fixtures__/object_info-0.8.0.json';
import { ObjectInfoIndex } from '../objectInfoIndex';
import { toApiPrompt } from './toApiPrompt';

/**
 * The 10 shared pairs (README of __fixtures__): each UI workflow converted against the real 0.8.0
 * /object_info and compared node by node with the prompt the frontend made. The README's known
 * old-file differences are encoded per fixture below, nothing else is tolerated.
 */
const dir = join(__dirname, '../__fixtures__');
const names = readdirSync(dir).filter((file) => file.endsWith('.workflow.json')).map((file) => file.replace('.workflow.json', ''));
const index = ObjectInfoIndex.from(objectInfo);

type Entry = { class_type: string; inputs: Record<string, unknown>; _meta?: { title: string } };

/** 2023 prompts carried LoadImage's upload-button value; today's frontend does not send it. */
const UPLOAD_BUTTON_VALUES: Record<string, Record<string, string[]>> = {
  img2img__img2img_workflow: { '10': ['choose file to upload'] },
  stable_cascade__stable_cascade__inpaint_controlnet: { '50': ['upload'] },
};
/** Inputs the node gained since the image was made: absent from the old prompt, the /object_info default in ours. */
const GAINED_INPUTS: Record<string, Record<string, string[]>> = {
  flux__girl_in_field: { '11': ['device'] },
};
/** The 2023 group-node expansion numbered the children anew; today's frontend uses `<instance>:<index>`. */
const GROUP_NODE_IDS: Record<string, Record<string, string>> = {
  stable_cascade__stable_cascade__inpaint_controlnet: { '60': '68:5', '61': '68:3', '62': '68:0', '64': '68:2', '66': '68:1' },
};

function expectedPrompt(name: string): Record<string, Entry> {
  const raw = JSON.parse(readFileSync(join(dir, `${name}.prompt.json`), 'utf8')) as Record<string, Entry>;
  const ids = GROUP_NODE_IDS[name] ?? {};
  const renamed = (id: string) => ids[id] ?? id;
  const result: Record<string, Entry> = {};
  for (const [id, entry] of Object.entries(raw)) {
    const inputs = Object.fromEntries(
      Object.entries(entry.inputs)
        .filter(([input]) => !(UPLOAD_BUTTON_VALUES[name]?.[id] ?? []).includes(input))
        .map(([input, value]) => [input, Array.isArray(value) && typeof value[0] === 'string' ? [renamed(value[0]), value[1]] : value]),
    );
    result[renamed(id)] = { class_type: entry.class_type, inputs, ...(entry._meta ? { _meta: entry._meta } : {}) };
  }
  return result;
}

describe('toApiPrompt on the shared frontend-made pairs', () => {
  it('covers the 10 pairs', () => expect(names).toHaveLength(10));

  it.each(names)('%s converts to the frontend prompt, node by node', (name) => {
    const workflow = JSON.parse(readFileSync(join(dir, `${name}.workflow.json`), 'utf8'));
    const expected = expectedPrompt(name);
    const { prompt } = toApiPrompt(workflow, index);
    expect(Object.keys(prompt).sort()).toEqual(Object.keys(expected).sort());
    for (const [id, want] of Object.entries(expected)) {
      const got = prompt[id]!;
      const gained = GAINED_INPUTS[name]?.[id] ?? [];
      const inputs = Object.fromEntries(Object.entries(got.inputs).filter(([input]) => !gained.includes(input)));
      expect({ id, class_type: got.class_type, inputs }).toEqual({ id, class_type: want.class_type, inputs: want.inputs });
      for (const input of gained) {
        expect(want.inputs).not.toHaveProperty(input);
        const declared = index.get(got.class_type)!.inputsByName.get(input)!;
        expect(got.inputs[input]).toEqual(declared.options.default ?? declared.combo?.[0]);
      }
      if (want._meta) expect(got._meta).toEqual(want._meta);
    }
  });

  it('warns about the values a node lacks for an input it gained (and only there)', () => {
    const workflow = JSON.parse(readFileSync(join(dir, 'flux__girl_in_field.workflow.json'), 'utf8'));
    const { warnings } = toApiPrompt(workflow, index);
    expect(warnings).toEqual([expect.objectContaining({ type: 'widget_values_count', nodeId: '11', classType: 'DualCLIPLoader' })]);
  });
});
