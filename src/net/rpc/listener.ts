// What every transport's listen function returns.
export interface Listener {
  /** Where clients reach it: a socket path, or `wss://host:port`. */
  readonly address: string;
  /** Stop accepting, close every connection (open calls fail with Unavailable) and free the address. */
  close(): Promise<void>;
}
