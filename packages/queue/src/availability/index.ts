// The availability rules as other contexts see them: which slots are free, whether one slot
// may be booked, and the bounds every instant and range is checked against.
export {
  busyRangeOf,
  checkSlot,
  listAvailableSlots,
  type AvailabilityContext,
  type AvailabilityRules,
  type BusyInterval,
  type Slot,
  type SlotCheck,
  type SlotRejection,
} from './availability.js';
export {
  assertSlotRange,
  assertSupportedInstant,
  END_OF_SUPPORTED_INSTANTS,
} from './availability-bounds.js';
