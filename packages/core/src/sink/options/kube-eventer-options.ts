import { option } from './options.js';

/**
 * kube-eventer's filtering options of its chat sinks (dingtalk, wechat), as
 * a sink schema to spread into a definition's `options`; the sink passes the
 * parsed values to `filterFromKubeEventerOptions` as its `filter`.
 */
export const kubeEventerFilterOptions = {
  level: option.enum(['Warning', 'Normal'], {
    description: 'Warning sends Warning events only; Normal sends Normal and Warning events.',
    default: 'Warning',
  }),
  namespaces: option.list({
    description: 'Only events about objects in these namespaces (exact names).',
  }),
  kinds: option.list({
    description: 'Only events about objects of these kinds (exact, e.g. Pod,Node).',
  }),
};
