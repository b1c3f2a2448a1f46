import { freemem, totalmem } from 'node:os';
import { emptyReply, jsonReply, textReply, type Reply } from './reply';
import type { Handler } from './routeContext';

/** `GET /system_stats`, shaped like ComfyUI 0.8.0 on CPU (with the version the fake answers as). */
export const getSystemStats: Handler = (_request, context) => {
  const { host, port } = context.address();
  const total = totalmem();
  const free = freemem();
  return jsonReply({
    system: {
      os: process.platform,
      ram_total: total,
      ram_free: free,
      comfyui_version: context.server.version,
      required_frontend_version: '1.35.9',
      installed_templates_version: null,
      required_templates_version: '0.7.67',
      python_version: `3.11.2 (fake: node ${process.version})`,
      pytorch_version: '2.5.1+cpu',
      embedded_python: false,
      argv: ['main.py', '--cpu', '--listen', host, '--port', String(port)],
    },
    devices: [{ name: 'cpu', type: 'cpu', index: null, vram_total: total, vram_free: free, torch_vram_total: total, torch_vram_free: free }],
  });
};

/** `GET /object_info`: every class the fake has (excluded ones left out). */
export const getObjectInfo: Handler = (_request, context) => jsonReply(context.catalog.objectInfo({ files: context.files }));

/** `GET /object_info/{class}`: `{class: def}` or `{}`. */
export const getObjectInfoOf: Handler = (request, context) => {
  const classType = decodeURIComponent(request.path.slice('/object_info/'.length));
  const definition = context.catalog.describe(classType, { files: context.files });
  return jsonReply(definition ? { [classType]: definition } : {});
};

/** `GET /features` */
export const getFeatures: Handler = (_request, context) => jsonReply(context.features());

/** `GET /node_replacements` (newer servers; 0.8.0 has no such route: 404). */
export const getNodeReplacements: Handler = (_request, context) =>
  context.server.nodeReplacements ? jsonReply(context.server.nodeReplacements) : textReply('404: Not Found', 404);

/** `GET /embeddings` */
export const getEmbeddings: Handler = (_request, context) => jsonReply((context.models.embeddings ?? []).map((name) => name.replace(/\.[^.]+$/, '')));

/** `GET /models`: folder types. */
export const getModelFolders: Handler = (_request, context) => jsonReply(Object.keys(context.models));

/** `GET /models/{folder}`: file names, 404 for an unknown folder. */
export const getModelFiles: Handler = (request, context): Reply => {
  const folder = decodeURIComponent(request.path.slice('/models/'.length));
  const files = context.models[folder];
  return files ? jsonReply(files) : emptyReply(404);
};

/** `GET /extensions`: frontend extension scripts (none). */
export const getExtensions: Handler = () => jsonReply([]);

/** `GET /`: a placeholder page (the fake has no frontend). */
export const getRoot: Handler = () => ({
  status: 200,
  headers: { 'Content-Type': 'text/html; charset=utf-8' },
  body: '<!doctype html><title>ComfyUI (fake)</title><p>FakeComfyServer from comfyui-rx: API only, no frontend.</p>\n',
});
