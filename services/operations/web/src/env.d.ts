// The contracts package (imported for its types only) mentions process.env; the browser bundle never runs it.
declare const process: { env: Record<string, string | undefined> };
