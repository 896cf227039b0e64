// The MCP conformance suite's authorization-server scenarios pass against edge-oidc (driven by mcp-conformance.ts).
import { describe, expect, it } from 'vitest';
import { runConformance } from './mcp-conformance.ts';

describe('MCP conformance suite (authorization server, @modelcontextprotocol/conformance 0.2.0-alpha.12)', () => {
  it('passes every check of every authorization-server scenario, with and without a resource, the suite exiting 0', async () => {
    const runs = await runConformance();
    for (const run of [runs.withResource, runs.withoutResource]) {
      const statuses = Object.fromEntries(Object.entries(run.scenarios).map(([name, checks]) => [name, checks.map((c) => `${c.id}: ${c.status}${c.errorMessage ? ` (${c.errorMessage})` : ''}`)]));
      expect(statuses, run.output).toEqual({
        'authorization-server-metadata-endpoint': ['authorization-server-metadata: SUCCESS', 'authorization-server-metadata-cimd: SUCCESS'],
        'authorization-code-grant': ['authorization-code-grant: SUCCESS'],
      });
      expect(run.exitCode, run.output).toBe(0);
    }
    expect(runs.withResource.output).toMatch(/\/authorize\?\S*&resource=https%3A%2F%2Fmcp\.example\.com%2Fmcp/);
    expect(runs.withoutResource.output).not.toContain('resource=');
  });
});
