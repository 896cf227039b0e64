// What remains after the first factor: the steps, run in order, then finish. A new step is a file and a line here.
import type { Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { finish } from './finish.ts';
import type { Journey, RemainingStep } from './journey.ts';
import { askConsent } from './steps/consent.ts';
import { requirePasswordChange } from './steps/password-change.ts';
import { secondFactor } from './steps/second-factor.ts';
import { stepUp } from './steps/step-up.ts';

/** In order; exported so that a test can show a step added here runs in its place and changes nothing else. */
// The second factor first: it raises the session to acr "2", so stepUp only handles levels nothing here reaches; a
// required password change comes once the user is fully authenticated.
export const REMAINING_STEPS: RemainingStep[] = [secondFactor, requirePasswordChange, stepUp, askConsent];

/** Runs the steps after `after` (all of them without it) until one answers: its answer, or null when none did. */
export async function runRemainingSteps(c: Context<AppEnv>, journey: Journey, after?: RemainingStep): Promise<Response | null> {
  const start = after ? REMAINING_STEPS.indexOf(after) + 1 : 0;
  if (start === 0 && after) throw new Error(`step ${after.name} is not in REMAINING_STEPS`);
  for (const step of REMAINING_STEPS.slice(start)) {
    const answer = await step.run(c, journey);
    if (answer) return answer;
  }
  return null;
}

/** Runs the steps after `after` (all of them without it) until one answers; with none answering, finishes. */
export async function continueJourney(c: Context<AppEnv>, journey: Journey, after?: RemainingStep): Promise<Response> {
  return (await runRemainingSteps(c, journey, after)) ?? finish(c, journey);
}
