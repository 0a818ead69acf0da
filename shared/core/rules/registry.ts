/** The rulesets shipped with the project, validated once when first used. */
import defaultRuleset2024 from '#config/rulesets/default/2024-01-01.json' with { type: 'json' };
import { parseRuleset, type Ruleset, selectRuleset } from './ruleset.js';

let shipped: Ruleset[] | undefined;

/** Every shipped ruleset, validated (throws naming the bad field when one is invalid). */
export function shippedRulesets(): Ruleset[] {
  shipped ??= [parseRuleset(defaultRuleset2024, 'config/rulesets/default/2024-01-01.json')];
  return shipped;
}

/** The shipped ruleset for an association (default: "default") on a date. */
export function rulesetFor(asOf: string, association = 'default', extra: readonly Ruleset[] = []): Ruleset {
  return selectRuleset([...extra, ...shippedRulesets()], association, asOf);
}

/**
 * The shipped rulesets of an association by date: the one in force on a date, or the earliest
 * for a date before all of them (to judge a past renewal cycle by the rules of its time).
 */
export function rulesetsInForce(association = 'default', extra: readonly Ruleset[] = []): (date: string) => Ruleset {
  const own = [...extra, ...shippedRulesets()].filter((r) => r.association === association);
  const earliest = [...own].sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1))[0];
  // Called once per endorsee, nearly always with the same due date: remember each date's answer.
  const byDate = new Map<string, Ruleset>();
  return (date) => {
    let r = byDate.get(date);
    if (r === undefined) {
      r = earliest && date < earliest.effectiveFrom ? earliest : selectRuleset(own, association, date);
      byDate.set(date, r);
    }
    return r;
  };
}
