import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { OUTPUT_PATH, generate } from "../scripts/gen-types.mjs";

describe("generated message types", () => {
  it("match signal_schema/envelope.schema.json (run `npm run gen:types` after `make schema`)", async () => {
    const expected: string = await (generate as () => Promise<string>)();
    const actual = await readFile(OUTPUT_PATH as string, "utf8");
    expect(actual).toBe(expected);
  });
});
