import {
  isSinkError,
  type ParsedSinkUri,
  REDACTED_HOOK,
  SinkConfigError,
  SinkError,
} from '@keventer/core';
