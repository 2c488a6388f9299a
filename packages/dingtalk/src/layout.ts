import {
  eventFields,
  eventTemplateRoots,
  type KubeEvent,
  muteChatMarkdown,
  renderTitle,
  type Template,
} from '@keventer/core';

/** How messages look: from the sink's options, fixed at creation. */
export interface Layout {
  readonly msgType: 'text' | 'markdown';
  /** kube-eventer's `label` values: the first lines of every message. */
  readonly labels: readonly string[];
  readonly clusterId?: string;
  readonly region?: string;
  /**
   * Replaces the field lines of each event; labels still come first. Compiled
   * with `muteChatMarkdown` for markdown and within the body limit.
   */
  readonly template?: Template;
}

/** The text of a message (text.content or markdown.text), before size fitting. */
export function renderContent(batch: readonly KubeEvent[], layout: Layout): string {
  if (layout.msgType === 'text') {
    // kube-eventer's layout: labels, then `Name: value` lines; a blank line between events.
    const bodies = batch.map((e) => textBody(e, layout)).join('\n\n');
    return [...layout.labels, bodies].join('\n');
  }
  const context = [
    ...(layout.clusterId ? [`**Cluster:** ${layout.clusterId}`] : []),
    ...(layout.region ? [`**Region:** ${layout.region}`] : []),
  ];
  // Paragraphs: DingTalk's markdown runs single-newline lines together.
  return [...layout.labels, ...context, ...batch.map((e) => markdownBody(e, layout))].join('\n\n');
}

/** A markdown message's title: what DingTalk shows in notifications and the chat list. */
export function renderMarkdownTitle(batch: readonly KubeEvent[]): string {
  const [first] = batch;
  if (first === undefined) return '';
  return batch.length === 1
    ? renderTitle(first)
    : `${renderTitle(first)} (+${batch.length - 1} more)`;
}

function textBody(event: KubeEvent, layout: Layout): string {
  if (layout.template) return renderTemplate(event, layout.template, layout);
  return eventFields(event)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
}

// Event text is muted (no tags, no links): it must not recolour or disguise a link.
function markdownBody(event: KubeEvent, layout: Layout): string {
  if (layout.template) return renderTemplate(event, layout.template, layout);
  const fields = eventFields(event).map(
    ([name, value]) => `**${name}:** ${muteChatMarkdown(value)}`,
  );
  return [`### ${muteChatMarkdown(renderTitle(event))}`, ...fields].join('\n\n');
}

function renderTemplate(event: KubeEvent, template: Template, layout: Layout): string {
  const extra = {
    cluster_id: layout.clusterId ?? '',
    region: layout.region ?? '',
    label: layout.labels.join('\n'),
    title: renderTitle(event),
  };
  return template.render(...eventTemplateRoots(event, extra));
}
