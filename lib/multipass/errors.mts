export type MultipassErrorKind =
  | 'daemon-down'
  | 'access-denied'
  | 'not-authenticated'
  | 'wrong-passphrase'
  | 'no-passphrase'
  | 'timeout'
  | 'malformed'
  | 'refused'
  | 'failed';

/** A failure to get an answer from the Multipass daemon, with a message fit for a banner. */
export class MultipassError extends Error {
  readonly kind: MultipassErrorKind;
  constructor(kind: MultipassErrorKind, message: string) {
    super(message);
    this.name = 'MultipassError';
    this.kind = kind;
  }
}
