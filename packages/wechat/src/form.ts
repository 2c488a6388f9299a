import { SinkConfigError } from '@keventer/core/kit';
import { DEFAULT_API_BASE, SINK_NAME, type WechatOptions } from './options.js';

/** kube-eventer's form, messages from a WeCom application to its members; `toUser` is userids joined by '|', or `@all`. */
export type AppForm = ReturnType<typeof appForm>;
/** A group robot's webhook; `url` holds its `key`, a secret. */
export type RobotForm = ReturnType<typeof robotForm>;
export type WeComForm = AppForm | RobotForm;

const NEEDED_APP_KEYS = ['corp_id', 'corp_secret', 'agent_id'] as const;
const APP_KEYS = [...NEEDED_APP_KEYS, 'to_user'] as const;
const ROBOT_KEYS = ['endpoint', 'key', 'mentioned_list', 'mentioned_mobile_list'] as const;

/** Which API the options address; a mix of both forms, or neither, is a startup error. */
export function resolveForm(options: WechatOptions): WeComForm {
  const app = APP_KEYS.filter((name) => options[name] !== undefined);
  const robot = ROBOT_KEYS.filter((name) => options[name] !== undefined);
  if (app.length > 0 && robot.length > 0) {
    const hint = robot.includes('endpoint') ? '; for another API host use api_base' : '';
    const mixed = `application options (${app.join(', ')}) and group robot options (${robot.join(', ')}) are mixed`;
    throw new SinkConfigError(SINK_NAME, [`${mixed}: use one form${hint}`]);
  }
  if (app.length > 0) return appForm(options);
  if (robot.length > 0 || options.api_base !== undefined) return robotForm(options);
  throw new SinkConfigError(SINK_NAME, [
    'nothing to send to: give corp_id, corp_secret and agent_id (an application), or a group robot URL (wechat:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY)',
  ]);
}

function appForm(options: WechatOptions) {
  const { corp_id: corpId, corp_secret: corpSecret, agent_id: agentId } = options;
  if (!corpId || !corpSecret || agentId === undefined) {
    const missing = NEEDED_APP_KEYS.filter((name) =>
      ['', undefined].includes(options[name] as string),
    );
    throw new SinkConfigError(SINK_NAME, [
      `the application form needs corp_id, corp_secret and agent_id; missing: ${missing.join(', ')}`,
    ]);
  }
  // kube-eventer splits on ','; WeCom itself separates with '|': take both.
  const users = (options.to_user ?? []).flatMap((u) => u.split('|')).filter((u) => u !== '');
  const apiBase = trimSlash(options.api_base ?? DEFAULT_API_BASE);
  const toUser = users.length > 0 ? users.join('|') : '@all';
  return { kind: 'app' as const, apiBase, corpId, corpSecret, agentId, toUser };
}

function robotForm(options: WechatOptions) {
  const base = trimSlash(options.api_base ?? DEFAULT_API_BASE);
  const url = new URL(options.endpoint ?? `${base}/cgi-bin/webhook/send`);
  const inUrl = url.searchParams.get('key') ?? undefined;
  const key = options.key || inUrl;
  // Sent with text messages only, and only the lists given.
  const { mentioned_list, mentioned_mobile_list } = options;
  const lists = Object.entries({ mentioned_list, mentioned_mobile_list });
  const mentions = Object.fromEntries(lists.filter(([, list]) => list?.length));
  const problems: string[] = [];
  if (options.endpoint !== undefined && options.api_base !== undefined)
    problems.push('give the robot endpoint or api_base, not both');
  if (options.key && inUrl && options.key !== inUrl)
    problems.push('the endpoint URL and the key option give different robot keys');
  if (!key) problems.push("the group robot's key is missing: add ?key=KEY to its webhook URL");
  if (Object.keys(mentions).length > 0 && options.msg_type !== 'text')
    problems.push('mentioned_list and mentioned_mobile_list work with msg_type=text only');
  if (problems.length > 0 || !key) throw new SinkConfigError(SINK_NAME, problems);
  url.searchParams.set('key', key);
  return { kind: 'robot' as const, url, mentions };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
