/** The rulesets shipped with the project, validated once when first used. */
import defaultRuleset2024 from '../../../config/rulesets/default/2024-01-01.json' with { type: 'json' };
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
