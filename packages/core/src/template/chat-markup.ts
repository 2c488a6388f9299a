// A zero-width space: invisible when shown, but `<\u200bfont>` is no tag and
// `[x]\u200b(url)` no link. DingTalk and WeCom document no escape of their own.
const ZWSP = '\u200b';

/**
 * Keeps event text from opening a tag in a chat message: `<font color=...>`
 * (recolouring), `<@userid>` (a WeCom mention), `<a href=...>` (a link in a
 * WeCom application text message), `<http://...>`. A `<` before a space or a
 * digit (`a < b`, `<5s`) is left alone.
 */
export function muteChatTags(text: string): string {
  return text.replace(/<(?=[A-Za-z@/!?])/g, `<${ZWSP}`);
}

/**
 * `muteChatTags` plus markdown links and images (`[text](url)`,
 * `![](url)`, `[text][ref]`), for DingTalk's and WeCom's markdown messages:
 * event text cannot mention, recolour or disguise a link there.
 */
export function muteChatMarkdown(text: string): string {
  return muteChatTags(text).replace(/\]([([])/g, `]${ZWSP}$1`);
}
