/**
 * Whether a system piece a test needs (Chromium, a running SLURM) is there. The test setup
 * (scripts/test/provision.ts) provisions missing pieces in the background while other files run;
 * a file that needs one waits here for the outcome, at its top level, before it declares its tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import { alive } from './processes';

export type Piece = 'chromium' | 'slurm';

/** The environment variable the setup sets to the reason when a piece cannot be had here. */
export const PIECE_ENV: Readonly<Record<Piece, string>> = { chromium: 'PDASK_MISSING_CHROMIUM', slurm: 'PDASK_MISSING_SLURM' };

/** What the background provisioning writes (whole, by rename) each time a piece is settled. */
export interface ProvisionState {
  finished: boolean;
  /** Reasons, for the pieces that could not be provisioned. */
  missing: Partial<Record<Piece, string>>;
  /** The pieces whose outcome is known, in order. */
  settled: Piece[];
}

const POLL_MS = 500;
/** Longer than both scripts take on a slow mirror; past it the setup is taken to have hung. */
const WAIT_LIMIT_MS = 20 * 60_000;

function readState(file: string): ProvisionState | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as ProvisionState;
}

/**
 * Why `piece` is missing here, or undefined when it is available. Waits while the setup is still
 * provisioning it. Under CI a missing piece is an error, not a skip: CI runs every test.
 */
export async function missingPiece(piece: Piece): Promise<string | undefined> {
  const direct = process.env[PIECE_ENV[piece]];
  const reason = direct ?? (await awaitProvisioning(piece));
  if (reason !== undefined && (process.env.CI === 'true' || process.env.CI === '1')) throw new Error(`CI runs every test, but ${reason}`);
  return reason;
}

async function awaitProvisioning(piece: Piece): Promise<string | undefined> {
  const file = process.env.PDASK_PROVISION_STATE;
  if (file === undefined) return undefined; // nothing was missing when the run started
  const setupPid = Number(process.env.PDASK_PROVISION_PID);
  const deadline = Date.now() + WAIT_LIMIT_MS;
  for (;;) {
    const state = readState(file);
    if (state && (state.settled.includes(piece) || state.finished)) return state.missing[piece];
    if (Number.isFinite(setupPid) && !alive(setupPid)) return `the test setup (pid ${setupPid}) ended before provisioning ${piece}`;
    if (Date.now() > deadline) return `provisioning ${piece} did not finish within ${WAIT_LIMIT_MS / 60_000} minutes (state: ${file})`;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
