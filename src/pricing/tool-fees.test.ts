import { describe, expect, it } from 'vitest';
import { TOOL_FEES } from './tool-fees.data.ts';
import { listedFee, toolCallsCost, toolFamily, toolFee, withRate } from './tool-fees.ts';

describe('tool fees', () => {
  it('names the tool family without its version suffix', () => {
    expect(toolFamily('web_search_20250305')).toBe('web_search');
    expect(toolFamily('web_search_preview_2025_03_11')).toBe('web_search_preview');
    expect(toolFamily('web_search')).toBe('web_search');
    expect(toolFamily('text_editor_20250728')).toBe('text_editor');
  });

  it('prices each published tool per call in nano-dollars', () => {
    expect(toolFee('openai', 'web_search', 'gpt-5')).toEqual({ kind: 'web_search', perCallNanos: 10_000_000n }); // $10 / 1k
    expect(toolFee('openai', 'file_search', 'gpt-5')).toEqual({ kind: 'file_search', perCallNanos: 2_500_000n }); // $2.50 / 1k
    expect(toolFee('openai', 'code_interpreter', 'gpt-5')).toEqual({ kind: 'code_container', perCallNanos: 30_000_000n }); // $0.03
    expect(toolFee('anthropic', 'web_search_20250305', 'claude-opus-5')).toEqual({ kind: 'web_search', perCallNanos: 10_000_000n });
    expect(toolFee('anthropic', 'web_fetch_20250910', 'claude-opus-5')).toEqual({ kind: 'web_fetch', perCallNanos: 0n });
  });

  it('bills the preview search dearer on non-reasoning models', () => {
    expect(toolFee('openai', 'web_search_preview', 'gpt-4o')?.perCallNanos).toBe(25_000_000n);
    expect(toolFee('openai', 'web_search_preview', 'gpt-4.1-mini')?.perCallNanos).toBe(25_000_000n);
    expect(toolFee('openai', 'web_search_preview', 'o3')?.perCallNanos).toBe(10_000_000n);
  });

  it('knows no fee for unpublished tools', () => {
    expect(toolFee('openai', 'image_generation', 'gpt-5')).toBeNull();
    expect(toolFee('anthropic', 'code_execution_20250825', 'claude-opus-5')).toBeNull();
    expect(toolFee('google', 'web_search', 'gemini-2.5-pro')).toBeNull();
  });

  it('keeps the dearer rate when two tools bill the same kind', () => {
    expect(withRate(withRate({}, 'web_search', 10n), 'web_search', 25n)).toEqual({ web_search: 25n });
    expect(withRate({ web_search: 25n }, 'web_search', 10n)).toEqual({ web_search: 25n });
  });

  it('costs reported calls at the request rates, undeclared kinds at the listed fee', () => {
    expect(toolCallsCost({ web_search: 10_000_000n }, { web_search: 3 })).toBe(30_000_000n);
    expect(toolCallsCost({}, { file_search: 2 }, (kind) => listedFee('openai', kind))).toBe(5_000_000n);
    expect(toolCallsCost({ web_search: 10_000_000n }, undefined)).toBe(0n);
    expect(toolCallsCost({ web_search: 10_000_000n }, { web_search: -1 })).toBe(0n);
    expect(() => toolCallsCost({ web_search: 1n }, { web_search: Number.NaN })).toThrow(RangeError);
    expect(listedFee('openai', 'web_search')).toBe(25_000_000n); // the dearest listed
  });

  it('carries a source and a check date on every fee', () => {
    for (const e of TOOL_FEES) {
      expect(e.source, e.tool).toMatch(/^https:\/\/(developers\.openai\.com|docs\.anthropic\.com)\//);
      expect(e.checkedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});
