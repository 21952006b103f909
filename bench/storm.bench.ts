/**
 * npm run bench:storm — the fraud storm alone (support/storm-scenario.ts): a leaked-key pattern
 * over hundreds of licences against the service in its own process, beside honest traffic.
 * `npm run bench:validate` runs the same scenario at its end.
 */
import { runStormScenario } from './support/storm-scenario';

runStormScenario().then(() => process.exit(0), (error) => {
  console.error('storm benchmark failed:', error);
  process.exit(1);
});
