/**
 * `&`, `<` and `>` as HTML entities, for markups that read entities (Slack's
 * mrkdwn, Feishu's card markdown): event text cannot open a mention, a link
 * or a colour tag there.
 */
export function escapeEntities(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
