/**
 * The field rules only the training calendar (the `trainings` kind) has: a title that must be
 * given, and where to register. The other cells of a calendar row follow the roster's rules
 * (fields.ts), so a training reads the same in both.
 */
import { z } from 'zod';
import { LIMITS, show } from './fields.js';

/** The longest registration address kept (a real sign-up link is far shorter). */
export const MAX_URL_CHARS = 500;

type Ctx = Pick<z.core.$RefinementCtx, 'addIssue'>;

function fail(ctx: Ctx, message: string): typeof z.NEVER {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
}

const tooLong = (t: string, max: number) =>
  `is ${t.length.toLocaleString('en-US')} characters long; at most ${max} are allowed`;

/** A training's title on the calendar: required, since it is what people are shown. */
export const calendarTitle = () =>
  z.transform<string | undefined, string>((v, ctx) => {
    const t = v?.trim() ?? '';
    if (t === '') return fail(ctx, 'is required but empty');
    return t.length > LIMITS.title ? fail(ctx, tooLong(t, LIMITS.title)) : t;
  });

/**
 * Where to register for a training: an http or https address only, since it becomes a link in
 * outreach.csv, a person's explanation and the web app, where `javascript:` or `file:` would be
 * harmful. One written without its scheme (`www.example.org/x`) is rejected with the address to
 * write, never completed silently (docs/input-files.md).
 */
export const registrationUrl = () =>
  z.transform<string | undefined, string | undefined>((v, ctx) => {
    const t = v?.trim() ?? '';
    if (t === '') return undefined;
    if (t.length > MAX_URL_CHARS) return fail(ctx, tooLong(t, MAX_URL_CHARS));
    let url: URL | undefined;
    try {
      url = new URL(t);
    } catch {
      url = undefined;
    }
    const web = url !== undefined && (url.protocol === 'https:' || url.protocol === 'http:');
    if (web && url?.hostname.includes('.') && !/\s/.test(t)) return t;
    const bare = url === undefined && /^[\w-]+(\.[\w-]+)+(\/\S*)?$/.test(t);
    return fail(
      ctx,
      bare
        ? `${show(t)} is not a full web address; write https:// in front of it`
        : `${show(t)} is not a web address starting with https:// or http://`,
    );
  });
