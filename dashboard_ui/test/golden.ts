import { readFileSync, readdirSync } from "node:fs";
import { resolve } from "node:path";

// Vitest runs from dashboard_ui/.
export const GOLDEN_DIR = resolve(process.cwd(), "../tests/contract/golden") + "/";

/** The raw text of each golden envelope, by message type. */
export function goldenFrames(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(GOLDEN_DIR)) {
    if (name.endsWith(".json")) out[name.slice(0, -5)] = readFileSync(GOLDEN_DIR + name, "utf8");
  }
  return out;
}

export function golden(type: string): Record<string, unknown> {
  const raw = goldenFrames()[type];
  if (raw === undefined) throw new Error(`no golden ${type}`);
  return JSON.parse(raw) as Record<string, unknown>;
}
