/** A small strategy and a PRD for the history tests (issue 13): two outcomes, each with a key result, and a requirement tracing each. */
export const STRATEGY = `---
type: strategy
id: STR-1
title: Payments
period: 2027-H1
status: approved
updated: 2026-09-01
---
# STR-1: Payments

## OBJ-1: Make paying effortless

- KR-1.1: Invoice payment conversion
  Baseline: 41%
  Target: 55%
  Current: 46%
  Due: 2027-06-30
- KR-1.2: Time from invoice open to payment
  Baseline: 38 min
  Target: 10 min
  Current: 31 min
  Due: 2027-06-30

### OUT-1: Payers complete payment without an account
Supports: KR-1.1

Guest checkout removes the biggest drop-off we see.

### OUT-2: Payers pay with the method they already use
Supports: KR-1.2

Cards, bank transfer and two local wallets.
`;

export const PRD = `---
type: prd
id: PRD-1
title: Guest checkout
status: approved
updated: 2026-09-01
outcomes: [OUT-1, OUT-2]
---
# PRD-1: Guest checkout

## Requirements

### REQ-1.1: Pay without an account
Traces: OUT-1
Priority: must

### REQ-1.2: Offer the local wallets
Traces: OUT-2
Priority: must
`;
