/**
 * A mistake the user can fix (a missing folder, an unknown git ref, a bad option): the CLI prints
 * it as one line and exits with code 2, never with a stack trace.
 */
export class UsageError extends Error {}
