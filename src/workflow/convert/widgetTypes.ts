/**
 * Widget kinds of the frontend (docs/conversion.md §2.3): which input types get a widget, and which
 * widgets cannot be reproduced without a browser.
 */

/** Types with a widget constructor in the core frontend [FE scripts/widgets.ts]. */
export const CORE_WIDGET_TYPES: ReadonlySet<string> = new Set([
  'INT', 'FLOAT', 'BOOLEAN', 'STRING', 'COMBO', 'MARKDOWN', 'IMAGEUPLOAD', 'COLOR', 'IMAGECOMPARE', 'BOUNDING_BOX', 'CHART',
  'GALLERIA', 'PAINTER', 'COMPOSITOR', 'TEXTAREA', 'CURVE', 'RANGE', 'VIDEO_EDIT', 'RESOLUTION_PREVIEW', 'BOUNDING_BOXES',
  'COLORS', 'COMFY_DYNAMICCOMBO_V3',
]);

/**
 * Widgets whose value is made at queue time in the browser (a capture, a painted mask, a 3D
 * viewer's render uploaded then): the stored value is stale, so they are reported, not sent.
 */
export const UPLOAD_AT_QUEUE_WIDGET_TYPES: ReadonlySet<string> = new Set([
  'WEBCAM', 'AUDIO_RECORD', 'LOAD_3D', 'LOAD_3D_ANIMATION', 'PAINTER', 'COMPOSITOR',
]);

/** The V3 DynamicCombo: a combo whose selected option adds its own sub-inputs (`x.sub`). */
export const DYNAMIC_COMBO_TYPE = 'COMFY_DYNAMICCOMBO_V3';

/** Curve widgets are sent as `{__type__: "CURVE", __value__}` (later frontends). */
export const CURVE_TYPE = 'CURVE';

/** Combo flags that make the frontend add an `upload` button widget [FE uploadImage.ts]. */
export const UPLOAD_FLAGS = ['image_upload', 'video_upload', 'animated_image_upload', 'audio_upload'] as const;

/** Core loaders that get the upload button by name when no flag is present (the revision read). */
export const UPLOAD_BY_NAME: ReadonlySet<string> = new Set(['LoadImage', 'LoadImageMask', 'LoadVideo', 'LoadAudio']);

/** INT inputs that get a `control_after_generate` companion by name when the spec does not say [FE useIntWidget.ts]. */
export const SEED_NAMES: ReadonlySet<string> = new Set(['seed', 'noise_seed']);
