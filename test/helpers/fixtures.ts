/**
 * Small strategy workspaces shared by the feature tests. Every line number a test relies on is
 * written next to the line (`// L7`) in the test that uses it, or found with `rangeOf`.
 */
import { md } from './memoryWorkspace';

export const VISION = md`
  ---
  type: vision
  id: VIS-1
  title: Everyone gets paid on time
  owner: maya
  status: approved
  ---
  # VIS-1: Everyone gets paid on time

  The north star.
`;

export const STRATEGY = md`
  ---
  type: strategy
  id: STR-1
  title: Payments strategy
  vision: VIS-1
  period: 2027-H1
  owner: maya
  ---
  # STR-1: Payments strategy

  ## OBJ-1: Make paying effortless

  - KR-1.1: Invoice conversion
    Metric: invoices paid within 7 days
    Baseline: 41%
    Target: 55%
    Current: 46%
    Due: 2027-06-30
  - KR-1.2: Time to pay
    Baseline: 38 min
    Target: 10 min
    Due: 2027-06-30

  ### OUT-1: Payers pay without an account
  Supports: OBJ-1, KR-1.1
  Owner: ines
  Status: approved

  ### OUT-2: Payers use their own wallet
  Supports: KR-1.2

  ## OBJ-2: Earn the trust of larger customers

  - KR-2.1: Retention of large accounts
    Baseline: 104%
    Target: 112%
    Due: 2027-06-30
  - KR-2.2: Security reviews passed
    Baseline: 60%
    Target: 90%
    Due: 2027-06-30

  ### OUT-3: Finance teams reconcile payments
  Supports: KR-2.1
`;

export const PRD = md`
  ---
  type: prd
  id: PRD-1
  title: Guest checkout
  owner: ines
  status: review
  outcomes: [OUT-1, OUT-2]
  ---
  # PRD-1: Guest checkout

  ## Requirements

  ### REQ-1.1: Pay an invoice without an account
  Traces: OUT-1
  Priority: must

  ### REQ-1.2: Remember the payer's wallet
  Traces: OUT-1, OUT-2
`;

export const PRD_2 = md`
  ---
  type: prd
  id: PRD-2
  title: Ledger sync
  outcomes: [OUT-3]
  ---
  # PRD-2: Ledger sync

  - REQ-2.1: Match payouts to invoices
    Traces: OUT-3
`;

/** A clean workspace: no diagnostics at all. */
export const CLEAN_WORKSPACE: Readonly<Record<string, string>> = {
  'vision.md': VISION,
  'strategy.md': STRATEGY,
  'prds/checkout.md': PRD,
  'prds/ledger.md': PRD_2,
};

/**
 * A minimal strategy with one objective, two measurable key results (the fewest an objective
 * should have) and one outcome, used by PRD fixtures.
 */
export const MINI_STRATEGY = md`
  ---
  type: strategy
  id: STR-1
  ---
  ## OBJ-1: Objective one
  - KR-1.1: Key result one
    Baseline: 1
    Target: 2
    Due: 2027-01-01
  - KR-1.2: Key result two
    Baseline: 10
    Target: 20
    Due: 2027-01-01
  ### OUT-1: Outcome one
  Supports: KR-1.1
`;

/** A PRD with one requirement tracing to OUT-1 (and listing it) so that `MINI_STRATEGY` has no orphan. */
export const MINI_PRD = md`
  ---
  type: prd
  id: PRD-1
  outcomes: [OUT-1]
  ---
  ### REQ-1: Requirement one
  Traces: OUT-1
`;
