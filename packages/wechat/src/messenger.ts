/** One WeCom message: its type and its content, already within the size limit. */
export interface OutgoingMessage {
  readonly msgtype: 'text' | 'markdown';
  readonly content: string;
}

/** Delivers one message through one of WeCom's APIs, or throws a SinkError. */
export interface Messenger {
  send(message: OutgoingMessage, signal: AbortSignal): Promise<void>;
}
