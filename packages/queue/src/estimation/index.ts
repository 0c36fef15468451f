// The estimation rules as other contexts see them: the service-time statistics and the
// estimators the queue service asks for wait times.
export { createServiceTimeTracker, type ServiceTimeTracker } from './service-time-tracker.js';
export { createWaitTimeEstimator, type WaitEstimate } from './wait-time-estimator.js';
export type { HybridEstimateRequest } from './hybrid-wait-time-estimator.js';
export {
  createCalibratedWaitTimeEstimator,
  type CalibratedWaitEstimate,
  type CalibratedWaitTimeEstimator,
} from './calibrated-wait-time-estimator.js';
export { steadyWaitEstimate, type ShownWaitEstimate } from './steady-wait-estimate.js';
export type { PlannedStaffing } from './staffing-plan.js';
