// The error of a user's mistake (a bad flag, an unknown system, a time past the data): every stage
// raises it, and a front end prints its message without a stack (the command line exits with 2).

/** An error in what the user asked for (bad flag, unknown kind): printed without a stack. */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
