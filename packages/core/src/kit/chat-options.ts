import { option } from '../sink/options/options.js';

/**
 * Options every chat sink has, to spread where the sink lists them; `more`
 * ends the description with what is particular to the sink.
 */
export const chatOptions = {
  /** kube-eventer's `label`: lines put first in every message (commas stay). */
  label: (more = '') =>
    option.list({
      description: `Lines put first in every message, one per value${more}.`,
      split: false,
    }),
  /** A template for each event's text, compiled at startup by `chatLayout`. */
  template: (more = '') =>
    option.string({
      description: `A logic-less template for each event ({{ .Reason }}, {{ involvedObject.name }}...)${more}.`,
    }),
};
