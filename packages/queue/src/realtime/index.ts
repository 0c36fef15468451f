// The realtime context as other contexts see it: the event bus ports and the sink that publishes
// queue changes, the event and topic rules, the topic follower and the in-memory bus. The
// Postgres, Redis and Supabase buses are adapters, exported by their own entries.
export * from './event-bus.js';
export * from './realtime-event.js';
export * from './topic-follower.js';
export * from './memory/event-bus.js';
