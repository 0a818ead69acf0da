import { describe, expect, it } from 'vitest';
import defaultFile from '#config/publishing/default.json' with { type: 'json' };
import { defaultPublishingRule, InvalidPublishingRuleError, parsePublishingRule } from '#core/reports/rule.js';

describe('publishing rule', () => {
  it('ships the default rule of docs/domain.md', () => {
    // Act
    const rule = defaultPublishingRule();

    // Assess
    expect(rule).toMatchObject({
      minPublishedCount: 11,
      z: 1.96,
      fourFifths: 0.8,
      referenceGroup: 'rest',
      significance: 0.05,
      reliability: {
        confidence: 0.95,
        minEffectiveSampleSize: 30,
        narrowWidth: 0.05,
        maxWidth: 0.3,
        maxRelativeWidth: 1.3,
      },
    });
  });

  it('refuses a threshold given as text, naming the field and the file', () => {
    // Prepare
    const bad = { ...defaultFile, minPublishedCount: '11' };

    // Act
    const act = () => parsePublishingRule(bad, 'config/publishing/bad.json');

    // Assess
    expect(act).toThrow(InvalidPublishingRuleError);
    expect(act).toThrow(/config\/publishing\/bad\.json[\s\S]*minPublishedCount/);
  });

  it('refuses a four-fifths share above 1 and an unknown reference choice', () => {
    // Prepare
    const bad = { ...defaultFile, fourFifths: 1.5, referenceGroup: 'most_applicants' };

    // Act
    const act = () => parsePublishingRule(bad, 'x.json');

    // Assess
    expect(act).toThrow(/fourFifths[\s\S]*referenceGroup|referenceGroup[\s\S]*fourFifths/);
  });

  it('refuses an unknown field so a misspelt setting is not silently ignored', () => {
    // Prepare
    const bad = { ...defaultFile, minPublishCount: 5 };

    // Act
    const act = () => parsePublishingRule(bad, 'x.json');

    // Assess
    expect(act).toThrow(/minPublishCount/);
  });
});
