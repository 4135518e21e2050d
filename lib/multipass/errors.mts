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
  /** A refused launch: the daemon's LaunchError codes (INVALID_MEM_SIZE, …), each about one field. */
  readonly launchErrors: string[];
  constructor(kind: MultipassErrorKind, message: string, launchErrors: string[] = []) {
    super(message);
    this.name = 'MultipassError';
    this.kind = kind;
    this.launchErrors = launchErrors;
  }
}
