import fc from 'fast-check';
import { decodeBinaryFrame } from './binary';
import { parseMessage } from './messages';
import { parsePythonJson, stringifyPythonJson } from './pythonJson';

describe('parsePythonJson', () => {
  it('reads strict JSON exactly as JSON.parse does', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => expect(parsePythonJson(JSON.stringify(value))).toEqual(JSON.parse(JSON.stringify(value)))));
  });

  it("reads Python's NaN, Infinity and -Infinity as the JavaScript numbers", () => {
    expect(parsePythonJson('{"a": NaN, "b": [Infinity, -Infinity, 1.5], "c": {"d": -Infinity}}')).toEqual({
      a: Number.NaN,
      b: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1.5],
      c: { d: Number.NEGATIVE_INFINITY },
    });
    expect(parsePythonJson('NaN')).toBeNaN();
  });

  it('leaves the words inside strings alone (escaped quotes included)', () => {
    const text = '{"NaN": "Infinity \\" NaN -Infinity", "v": NaN, "w": "\\\\", "x": -Infinity}';
    expect(parsePythonJson(text)).toEqual({ NaN: 'Infinity " NaN -Infinity', v: Number.NaN, w: '\\', x: Number.NEGATIVE_INFINITY });
  });

  it('round-trips any JSON value holding non-finite numbers through stringifyPythonJson', () => {
    const number = fc.oneof(fc.double().map((x) => (x === 0 ? 0 : x)), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, number, fc.string(), fc.boolean(), fc.constant(null), fc.array(tie('node')), fc.dictionary(fc.string(), tie('node'))),
    })).node;
    fc.assert(fc.property(value, (v) => expect(parsePythonJson(stringifyPythonJson(v))).toEqual(v)));
  });

  it('an own "__proto__" key holding NaN stays an own key', () => {
    const value = parsePythonJson('{"__proto__": NaN, "a": [NaN, {"b": NaN}]}') as Record<string, unknown>;
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toBeNaN();
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(value.a).toEqual([Number.NaN, { b: Number.NaN }]);
  });

  it('writes the tokens Python writes, not null', () => {
    expect(stringifyPythonJson({ a: Number.NaN, b: [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY], s: 'NaN' })).toBe('{"a":NaN,"b":[Infinity,-Infinity],"s":"NaN"}');
  });

  it('throws the SyntaxError of JSON.parse for text that is JSON in neither dialect', () => {
    expect(() => parsePythonJson('{"a": nan}')).toThrow(SyntaxError);
    expect(() => parsePythonJson('{"a": NaN,}')).toThrow(SyntaxError);
    expect(() => parsePythonJson('<html>')).toThrow(SyntaxError);
  });
});

describe("Python's JSON on the socket", () => {
  it('parseMessage reads an execution_error whose current_inputs hold NaN', () => {
    const frame = '{"type": "execution_error", "data": {"prompt_id": "p", "node_id": "3", "node_type": "KSampler", "exception_message": "m", "exception_type": "ValueError", "traceback": [], "current_inputs": {"cfg": [NaN], "denoise": [Infinity]}}}';
    const message = parseMessage(frame);
    expect(message.type).toBe('execution_error');
    expect(message.type === 'execution_error' && message.data.current_inputs).toEqual({ cfg: [Number.NaN], denoise: [Number.POSITIVE_INFINITY] });
  });

  it('an unknown message type passes through with its non-finite values', () => {
    expect(parseMessage('{"type": "custom.node", "data": {"loss": NaN}}')).toEqual({ type: 'unknown', rawType: 'custom.node', data: { loss: Number.NaN } });
  });

  it('a numeric field the library computes with stays strict: progress with NaN is a protocol error', () => {
    expect(() => parseMessage('{"type": "progress", "data": {"value": NaN, "max": 10, "prompt_id": "p"}}')).toThrow(/Malformed 'progress'/);
  });

  it('preview metadata (binary type 4) in the same dialect', () => {
    const metadata = Buffer.from('{"image_type": "image/jpeg", "prompt_id": "p", "node_id": "3", "strength": NaN}');
    const header = Buffer.alloc(8);
    header.writeUInt32BE(4, 0);
    header.writeUInt32BE(metadata.length, 4);
    const message = decodeBinaryFrame(Buffer.concat([header, metadata, Buffer.from([0xff, 0xd8])]));
    expect(message.type === 'preview_image' && message.data.metadata?.prompt_id).toBe('p');
  });
});
