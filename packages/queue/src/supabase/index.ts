/**
 * `@carequeue/queue/supabase`: the queue repositories over supabase-js (PostgREST), for a
 * Supabase project whose database ran the queue migrations and exposes the `queue` schema.
 * Requests run under the client's JWT, so the same row-level security policies apply as on
 * Postgres; multi-step operations call the SQL functions of migration 0006 so each is one
 * transaction.
 *
 * @packageDocumentation
 */
export { queueMigrations } from '../queue-migrations.js';
export { QueueSupabaseRequestError } from '../adapter-errors.js';
export type { SupabaseRepositoryOptions } from '../supabase/options.js';
export { supabaseClinicRepository } from '../clinics/supabase/clinic-repository.js';
export { supabaseServiceTypeRepository } from '../clinics/supabase/service-type-repository.js';
export { supabaseStaffRepository } from '../staff/supabase/staff-repository.js';
export { supabaseScheduleRepository } from '../staff/supabase/schedule-repository.js';
export { supabasePatientRepository } from '../patients/supabase/patient-repository.js';
export { supabaseInvitationRepository } from '../invitations/supabase/invitation-repository.js';
export {
  supabaseInvitationUnitOfWork,
  type SupabaseInvitationUnitOfWorkOptions,
} from '../invitations/supabase/invitation-unit-of-work.js';
