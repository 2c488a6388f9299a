import type { Logger } from '@keventer/core';
import kafkajs, { type logCreator } from 'kafkajs';

// kafkajs is CommonJS: taken from its module object, as Node's ESM loader needs.
const { logLevel } = kafkajs;

/**
 * kafkajs's lines to core's logger, at kafkajs's levels. Its entries carry
 * no credentials; the SASL password is masked in every line all the same,
 * should a broker's answer or a stack ever hold it.
 */
export function kafkajsLogCreator(
  logger: Logger | undefined,
  secrets: readonly (string | undefined)[],
): logCreator {
  const masked = secrets.filter((s): s is string => s !== undefined && s.length >= 3);
  const mask = (text: string) => masked.reduce((t, s) => t.split(s).join('***'), text);
  return () =>
    ({ namespace, level, log }) => {
      if (logger === undefined) return;
      const { message, timestamp: _timestamp, ...extra } = log;
      const fields = JSON.parse(mask(JSON.stringify({ kafkajs: namespace, ...extra })));
      const text = mask(`[kafka] ${String(message)}`);
      if (level === logLevel.ERROR) logger.error(fields, text);
      else if (level === logLevel.WARN) logger.warn(fields, text);
      else if (level === logLevel.INFO) logger.info(fields, text);
      else logger.debug(fields, text);
    };
}
