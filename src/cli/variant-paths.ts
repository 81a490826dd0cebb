/** The files one photo's results go to: `output`, or `<output>.c<v>.png` per variant with --diverse. */
export function variantPaths(output: string, diverse: number): string[] {
  if (diverse <= 1) return [output];
  return Array.from({ length: diverse }, (_, v) => output.replace(/(\.png)?$/i, `.c${v}.png`));
}
