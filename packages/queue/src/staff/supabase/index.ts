// The Supabase adapters of the staff context, for the ./supabase entry and other contexts'
// Supabase adapters (an invitation's acceptance writes the new staff member).
export { supabaseStaffRepository } from './staff-repository.js';
export { supabaseScheduleRepository } from './schedule-repository.js';
