import { addMonthsMs, type CompliancePolicy, type ComplianceStatus } from '@registry/projections';

/**
 * A partnership's compliance status as a function of the evaluation instant T, under one
 * knowledge: nothing before its registration; from then on, with basis(T) = the later of the
 * registration and the last report effective at or before T, green before basis + interval,
 * yellow before basis + inactiveAfter, red after; closed from the end on. The same rules as
 * `complianceStatus` on the compliance projection's document (property tests hold them equal).
 */
export interface ComplianceFacts {
  registeredAt: number;
  /** Effective instants (ms) of its reports, ascending. */
  reports: readonly number[];
  endedAt: number | null;
}

/** The instants where the status changes, with the status from there on, ascending. */
export function complianceSteps(facts: ComplianceFacts, policy: CompliancePolicy, from = -Infinity): [number, ComplianceStatus][] {
  const { registeredAt, reports, endedAt } = facts;
  const steps: [number, ComplianceStatus][] = [];
  const push = (at: number, status: ComplianceStatus) => {
    if (endedAt !== null && at >= endedAt) return;
    const last = steps[steps.length - 1];
    if (last && last[0] === at) last[1] = status;
    else if (!last || last[1] !== status) steps.push([at, status]);
  };
  const bases = [registeredAt];
  for (const report of reports) if (report > bases[bases.length - 1]) bases.push(report);
  bases.forEach((basis, i) => {
    if (basis < from) return; // the steps before `from` are left out (see complianceDeltas)
    const next = i + 1 < bases.length ? bases[i + 1] : Infinity;
    const due = addMonthsMs(basis, policy.intervalMonths);
    const inactive = addMonthsMs(basis, policy.inactiveAfterMonths);
    push(basis, 'green');
    if (due < next) push(due, 'yellow');
    if (inactive < next) push(inactive, 'red');
  });
  if (endedAt !== null) steps.push([Math.max(endedAt, registeredAt), 'closed']);
  return steps;
}

/**
 * The counter deltas (instant, status, ±1), given to `add`, that sum (over instants <= T) to the
 * indicator of the status at T. With `from` (a basis both the old and the new facts share, with the same steps
 * before it), only the steps from that basis on are emitted, without the decrement of the status
 * before it: the old and new lists then differ by exactly what changed, at a cost proportional to
 * the reports from `from` on rather than all of them.
 */
export function complianceDeltas(
  facts: ComplianceFacts | null,
  policy: CompliancePolicy,
  sign: 1 | -1,
  add: (at: number, status: ComplianceStatus, n: number) => void,
  from = -Infinity,
): void {
  if (!facts) return;
  let previous: ComplianceStatus | null = null;
  for (const [at, status] of complianceSteps(facts, policy, from)) {
    add(at, status, sign);
    if (previous) add(at, previous, -sign);
    previous = status;
  }
}

/** The basis in force at `at` (the later of the registration and the last report at or before it). */
export function basisAt(facts: ComplianceFacts, at: number): number {
  let basis = facts.registeredAt;
  for (const report of facts.reports) if (report <= at && report > basis) basis = report;
  return basis;
}
