// What every admin command gets: its parsed line, a lazily opened database, the peppers, who is acting.
import type { DataKeys } from '../../../src/crypto/data-key.ts';
import type { Peppers } from '../../../src/crypto/password.ts';
import type { D1Like } from '../../../src/store/db.ts';
import type { Actor } from '../admin-audit.ts';
import type { OptionValues } from '../cli-args.ts';

export interface CommandContext {
  args: string[];
  values: OptionValues;
  json: boolean;
  actor: Actor;
  /** Opens the database on first use; the CLI closes it when the command ends. */
  db(): Promise<D1Like>;
  peppers(): Promise<Peppers>;
  /** DATA_ENCRYPTION_KEY (scripts/lib/data-keys.ts): --data-key-file, .dev.vars locally, the environment with --remote. */
  dataKeys(): Promise<DataKeys>;
  /** BRAND_NAME as wrangler.toml [vars] (and locally .dev.vars) set it: a context word for the password policy. */
  brandName(): Promise<string | undefined>;
  /** The text vars the Worker gets (wrangler.toml [vars], locally .dev.vars over them): ISSUER, BRAND_*, EMAIL_*. */
  vars(): Promise<Record<string, string>>;
}

export type CommandHandler = (ctx: CommandContext) => Promise<void>;
