import { CliUsageError } from './CliUsageError';
import { applySetAssignments, parseSetAssignment, splitSetAssignments } from './setAssignment';

const workflow = {
  '3': { class_type: 'KSampler', inputs: { seed: 1, steps: 20 } },
  '6': { class_type: 'CLIPTextEncode', inputs: { text: 'old', clip: ['4', 1] } },
};

describe('parseSetAssignment', () => {
  it('parses JSON values when they parse, and keeps the text as a string otherwise', () => {
    expect(parseSetAssignment('3.inputs.steps=30')).toEqual({ path: ['3', 'inputs', 'steps'], value: 30, text: '3.inputs.steps=30' });
    expect(parseSetAssignment('3.inputs.denoise=0.5').value).toBe(0.5);
    expect(parseSetAssignment('9.inputs.flag=true').value).toBe(true);
    expect(parseSetAssignment('6.inputs.text="42"').value).toBe('42');
    expect(parseSetAssignment('6.inputs.text=a red fox, 4k').value).toBe('a red fox, 4k');
    expect(parseSetAssignment('6.inputs.text=a=b').value).toBe('a=b');
    expect(parseSetAssignment('6.inputs.clip=["4",1]').value).toEqual(['4', 1]);
    expect(parseSetAssignment('6.inputs.text=').value).toBe('');
  });

  it('rejects a missing = or a path without a key, with a usage error', () => {
    expect(() => parseSetAssignment('6.inputs.text')).toThrow(CliUsageError);
    expect(() => parseSetAssignment('=x')).toThrow(/NODE.PATH=VALUE/);
    expect(() => parseSetAssignment('6=x')).toThrow(/node id and a key/);
    expect(() => parseSetAssignment('6..text=x')).toThrow(CliUsageError);
  });
});

describe('file assignments', () => {
  it('@FILE and @URL name files to upload (as the inputs run option); @@ starts a plain value with @', () => {
    expect(parseSetAssignment('Load Image.inputs.image=@photo.png')).toMatchObject({ path: ['Load Image', 'inputs', 'image'], file: 'photo.png' });
    expect(parseSetAssignment('10.inputs.image=@https://example.com/a.png').file).toBe('https://example.com/a.png');
    expect(parseSetAssignment('6.inputs.text=@@home')).toMatchObject({ value: '@home' });
    expect(() => parseSetAssignment('10.inputs.image=@')).toThrow(/@ needs a file or a URL/);
    const titled = { '10': { class_type: 'LoadImage', inputs: { image: 'x.png' }, _meta: { title: 'Load Image' } } };
    const split = splitSetAssignments(titled, [parseSetAssignment('Load Image.inputs.image=@photo.png')]);
    expect(split.inputs).toEqual({ '10.inputs.image': 'photo.png' });
    expect(split.workflow['10']?.inputs.image).toBe('x.png');
  });
});

describe('applySetAssignments', () => {
  it('returns a changed copy and leaves the original alone', () => {
    const changed = applySetAssignments(workflow, [parseSetAssignment('6.inputs.text=new'), parseSetAssignment('3.inputs.seed=7')]);
    expect(changed['6'].inputs.text).toBe('new');
    expect(changed['3'].inputs).toEqual({ seed: 7, steps: 20 });
    expect(workflow['6'].inputs.text).toBe('old');
  });

  it('names the missing node and the nodes there are', () => {
    expect(() => applySetAssignments(workflow, [parseSetAssignment('99.inputs.text=x')])).toThrow('--set 99.inputs.text=x: node 99 is not in the workflow (nodes: 3, 6)');
  });

  it('refuses a path that names no input of the node, listing its inputs', () => {
    expect(() => applySetAssignments(workflow, [parseSetAssignment('6.inputs.text.deeper=x')])).toThrow('--set 6.inputs.text.deeper=x: node 6 (CLIPTextEncode) has no input "inputs.text.deeper" (its inputs: text, clip; write <node>.inputs.<name>)');
    expect(() => applySetAssignments(workflow, [parseSetAssignment('3.inputs.stpes=4')])).toThrow('--set 3.inputs.stpes=4: node 3 (KSampler) has no input "stpes" (its inputs: seed, steps; write <node>.inputs.<name>)');
    expect(() => applySetAssignments(workflow, [parseSetAssignment('3.steps=4')])).toThrow(/node 3 \(KSampler\) has no input "steps" \(its inputs: seed, steps/);
  });

  it('addresses a node by its title (titles may contain dots); an id wins over a title', () => {
    const titled = {
      '6': { class_type: 'CLIPTextEncode', inputs: { text: 'old' }, _meta: { title: 'Positive Prompt' } },
      '7': { class_type: 'CLIPTextEncode', inputs: { text: 'old' }, _meta: { title: 'v1.5 prompt' } },
    };
    const changed = applySetAssignments(titled, [parseSetAssignment('Positive Prompt.inputs.text=a fox'), parseSetAssignment('v1.5 prompt.inputs.text=b')]);
    expect(changed['6']!.inputs.text).toBe('a fox');
    expect(changed['7']!.inputs.text).toBe('b');
  });

  it('an ambiguous title is a usage error listing the candidates', () => {
    const twins = {
      '6': { class_type: 'CLIPTextEncode', inputs: { text: 'a' }, _meta: { title: 'Prompt' } },
      '7': { class_type: 'CLIPTextEncode', inputs: { text: 'b' }, _meta: { title: 'Prompt' } },
    };
    expect(() => applySetAssignments(twins, [parseSetAssignment('Prompt.inputs.text=x')])).toThrow(
      new CliUsageError('--set Prompt.inputs.text=x: 2 nodes are titled "Prompt": 6 (CLIPTextEncode), 7 (CLIPTextEncode); use the node id'),
    );
  });
});
