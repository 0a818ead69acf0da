/**
 * The reports function prints report.pdf with the headless Chromium of @sparticuz/chromium: it runs on
 * x86_64 (the only build that package ships), installs that package and playwright-core beside its
 * bundle instead of bundling them (the browser is read from the package's files at run time), and has
 * the memory Chromium wants. The other functions stay on ARM64, fully bundled.
 */
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#infra/config.js';
import type { PipelineFunction } from '#infra/constructs/pipeline-function.js';
import type { PipelineStack } from '#infra/stack.js';
import packageJson from '#package.json' with { type: 'json' };
import { logicalIdOf, synthPipeline } from './synth.js';

type FunctionResource = { Properties: { Architectures?: string[]; MemorySize?: number; Timeout?: number } };

let stack: PipelineStack;
let template: Template;
beforeAll(() => {
  ({ stack, template } = synthPipeline('prod'));
});

const propertiesOf = (fn: PipelineFunction) =>
  (template.toJSON().Resources[logicalIdOf(fn.function)] as FunctionResource).Properties;

describe('the reports function, which prints report.pdf', () => {
  it('runs on x86_64 with at least 1.6 GB of memory', () => {
    const properties = propertiesOf(stack.reportsBuilder);
    expect(properties.Architectures).toEqual(['x86_64']);
    expect(properties.MemorySize).toBeGreaterThanOrEqual(1600);
    expect(properties.MemorySize).toBe(loadConfig('prod').reports.memorySizeMb);
  });

  it('installs @sparticuz/chromium and playwright-core beside its bundle, both run-time dependencies', () => {
    expect([...stack.reportsBuilder.nodeModules].sort()).toEqual(['@sparticuz/chromium', 'playwright-core']);
    for (const name of stack.reportsBuilder.nodeModules) {
      expect(Object.keys(packageJson.dependencies)).toContain(name);
    }
  });

  it('leaves every other function on ARM64 and fully bundled', () => {
    const others = Object.entries(template.toJSON().Resources as Record<string, { Type: string } & FunctionResource>)
      .filter(([id, r]) => r.Type === 'AWS::Lambda::Function' && id !== logicalIdOf(stack.reportsBuilder.function))
      .filter(([, r]) => r.Properties.Architectures !== undefined);
    expect(others.length).toBeGreaterThan(3);
    expect(others.filter(([, r]) => r.Properties.Architectures?.[0] !== 'arm64').map(([id]) => id)).toEqual([]);
  });
});
