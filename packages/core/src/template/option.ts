import { SinkConfigError } from '../sink/contract/errors.js';
import {
  type CompileTemplateOptions,
  compileTemplate,
  type Template,
  TemplateError,
} from './template.js';

/**
 * A sink's `template` option, compiled when the sink is created: a bad
 * template stops the start with a SinkConfigError naming the option, rather
 * than failing every message.
 */
export function compileTemplateOption(
  sink: string,
  source: string,
  options: Omit<CompileTemplateOptions, 'name'> = {},
): Template {
  if (source.trim() === '') throw new SinkConfigError(sink, ["option 'template' is empty"]);
  try {
    return compileTemplate(source, { ...options, name: "of option 'template'" });
  } catch (error) {
    if (error instanceof TemplateError)
      throw new SinkConfigError(sink, [error.message], { cause: error });
    throw error;
  }
}
