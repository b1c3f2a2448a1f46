import { describeUnsaved } from './render/describeUnsaved';
import { unsavedOutputs } from './unsavedOutputs';

const workflow = {
  '2': { class_type: 'PreviewImage', inputs: {} },
  '3': { class_type: 'SaveImageWebsocket', inputs: {} },
  '4': { class_type: 'SaveImage', inputs: {} },
};
const outputs = {
  '2': { images: [{ filename: 'a.png', subfolder: '', type: 'temp' }, { filename: 'b.png', subfolder: '', type: 'temp' }] },
  '4': { images: [{ filename: 'c.png', subfolder: '', type: 'output' }] },
};

describe('unsavedOutputs', () => {
  it('names the temp files left on the server and the socket-only savers, in node order', () => {
    const unsaved = unsavedOutputs(outputs, workflow, false);
    expect(unsaved).toEqual([
      { nodeId: '2', classType: 'PreviewImage', reason: 'temp', files: 2 },
      { nodeId: '3', classType: 'SaveImageWebsocket', reason: 'socket', files: 0 },
    ]);
    expect(unsaved.map(describeUnsaved)).toEqual([
      '2 temp files of node 2 (PreviewImage): --include-temp saves them',
      'node 3 (SaveImageWebsocket) sends its images over the socket, not as files: nothing to save',
    ]);
  });

  it('with includeTemp, only the socket-only savers are left; a workflow of files only leaves nothing', () => {
    expect(unsavedOutputs(outputs, workflow, true).map((u) => u.reason)).toEqual(['socket']);
    expect(unsavedOutputs({ '4': outputs['4'] }, { '4': workflow['4'] }, false)).toEqual([]);
  });
});
