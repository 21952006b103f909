import type { Services } from '../services';

/**
 * The fraud metrics (docs/architecture.md §9), registered on first use in the service's registry. The open
 * gauge is collected on scrape with one indexed count, so it can never drift from the table.
 */
export function fraudMetrics(services: Services) {
  const m = services.metrics;
  return {
    opened: m.counter<'signal'>('nomina_fraud_alerts_opened_total', 'Fraud alerts opened, by signal', ['signal']),
    open: m.gauge('nomina_fraud_alerts_open', 'Fraud alerts open or under review (awaiting a staff decision)', [], async function collect() {
      this.set(await services.prisma.fraudAlert.count({ where: { openKey: { not: null } } }));
    }),
    decisionSeconds: m.histogram<'decision'>('nomina_fraud_decision_seconds', 'Time from an alert opening to its staff decision', ['decision'],
      [60, 600, 3600, 4 * 3600, 24 * 3600, 3 * 24 * 3600, 7 * 24 * 3600, 30 * 24 * 3600]),
    suppressed: m.counter<'reason'>('nomina_fraud_signals_suppressed_total', 'Signals that fired but opened nothing, by reason', ['reason']),
    evaluationErrors: m.counter('nomina_fraud_evaluation_errors_total', 'Fraud evaluations that failed (validation itself was not affected)'),
    shed: m.counter('nomina_fraud_evaluations_shed_total', 'Validations not evaluated for fraud because the evaluation backlog was at its bound'),
    coalesced: m.counter('nomina_fraud_observations_coalesced_total', 'Validations evaluated together with others of the same licence (one evaluation per licence per interval)'),
  };
}
