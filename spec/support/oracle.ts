/** The convergence oracle lives in `src/simulators/oracle.ts`, so that benchmarks can use it too. */
export { actualIssues, compareEntities, expectedIssues, type ComparableEntity, type ConvergenceReport } from '../../src/simulators/oracle.js';
