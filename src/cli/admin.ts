/**
 * Officials' accounts from the command line (first admin, recovery):
 *   npm run --silent admin -- create --email E --name "N" --role admin|officer|appraiser|viewer
 *   npm run --silent admin -- reset-password --email E
 * The password is read from stdin (one line; not echoed on a terminal), never from the arguments,
 * so it does not end up in shell history or the process list. Prints a JSON result.
 */
import { ROLES, type Role } from '../admin/kit';
import { createOfficialAccount, DuplicateEmailError, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, publicView } from '../admin/auth';
import { writeAudit } from '../admin/auth/audit';
import { findOfficialByEmail, setPasswordHash } from '../admin/auth/officials';
import { hashPassword } from '../admin/auth/passwords';
import { revokeAllSessions } from '../admin/auth/sessions';
import { openCliDatabase } from './open-database';
import { runCli } from './run';

const USAGE = [
  'usage: npm run --silent admin -- create --email <email> --name <name> --role <admin|officer|appraiser|viewer>',
  '       npm run --silent admin -- reset-password --email <email>',
  'The password is read from standard input (one line).',
].join('\n');

class UsageError extends Error {}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

/** One line from stdin; on a terminal the typed characters are not echoed. */
async function readPassword(): Promise<string> {
  const stdin = process.stdin;
  if (stdin.isTTY) process.stderr.write('Password: ');
  if (stdin.isTTY) stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (result: string | Error) => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      if (stdin.isTTY) {
        stdin.setRawMode(false);
        process.stderr.write('\n');
      }
      stdin.pause();
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\n' || ch === '\r') return done(text);
        if (ch === '\u0003') return done(new Error('cancelled'));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    const onEnd = () => done(text);
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdin.resume();
  });
}

function checkPassword(password: string): void {
  if (password.length < PASSWORD_MIN_LENGTH) throw new UsageError(`the password must have at least ${PASSWORD_MIN_LENGTH} characters`);
  if (password.length > PASSWORD_MAX_LENGTH) throw new UsageError(`the password must not exceed ${PASSWORD_MAX_LENGTH} characters`);
}

async function run(args: string[]): Promise<number> {
  const [command, ...rest] = args;
  const email = option(rest, 'email')?.trim();
  if (command === 'create') {
    const name = option(rest, 'name')?.trim();
    const role = option(rest, 'role') as Role | undefined;
    if (!email || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new UsageError('--email must be an email address');
    if (!name) throw new UsageError('--name is required');
    if (!role || !ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
    const password = await readPassword();
    checkPassword(password);
    const { database } = await openCliDatabase();
    try {
      const row = await createOfficialAccount(database.db, { email, name, role, password }, null);
      process.stdout.write(`${JSON.stringify({ created: publicView(row) })}\n`);
      return 0;
    } catch (err) {
      if (err instanceof DuplicateEmailError) {
        process.stdout.write(`${JSON.stringify({ error: 'email already exists', email })}\n`);
        return 1;
      }
      throw err;
    } finally {
      await database.close();
    }
  }
  if (command === 'reset-password') {
    if (!email) throw new UsageError('--email is required');
    const password = await readPassword();
    checkPassword(password);
    const { database } = await openCliDatabase();
    try {
      const row = await findOfficialByEmail(database.db, email);
      if (!row) {
        process.stdout.write(`${JSON.stringify({ error: 'no such official', email })}\n`);
        return 1;
      }
      const now = new Date();
      const passwordHash = await hashPassword(password);
      await database.db.transaction(async (tx) => {
        await setPasswordHash(tx, row.id, passwordHash, now);
        await revokeAllSessions(tx, row.id);
        await writeAudit(tx, {
          officialId: null,
          action: 'official.password_reset',
          entity: 'official',
          entityId: row.id,
          before: { passwordChangedAt: row.passwordChangedAt },
          after: { passwordChangedAt: now },
        });
      });
      process.stdout.write(`${JSON.stringify({ passwordReset: publicView(row) })}\n`);
      return 0;
    } finally {
      await database.close();
    }
  }
  throw new UsageError(`unknown command "${command ?? ''}"`);
}

runCli(run, {
  explain: (err) => (err instanceof UsageError ? { text: `${err.message}\n${USAGE}`, code: 2 } : undefined),
});
