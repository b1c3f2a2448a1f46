/**
 * What the converter had to guess or could not reproduce, per node (docs/conversion.md §2.3, §2.4, §2.6).
 * `nodeId` is the execution id (`12`, `12:5`); the conversion still produced a prompt.
 */
export type ConversionWarningType =
  /** `widgets_values` holds more or fewer values than the widget list rebuilt from `/object_info`. */
  | 'widget_values_count'
  /** `widgets_values_named` disagrees with the positional value (the positional one was used). */
  | 'named_value_mismatch'
  /** An input of a widget kind that a node pack registers in the browser (value sent as stored). */
  | 'unknown_widget_kind'
  /** A widget that uploads data at queue time (painter, webcam, 3D viewer): not sent. */
  | 'unsupported_widget'
  /** A V3 DynamicCombo names an option the server no longer offers. */
  | 'unknown_combo_option'
  /** A bypassed node has no input matching the type its consumer wants: the input gets nothing. */
  | 'bypass_no_match'
  /** A KJNodes GetNode without a SetNode of its name, or with several. */
  | 'missing_setter'
  | 'duplicate_setter'
  /** A `%Node.widget%` replacement whose node or widget does not exist (left as is). */
  | 'unresolved_replacement'
  /** A link value pointing at a node that is not in the prompt was removed. */
  | 'dropped_link'
  /** An `/object_info` entry whose `name` is not its key (the key is the class). */
  | 'object_info_name_mismatch'
  /** DynamicCombo options nested deeper than the converter follows: the deeper sub-widgets are not read. */
  | 'dynamic_combo_depth'
  /** A `control_after_generate` slot holds something that is not a control mode: the saved values are probably shifted. */
  | 'control_value_shifted'
  /** Two nodes of one graph share an id: the later one is renumbered, as the editor does when it loads the file. */
  | 'duplicate_node_id'
  /** A node of a class the server lacks was rewritten with the server's node replacement. */
  | 'node_replaced';

export interface ConversionWarning {
  readonly type: ConversionWarningType;
  readonly nodeId: string;
  readonly classType?: string;
  /** The widget or input concerned, when there is one. */
  readonly input?: string;
  readonly message: string;
}
