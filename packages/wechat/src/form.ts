import { SinkConfigError } from '@keventer/core';
import { DEFAULT_API_BASE, SINK_NAME, type WechatOptions } from './options.js';

/** kube-eventer's form: messages from a WeCom application to its members. */
export interface AppForm {
  readonly kind: 'app';
  readonly apiBase: string;
  readonly corpId: string;
  readonly corpSecret: string;
  readonly agentId: number;
  /** `touser`: userids joined by '|', or `@all`. */
  readonly toUser: string;
}

/** A group robot's webhook. */
export interface RobotForm {
  readonly kind: 'robot';
  /** The webhook URL with its `key`: a secret, never printed. */
  readonly url: URL;
  readonly mentionedList: readonly string[];
  readonly mentionedMobileList: readonly string[];
}

export type WeComForm = AppForm | RobotForm;

const APP_KEYS = ['corp_id', 'corp_secret', 'agent_id', 'to_user'] as const;
const ROBOT_KEYS = ['endpoint', 'key', 'mentioned_list', 'mentioned_mobile_list'] as const;

/** Which API the options address; a mix of both forms, or neither, is a startup error. */
export function resolveForm(options: WechatOptions): WeComForm {
  const app = APP_KEYS.filter((name) => options[name] !== undefined);
  const robot = ROBOT_KEYS.filter((name) => options[name] !== undefined);
  if (app.length > 0 && robot.length > 0) {
    const hint = robot.includes('endpoint') ? '; for another API host use api_base' : '';
    fail(
      `application options (${app.join(', ')}) and group robot options (${robot.join(', ')}) are mixed: use one form${hint}`,
    );
  }
  if (app.length > 0) return appForm(options);
  if (robot.length > 0 || options.api_base !== undefined) return robotForm(options);
  return fail(
    'nothing to send to: give corp_id, corp_secret and agent_id (an application), or a group robot URL (wechat:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY)',
  );
}

function appForm(options: WechatOptions): AppForm {
  const { corp_id: corpId, corp_secret: corpSecret, agent_id: agentId } = options;
  const missing = [
    ...(corpId ? [] : ['corp_id']),
    ...(corpSecret ? [] : ['corp_secret']),
    ...(agentId === undefined ? ['agent_id'] : []),
  ];
  if (!corpId || !corpSecret || agentId === undefined) {
    return fail(
      `the application form needs corp_id, corp_secret and agent_id; missing: ${missing.join(', ')}`,
    );
  }
  // kube-eventer splits on ','; WeCom itself separates with '|': take both.
  const users = (options.to_user ?? []).flatMap((u) => u.split('|')).filter((u) => u !== '');
  return {
    kind: 'app',
    apiBase: trimSlash(options.api_base ?? DEFAULT_API_BASE),
    corpId,
    corpSecret,
    agentId,
    toUser: users.length > 0 ? users.join('|') : '@all',
  };
}

function robotForm(options: WechatOptions): RobotForm {
  const problems: string[] = [];
  if (options.endpoint !== undefined && options.api_base !== undefined) {
    problems.push('give the robot endpoint or api_base, not both');
  }
  const apiBase = trimSlash(options.api_base ?? DEFAULT_API_BASE);
  const url = new URL(options.endpoint ?? `${apiBase}/cgi-bin/webhook/send`);
  const inUrl = url.searchParams.get('key') ?? undefined;
  if (options.key && inUrl && options.key !== inUrl) {
    problems.push('the endpoint URL and the key option give different robot keys');
  }
  const key = options.key || inUrl;
  if (!key) problems.push("the group robot's key is missing: add ?key=KEY to its webhook URL");
  const mentionedList = options.mentioned_list ?? [];
  const mentionedMobileList = options.mentioned_mobile_list ?? [];
  const mentions = mentionedList.length + mentionedMobileList.length > 0;
  if (mentions && options.msg_type !== 'text') {
    problems.push('mentioned_list and mentioned_mobile_list work with msg_type=text only');
  }
  if (problems.length > 0 || !key) throw new SinkConfigError(SINK_NAME, problems);
  url.searchParams.set('key', key);
  return { kind: 'robot', url, mentionedList, mentionedMobileList };
}

function fail(problem: string): never {
  throw new SinkConfigError(SINK_NAME, [problem]);
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
