/**
 * The chain format this code writes and verifies. Format 2 commits to each operation
 * through a salted digest, to the accepted signers in each result, and to the whole
 * state in every block header; a format-1 chain cannot be read as format 2.
 */
export const CHAIN_VERSION = 2;
