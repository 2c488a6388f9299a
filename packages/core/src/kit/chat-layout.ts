import type { KubeEvent } from '../event/model.js';
import { eventTemplateRoots } from '../template/event-view.js';
import { compileTemplateOption } from '../template/option.js';
import type { CompileTemplateOptions, Template } from '../template/template.js';

/** How a chat sink's messages look: its `msg_type`, `label` and `template` options. */
export interface ChatLayout<T extends string = string> {
  readonly msgType: T;
  /** kube-eventer's `label` values: the first lines of every message. */
  readonly labels: readonly string[];
  /** The `template` option, compiled when the sink is created (a bad one stops the start). */
  readonly template?: Template | undefined;
}

/** The options `chatLayout` reads. */
export interface ChatLayoutOptions<T extends string> {
  readonly msg_type: T;
  readonly label?: readonly string[] | undefined;
  readonly template?: string | undefined;
}

/**
 * The layout from a chat sink's options; `compile` says how the template's
 * values are escaped for the message type and how long its output may be.
 */
export function chatLayout<T extends string>(
  sink: string,
  options: ChatLayoutOptions<T>,
  compile: Omit<CompileTemplateOptions, 'name'> = {},
): ChatLayout<T> & { readonly template: Template | undefined } {
  const { msg_type: msgType, label: labels = [], template } = options;
  // `template` always set: a layout spread over the options replaces the source.
  const compiled =
    template === undefined ? undefined : compileTemplateOption(sink, template, compile);
  return { msgType, labels, template: compiled };
}

/** Extra names a template sees beside the event's (`cluster_id`, `labels`...). */
export type TemplateRoots = (event: KubeEvent) => Readonly<Record<string, unknown>>;

/** Each event's text: the layout's template when it has one, else `fallback(event)`. */
export function eventTexts(
  batch: readonly KubeEvent[],
  layout: ChatLayout,
  fallback: (event: KubeEvent) => string,
  roots?: TemplateRoots,
): string[] {
  const { template } = layout;
  if (template === undefined) return batch.map((event) => fallback(event));
  return batch.map((event) => template.render(...eventTemplateRoots(event, roots?.(event))));
}

/** kube-eventer's message text: the labels, one per line, then the events, a blank line between. */
export function chatText(
  batch: readonly KubeEvent[],
  layout: ChatLayout,
  fallback: (event: KubeEvent) => string,
  roots?: TemplateRoots,
): string {
  return [...layout.labels, eventTexts(batch, layout, fallback, roots).join('\n\n')].join('\n');
}
