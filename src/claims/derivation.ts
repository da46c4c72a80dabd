/**
 * A symbolic derivation as reports carry it: the proof it comes from, whether it reduced to 0, and its steps, each
 * one line with the rule applied. Reports show it beside the claim's numeric verdict; which proofs belong to which
 * claim is data (proofs/claim-proofs.ts), not a match on names.
 */

/** One line of a derivation: the rule applied and what it gave, as text (Unicode, Markdown `code` spans) and LaTeX. */
export interface DerivationStep {
  readonly rule: string;
  readonly text: string;
  /** LaTeX: math between $…$ or \[…\], the rest LaTeX text. */
  readonly latex: string;
}

export interface ClaimDerivation {
  /** The proof's id, as `dlnv proofs --only` takes it. */
  readonly proof: string;
  readonly statement: string;
  /** true only when the derivation reduced lhs − rhs to 0 (and its cross-checks agreed). */
  readonly proved: boolean;
  /** One line: what was proved, under which side conditions, or what remained. */
  readonly detail: string;
  readonly steps: readonly DerivationStep[];
}
