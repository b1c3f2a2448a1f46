import {
  ComfyExecutionError,
  ComfyInvalidPromptError,
  ComfyInvalidUiWorkflowError,
  ComfyMissingNodeTypesError,
  ComfyPromptRejectedError,
  ComfyServerWouldFailError,
  ComfyValidationError,
  type ValidationReason,
} from './errors';
import { NodeErrors, ValidationReason as ValidationReasonSchema } from './protocol/api';
import { ExecutionErrorData } from './protocol/messages';

describe('ComfyExecutionError.fromData', () => {
  it('takes node, type, message and traceback from execution_error data', () => {
    const data = ExecutionErrorData.parse({ prompt_id: 'p1', node_id: '3', node_type: 'KSampler', exception_message: 'OOM\n', exception_type: 'torch.OutOfMemoryError', traceback: ['  File "x.py"\n'] });
    const error = ComfyExecutionError.fromData('p1', data);
    expect(error).toBeInstanceOf(ComfyExecutionError);
    expect(error).toMatchObject({ promptId: 'p1', nodeId: '3', nodeType: 'KSampler', exceptionMessage: 'OOM\n', exceptionType: 'torch.OutOfMemoryError', traceback: ['  File "x.py"\n'] });
    expect(error.message).toBe('Node 3 (KSampler) failed: torch.OutOfMemoryError: OOM');
  });
});

describe('ComfyValidationError', () => {
  it('carries node_errors typed by the protocol schema, parsed or as sent', () => {
    const reason: ValidationReason = ValidationReasonSchema.parse({ type: 'value_not_in_list', message: 'Value not in list', details: 'ckpt_name', extra_info: {} });
    const parsed = NodeErrors.parse({ '4': { errors: [reason], class_type: 'CheckpointLoaderSimple' } });
    expect(new ComfyPromptRejectedError('rejected', 'prompt_outputs_failed_validation', parsed).nodeErrors['4']?.dependent_outputs).toEqual([]);
    expect(new ComfyPromptRejectedError('rejected', 'x', { '4': { errors: [reason] } }).nodeErrors['4']?.errors[0]?.type).toBe('value_not_in_list');
  });

  it('has one subclass per thing that happened, each a ComfyValidationError, none an instance of another', () => {
    const errors = [
      new ComfyPromptRejectedError('rejected', 'prompt_outputs_failed_validation', {}),
      new ComfyInvalidPromptError('Invalid workflow: 1.class_type', '1.class_type', []),
      new ComfyInvalidUiWorkflowError('Invalid UI workflow at nodes', {}, 'nodes'),
      new ComfyServerWouldFailError('The server would fail on this prompt', 'server_exception', "KeyError: 'inputs'"),
      new ComfyMissingNodeTypesError([{ type: 'Foo', nodeIds: ['1'] }]),
    ];
    const classes = [ComfyPromptRejectedError, ComfyInvalidPromptError, ComfyInvalidUiWorkflowError, ComfyServerWouldFailError, ComfyMissingNodeTypesError];
    for (const error of errors) {
      expect(error).toBeInstanceOf(ComfyValidationError);
      expect(error.code).toBe('COMFYRX_VALIDATION');
      expect(classes.filter((kind) => error instanceof kind)).toEqual([error.constructor]);
      expect(error.name).toBe(error.constructor.name);
    }
  });
});
