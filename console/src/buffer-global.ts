import { Buffer } from 'buffer';

// The chain's byte handling uses Node's `Buffer` freely; in the browser it is the `buffer`
// package's. Imported first by main.tsx, so it is set before any module of the SDK runs.
(globalThis as { Buffer?: unknown }).Buffer ??= Buffer;
